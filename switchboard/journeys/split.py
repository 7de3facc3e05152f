"""Which branch of a ``split`` step a customer takes: a hash, not chance.

SHA-256 of ``<journey name>/<step>/<customer E.164>`` read as a number, modulo the total weight,
picks the branch in the order the file lists them. The same customer always takes the same
branch of a journey's split (re-entering, on any version with the same branches and weights),
so a marketer comparing two texts compares two fixed groups; two split steps are independent.
Pure and deterministic: safe in workflow code.
"""

from __future__ import annotations

import hashlib


def choose_branch(
    journey: str, step: str, customer: str, branches: list[str], weights: dict[str, int] | None
) -> str:
    """The branch (one of ``branches``, in file order) for ``customer``. ``weights``: branch →
    relative weight (None: equal). Raises ``ValueError`` when every weight is 0."""
    weight = {b: weights[b] if weights else 1 for b in branches}
    total = sum(weight.values())
    if total <= 0:
        raise ValueError("every branch has weight 0")
    digest = hashlib.sha256(f"{journey}/{step}/{customer}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % total
    for branch in branches:
        point -= weight[branch]
        if point < 0:
            return branch
    raise AssertionError("unreachable: point < total")
