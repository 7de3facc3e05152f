"""``python -m evals``: play the scenarios through the real stack and report (evals/README.md).

Exit status: 0 when the run completed, whatever the scores, unless ``--min-text``,
``--min-voice`` or ``--max-wrong`` are given and missed (1); 2 when the run could not happen
(no OpenAI key for ``--agent openai``, a scenario file that does not validate, a stack that did
not start).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog
from rich.console import Console

from evals.harness import EvalConfig, ScenarioResult, eval_stack
from evals.report import DEFAULT_REPORT, Targets, build, render, write
from evals.scenarios import SCENARIOS_DIR, load_scenarios, select
from switchboard.settings import Settings

# Wide enough for the failures table when the output is a file or a pipe (rich's default: 80).
console = Console() if sys.stdout.isatty() else Console(width=150)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    parser.add_argument("--only", metavar="PATTERN", help="scenario ID or intent (glob/substring)")
    parser.add_argument("--channel", choices=["text", "voice"], help="only WhatsApp, or only calls")
    parser.add_argument("--agent", choices=["rules", "openai"], default="rules")
    parser.add_argument(
        "--call-mode",
        choices=["stream", "record"],
        default="stream",
        help="calls over Media Streams in real time (default), or recorded turns",
    )
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="JSON report path")
    parser.add_argument("--scenarios", type=Path, default=SCENARIOS_DIR, help=argparse.SUPPRESS)
    parser.add_argument(
        "--parallel", type=int, default=3, help="scenarios played at once (default 3)"
    )
    parser.add_argument("--min-text", type=float, help="fail (exit 1) below this WhatsApp rate")
    parser.add_argument("--min-voice", type=float, help="fail (exit 1) below this call rate")
    parser.add_argument("--max-wrong", type=int, help="fail (exit 1) above this many wrong actions")
    parser.add_argument("-v", "--verbose", action="store_true", help="the product's warnings too")
    return parser.parse_args(argv)


def _progress(total: int) -> Any:
    done = 0

    def report(result: ScenarioResult) -> None:
        nonlocal done
        done += 1
        mark = "[green]✓[/green]" if result.verdict.passed else "[red]✗[/red]"
        if result.verdict.wrong_actions:
            mark += " [red]WRONG[/red]"
        again = result.observation.repeats
        said_again = f", {again} said again" if again else ""
        console.print(
            f"{done:>3}/{total} {mark} {result.scenario.id} "
            f"[dim]({result.scenario.channel}, {result.seconds:.1f} s{said_again})[/dim]"
        )

    return report


async def run(args: argparse.Namespace) -> int:
    try:
        scenarios = load_scenarios(args.scenarios)
    except ValueError as exc:
        console.print(f"[red]scenarios do not validate:[/red] {exc}")
        return 2
    chosen = select(scenarios, only=args.only, channel=args.channel)
    if not chosen:
        console.print("no scenario matches")
        return 2
    if args.agent == "openai":
        os.environ["SWITCHBOARD_AGENT_PROVIDER"] = "openai"
        if not Settings().openai_api_key.get_secret_value():
            console.print(
                "[red]--agent openai needs SWITCHBOARD_OPENAI_API_KEY[/red] "
                "(in the environment or .env); nothing was run"
            )
            return 2
    config = EvalConfig(
        agent=args.agent,
        database_url=os.environ.get("SWITCHBOARD_EVAL_DATABASE_URL") or None,
        parallel=args.parallel,
        quiet=not args.verbose,
        call_mode=args.call_mode,
    )
    started = time.perf_counter()
    console.print(f"starting the stack for {len(chosen)} scenarios…")
    try:
        async with eval_stack(config) as stack:
            console.print(
                f"clock skipped to {stack.clock.reference:%A %d %B %Y %H:%M %Z} (reference moment)"
            )
            results = await stack.play_all(chosen, _progress(len(chosen)))
            reference = stack.clock.reference.isoformat()
            stalls = [stall.where for stall in stack.watchdog.stalls]
    except RuntimeError as exc:
        console.print(f"[red]the stack did not start:[/red] {exc}")
        return 2
    targets = Targets(min_text=args.min_text, min_voice=args.min_voice, max_wrong=args.max_wrong)
    report = build(
        results,
        {
            "started_at": datetime.now(UTC).isoformat(),
            "reference_moment": reference,
            "agent": args.agent,
            "only": args.only,
            "channel": args.channel,
            "parallel": args.parallel,
            "call_mode": args.call_mode,
            "seconds": time.perf_counter() - started,
            "command": " ".join(["python -m evals", *sys.argv[1:]]),
            "report_path": str(args.report),
            # Code of the product that held the event loop (harness.LoopWatchdog).
            "product_stalls": stalls,
        },
        targets,
    )
    write(report, args.report)
    render(report, console)
    return 0 if report["targets_met"] else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    level = logging.WARNING if args.verbose else logging.ERROR
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # The media process logs with structlog (per-turn timings at info): the same level.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(level))
    return asyncio.run(run(args))


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # The Temporal SDK's runtime thread can abort the interpreter's finalisation after a
    # time-skipping server was used ("PyGILState_Release"); everything is written by now.
    os._exit(code)
