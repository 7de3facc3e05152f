"""The benchmark harness (``bench/``): its pure parts always, the real smoke run on request.

``make bench-smoke`` is what proves the harness end to end in CI (it starts the embedded stack
and runs every suite for a few seconds). These tests keep ``make test`` fast: they check the
pieces the numbers depend on (percentiles with censoring, webhook signing, reading turn
timelines out of Temporal histories, the calls suite's fakes, turn stages and report shape, the
report) without a stack. Set
``SWITCHBOARD_BENCH_SMOKE=1`` to also run ``python -m bench --smoke`` here and check the JSON it
writes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl

import numpy as np
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import HistoryEvent
from twilio.request_validator import RequestValidator

from api.twilio_forms import WhatsAppInbound, parse_form
from bench.call_fakes import (
    MS_PER_CHARACTER,
    SCRIPT,
    CallLatency,
    FakeSpeechSynthesis,
    FakeStreamingSTT,
    Timeline,
)
from bench.fakes import Latency, LatencyProfile
from bench.history import timelines
from bench.loadgen import WhatsAppWebhook, customer_number
from bench.report import fact, figure, markdown
from bench.stack import Ports, bench_settings
from bench.stats import rate_windows, ratios, summary
from bench.suites import calls
from switchboard.providers.base import ProviderRejected

ROOT = Path(__file__).resolve().parents[1]


def test_summary_percentiles_and_censoring() -> None:
    values = list(range(1, 101))  # 1..100
    s = summary(values)
    assert s["n"] == 100
    assert s["p50"] == pytest.approx(50.5)
    assert s["p99"] == pytest.approx(99.01)
    # 10 observations known only to exceed the window rank above every value: p95 is unknown.
    c = summary(values[:90], censored=10, censored_above=5000.0)
    assert c["n"] == 100
    assert c["censored"] == 10
    assert c["p50"] is not None
    assert c["p95"] is None and c["p99"] is None
    assert summary([])["p50"] is None


def test_ratios_and_rate_windows() -> None:
    assert ratios({"p50": 20, "p95": 30, "p99": None}, {"p50": 10, "p95": 10, "p99": 5}) == {
        "p50": 2.0,
        "p95": 3.0,
        "p99": None,
    }
    assert rate_windows([0.0, 0.1, 0.2, 5.0], 1.0) == 3.0


def test_latency_profile_round_trip_and_critical_path() -> None:
    profile = LatencyProfile().with_overrides({"stt": (250.0, None), "agent": (500.0, 0.1)})
    again = LatencyProfile.from_json(profile.to_json())
    assert again == profile
    assert again.stt == Latency(250.0, 0.2)
    path = profile.path_samples_ms(["media_fetch", "stt", "agent", "send"], n=50_000)
    median = float(sorted(path)[len(path) // 2])
    # The median of a sum of log-normals sits a little above the sum of the medians.
    assert 1050 * 0.98 < median < 1050 * 1.08
    with pytest.raises(ValueError, match="unknown stage"):
        profile.with_overrides({"nope": (1.0, None)})


def test_webhooks_are_signed_as_twilio_signs_them() -> None:
    hook = WhatsAppWebhook(
        api_url="http://127.0.0.1:9",
        public_url="https://switchboard.example.test",
        path="/twilio/whatsapp",
        auth_token="secret",
        account_sid="AC" + "0" * 32,
        whatsapp_from="whatsapp:+14155238886",
        media_url="https://api.twilio.com/media/ME1",
        customer_offset=5,
        sid_prefix="T",
    )
    url, body, headers, sid, e164 = hook.request(3)
    assert url == "http://127.0.0.1:9/twilio/whatsapp"
    assert e164 == customer_number(8)
    form = dict(parse_qsl(body.decode(), keep_blank_values=True))
    assert RequestValidator("secret").validate(
        "https://switchboard.example.test/twilio/whatsapp", form, headers["X-Twilio-Signature"]
    )
    msg = parse_form(WhatsAppInbound, form)
    assert msg.message_sid == sid
    assert msg.from_ == e164
    assert msg.num_media == 1
    # Distinct SIDs per request, one customer per request unless a pool is given.
    assert hook.request(4)[3] != sid
    assert hook.request(4)[4] != e164


def _event(event_id: int, kind: int, at: float, **attrs: object) -> HistoryEvent:
    stamp = Timestamp()
    stamp.FromNanoseconds(int(at * 1e9))
    event = HistoryEvent(event_id=event_id, event_type=kind, event_time=stamp)  # type: ignore[arg-type]
    for name, value in attrs.items():
        getattr(event, name).CopyFrom(value)
    return event


def test_turn_timelines_from_history() -> None:
    E = EventType
    accepted = HistoryEvent().workflow_execution_update_accepted_event_attributes
    accepted.accepted_request.meta.update_id = "MM1"
    scheduled = HistoryEvent().activity_task_scheduled_event_attributes
    scheduled.activity_type.name = "media.fetch"
    started = HistoryEvent().activity_task_started_event_attributes
    started.scheduled_event_id = 3
    completed = HistoryEvent().activity_task_completed_event_attributes
    completed.scheduled_event_id = 3
    events = [
        _event(1, E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 100.0),
        _event(
            2,
            E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
            100.5,
            workflow_execution_update_accepted_event_attributes=accepted,
        ),
        _event(
            3,
            E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
            100.6,
            activity_task_scheduled_event_attributes=scheduled,
        ),
        _event(
            4,
            E.EVENT_TYPE_ACTIVITY_TASK_STARTED,
            100.7,
            activity_task_started_event_attributes=started,
        ),
        _event(
            5,
            E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
            100.9,
            activity_task_completed_event_attributes=completed,
        ),
    ]
    found = timelines(events)
    turn = found["MM1"]
    assert turn.accepted == pytest.approx(100.5)
    step = turn.first("media.fetch")
    assert step is not None
    assert (step.scheduled, step.started, step.ended) == pytest.approx((100.6, 100.7, 100.9))
    assert step.ok


def test_turn_timelines_from_a_signal() -> None:
    """Signal-with-start hand-over: the message is the signal's payload (JSON with its SID)."""
    E = EventType
    signalled = HistoryEvent().workflow_execution_signaled_event_attributes
    signalled.signal_name = "message"
    payload = signalled.input.payloads.add()
    payload.metadata["encoding"] = b"json/plain"
    payload.data = json.dumps({"sid": "MM2", "channel": "whatsapp"}).encode()
    other = HistoryEvent().workflow_execution_signaled_event_attributes
    other.signal_name = "journey_ended"
    other.input.payloads.add().data = b'"journey/x"'
    scheduled = HistoryEvent().activity_task_scheduled_event_attributes
    scheduled.activity_type.name = "media.fetch"
    events = [
        _event(1, E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 10.0),
        _event(
            2,
            E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
            10.1,
            workflow_execution_signaled_event_attributes=signalled,
        ),
        _event(
            3,
            E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
            10.2,
            workflow_execution_signaled_event_attributes=other,
        ),
        _event(
            4,
            E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
            10.3,
            activity_task_scheduled_event_attributes=scheduled,
        ),
    ]
    found = timelines(events)
    assert set(found) == {"MM2"}
    assert found["MM2"].accepted == pytest.approx(10.1)
    step = found["MM2"].first()
    assert step is not None and step.name == "media.fetch" and step.started is None


