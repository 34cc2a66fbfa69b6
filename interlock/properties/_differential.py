"""``differential``: targets that disagree on the outcome of one input, with report.md's attribution rules."""

from __future__ import annotations

from typing import Any

from interlock.properties._report import Violation
from interlock.properties._subject import Subject
from interlock.properties._verdicts import describe, verdict_key

__all__ = ["differential_between"]

Candidate = tuple[Subject, Violation]


def differential_between(member: str | None, results: list[tuple[Subject, Any, Any]], clause_id: str | None) -> list[Candidate]:
    """Targets that disagree on one input: with two, both; with more, those outside the largest group (all on a tie)."""
    keys = {id(s): verdict_key(v) for s, v, _ in results}
    groups: dict[Any, list[tuple[Subject, Any]]] = {}
    for s, _, call in results:
        groups.setdefault(keys[id(s)], []).append((s, call))
    if len(groups) < 2:
        return []
    sizes = sorted((len(g) for g in groups.values()), reverse=True)
    tie = sizes[0] == sizes[1]
    largest = max(groups.values(), key=len)
    described = {id(s): describe(v) for s, v, _ in results}
    out: list[Candidate] = []
    for group in groups.values():
        if group is largest and not tie and len(results) > 2:
            continue
        for s, call in group:
            others = [o for o, _, _ in results if keys[id(o)] != keys[id(s)]]
            names = ", ".join(f"{o.label} ({described[id(o)]})" for o in others)
            prefix = f"{member}: " if member else ""
            msg = f"{prefix}{described[id(s)]}, where {names} on the same input"
            out.append((s, s.violation("differential", member, None, msg, call.example(), clause=clause_id)))
    return out
