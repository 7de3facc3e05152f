"""Shared fixtures. Paths to the material in ../shared are resolved here once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def jfk_flac() -> bytes:
    """11 s of real speech (16 kHz FLAC) from ../shared/audio/jfk.flac."""
    return (SHARED / "audio" / "jfk.flac").read_bytes()
