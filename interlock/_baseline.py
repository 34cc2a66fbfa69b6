"""Baselines and kind filters: adopting interlock on code that already drifts.

A baseline is a file of fingerprints, one per violation a team accepted for now:
(contract, target, kind, member, parameter, clause), stable across seeds,
example counts, message wording and line numbers. Checked against it, a
violation is ``known`` (listed, counted, not failing) or ``new`` (reported in
full, failing); an entry no violation matches any more is ``fixed``.

The file is JSON, its entries sorted and one per line, so that a change to it
reads well in a pull request::

    {
      "version": 1,
      "violations": [
        {"contract": "shop.contracts:Store", "target": "shop.legacy:OldStore", "kind": "none-propagation", ...},
        ...
      ]
    }

``select`` and ``ignore`` (ruff's convention) choose the kinds a run reports:
a kind left out is not reported and does not fail the run; the report counts it.

This module is imported by the command when it starts, so it imports nothing heavy.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Sequence
from typing import Any, Final

import attrs

from interlock._config import parse_kinds
from interlock.errors import UsageError
from interlock.properties._report import Fingerprint, Report, TargetReport

__all__ = ["FORMAT_VERSION", "Baseline", "Filter", "apply", "dumps", "load", "parse_kinds", "updated", "write"]

FORMAT_VERSION: Final = 1
_FIELDS: Final = ("contract", "target", "kind", "member", "parameter", "clause")


@attrs.frozen
class Filter:
    """Which kinds a run reports: ``select`` (``None``: every kind) minus ``ignore``."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()

    def reports(self, kind: str) -> bool:
        return (self.select is None or kind in self.select) and kind not in self.ignore


@attrs.frozen
class Baseline:
    """The fingerprints a baseline file lists, and the file's path as it was given."""

    path: str
    entries: frozenset[Fingerprint]


def load(path: str | os.PathLike[str]) -> Baseline:
    """Read a baseline file; a missing or malformed one is a one-line ``UsageError``."""
    shown = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise UsageError(f"baseline {shown!r} does not exist; write it with --update-baseline {shown}") from None
    except OSError as exc:
        raise UsageError(f"cannot read the baseline {shown!r}: {exc.strerror or exc}") from None
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"baseline {shown!r} is not JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("violations"), list):
        raise UsageError(f"baseline {shown!r} is not an interlock baseline: expected an object with a 'violations' list")
    if doc.get("version") != FORMAT_VERSION:
        raise UsageError(f"baseline {shown!r} has version {doc.get('version')!r}; this interlock reads version {FORMAT_VERSION}")
    entries: set[Fingerprint] = set()
    for i, entry in enumerate(doc["violations"]):
        entries.add(_entry(entry, f"baseline {shown!r}, entry {i + 1}"))
    return Baseline(shown, frozenset(entries))


def _entry(entry: Any, where: str) -> Fingerprint:
    if not isinstance(entry, dict):
        raise UsageError(f"{where} is not an object")
    missing = [k for k in _FIELDS if k not in entry]
    if missing:
        raise UsageError(f"{where} lacks {missing[0]!r}")
    for key in _FIELDS:
        value = entry[key]
        if not (isinstance(value, str) or (value is None and key in ("member", "parameter", "clause"))):
            raise UsageError(f"{where}: {key} must be text{' or null' if key in ('member', 'parameter', 'clause') else ''} (got {value!r})")
    return Fingerprint(**{k: entry[k] for k in _FIELDS})


def dumps(entries: Iterable[Fingerprint]) -> str:
    """The file's text: sorted entries, one per line."""
    lines = [json.dumps(e.to_json(), ensure_ascii=False) for e in sorted(set(entries))]
    body = ",\n".join(f"    {line}" for line in lines)
    return (
        f'{{\n  "version": {FORMAT_VERSION},\n  "violations": [\n{body}\n  ]\n}}\n'
        if lines
        else f'{{\n  "version": {FORMAT_VERSION},\n  "violations": []\n}}\n'
    )


def write(path: str | os.PathLike[str], entries: Iterable[Fingerprint]) -> None:
    """Write the baseline file (a usage error if it cannot be written)."""
    text = dumps(entries)
    try:
        folder = os.path.dirname(os.fspath(path))
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write the baseline {os.fspath(path)!r}: {exc.strerror or exc}") from None


def apply(report: Report, *, kinds: Filter | None = None, baseline: Baseline | None = None) -> Report:
    """``report`` with the kinds ``kinds`` leaves out removed (counted in ``ignored``) and, with a baseline, each
    violation marked ``known`` or ``new``, and the baseline's entries of this contract and these targets that no
    violation matched listed as ``fixed``."""
    kinds = kinds or Filter()
    ignored = dict(report.ignored)
    known = baseline.entries if baseline is not None else frozenset()
    targets: list[TargetReport] = []
    seen: set[Fingerprint] = set()
    for t in report.targets:
        kept = []
        for v in t.violations:
            if not kinds.reports(v.kind):
                ignored[v.kind] = ignored.get(v.kind, 0) + 1
                continue
            fingerprint = v.fingerprint(report.contract)
            seen.add(fingerprint)
            kept.append(attrs.evolve(v, baseline="known" if fingerprint in known else "new"))
        targets.append(attrs.evolve(t, violations=kept))
    checked = {t.target for t in report.targets}
    fixed = sorted(e for e in known if e.contract == report.contract and e.target in checked and kinds.reports(e.kind) and e not in seen)
    return attrs.evolve(
        report,
        targets=targets,
        ignored=ignored,
        fixed=fixed,
        baseline=baseline.path if baseline is not None else report.baseline,
    )


def updated(
    old: Collection[Fingerprint], reports: Sequence[Report], *, kinds: Filter | None = None, whole_project: bool = False
) -> list[Fingerprint]:
    """The entries a baseline holds after ``--update-baseline``: every violation the reports show, and the old
    entries the run did not judge (a kind it left out; with ``whole_project`` false, a contract or target it did
    not check)."""
    kinds = kinds or Filter()
    checked = {(r.contract, t.target) for r in reports for t in r.targets}
    current = {v.fingerprint(r.contract) for r in reports for v in r.violations}
    kept = {e for e in old if not kinds.reports(e.kind) or (not whole_project and (e.contract, e.target) not in checked)}
    return sorted(current | kept)
