"""Customer identity: an E.164 number, parsed and normalised with ``phonenumbers``.

Twilio addresses a WhatsApp user as ``whatsapp:+E164`` and a caller as ``+E164`` (Twilio docs,
"WhatsApp addresses"); both map to the same customer.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
import pytz
from phonenumbers import ValidationResult
from phonenumbers import timezone as pn_timezone

WHATSAPP_PREFIX = "whatsapp:"
# The E.164 form as a regular expression (ITU-T E.164: "+", then at most 15 digits, the first
# not 0): what an API parameter documented as "E.164" must look like before
# ``normalize_e164`` checks the number itself.
E164_PATTERN = r"^\+[1-9][0-9]{1,14}$"


# ``customer.number_flag`` of a number in E.164 form that libphonenumber's allocation data
# does not know (a range newer than the data, Ofcom's drama range +44 7700 900xxx, …).
UNKNOWN_RANGE = "unknown_range"


class InvalidPhoneNumber(ValueError):
    """Raised when an address is not a phone number in E.164 form (ITU-T E.164): no ``+``
    country code, unparseable, or a length no number of that country can have."""


@lru_cache(maxsize=4096)
def _parse(number: str) -> phonenumbers.PhoneNumber:
    """``phonenumbers.parse(number, None)``, remembered: a webhook's number is parsed to check
    its form, then again for its flag and its time zone, ~0.2 ms of CPU each (issue 11); the
    result is only read, never changed. Raises ``phonenumbers.NumberParseException``."""
    return phonenumbers.parse(number, None)


def normalize_e164(address: str) -> str:
    """``'whatsapp:+33 6 12 34 56 78'`` → ``'+33612345678'``.

    Accepts a bare number or a Twilio channel address (``whatsapp:``/``tel:`` prefixes). The
    number must carry its country code (a leading ``+``): webhooks always send it that way.

    Checks the number's *form* only (libphonenumber's "possible number": a known country code
    and a length that country's whole numbers can have), not the library's allocation data: a
    message from a range newer than that data, or from a range it lists as unallocated, is a
    real customer writing through Twilio, and is never refused for it (``number_flag`` tells).

    Raises ``InvalidPhoneNumber`` when the number cannot be parsed or is not a possible number.
    """
    raw = address.strip()
    for prefix in (WHATSAPP_PREFIX, "tel:"):
        if raw.lower().startswith(prefix):
            raw = raw[len(prefix) :]
    if not raw.startswith("+"):
        raise InvalidPhoneNumber(f"not in E.164 form (needs +country code): {redact(raw)}")
    try:
        number = _parse(raw)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(f"unparseable phone number: {redact(raw)}") from exc
    # IS_POSSIBLE only: a length possible for local dialling alone (without the area code) is
    # not a whole international number.
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        raise InvalidPhoneNumber(f"not a possible phone number: {redact(raw)}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def read_typed_number(text: str, region: str | None) -> str:
    """A number as a person types or pastes it, in E.164: ``'+33 6 12 34 56 78'``,
    ``'06 12 34 56 78'``, ``'06.12.34.56.78'``, ``'+33 (0)6 12 34 56 78'``, ``'0033 6 12…'``.
    Without a ``+``, it is read as dialled in ``region`` (ISO 3166-1 alpha-2, e.g. the business
    profile's country: ``'FR'``), which also reads the ``00`` international prefix; with
    ``region`` None, as ``normalize_e164``. Checks the form only, like ``normalize_e164``.

    Raises ``InvalidPhoneNumber`` when it cannot be read or is not a possible number."""
    raw = text.strip()
    if raw.startswith("+") or raw.lower().startswith((WHATSAPP_PREFIX, "tel:")) or not region:
        return normalize_e164(raw)
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(f"unparseable phone number: {redact(raw)}") from exc
    if phonenumbers.is_possible_number_with_reason(number) != ValidationResult.IS_POSSIBLE:
        raise InvalidPhoneNumber(f"not a possible phone number in {region}: {redact(raw)}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def number_flag(e164: str) -> str | None:
    """Why an accepted number (``normalize_e164``'s output) is suspicious, or None:
    ``UNKNOWN_RANGE`` when libphonenumber's data (``phonenumbers.__version__``) does not list
    it as allocated (``is_valid_number``) — a newer range, or a reserved one such as Ofcom's
    drama numbers. Recorded on the customer and logged, never a reason to refuse a message."""
    try:
        number = _parse(e164)
    except phonenumbers.NumberParseException:
        return UNKNOWN_RANGE
    return None if phonenumbers.is_valid_number(number) else UNKNOWN_RANGE


def whatsapp_address(e164: str) -> str:
    """``'+33612345678'`` → ``'whatsapp:+33612345678'``."""
    return f"{WHATSAPP_PREFIX}{e164}"


def timezone_for(e164: str, default: str = "UTC") -> str:
    """The IANA time zone of a number's region (``'+33…'`` → ``'Europe/Paris'``).

    libphonenumber's geocoding data gives the candidate zones (a UK mobile lists Guernsey, Isle
    of Man, Jersey and London); among them the country's first zone in the IANA ``zone.tab``
    (via ``pytz.country_timezones``) wins. An unknown region returns ``default``.
    """
    number = _parse(e164)
    zones = [
        z for z in pn_timezone.time_zones_for_number(number) if z != pn_timezone.UNKNOWN_TIMEZONE
    ]
    # The calling code's main country (+44 → GB), not the first region sharing the range (GG).
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    for primary in pytz.country_timezones.get(region, []):
        if primary in zones:
            return str(primary)
    return zones[0] if zones else default


def redact(e164: str) -> str:
    """Keep the country code and the last two digits for logs: ``'+33612345678'`` → ``'+33…78'``."""
    if len(e164) <= 5:
        return "…"
    return f"{e164[:3]}…{e164[-2:]}"
