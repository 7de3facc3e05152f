"""Customer identity: an E.164 number, parsed and normalised with ``phonenumbers``.

Twilio addresses a WhatsApp user as ``whatsapp:+E164`` and a caller as ``+E164`` (Twilio docs,
"WhatsApp addresses"); both map to the same customer.
"""

from __future__ import annotations

import phonenumbers
import pytz
from phonenumbers import timezone as pn_timezone

WHATSAPP_PREFIX = "whatsapp:"


class InvalidPhoneNumber(ValueError):
    """Raised when an address is not a valid phone number in E.164 form (ITU-T E.164)."""


def normalize_e164(address: str) -> str:
    """``'whatsapp:+33 6 12 34 56 78'`` → ``'+33612345678'``.

    Accepts a bare number or a Twilio channel address (``whatsapp:``/``tel:`` prefixes). The
    number must carry its country code (a leading ``+``): webhooks always send it that way.

    Raises ``InvalidPhoneNumber`` when the number cannot be parsed or is not a valid number.
    """
    raw = address.strip()
    for prefix in (WHATSAPP_PREFIX, "tel:"):
        if raw.lower().startswith(prefix):
            raw = raw[len(prefix) :]
    if not raw.startswith("+"):
        raise InvalidPhoneNumber(f"not in E.164 form (needs +country code): {redact(raw)}")
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber(f"unparseable phone number: {redact(raw)}") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(f"invalid phone number: {redact(raw)}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_address(e164: str) -> str:
    """``'+33612345678'`` → ``'whatsapp:+33612345678'``."""
    return f"{WHATSAPP_PREFIX}{e164}"


def timezone_for(e164: str, default: str = "UTC") -> str:
    """The IANA time zone of a number's region (``'+33…'`` → ``'Europe/Paris'``).

    libphonenumber's geocoding data gives the candidate zones (a UK mobile lists Guernsey, Isle
    of Man, Jersey and London); among them the country's first zone in the IANA ``zone.tab``
    (via ``pytz.country_timezones``) wins. An unknown region returns ``default``.
    """
    number = phonenumbers.parse(e164, None)
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
