"""``switchboard conversation``, ``switchboard consent`` and ``switchboard customers erase``: a
customer's timeline, consent and erasure, through the running stack's API."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.output import switchboard_api

E164Arg = Annotated[
    str,
    typer.Argument(
        help="The customer's number: E.164, or as typed ('+33 6 12 34 56 78', or "
        "'06 12 34 56 78' in the business profile's country)"
    ),
]


def _number(typed: str) -> str:
    """``typed`` in E.164 (``switchboard.identity.read_typed_number``, the business profile's
    country for numbers without ``+``): the API's paths take E.164 only. Raises
    ``typer.BadParameter`` (exit 2, saying why) for what is not a phone number."""
    from switchboard.business import load_profile
    from switchboard.identity import InvalidPhoneNumber, read_typed_number
    from switchboard.settings import get_settings

    try:
        return read_typed_number(typed, load_profile(get_settings().business_profile).region)
    except InvalidPhoneNumber as exc:
        raise typer.BadParameter(str(exc)) from exc


def conversation(e164: E164Arg) -> None:
    """Print a customer's cross-channel timeline."""
    from switchboard.timeline import render

    number = _number(e164)
    with switchboard_api() as api:
        print(render(api.conversation(number)))


def consent(
    e164: E164Arg,
    channel: Annotated[str, typer.Option(help="whatsapp or voice")] = "whatsapp",
    status: Annotated[str, typer.Option(help="opted_in or opted_out")] = "opted_in",
    source: Annotated[str, typer.Option(help="Where the consent was given")] = "cli",
    purpose: Annotated[str, typer.Option(help="service or marketing")] = "service",
) -> None:
    """Record an opt-in or opt-out."""
    number = _number(e164)
    with switchboard_api() as api:
        api.record_consent(number, channel=channel, status=status, source=source, purpose=purpose)
    print(f"recorded {channel} {status} for {number}")


app = typer.Typer(help="Customers: erase one (GDPR art. 17).", no_args_is_help=True)


@app.command()
def erase(
    e164: E164Arg,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Erase a customer: workflows terminated, recordings deleted at Twilio, every row deleted
    but a hashed opt-out (STOP stays honoured). Needs an admin key (SWITCHBOARD_API_KEY)."""
    number = _number(e164)
    if not yes:
        typer.confirm(f"Erase everything about {number}? This cannot be undone", abort=True)
    with switchboard_api() as api:
        report = api.erase_customer(number)
    rows = ", ".join(f"{table} {n}" for table, n in report["rows"].items() if n)
    print(f"erased {report['customer']}: rows {rows or 'none'}")
    print(
        f"workflows terminated {len(report['workflows_terminated'])}, "
        f"recordings deleted at Twilio {report['recordings_deleted']}"
    )
