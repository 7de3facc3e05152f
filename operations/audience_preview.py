"""What launching a journey on an audience CSV would do, before anyone is enrolled: how many
rows, which are invalid, how many numbers have the WhatsApp opt-in the journey's purpose needs,
and for how many it is quiet hours right now.

The CSV is read by ``operations.launch.parse_audience``, the same parser the launch uses, so
the preview and the launch cannot disagree about a row. Consent is read as the send gate reads
it (the latest decision for WhatsApp and the purpose; an erased customer's hashed opt-out
counts); it is checked again at every send, so the count is what would happen now. Each
member's time zone is the one the journey would use: the customer's profile, else the number's
country, else the journey's ``timezone``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from operations.launch import AudienceMember, parse_audience, read_audience
from switchboard.business_calendar import QuietHours, in_quiet_hours
from switchboard.db.audience import known_timezones, whatsapp_consent
from switchboard.db.engine import Database
from switchboard.identity import timezone_for
from switchboard.journeys.schema import JourneyDefinition
from switchboard.journeys.trigger_checks import audience_columns

SHOWN_INVALID = 50  # invalid rows listed by number; the rest are only counted


def normalise(text: str) -> str:
    """The CSV as previewed and as launched: line endings made ``\\n`` (browsers send form
    text with CRLF), a BOM removed."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def digest(text: str) -> str:
    """SHA-256 (hex) of the normalised CSV: a confirmation launches what was previewed."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()


@dataclass
class AudiencePreview:
    """The facts a marketer checks before confirming a launch."""

    journey: str
    version: str
    purpose: str  # the WhatsApp opt-in the journey needs: service | marketing
    rows: int  # data rows after the header
    members: list[AudienceMember]  # valid numbers, each once
    invalid: list[tuple[int, str]]  # (1-based data row, reason); a header problem is row 0
    duplicates: int  # valid rows whose number was already listed
    opted_in: int
    opted_out: int
    no_consent: int  # no decision recorded: WhatsApp sends are skipped, calls may still go
    quiet_hours: QuietHours | None
    quiet_now: int  # members for whom it is quiet hours at ``at``
    zones: Counter[str] = field(default_factory=Counter)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    digest: str = ""

    @property
    def header_problem(self) -> str | None:
        return next((reason for row, reason in self.invalid if row == 0), None)


def count_rows(text: str) -> int:
    """Data rows after the header, counted as ``parse_audience`` numbers them (blank lines
    skipped)."""
    return sum(1 for _ in read_audience(text))


async def preview(
    db: Database,
    definition: JourneyDefinition,
    text: str,
    *,
    at: datetime | None = None,
    region: str | None = None,
) -> AudiencePreview:
    """The preview of launching ``definition`` on the CSV ``text`` at ``at`` (default: now);
    numbers without ``+`` read in ``region`` (``parse_audience``). Never raises for bad rows:
    they are listed in ``invalid``."""
    text = normalise(text)
    members, invalid = parse_audience(text, audience_columns(definition), region=region)
    rows = count_rows(text)
    valid_rows = rows - sum(1 for row, _ in invalid if row > 0)
    policies = definition.policies
    numbers = [m.e164 for m in members]
    async with db.session() as s:
        consent = await whatsapp_consent(s, numbers=numbers, purpose=policies.purpose)
        zones = await known_timezones(s, numbers=numbers)
    now = at or datetime.now(UTC)
    by_zone: Counter[str] = Counter(
        zones.get(n) or timezone_for(n, policies.timezone) for n in numbers
    )
    quiet = policies.quiet_hours
    quiet_now = (
        sum(count for tz, count in by_zone.items() if in_quiet_hours(now, tz, quiet))
        if quiet is not None
        else 0
    )
    states = Counter(consent.get(n) for n in numbers)
    return AudiencePreview(
        journey=definition.name,
        version=definition.version,
        purpose=policies.purpose,
        rows=rows,
        members=members,
        invalid=invalid,
        duplicates=max(valid_rows - len(members), 0),
        opted_in=states["opted_in"],
        opted_out=states["opted_out"],
        no_consent=states[None],
        quiet_hours=quiet,
        quiet_now=quiet_now,
        zones=by_zone,
        at=now,
        digest=digest(text),
    )
