"""Percentiles and the shapes the report uses. Times are milliseconds unless a name says
otherwise."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

PERCENTILES = (50, 95, 99)


def summary(
    values: Sequence[float] | np.ndarray, *, censored: int = 0, censored_above: float | None = None
) -> dict[str, Any]:
    """``n``, ``p50``/``p95``/``p99``/``mean``/``max`` of ``values``.

    ``censored`` observations are known only to exceed ``censored_above`` (e.g. turns that had
    not started when the bench stopped looking); they count in ``n`` and rank above every value,
    so a percentile that falls among them is None (read: "> censored_above")."""
    data = np.asarray(values, dtype=float)
    n = int(data.size) + censored
    out: dict[str, Any] = {"n": n}
    if censored:
        out["censored"] = censored
        out["censored_above"] = censored_above
    if n == 0:
        out.update({f"p{p}": None for p in PERCENTILES} | {"mean": None, "max": None})
        return out
    ranked = np.concatenate([np.sort(data), np.full(censored, np.inf)])
    for p in PERCENTILES:
        with np.errstate(invalid="ignore"):  # interpolating between two censored (inf) ranks
            value = float(np.percentile(ranked, p))
        out[f"p{p}"] = None if math.isinf(value) or math.isnan(value) else round(value, 2)
    out["mean"] = round(float(data.mean()), 2) if data.size and not censored else None
    out["max"] = None if censored else round(float(data.max()), 2)
    return out


def ratios(value: dict[str, Any], baseline: dict[str, Any]) -> dict[str, float | None]:
    """``value``'s percentiles over ``baseline``'s, per percentile."""
    out: dict[str, float | None] = {}
    for p in PERCENTILES:
        a, b = value.get(f"p{p}"), baseline.get(f"p{p}")
        out[f"p{p}"] = round(a / b, 3) if a is not None and b else None
    return out


def rate_windows(times_s: Sequence[float], window_s: float) -> float:
    """The largest number of events in any ``window_s`` span, per second."""
    t = np.sort(np.asarray(times_s, dtype=float))
    if t.size == 0:
        return 0.0
    ends = np.searchsorted(t, t + window_s, side="left")
    return float((ends - np.arange(t.size)).max()) / window_s
