"""What several commands print: tables, and the API client's errors as one line (then exit 1).

rich and the API client are imported when used, so ``switchboard --help`` starts quickly.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from switchboard.settings import get_settings

if TYPE_CHECKING:
    from operations.api_client import SwitchboardClient


def print_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Left-aligned columns two spaces apart under a bold header; cells are plain text (never
    rich markup). Rows are never wrapped or cut: a table wider than the terminal (or than 80
    columns when piped) runs past the edge, so ``| grep`` and files get whole values."""
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, padding=(0, 1))
    for title in header:
        table.add_column(title, no_wrap=True)
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console = Console()
    needed = Measurement.get(console, console.options.update_width(sys.maxsize), table).maximum
    console.width = max(console.width, needed)
    console.print(table)


@contextmanager
def switchboard_api(*, timeout_s: float = 30) -> Iterator[SwitchboardClient]:
    """A client for the running stack's API (``settings.api_url``, with its key). Its errors
    end the command: ``error: <status>: <detail>`` or ``error: cannot reach the API at …;
    is the stack up?``, exit 1."""
    from operations.api_client import ApiError, ApiUnreachable, SwitchboardClient

    try:
        with SwitchboardClient(get_settings(), timeout_s=timeout_s) as client:
            yield client
    except ApiUnreachable as exc:
        print(f"error: {exc}; is the stack up?")
        raise typer.Exit(1) from exc
    except ApiError as exc:
        print(f"error: {exc}")
        raise typer.Exit(1) from exc
