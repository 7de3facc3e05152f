"""Replay every checked-in workflow history against today's workflow code.

A change to workflow code that would make a running workflow behave differently on replay
(a non-deterministic change) fails here, in CI, instead of in production. Such a change must go
behind ``workflow.patched(...)``. Histories are recorded from the real end-to-end tests:
``SWITCHBOARD_RECORD_HISTORIES=1 pytest tests/workflows tests/journeys`` (see README).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from switchboard.payload_codec import MemoryKeyStore
from switchboard.temporal import data_converter
from workflows.campaign import CampaignWorkflow
from workflows.customer import CustomerWorkflow
from workflows.journey import JourneyWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_cover_the_customer_workflow_and_every_journey() -> None:
    kinds = {path.name.split("-", 1)[0] for path in HISTORIES}
    assert {"CustomerWorkflow", "JourneyWorkflow", "CampaignWorkflow"} <= kinds
    journeys = {p.stem for p in (Path(__file__).parents[2] / "journeys").glob("*.yaml")}
    journeys.discard("templates")
    recorded = {
        name
        for name in journeys
        for p in HISTORIES
        if p.name.startswith(f"JourneyWorkflow-journey-{name}-")
    }
    assert recorded == journeys


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    # The product's converter: the recorded payloads are plain JSON, which its codec passes
    # through (histories from before encryption, and workflows running at the upgrade).
    replayer = Replayer(
        workflows=[CustomerWorkflow, JourneyWorkflow, CampaignWorkflow],
        data_converter=data_converter(MemoryKeyStore()),
    )
    await replayer.replay_workflow(history)