def test_markdown_report() -> None:
    value = summary([10.0, 20.0, 30.0])
    floor = summary([1.0, 2.0, 3.0])
    document = {
        "started_at": "2026-01-01T00:00:00+00:00",
        "machine": {
            "cores_logical": 2,
            "cpu_model": "test",
            "memory_gib": 24.0,
            "platform": "linux",
            "load_avg_at_start": [0.0, 0.0, 0.0],
        },
        "versions": {"python": "3.11"},
        "settings": {
            "mode": "smoke",
            "latency_ms": {"stt": {"median": 300, "sigma": 0.2}},
            "outreach_sends_per_s": 50,
        },
        "suites_run": ["ingest"],
        "duration_s": 1.0,
        "figures": [
            figure(
                "1 ingest",
                "ack",
                value,
                baseline=floor,
                baseline_name="floor",
                target="p99 ≤ 50 ms",
                met=True,
            ),
            fact("3 journeys", "rows", 0, target="0", met=False),
        ],
        "tables": {"extra": ["| a |", "| - |"]},
    }
    text = markdown(document)
    assert "| 1 ingest | ack | 3 | 20.0 |" in text
    assert "floor: 2.0 / 2.9 / 3.0" in text
    assert "10.00× / 10.00× / 10.00×" in text
    assert "✅ met" in text and "❌ missed" in text
    assert "**extra**" in text


def test_bench_settings_stay_local() -> None:
    settings = bench_settings(Path("/tmp/bench-test"), Ports())
    assert settings.database_url is None  # an embedded Postgres of its own
    assert settings.twilio_api_base_url == f"http://127.0.0.1:{Ports.fake_twilio}"
    assert settings.public_base_url == f"http://127.0.0.1:{Ports.api}"
    assert settings.business_hours is None
    used = {7233, 7234, 7244, 8000, 8001, 8011, 8050, 8098, 8099, 8111, 8233, 8234}
    assert not used & {Ports.api, Ports.temporal, Ports.temporal_ui, Ports.fake_twilio, Ports.media}
    assert settings.media_stream_url == f"ws://127.0.0.1:{Ports.media}/twilio/stream"


