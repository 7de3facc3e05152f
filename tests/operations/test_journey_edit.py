"""Saving a journey from the console where the directory cannot be written (a read-only image,
a full disk): the marketer is told why and the file is unchanged."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest

from operations import journey_edit
from operations.journey_edit import DraftRefused, save, text_hash
from switchboard.journeys.loader import DEFAULT_DIR


def test_a_directory_that_cannot_be_written_refuses_the_save_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journeys = tmp_path / "journeys"
    shutil.copytree(DEFAULT_DIR, journeys)
    path = journeys / "review-request.yaml"
    before = path.read_text()
    draft = before.replace("Could you spare a minute", "Would you spare a minute")

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(journey_edit.tempfile, "mkstemp", read_only)
    with pytest.raises(DraftRefused) as refused:
        save(journeys, "review-request", draft, base_hash=text_hash(before))

    assert "could not be written here: Read-only file system" in str(refused.value)
    assert path.read_text() == before
