"""Results: one JSON document per run and the Markdown tables printed to stdout.

A *figure* is a latency distribution (p50/p95/p99, ms) with an optional baseline and the ratio
to it per percentile; a *fact* is one number (a throughput, a count, a memory peak). Either may
carry a target (text) and whether it was met (None: not evaluated).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.stats import ratios

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def figure(
    suite: str,
    name: str,
    value: dict[str, Any],
    *,
    baseline: dict[str, Any] | None = None,
    baseline_name: str | None = None,
    target: str | None = None,
    met: bool | None = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "kind": "figure",
        "suite": suite,
        "name": name,
        "value": value,
        "baseline_name": baseline_name,
        "baseline": baseline,
        "ratio": ratios(value, baseline) if baseline else None,
        "target": target,
        "met": met,
        "note": note,
    }


def fact(
    suite: str,
    name: str,
    value: Any,
    unit: str = "",
    *,
    target: str | None = None,
    met: bool | None = None,
    note: str = "",
) -> dict[str, Any]:
    return {
        "kind": "fact",
        "suite": suite,
        "name": name,
        "value": value,
        "unit": unit,
        "target": target,
        "met": met,
        "note": note,
    }


def results_path(directory: Path = RESULTS_DIR) -> Path:
    """``<directory>/<UTC timestamp>.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"


def write_json(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path


def _ms(value: Any, censored_above: Any = None) -> str:
    if value is None:
        return f"> {censored_above / 1000:g} s" if censored_above else "–"
    if value >= 10_000:
        return f"{value / 1000:.1f} s"
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _ratio(r: dict[str, Any] | None) -> str:
    if not r:
        return ""
    return " / ".join("–" if r[k] is None else f"{r[k]:.2f}×" for k in ("p50", "p95", "p99"))


def _met(met: bool | None) -> str:
    return {True: "✅ met", False: "❌ missed", None: ""}[met]


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _call_vendors(latency_ms: dict[str, Any] | None) -> str:
    """The calls suite's streaming vendor latencies for the settings line ("" if none)."""
    if not latency_ms:
        return ""
    return "; streaming call vendors " + ", ".join(
        f"{k} {v['median']:g} (σ {v['sigma']:g})" for k, v in latency_ms.items()
    )


def markdown(document: dict[str, Any]) -> str:
    m = document["machine"]
    lines = [
        f"## Switchboard bench — {document['started_at']} ({document['settings']['mode']})",
        "",
        f"**Machine**: {m['cores_logical']} cores ({m['cpu_model']}), {m['memory_gib']} GiB, "
        f"{m['platform']}; load average at start {m['load_avg_at_start']}.",
        "",
        "**Versions**: " + ", ".join(f"{k} {v}" for k, v in document["versions"].items()) + ".",
        "",
        "**Settings**: vendor latencies (median ms, log-normal σ) "
        + ", ".join(
            f"{k} {v['median']:g} (σ {v['sigma']:g})"
            for k, v in document["settings"]["latency_ms"].items()
        )
        + _call_vendors(document["settings"].get("call_latency_ms"))
        + f"; outreach limit {document['settings']['outreach_sends_per_s']:g}/s; "
        f"suites: {', '.join(document['suites_run'])}; total {document['duration_s']:.0f} s.",
        "",
        "| suite | figure | n | p50 ms | p95 ms | p99 ms | baseline (p50 / p95 / p99 ms) "
        "| ratio p50 / p95 / p99 | target | |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- |",
    ]
    for f in document["figures"]:
        if f["kind"] != "figure":
            continue
        v, b = f["value"], f["baseline"]
        above = v.get("censored_above")
        base = (
            f"{f['baseline_name']}: " + " / ".join(_ms(b.get(f"p{p}")) for p in (50, 95, 99))
            if b
            else ""
        )
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f["suite"],
                    f["name"] + (f" ({f['note']})" if f["note"] else ""),
                    v.get("n", ""),
                    _ms(v.get("p50"), above),
                    _ms(v.get("p95"), above),
                    _ms(v.get("p99"), above),
                    base,
                    _ratio(f["ratio"]),
                    f["target"] or "",
                    _met(f["met"]),
                )
            )
            + " |"
        )
    lines += ["", "| suite | fact | value | target | |", "| --- | --- | ---: | --- | --- |"]
    for f in document["figures"]:
        if f["kind"] != "fact":
            continue
        value = f["value"]
        shown = (
            f"{value:,.1f}"
            if isinstance(value, float)
            else f"{value:,}"
            if isinstance(value, int)
            else str(value)
        )
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f["suite"],
                    f["name"] + (f" ({f['note']})" if f["note"] else ""),
                    f"{shown} {f['unit']}".strip(),
                    f["target"] or "",
                    _met(f["met"]),
                )
            )
            + " |"
        )
    for title, table in document.get("tables", {}).items():
        lines += ["", f"**{title}**", "", *table]
    if document.get("errors"):
        lines += ["", "**Suites that failed**", ""]
        lines += [f"- {name}: {err}" for name, err in document["errors"].items()]
    return "\n".join(lines) + "\n"
