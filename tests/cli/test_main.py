"""The CLI ships without ``devtools`` (development only): importing it, and every help page,
must work when ``devtools`` cannot be imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WITHOUT_DEVTOOLS = """
import sys
sys.modules["devtools"] = None  # any `import devtools...` now raises ImportError
from typer.testing import CliRunner
from cli.main import app
for args in ([], ["simulate"], ["journeys"], ["up"], ["demo"], ["simulate", "call"]):
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0, (args, result.output)
print(sorted(m for m in sys.modules if m == "devtools" or m.startswith("devtools.")))
"""


def test_the_cli_imports_and_helps_without_devtools() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_DEVTOOLS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['devtools']"  # only the blocker itself