# -- the calls suite -----------------------------------------------------------------------------


def test_call_latency_round_trip() -> None:
    latency = CallLatency().with_overrides({"stt_final": (300.0, None), "tts_ttfb": (80.0, 0.1)})
    assert CallLatency.from_json(latency.to_json()) == latency
    assert latency.stt_final == Latency(300.0, 0.2) and latency.agent_ttft == Latency(375.0)
    median = float(np.median(CallLatency().samples_ms(n=50_000)))
    assert 825 * 0.98 < median < 825 * 1.08  # 350 + 375 + 100, a little above the sum
    with pytest.raises(ValueError, match="unknown call stage"):
        latency.with_overrides({"tts": (1.0, None)})


async def test_call_fakes_follow_the_script() -> None:
    timeline = Timeline()
    stream = FakeStreamingSTT(Latency(0), timeline).open_stream()
    with pytest.raises(ProviderRejected):
        await stream.finish_turn()  # nothing fed: no speech, as the local engine says
    heard = []
    for _ in range(len(SCRIPT) + 1):
        await stream.feed(b"\x00\x00" * 160)
        heard.append((await stream.finish_turn()).text)
    assert heard == [*SCRIPT, SCRIPT[0]]
    tts = FakeSpeechSynthesis(Latency(0), timeline)
    chunks = [c async for c in tts.stream("Hello there. Shall I confirm?")]
    assert [c.text for c in chunks] == ["Hello there.", "Shall I confirm?"]
    assert [len(c.mulaw) for c in chunks] == [len(c.text) * MS_PER_CHARACTER * 8 for c in chunks]
    events = [e["event"] for e in timeline.drain()]
    assert events[:2] == ["stt_start", "stt_end"] and events[-2:] == ["tts_start", "tts_first"]
    assert timeline.events == []


async def test_vad_end_of_turn_of_a_spoken_line() -> None:
    """The critical path's first term: the product's TurnDetector waits 600 ms of silence
    (19 windows of 32 ms) plus Silero's fade-out after the last sound."""
    from switchboard.providers.local_tts import EspeakTTS

    wav = (await EspeakTTS().synthesize("Yes please.")).data
    vad = calls.vad_end_of_turn_ms(calls.phone_mulaw(wav))
    assert 600 <= vad <= 800


def _synthetic_measured() -> calls.Measured:
    def level(callers: int, turns: list[float]) -> calls.Level:
        result = calls.CallResult(
            customer="+33600000000", turns_ms=turns, greeting_ms=120.0, duration_s=30.0
        )
        cpu = {"span_s": 30.0, "ours_cores": {"media": 0.2, "api": 0.05, "bench": 0.1}}
        return calls.Level(callers=callers, calls=[result] * callers, cpu=cpu)

    stages = {
        name: summary([10.0, 20.0]) | {"values": [10.0, 20.0]} for name, _ in calls.STAGE_ROWS
    }
    return calls.Measured(
        lines=[
            {"text": SCRIPT[0], "speech_ms": 4440.0, "vad_ms": 660.0},
            {"text": SCRIPT[1], "speech_ms": 800.0, "vad_ms": 640.0},
        ],
        stream={
            "fake": calls.StreamRun(
                single=level(1, [1500.0, 1520.0]),
                ramp=[level(2, [1550.0, 1600.0]), level(4, [3000.0, 3100.0])],
                stages=stages,
            ),
            "local": calls.StreamRun(single=level(1, [1400.0, 1500.0]), ramp=[]),
        },
        record={
            "fake": calls.RecordRun(turns=[calls.RecordTurn(900.0, 950.0)] * 2),
            "local": calls.RecordRun(turns=[calls.RecordTurn(1500.0, 1550.0)] * 2),
        },
        offline={"whisper_ms": {SCRIPT[0]: 600.0}, "heard": {}, "espeak_first_chunk_ms": 12.0},
    )


