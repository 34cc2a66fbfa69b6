"""Running a project's groups (a contract with its targets) one after another, or in worker processes.

With ``jobs`` above 1, each group is checked in a forked worker, at most
``jobs`` at a time, and the reports are put back in the groups' order: the same
seed gives the same report as one process. A worker that dies (a target that
calls ``os._exit``, a crash in C code, the out-of-memory killer) does not stop
the run: its group is checked again with isolation (``interlock check
--isolate``), so the target that ends the process gets a ``crash`` violation
naming the check it was in, and the group's other targets keep their reports.
"""

from __future__ import annotations

import os
import pickle
import random
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from interlock._options import Options
from interlock._project import Group
from interlock.errors import ContractDefinitionError, UsageError
from interlock.properties._report import Report

if TYPE_CHECKING:
    from interlock._progress import Progress

__all__ = ["fixed_seed", "run_group", "run_groups"]

_POLL = 0.02
"""Seconds between looks at the workers: short beside any check."""


def fixed_seed(options: Options) -> tuple[Options, bool]:
    """The options with a seed (drawn when none was given, so that every group and worker shares it), and whether
    Hypothesis's example database replays known failures (it does when the seed was drawn, as for one contract)."""
    if options.seed is not None:
        return options, False
    import attrs

    return attrs.evolve(options, seed=random.SystemRandom().randrange(2**32)), True


def run_group(
    group: Group,
    options: Options,
    replay: bool,
    abandon: Callable[[Report], None] | None = None,
    progress: Callable[[str, str | None], None] | None = None,
) -> Report:
    """One group in this process (in a child with ``isolate``), as ``interlock check CONTRACT TARGET...`` runs it;
    ``abandon`` and ``progress`` are ``run_check``'s (the report so far, when a call cannot be stopped; which
    check starts)."""
    judged: dict[str, Any] = {"reference": group.reference} if group.reference is not None else {}
    if options.isolate:
        from interlock.properties._isolate import run_isolated

        return run_isolated(
            group.model, group.targets, replay=replay, progress=progress, reap_orphans=True, **judged, **options.run_options()
        )
    from interlock.properties._engine import run_check

    return run_check(group.model, group.targets, replay=replay, abandon=abandon, progress=progress, **judged, **options.run_options())


def run_groups(
    groups: Sequence[Group],
    options: Options,
    *,
    jobs: int,
    replay: bool,
    abandon: Callable[[Report], None] | None = None,
    progress: Progress | None = None,
) -> list[Report]:
    """Every group's report, in the groups' order; with ``jobs`` above 1 in at most ``jobs`` workers at once.

    ``progress`` shows each group as it starts, and in one process each of its checks; the workers draw nothing
    (several of them would share one line), so with ``jobs`` it counts the groups done and names those running."""
    if jobs <= 1 or len(groups) <= 1 or not hasattr(os, "fork"):
        reports = []
        for index, g in enumerate(groups):
            if progress is not None:
                progress.contract(g.model.name, tuple(label for label, _, _ in g.targets), index, len(groups))
            reports.append(run_group(g, options, replay, abandon, progress))
        return reports
    if replay and options.example_db is not None:
        from interlock.properties._database import preflight

        preflight(options.example_db)
    results: dict[int, Report] = {}
    pending = deque(range(len(groups)))
    running: dict[int, tuple[int, str]] = {}
    with tempfile.TemporaryDirectory(prefix="interlock-jobs-") as folder:
        try:
            while pending or running:
                while pending and len(running) < jobs:
                    index = pending.popleft()
                    path = os.path.join(folder, f"{index}.pickle")
                    running[_start(groups[index], options, replay, path)] = (index, path)
                if progress is not None:
                    names = ", ".join(groups[i].model.name.rpartition(":")[2] for i, _ in running.values())
                    progress.status(f"{len(results)} of {len(groups)} contracts checked; checking {names}")
                done = _reap(running)
                if not done:
                    time.sleep(_POLL)
                for pid, status in done:
                    index, path = running.pop(pid)
                    results[index] = _result(groups[index], options, replay, path, status)
        finally:
            _stop(running)
    return [results[i] for i in range(len(groups))]


def _start(group: Group, options: Options, replay: bool, path: str) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:  # the worker: never returns
        outcome: Any

        def abandon(found: Report) -> None:  # a call no signal stops: the worker's report so far, and out
            with open(path, "wb") as fh:
                pickle.dump(found, fh)
            os._exit(0)

        try:
            outcome = run_group(group, options, replay, abandon)
        except (UsageError, ContractDefinitionError) as exc:
            outcome = ("usage", str(exc))
        except Exception as exc:
            outcome = ("error", f"{type(exc).__name__}: {exc}")
        with open(path, "wb") as fh:
            pickle.dump(outcome, fh)
        code = 0
    finally:
        os._exit(code)


def _reap(running: dict[int, tuple[int, str]]) -> list[tuple[int, int]]:
    done = []
    for pid in list(running):
        found, status = os.waitpid(pid, os.WNOHANG)
        if found:
            done.append((pid, status))
    return done


def _result(group: Group, options: Options, replay: bool, path: str, status: int) -> Report:
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and os.path.exists(path):
        with open(path, "rb") as fh:
            outcome = pickle.load(fh)
        if isinstance(outcome, Report):
            return outcome
        what, message = outcome
        if what == "usage":
            raise UsageError(message)
        raise RuntimeError(f"checking {group.model.name} in a worker failed: {message}")
    # The worker died: the group again, isolated, so the target that ends the process is its crash.
    import attrs

    return run_group(group, attrs.evolve(options, isolate=True), replay)


def _stop(running: dict[int, tuple[int, str]]) -> None:
    """End the workers still running (a usage error in one, or an interrupt, ends the run)."""
    for pid in running:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    for pid in running:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
