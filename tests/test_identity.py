"""E.164 identity across channel address forms."""

from __future__ import annotations

import pytest

from switchboard.identity import (
    UNKNOWN_RANGE,
    InvalidPhoneNumber,
    normalize_e164,
    number_flag,
    read_typed_number,
    redact,
    timezone_for,
)


@pytest.mark.parametrize(
    "address",
    ["+33612345678", "whatsapp:+33612345678", "whatsapp:+33 6 12 34 56 78", "tel:+33612345678"],
)
def test_channel_addresses_map_to_one_customer(address: str) -> None:
    assert normalize_e164(address) == "+33612345678"


@pytest.mark.parametrize(
    "address", ["0612345678", "+3361234", "whatsapp:hello", "", "+999", "+4477009"]
)
def test_invalid_numbers_are_rejected(address: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalize_e164(address)


@pytest.mark.parametrize(
    "address",
    [
        "whatsapp:+447700900123",  # Ofcom's drama range: never allocated, still a UK mobile's form
        "+15555550100",  # 555-01xx, fictional use in North America
    ],
)
def test_numbers_in_e164_form_are_accepted_whatever_the_allocation_data(address: str) -> None:
    e164 = normalize_e164(address)
    assert number_flag(e164) == UNKNOWN_RANGE


def test_an_allocated_number_is_not_flagged() -> None:
    assert number_flag(normalize_e164("+33612345678")) is None


def test_errors_do_not_echo_the_full_number() -> None:
    with pytest.raises(InvalidPhoneNumber) as exc:
        normalize_e164("+3361234567890123")
    assert "3361234567890123" not in str(exc.value)


def test_time_zone_from_the_number_region() -> None:
    assert timezone_for("+33612345678") == "Europe/Paris"
    assert timezone_for("+447911123456") == "Europe/London"  # not Guernsey, listed first
    assert timezone_for("+4915112345678") == "Europe/Berlin"


def test_redact_keeps_country_code_and_last_digits() -> None:
    assert redact("+33612345678") == "+33…78"


@pytest.mark.parametrize(
    "typed",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "0612345678",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+33 6 12 34 56 78",
        "whatsapp:+33612345678",
    ],
)
def test_a_number_as_people_type_it_is_read_in_the_business_country(typed: str) -> None:
    assert read_typed_number(typed, "FR") == "+33612345678"


def test_a_typed_number_needs_a_country_to_be_read_without_a_plus() -> None:
    with pytest.raises(InvalidPhoneNumber):
        read_typed_number("06 12 34 56 78", None)
    with pytest.raises(InvalidPhoneNumber, match="not a possible phone number in FR"):
        read_typed_number("06 12", "FR")
    assert read_typed_number("+44 7700 900123", "FR") == "+447700900123", "a + wins"