def test_calls_report_shape() -> None:
    out = calls.report(_synthetic_measured(), CallLatency(), LatencyProfile())
    figures = {f["name"]: f for f in out["figures"]}
    fake = figures["voice-to-voice, fake vendors, 1 call"]
    assert fake["baseline_name"].startswith("vendor critical path")
    # VAD 640-660 + 825 of vendors: ~1.5 s, so 1510 ms is within 5 %
    assert fake["baseline"]["p50"] == pytest.approx(1480, rel=0.03)
    assert fake["met"] is True
    assert figures["voice-to-voice, local engines, 1 call"]["met"] is False  # 1450 > 1200
    assert figures["greeting first frame after start, fake vendors"]["met"] is True
    own = next(f for f in out["figures"] if f["name"].startswith("Switchboard's own time"))
    assert own["met"] is True and "values" not in own["value"]
    held = figures["concurrent calls held (turn p95 ≤ 1.5 × 1-call p95), fake vendors"]
    assert held["value"] == 2  # 4 callers: p95 3095 > 1.5 × 1519
    assert figures["CPU per call-minute, fake vendors, 1 call"]["value"] == pytest.approx(15.0)
    assert "record path, fake vendors: recording webhook → <Play> first byte" in figures
    for f in out["figures"]:
        if f["kind"] == "figure":
            assert {"n", "p50", "p95", "p99"} <= set(f["value"]), f["name"]
    assert set(out["tables"]) == {
        "Calls: concurrency ramp, fake vendors",
        "Calls: concurrency ramp, local engines",
        "Calls: where a turn's time goes, fake vendors, 1 call",
        "Calls: local engines timed offline (bench process, model loaded)",
    }
    json.dumps(out["details"])  # the JSON document takes it as it is


def test_turn_stages_from_the_fakes_timeline() -> None:
    at = 1000.0
    events = [
        {"event": name, "t": at + dt, "stream": None}
        for name, dt in [
            ("stt_start", 0.0),
            ("stt_end", 0.35),
            ("agent_start", 0.37),
            ("agent_end", 0.745),
            ("tts_start", 0.80),
            ("tts_first", 0.90),
        ]
    ]
    updates = [(at + 0.76, at + 0.79)]
    rows = calls.turn_stages(events, [1600.0], [650.0], updates)
    assert rows is not None
    values = {name: v[0] for name, v in rows.items()}
    assert values["STT finish_turn → final transcript"] == pytest.approx(350.0)
    assert values["·· of which agent → Update accepted in history"] == pytest.approx(15.0)
    assert values["·· of which accepted → completed in history"] == pytest.approx(30.0)
    # 1600 − 650 (VAD) − 350 (STT) − 375 (agent) − 100 (TTS)
    assert values[calls.OWN_TIME] == pytest.approx(125.0)
    assert values["· the rest: frames in, VAD processing lag, first frame out"] == pytest.approx(
        1600 - 900 - 650
    )
    assert calls.turn_stages(events, [1600.0, 1700.0], [650.0, 650.0], updates * 2) is None


@pytest.mark.skipif(
    not os.environ.get("SWITCHBOARD_BENCH_SMOKE"),
    reason="starts the embedded stack for ~90 s; `make bench-smoke` runs it, or set "
    "SWITCHBOARD_BENCH_SMOKE=1",
)
def test_smoke_run_writes_a_complete_report(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--smoke",
            "--results-dir",
            str(tmp_path),
            "--data-dir",
            str(tmp_path / "data"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = tmp_path.glob("*.json")
    document = json.loads(path.read_text())
    assert document["errors"] == {}
    assert set(document["suites_run"]) == {"ingest", "turns", "journeys", "campaign", "calls"}
    suites = {f["suite"] for f in document["figures"]}
    assert suites == {"1 ingest", "2 turns", "3 journeys", "4 campaign", "5 calls"}
    assert document["details"]["calls"]["measured"]["mode_errors"] == {}
    for f in document["figures"]:
        if f["kind"] == "figure":
            assert {"n", "p50", "p95", "p99"} <= set(f["value"])
    assert "| suite | figure |" in done.stdout


async def test_loop_lag_covers_every_api_process() -> None:
    """With several API processes each answers for itself: the step's loop lag is all of
    theirs (the worst process's lag shows), their collections added up."""
    from itertools import count
    from types import SimpleNamespace

    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from bench.suites.ingest import _loop_lag
    from tests.fakes.server import serve

    asked = count()
    answers = [
        {
            "pid": 101,
            "lags": [1.0, 2.0],
            "gc": {"gen0": {"collections": 1, "total_ms": 2.0, "max_ms": 2.0}},
        },
        {
            "pid": 102,
            "lags": [50.0],
            "gc": {"gen0": {"collections": 2, "total_ms": 9.0, "max_ms": 7.0}},
        },
    ]

    async def loop_lag(_: object) -> JSONResponse:
        return JSONResponse(answers[next(asked) % 2])

    app = Starlette(routes=[Route("/bench/loop-lag", loop_lag)])
    with serve(app) as url:
        stack = SimpleNamespace(settings=SimpleNamespace(api_url=url, api_workers=2))
        lag = await _loop_lag(stack, 0.0, 1.0)  # type: ignore[arg-type]
    assert lag["processes"] == 2
    assert lag["n"] == 3 and lag["max"] == 50.0
    assert lag["gc"]["gen0"] == {"collections": 3, "total_ms": 11.0, "max_ms": 7.0}
