"""A whole project's check: every configured check and every registration, one report per contract.

``interlock check`` with no contract reads ``[tool.interlock]``: it imports the
``modules`` (so that ``@implements`` and ``register`` record their targets),
then checks each ``[[tool.interlock.checks]]`` table in order, then every
other contract with recorded implementations, in the order they were
recorded: every registration of the process, whichever module recorded it. A
recorded implementation that no check of its contract names (as a target or as
its reference) is added to that contract's first check, so nothing recorded goes
unchecked.

A group is one contract with its targets: they are checked together, since
targets of one contract are compared with one another (``differential``).
"""

from __future__ import annotations

import importlib
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from interlock._imports import resolve
from interlock._version import __version__
from interlock.errors import UsageError

if TYPE_CHECKING:  # the command resolves the targets before it imports the checker (see interlock.cli)
    from interlock._baseline import Baseline, Filter
    from interlock._config import CheckEntry, Config
    from interlock.contracts._model import Contract
    from interlock.properties._report import Fingerprint, Report

_perf_counter = time.perf_counter
"""Bound when interlock loads: a target that replaces ``time.perf_counter`` cannot move interlock's clock."""

__all__ = ["Entry", "Group", "ProjectReport", "contract_model", "project_groups", "target_entry"]

Entry = tuple[str, Any, tuple[str, str] | None]
"""A target as the checker takes it: its label, the object, and its import path (module, name)."""


@attrs.frozen
class Group:
    """One contract and the targets checked against it together."""

    model: Contract
    targets: tuple[Entry, ...]
    reference: Entry | None = None


def contract_model(path: str) -> Contract:
    """The contract at ``path``; a path that is not a Protocol declared as a contract is a ``UsageError``."""
    from interlock.contracts._declare import get_contract

    obj, _ = resolve(path)
    if not isinstance(obj, type) or not getattr(obj, "_is_protocol", False):
        raise UsageError(f"{path!r} is not a contract: declare it as a typing.Protocol decorated with @interlock.contract")
    return get_contract(obj)


def target_entry(path: str) -> Entry:
    """The target at ``path``; one that is not a class or a factory is a ``UsageError``."""
    obj, where = resolve(path)
    if not callable(obj):
        from interlock.properties._values import a_or_an

        raise UsageError(f"target {path!r} is {a_or_an(type(obj).__name__)}, not a class or a factory")
    return (path, obj, where)


def _recorded_entry(obj: Any) -> Entry:
    from interlock.properties._api import target_label

    module = getattr(obj, "__module__", None)
    name = getattr(obj, "__qualname__", None)
    where = (module, name) if module and name and "<locals>" not in name else None
    return (target_label(obj), obj, where)


def project_groups(config: Config) -> list[Group]:
    """The groups a project run checks: the configured checks, then the other recorded implementations.

    A module that cannot be imported, a path that does not resolve, or a contract with no targets at all is a
    ``UsageError`` naming the configuration key.
    """
    from interlock.contracts._declare import implementations, registrations
    from interlock.properties._api import reference_entry

    if config.path is None:
        raise UsageError(
            "no CONTRACT given and no [tool.interlock] table found from this folder upwards; "
            "give a contract and targets, or configure the project (--config FILE names a file)"
        )
    for name in config.modules:
        try:
            importlib.import_module(name)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            detail = str(exc).splitlines()[0] if str(exc) else ""
            raise UsageError(f"{config.name}: [tool.interlock] modules: cannot import {name!r} ({type(exc).__name__}: {detail})") from None
    groups: list[tuple[Contract, list[Entry], Entry | None]] = []
    for check in config.checks:
        model = _at(check, "contract", lambda c=check: contract_model(c.contract))
        targets = [_at(check, "targets", lambda p=p: target_entry(p)) for p in check.targets]
        if not targets:
            targets = [_recorded_entry(t) for t in implementations(model.protocol)]
        reference = _at(check, "reference", lambda m=model, c=check: reference_entry(m, c.reference))
        groups.append((model, targets, reference))
    for protocol, found in registrations().items():
        from interlock.contracts._declare import get_contract

        model = get_contract(protocol)
        mine = [g for g in groups if g[0].protocol is protocol]
        named = {id(t[1]) for g in mine for t in g[1]} | {id(g[2][1]) for g in mine if g[2] is not None}
        extra = [_recorded_entry(t) for t in found if id(t) not in named]
        if mine:
            mine[0][1].extend(extra)
        elif extra:
            groups.append((model, extra, reference_entry(model, None)))
    if not groups:
        raise UsageError(f"{config.name}: [tool.interlock] has no checks and its modules record no implementations; nothing to check")
    out: list[Group] = []
    for model, targets, reference in groups:
        if not targets:
            raise UsageError(
                f"{config.name}: [tool.interlock] checks: no targets for {model.name}; list them in 'targets', "
                "or record them with @interlock.implements in one of the 'modules'"
            )
        unique: list[Entry] = []
        for t in targets:
            if all(t[1] is not u[1] for u in unique):
                unique.append(t)
        out.append(Group(model, tuple(unique), reference))
    return out


