"""The ``switchboard`` command: run the stack, simulate customers, read conversations, demo,
manage journeys. Wiring only; each command group is its own module.

``up``, ``demo`` and ``simulate`` need ``devtools`` (development only) and import it when they
run, so this module imports where the CLI ships without it.
"""

from __future__ import annotations

import typer

from cli import customers, journeys, keys, relay, simulate, stack

app = typer.Typer(
    help="Switchboard: one agent, phone and WhatsApp, one memory.", no_args_is_help=True
)
app.command()(stack.up)
app.command()(customers.conversation)
app.command()(customers.consent)
app.command()(stack.demo)
app.command()(relay.relay)
app.add_typer(simulate.app, name="simulate")
app.add_typer(journeys.app, name="journeys")
app.add_typer(keys.app, name="keys")
app.add_typer(customers.app, name="customers")

if __name__ == "__main__":
    app()
