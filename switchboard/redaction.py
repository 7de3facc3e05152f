"""Masking personal data in free text: phone numbers, payment card numbers, IBANs and e-mail
addresses, for the application logs and for what is sent to an LLM vendor. The conversation log
(Postgres ``message``) keeps what the customer wrote; nothing here touches it.

Detection and validation are libraries', so only real numbers are masked (a date, a time, a
price, a booking ID or a Twilio SID is left alone):

- phone numbers: libphonenumber's ``PhoneNumberMatcher`` (``phonenumbers``) at leniency
  ``VALID``, with the business's country as the region for numbers written without ``+``, and
  any *possible* number in Switchboard's own E.164 form (``+33612345678``), valid or not;
- card numbers: 13 to 19 digits (spaces or dashes between groups allowed) that pass the Luhn
  check (``stdnum.luhn``; ISO/IEC 7812 card numbers carry a Luhn check digit);
- IBANs: a country code, two check digits and up to 30 letters or digits (spaces allowed), valid
  by ISO 13616's mod 97-10 check and the country's length (``stdnum.iban``);
- e-mail addresses: ``local@domain`` shapes whose syntax ``email_validator`` accepts
  (no DNS lookup).

Two styles. ``Redactor.for_vendor`` replaces each with a placeholder (``[phone number]``,
``[card number]``, ``[IBAN]``, ``[email]``): the model learns that the customer gave one and
nothing more. ``Redactor.for_log`` masks partially so that operators can still tell lines
apart: a phone number as ``switchboard.identity.redact`` has always written it in logs
(``+33…78``: country code and last two digits), a card as ``[card …1111]``, an IBAN as
``[IBAN FR76…189]``, an e-mail as ``j…@example.com``. Numbers ``keep`` names (the business's own,
from its profile) are left as they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher
from stdnum import iban as stdnum_iban
from stdnum import luhn

from switchboard.identity import redact as redact_e164

Kind = Literal["phone", "card", "iban", "email"]
Style = Literal["log", "vendor"]

PLACEHOLDERS: dict[Kind, str] = {
    "phone": "[phone number]",
    "card": "[card number]",
    "iban": "[IBAN]",
    "email": "[email]",
}

# Candidates only; the libraries decide. A card: 13-19 digits, single spaces or dashes between
# them, not glued to a word, a "+" (an E.164 number) or more digits.
_CARD = re.compile(r"(?<![\w+\-])\d(?:[ \-]?\d){12,18}(?![\w\-])")
# An IBAN: two letters, two check digits, then 11-30 letters or digits in groups.
_IBAN = re.compile(r"(?<!\w)[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?!\w)")
# Switchboard's own E.164 form (``+33612345678``): masked when merely *possible*, as
# ``switchboard.identity`` accepts it, so a customer from a range libphonenumber's data does
# not list yet is masked too.
_E164 = re.compile(r"(?<![\w+])\+[1-9]\d{6,14}(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# Nothing to find without an "@" or at least seven digits: most log lines stop here.
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: Kind
    value: str  # the matched text, normalised (E.164, compact card or IBAN, the address)


@dataclass(frozen=True)
class Redactor:
    """Finds and masks personal data in text (module docstring).

    ``region``: ISO 3166-1 alpha-2 country for phone numbers written without ``+`` (the
    business's country); ``keep``: E.164 numbers left as they are (the business's own).
    Pure and thread-safe; ``find`` costs a few regular expressions on text with no digits.
    """

    region: str = "FR"
    keep: frozenset[str] = field(default_factory=frozenset)

    def find(self, text: str) -> list[tuple[int, int, Kind]]:
        """``(start, end, kind)`` of every piece of personal data in ``text``, in order, not
        overlapping (cards and IBANs are found before phone numbers, which they could
        contain)."""
        return [(s.start, s.end, s.kind) for s in self._spans(text)]

    def for_log(self, text: str) -> str:
        """``text`` with each find partially masked for operators (module docstring)."""
        return self._mask(text, "log")

    def for_vendor(self, text: str) -> str:
        """``text`` with each find replaced by its placeholder (``PLACEHOLDERS``)."""
        return self._mask(text, "vendor")

    def _mask(self, text: str, style: Style) -> str:
        if not text or ("@" not in text and len(_DIGIT.findall(text)) < 7):
            return text
        spans = self._spans(text)
        if not spans:
            return text
        out: list[str] = []
        at = 0
        for span in spans:
            out.append(text[at : span.start])
            out.append(PLACEHOLDERS[span.kind] if style == "vendor" else _partial(span))
            at = span.end
        out.append(text[at:])
        return "".join(out)

    def _spans(self, text: str) -> list[_Span]:
        spans: list[_Span] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s.start or start >= s.end for s in spans)

        for m in _IBAN.finditer(text):
            found = _longest_iban(m.group())
            if found is not None:
                spans.append(_Span(m.start(), m.start() + found[0], "iban", found[1]))
        for m in _CARD.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if 13 <= len(digits) <= 19 and luhn.is_valid(digits) and free(m.start(), m.end()):
                spans.append(_Span(m.start(), m.end(), "card", digits))
        if len(_DIGIT.findall(text)) >= 7:
            for match in PhoneNumberMatcher(text, self.region, leniency=Leniency.VALID):
                e164 = phonenumbers.format_number(match.number, PhoneNumberFormat.E164)
                if e164 not in self.keep and free(match.start, match.end):
                    spans.append(_Span(match.start, match.end, "phone", e164))
            for m in _E164.finditer(text):
                if m.group() in self.keep or not free(m.start(), m.end()):
                    continue
                try:
                    number = phonenumbers.parse(m.group(), None)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_possible_number(number):
                    spans.append(_Span(m.start(), m.end(), "phone", m.group()))
        if "@" in text:
            for m in _EMAIL.finditer(text):
                address = m.group().rstrip(".")
                try:
                    validate_email(address, check_deliverability=False)
                except EmailNotValidError:
                    continue
                if free(m.start(), m.start() + len(address)):
                    spans.append(_Span(m.start(), m.start() + len(address), "email", address))
        return sorted(spans, key=lambda s: s.start)


def _longest_iban(candidate: str) -> tuple[int, str] | None:
    """The longest prefix of ``candidate`` that is a valid IBAN, as (length, compact IBAN):
    the pattern also swallows a word written in capitals after it."""
    for end in range(len(candidate), 14, -1):
        if candidate[end - 1] == " ":
            continue
        piece = candidate[:end]
        if stdnum_iban.is_valid(piece):
            return end, stdnum_iban.compact(piece)
    return None


def _partial(span: _Span) -> str:
    if span.kind == "phone":
        return redact_e164(span.value)
    if span.kind == "card":
        return f"[card …{span.value[-4:]}]"
    if span.kind == "iban":
        return f"[IBAN {span.value[:4]}…{span.value[-3:]}]"
    local, _, domain = span.value.partition("@")
    return f"{local[:1]}…@{domain}"


# -- logs -------------------------------------------------------------------------------------


def _mask_value(value: Any, mask: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: _mask_value(v, mask) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_mask_value(v, mask) for v in value)
    return value


@dataclass(frozen=True)
class LogRedaction:
    """A structlog processor masking every string of a log event (the message and every field,
    nested dicts and lists included) with ``Redactor.for_log``. Put it after the processors that
    add text (``format_exc_info``) and before the renderer."""

    redactor: Redactor

    def __call__(
        self, logger: Any, method: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        for key, value in event_dict.items():
            event_dict[key] = _mask_value(value, self.redactor.for_log)
        return event_dict


class RedactingFilter(logging.Filter):
    """A ``logging`` filter for the stdlib path (uvicorn, temporalio's workflow and activity
    loggers, Switchboard's ``logging.getLogger`` users): the record's message, with its
    arguments and traceback, becomes its masked text. Attach it to handlers: a logger's own
    filters do not see records its children propagate."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed %-format: leave it to the handler
            return True
        record.msg = self._redactor.for_log(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._redactor.for_log(
                logging.Formatter().formatException(record.exc_info)
            )
        return True


def business_numbers(texts: Iterable[str], region: str) -> frozenset[str]:
    """E.164 of the phone numbers in ``texts`` (the business profile's phone and policies):
    the business's own numbers, which no mask needs to hide."""
    found: set[str] = set()
    for text in texts:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            found.add(phonenumbers.format_number(match.number, PhoneNumberFormat.E164))
    return frozenset(found)


def for_business(country: str | None, texts: tuple[str, ...]) -> Redactor:
    """The redactor for a business: its country as the region (France when the profile names
    none) and the phone numbers in ``texts`` (its phone, its policies) kept. Cached: the same
    profile gives the same redactor."""
    return _for_business(country or "FR", texts)


@lru_cache(maxsize=8)
def _for_business(region: str, texts: tuple[str, ...]) -> Redactor:
    return Redactor(region=region, keep=business_numbers(texts, region))
