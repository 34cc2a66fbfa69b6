"""``pytest --interlock``: every recorded implementation, as tests collected beside the user's own.

The modules named by ``interlock_modules`` are imported when pytest is
configured. Every contract with an implementation recorded by those modules
(one whose class or factory is defined in them, or recorded while they were
imported) becomes one ``InterlockContract`` collector, a child of the session
with the node id ``interlock::MODULE.CONTRACT``; its items are the tests
``contract_tests`` would generate for the same contract and targets, with the
same names and verdicts.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from interlock.adapters._pytest_cases import Case, Suite, make_suite, run_case
from interlock.adapters._pytest_options import INI_MODULES, MARKER, OPTION_ENABLE

__all__ = ["InterlockContract", "InterlockItem", "collect_contracts", "load_registrations"]

_REPLAY = "pytest --interlock --interlock-seed {seed}"

Registration = tuple[type, tuple[object, ...]]


def _recorded() -> dict[type, list[object]]:
    from interlock.contracts._declare import registrations

    return registrations()


def _within(obj: object, modules: Sequence[str]) -> bool:
    """Whether ``obj`` is defined in one of ``modules`` (or their submodules), as they are imported now."""
    name = getattr(obj, "__module__", None) or ""
    return any(name == m or name.startswith(m + ".") for m in modules) and _live(obj, name)


def _live(obj: object, module_name: str) -> bool:
    # A class from an earlier import of the module (reloaded, or a test's temporary project) is not this run's.
    found: object = sys.modules.get(module_name)
    for part in (getattr(obj, "__qualname__", None) or "").split("."):
        if part == "<locals>":
            return True
        found = getattr(found, part, None)
    return found is obj


def load_registrations(modules: Sequence[str]) -> list[Registration]:
    """Import ``modules`` and return each contract they record implementations of, with all its targets.

    A module that cannot be imported raises ``pytest.UsageError`` naming it.
    """
    if not modules:
        raise pytest.UsageError(
            f"{OPTION_ENABLE} needs modules to import: set {INI_MODULES} in the pytest configuration (e.g. {INI_MODULES} = mypkg.routers)"
        )
    before = {contract: len(found) for contract, found in _recorded().items()}
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:
            detail = str(exc).splitlines()[0] if str(exc) else ""
            raise pytest.UsageError(f"{INI_MODULES}: cannot import {name!r} ({type(exc).__name__}: {detail})") from None
    chosen: list[Registration] = []
    for contract, found in _recorded().items():
        if found and (len(found) > before.get(contract, 0) or any(_within(t, modules) for t in found)):
            chosen.append((contract, tuple(found)))
    if not chosen:
        raise pytest.UsageError(
            f"{OPTION_ENABLE}: no implementations are recorded in {', '.join(modules)}; decorate them with @interlock.implements(Contract)"
        )
    return chosen


class InterlockContract(pytest.Collector):
    """One contract under ``--interlock``: its generated tests, and (once checked) its report."""

    def __init__(self, *, suite: Suite, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite
        self.add_marker(MARKER)

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return [InterlockItem.from_parent(self, name=case.name, case=case) for case in self.suite.cases]

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        return _source(self.suite.model.protocol, self.path, self.name)


class InterlockItem(pytest.Item):
    """One generated test of a contract under ``--interlock``."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        parent = self.parent
        assert isinstance(parent, InterlockContract)
        run_case(parent.suite, self.case, parent, self, replay=_REPLAY)

    def reportinfo(self) -> tuple[Path | str, int | None, str]:
        suite = self.parent.suite if isinstance(self.parent, InterlockContract) else None
        if suite is None or self.case.index is None:
            obj: object = suite.model.protocol if suite is not None else None
        else:
            obj = suite.targets[self.case.index]
        return _source(obj, self.path, self.name)


def _source(obj: object, fallback: Path, name: str) -> tuple[Path | str, int | None, str]:
    """Where ``obj`` is written (0-based line), so that failures and skips point at the user's code."""
    try:
        path = inspect.getsourcefile(obj)  # type: ignore[arg-type]
        line = inspect.getsourcelines(obj)[1] - 1  # type: ignore[arg-type]
    except (TypeError, OSError):
        return fallback, 0, name
    return (Path(path), max(line, 0), name) if path else (fallback, 0, name)


def collect_contracts(session: pytest.Session, registrations: Sequence[Registration]) -> Iterator[pytest.Item]:
    """The generated items of every registered contract, collected the way pytest collects its own."""
    for contract, targets in registrations:
        suite = make_suite(contract, targets)
        name = f"{contract.__module__}.{contract.__qualname__}"
        node = InterlockContract.from_parent(session, name=name, nodeid=f"interlock::{name}", suite=suite)
        yield from session.genitems(node)