def _at(check: CheckEntry, key: str, read: Any) -> Any:
    """``read()``, with a usage error prefixed by the configuration key it came from."""
    try:
        return read()
    except UsageError as exc:
        raise UsageError(f"[tool.interlock] {check.where}.{key}: {exc}") from None


@attrs.frozen
class ProjectReport:
    """The reports of a project run, one per contract, with the baseline entries nothing matched."""

    seed: int
    reports: list[Report]
    seconds: float
    fixed: list[Fingerprint] = attrs.field(factory=list)
    baseline: str | None = None

    @property
    def new_violations(self) -> int:
        return sum(len(r.new_violations) for r in self.reports)

    @property
    def internal_errors(self) -> list[tuple[str, Any]]:
        return [(r.contract, e) for r in self.reports for e in r.internal_errors]

    def summary(self) -> dict[str, Any]:
        targets = [t for r in self.reports for t in r.targets]
        return {
            "contracts": len(self.reports),
            "targets": len(targets),
            "conforming": sum(1 for t in targets if t.conforms),
            "violations": sum(len(t.violations) for t in targets),
            "new": self.new_violations,
            "known": sum(len(r.known_violations) for r in self.reports),
            "fixed": len(self.fixed),
            "ignored": sum(sum(r.ignored.values()) for r in self.reports),
            "examples": sum(r.examples for r in self.reports),
            "seconds": round(self.seconds, 3),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "interlock": __version__,
            "seed": self.seed,
            "contracts": [r.to_json() for r in self.reports],
            "baseline": self.baseline,
            "fixed": [f.to_json() for f in self.fixed],
            "summary": self.summary(),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2)

    def text(self, *, colour: bool = False) -> str:
        """Grouped by contract, each as ``interlock check CONTRACT`` shows it; then what was fixed, and the totals."""
        from interlock.properties._render import render_contract, render_fixed, summary_line

        lines: list[str] = []
        ignored: dict[str, int] = {}
        for r in self.reports:
            lines.extend(render_contract(r, colour=colour))
            for kind, n in r.ignored.items():
                ignored[kind] = ignored.get(kind, 0) + n
        lines.extend(render_fixed(self.fixed, self.baseline, colour=colour))
        lines.append(summary_line(self.summary(), colour=colour, drift=self.new_violations > 0, ignored=ignored))
        return "\n".join(lines)

    def junit(self) -> str:
        """One ``testsuite`` per contract and target, named ``CONTRACT::TARGET``."""
        from interlock.properties._render import junit_suites

        root = ET.Element("testsuites", name="interlock")
        for r in self.reports:
            root.extend(junit_suites(r, named=_suite_name(r.contract)))
        return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _suite_name(contract: str) -> Callable[[str], str]:
    def named(target: str) -> str:
        return f"{contract}::{target}"

    return named


def project_report(reports: Sequence[Report], *, seed: int, started: float, kinds: Filter, baseline: Baseline | None) -> ProjectReport:
    """The project's report: baseline entries of any contract or target that no violation matched are fixed
    (a target dropped from the project took its drift with it)."""
    seen = {v.fingerprint(r.contract) for r in reports for v in r.violations}
    fixed = sorted(e for e in baseline.entries if kinds.reports(e.kind) and e not in seen) if baseline is not None else []
    return ProjectReport(
        seed=seed,
        reports=list(reports),
        seconds=_perf_counter() - started,
        fixed=fixed,
        baseline=baseline.path if baseline is not None else None,
    )
