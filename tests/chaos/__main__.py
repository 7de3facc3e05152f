"""``python -m tests.chaos [--customers N] [--kills N] [--api-restarts N] [--temporal-restarts N]
[--postgres-restarts N] [--callers N] [--outage-s S] [--seed N]``.

Prints the report as a Markdown table; exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from tests.chaos.runner import ChaosConfig, run_chaos


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=ChaosConfig.customers)
    parser.add_argument("--kills", type=int, default=ChaosConfig.kills)
    parser.add_argument("--api-restarts", type=int, default=ChaosConfig.api_restarts)
    parser.add_argument("--temporal-restarts", type=int, default=ChaosConfig.temporal_restarts)
    parser.add_argument("--postgres-restarts", type=int, default=ChaosConfig.postgres_restarts)
    parser.add_argument("--callers", type=int, default=ChaosConfig.callers)
    parser.add_argument("--outage-s", type=float, default=ChaosConfig.outage_s)
    parser.add_argument("--seed", type=int, default=ChaosConfig.seed)
    args = parser.parse_args()
    config = ChaosConfig(
        customers=args.customers,
        kills=args.kills,
        api_restarts=args.api_restarts,
        temporal_restarts=args.temporal_restarts,
        postgres_restarts=args.postgres_restarts,
        callers=args.callers,
        outage_s=args.outage_s,
        seed=args.seed,
    )
    report = asyncio.run(run_chaos(config))
    sys.stdout.write(report.table() + "\n")
    for line in report.details:
        sys.stdout.write(f"- {line}\n")
    sys.stdout.write(f"\nviolations: {report.violations}\n")
    return 1 if report.violations else 0


if __name__ == "__main__":
    sys.exit(main())
