"""``python -m bench [--smoke] [--suite NAME …]``: run the suites, write
``bench/results/<UTC timestamp>.json`` and print the Markdown tables.

Exit status: 0 when every suite ran (targets are reported, never enforced), 1 when a suite
failed to run.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.call_fakes import CALL_LATENCY_ENV, CallLatency
from bench.context import Bench, Config
from bench.fakes import LatencyProfile
from bench.report import RESULTS_DIR, markdown, results_path, write_json
from bench.stack import DATA_ROOT, Ports, machine, versions
from bench.suites import calls, campaign, ingest, journeys, turns

SUITES: dict[str, Callable[[Bench], Awaitable[dict[str, Any]]]] = {
    "ingest": ingest.run,
    "turns": turns.run,
    "journeys": journeys.run,
    "campaign": campaign.run,
    "calls": calls.run,
}


def _latency(values: list[str]) -> dict[str, tuple[float, float | None]]:
    """``stt=300`` or ``stt=300:0.25`` (median ms[:sigma])."""
    out: dict[str, tuple[float, float | None]] = {}
    for item in values:
        name, _, spec = item.partition("=")
        median, _, sigma = spec.partition(":")
        out[name.strip()] = (float(median), float(sigma) if sigma else None)
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a few seconds per suite (CI)")
    parser.add_argument(
        "--suite", action="append", choices=list(SUITES), help="run only these (repeatable)"
    )
    parser.add_argument(
        "--latency",
        action="append",
        default=[],
        metavar="STAGE=MS[:SIGMA]",
        help="vendor latency override: media_fetch, stt, agent, tts, send",
    )
    parser.add_argument(
        "--call-latency",
        action="append",
        default=[],
        metavar="STAGE=MS[:SIGMA]",
        help="streaming vendor latency override (calls suite): stt_final, agent_ttft, tts_ttfb",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the audience sizes of suites 3 and 4 (1.0: 10,000 / 2,000 / 10,000)",
    )
    parser.add_argument("--campaign-rate", type=float, default=50.0, help="sends per second")
    parser.add_argument(
        "--ingest-rate",
        type=int,
        action="append",
        metavar="PER_S",
        help="suite 1 rates, repeatable (default: 50, 100, 200, 400)",
    )
    parser.add_argument(
        "--call-mode",
        action="append",
        choices=calls.MODES,
        help="calls suite: run only these modes, repeatable (default: all five)",
    )
    parser.add_argument(
        "--api-workers",
        type=int,
        action="append",
        metavar="N",
        help="ingest suite: run the product's steps with N API processes, repeatable, each on "
        "its own stack (default: SWITCHBOARD_API_WORKERS); the first is the reported figure",
    )
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DATA_ROOT,
        help="where the stacks keep their data (wiped at each stack start)",
    )
    parser.add_argument(
        "--temporal-in-memory",
        action="store_true",
        help="diagnosis: Temporal dev server without its SQLite file (not the product's setup)",
    )
    parser.add_argument("--api-port", type=int, default=Ports.api)
    parser.add_argument("--temporal-port", type=int, default=Ports.temporal)
    parser.add_argument("--temporal-ui-port", type=int, default=Ports.temporal_ui)
    parser.add_argument("--fake-twilio-port", type=int, default=Ports.fake_twilio)
    parser.add_argument("--media-port", type=int, default=Ports.media)
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> tuple[dict[str, Any], Path]:
    config = Config(
        smoke=args.smoke,
        latency=LatencyProfile().with_overrides(_latency(args.latency)),
        ports=Ports(
            args.api_port,
            args.temporal_port,
            args.temporal_ui_port,
            args.fake_twilio_port,
            args.media_port,
        ),
        campaign_rate_per_s=args.campaign_rate,
        data_root=args.data_dir.resolve(),
        temporal_in_memory=args.temporal_in_memory,
        scale=args.scale,
        ingest_rates=tuple(args.ingest_rate or Config.ingest_rates),
        call_modes=tuple(args.call_mode or ()),
        api_workers=tuple(args.api_workers or ()),
    )
    call_latency = CallLatency.from_env().with_overrides(_latency(args.call_latency))
    # The calls suite and its media process read it from the environment.
    os.environ[CALL_LATENCY_ENV] = call_latency.to_json()
    names = args.suite or list(SUITES)
    document: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "settings": config.describe() | {"call_latency_ms": call_latency.describe()},
        "suites_run": names,
        "figures": [],
        "tables": {},
        "details": {},
        "errors": {},
    }
    bench = Bench(config)
    path = results_path(args.results_dir)
    began = time.monotonic()
    try:
        for name in names:
            suite_began = time.monotonic()
            print(f"[bench] {name}: running", file=sys.stderr, flush=True)
            try:
                out = await SUITES[name](bench)
            except Exception as exc:  # noqa: BLE001 - report the failure, run the next suite
                traceback.print_exc()
                document["errors"][name] = f"{type(exc).__name__}: {exc}"
                continue
            finally:
                document["details"].setdefault(name, {})["duration_s"] = round(
                    time.monotonic() - suite_began, 1
                )
            document["figures"] += out["figures"]
            document["tables"].update(out.get("tables", {}))
            document["details"][name].update(out.get("details", {}))
            print(
                f"[bench] {name}: done in {time.monotonic() - suite_began:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            write_json(document, path)  # a long run keeps what it measured if stopped later
    finally:
        await bench.close()
        document["duration_s"] = round(time.monotonic() - began, 1)
        document["stack_start_s"] = bench.stack_start_s
        write_json(document, path)
    return document, path


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM (make, CI, a timeout) stops the stacks the way Ctrl-C does.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING)
    signal.signal(signal.SIGTERM, _interrupt)
    args = parse_args(argv)
    document, path = asyncio.run(run(args))
    print(markdown(document))
    print(f"Results: {path}", file=sys.stderr)
    return 1 if document["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
