"""``switchboard keys create|list|revoke``: people's API keys, through the running stack's API
(with an admin's key: ``SWITCHBOARD_API_KEY``, the bootstrap key, or an admin's own)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.output import print_table, switchboard_api

app = typer.Typer(
    help="People's API keys and their roles: admin, marketer (journeys, campaigns), agent "
    "(conversations, consent), engineer (read-only operations).",
    no_args_is_help=True,
)
ROLES = ("admin", "marketer", "agent", "engineer")


@app.command("create")
def create(
    person: Annotated[str, typer.Option(help="Who holds the key (a name or e-mail address)")],
    role: Annotated[str, typer.Option(help="admin, marketer, agent or engineer")],
) -> None:
    """Create a key; prints it once (only its hash is stored)."""
    if role not in ROLES:
        print(f"error: role must be one of {', '.join(ROLES)}, not {role!r}")
        raise typer.Exit(1)
    with switchboard_api() as api:
        key = api.create_key(person=person, role=role)
    print(f"created key {key.id} for {key.person} (role {key.role})")
    print(f"X-API-Key: {key.token}")
    print("Keep it now: it is not shown again.")


@app.command("list")
def list_keys() -> None:
    """Every key: ID, person, role, created (UTC), revoked (UTC)."""
    with switchboard_api() as api:
        keys = api.list_keys()
    print_table(
        ("ID", "PERSON", "ROLE", "CREATED", "REVOKED"),
        [
            (
                k.id,
                k.person,
                k.role,
                f"{k.created_at:%Y-%m-%d %H:%M}",
                f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "-",
            )
            for k in keys
        ],
    )


@app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key's ID (see `keys list`)")]) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    with switchboard_api() as api:
        key = api.revoke_key(key_id)
    print(f"revoked key {key.id} of {key.person}")
