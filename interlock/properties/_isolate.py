"""Checking in a child process, so a target that kills the process is a ``crash``, not a lost run.

The whole check runs in one forked child. If the child dies (``os._exit``, a
segmentation fault, the out-of-memory killer), every target is checked again
alone in a child of its own: those that finish keep their reports, and the one
that dies gets a ``crash`` violation naming the check it was in.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from interlock.contracts._model import Contract
from interlock.errors import UsageError
from interlock.properties import _runner
from interlock.properties._database import preflight
from interlock.properties._engine import run_check, run_notes
from interlock.properties._internal import internal_error
from interlock.properties._report import NotChecked, Report, TargetReport, Violation
from interlock.properties._runner import BEAT_STALE, HARD_GRACE, Interrupted, held, interruptible, share_stop, shared_beat, shared_state
from interlock.properties._subject import Subject

_monotonic = time.monotonic
"""Bound when interlock loads: a target that replaces ``time.monotonic`` cannot move interlock's clock."""

__all__ = ["run_isolated"]

_FAILED_IN_CHILD = 70


class ChildFailed(Exception):
    """interlock's own code failed in the isolated child: an internal error (exit 3), never the target's crash."""


def run_isolated(contract: Contract, targets: Sequence[tuple[str, Any, tuple[str, str] | None]], **options: Any) -> Report:
    """``run_check`` in a forked child; targets that kill it are reported as ``crash``."""
    if not hasattr(os, "fork"):
        raise UsageError("isolation needs os.fork, which this platform does not have; run without isolation")
    if options.get("seed") is None:
        import random

        options = {**options, "seed": random.SystemRandom().randrange(2**32), "replay": True}
    if options.get("replay") and options.get("example_db") is not None:
        preflight(options["example_db"])  # out of reach: said once here, not once per child
    started = _monotonic()
    report, death, stop = _child(contract, targets, options)
    if report is not None:
        return report
    timeout = float(options.get("timeout", 5.0))
    parts: list[TargetReport] = []
    examples = 0
    first = death
    stuck_in = first[1].partition("\t")[0] if first[0] == "stuck" else None
    for target in targets:
        if target[0] == stuck_in:
            # its timeout, and the rest of it checked again without that member, which would only get stuck again
            crashed = _crashed(contract, target, first, timeout)
            again = None
            member = crashed.violations[0].member
            if stop is None and member is not None:
                note = NotChecked(member, None, "not called again after it timed out; the checking process was ended in it")
                again, _, stop = _child(contract, [target], {**options, "stuck": {target[0]: (member, crashed.violations[0], note)}})
            if again is not None:
                parts.extend(again.targets)
                examples += again.examples
            else:
                parts.append(crashed)
        elif stop is not None:  # the user stopped the run: no target is checked again
            parts.append(TargetReport(target=target[0], violations=[], not_checked=[_stopped_note(stop)]))
        else:
            alone, death, stop = _child(contract, [target], options)
            if alone is not None:
                parts.extend(alone.targets)
                examples += alone.examples
            elif stop is not None and death[0] == "interrupted":
                parts.append(TargetReport(target=target[0], violations=[], not_checked=[_stopped_note(stop)]))
            else:
                parts.append(_crashed(contract, target, death, timeout))
    return Report(
        contract=contract.name,
        seed=int(options["seed"]),
        targets=parts,
        examples=examples,
        seconds=_monotonic() - started,
        members=tuple(m.name for m in contract.members),
        clauses=tuple(c.id for c in contract.clauses),
        reference=options["reference"][0] if options.get("reference") else None,
        interrupted=f"{stop} (stopped by the user)" if stop is not None else None,
        notes=_alone_notes(contract, len(targets), bool(options.get("reference"))),
    )


def _alone_notes(contract: Contract, targets: int, reference: bool) -> list[str]:
    """The notes of a run whose targets were checked one per child after one ended the process: not compared."""
    notes = run_notes(contract, 1 + reference)
    if targets >= 2:
        against = " against the reference" if reference else ""
        notes.insert(
            0,
            f"a target ended the checking process, so each target was then checked on its own{against}: "
            "the targets were not compared with each other",
        )
    return notes


def _stopped_note(stop: str) -> NotChecked:
    return NotChecked(
        None,
        None,
        f"the run stopped early: {stop} (stopped by the user); the checking process ended without writing what it "
        "found, and the checks after it did not run",
    )


def _child(
    contract: Contract, targets: Sequence[tuple[str, Any, tuple[str, str] | None]], options: dict[str, Any]
) -> tuple[Report | None, tuple[str, str], str | None]:
    """Run the check in a forked child: its report, or how it died and the last check it started, and the stop
    signal the user sent, if any (a child that wrote its report after one has ``interrupted`` saying so); a
    ``progress`` option hears the child's checks start too."""
    options = dict(options)
    shown = options.pop("progress", None)
    reap = bool(options.pop("reap_orphans", False)) and _subreaper(True)
    before = _children() if reap else set()
    try:
        return _forked(contract, targets, options, shown)
    finally:
        if reap:
            _end_orphans(before)
            _subreaper(False)


def _forked(
    contract: Contract, targets: Sequence[tuple[str, Any, tuple[str, str] | None]], options: dict[str, Any], shown: Any
) -> tuple[Report | None, tuple[str, str], str | None]:
    with tempfile.TemporaryDirectory(prefix="interlock-") as folder:
        result_path = os.path.join(folder, "report.pickle")
        progress_path = os.path.join(folder, "progress")
        shared = mmap.mmap(-1, 512)
        with held():  # a Ctrl-C before child or parent is ready waits for them, not a bare KeyboardInterrupt
            pid = os.fork()
            if pid == 0:  # the child: never returns
                code = _FAILED_IN_CHILD
                _runner.SHARED = shared
                _own_group()
                for fd in _runner.REPORT_FDS:  # the report is the parent's to write: no target here may reach it
                    with contextlib.suppress(OSError):
                        os.close(fd)
                try:
                    with open(progress_path, "a", buffering=1, encoding="utf-8") as progress:

                        def note(label: str, target: str | None = None) -> None:
                            progress.write(label + "\n")
                            if shown is not None:
                                shown(label, target)

                        def abandon(found: Report) -> None:  # a call no signal stops: what was found so far, and out
                            with open(result_path, "wb") as out:
                                pickle.dump(found, out)
                            os._exit(0)

                        try:
                            report: Report | UsageError | ChildFailed = run_check(
                                contract, targets, progress=note, abandon=abandon, **options
                            )
                        except UsageError as exc:  # a usage error (a reference that does not conform) is the user's, not a crash
                            report = UsageError(str(exc))
                        except Exception as exc:  # interlock's own failure in the child: an internal error, never a crash
                            found = internal_error(exc, None, None, None)
                            kept = f" (traceback in {found.traceback})" if found.traceback else ""
                            report = ChildFailed(f"{found.error}{kept}")
                    with open(result_path, "wb") as out:
                        pickle.dump(report, out)
                    code = 0
                finally:
                    os._exit(code)
            _own_group(pid)
            try:
                status, stuck, stop = _wait(pid, shared)
            finally:
                _end_group(pid)
        last = _last_line(progress_path)
        signame = signal.Signals(stop).name if stop is not None else None
        if stuck is not None:
            return None, ("stuck", f"{stuck[0]}\t{stuck[1]}"), signame
        if stop is not None and not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and os.path.exists(result_path)):
            return None, ("interrupted", last), signame
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 and os.path.exists(result_path):
            with open(result_path, "rb") as pickled:
                result = pickle.load(pickled)
            if isinstance(result, UsageError | ChildFailed):
                raise result
            return result, ("", last), None
        if os.WIFSIGNALED(status):
            how = f"was killed by {signal.Signals(os.WTERMSIG(status)).name}"
        else:
            how = f"exited with status {os.WEXITSTATUS(status)}"
        return None, (how, last), None


_PR_SET_CHILD_SUBREAPER = 36


def _subreaper(on: bool) -> bool:
    """Linux: make this process the one that processes its descendants leave behind are handed to (rather than
    init), so that one a target started in a session of its own (``setsid``, a daemon) is still found and ended.
    False where it cannot be done (another system, or the call refused)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _children() -> set[int]:
    """The processes whose parent is this one (from ``/proc``)."""
    me, found = os.getpid(), set[int]()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == me:
            found.add(int(entry))
    return found


def _end_orphans(before: set[int]) -> None:
    """End and reap the processes the isolated child's targets left that were handed to this process: the ones
    that are its children now and were not before the child was forked (each one ended may hand on its own)."""
    for _ in range(32):
        orphans = _children() - before
        if not orphans:
            return
        for pid in orphans:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        for pid in orphans:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _own_group(pid: int = 0) -> None:
    """The child leads a process group of its own (set on both sides of the fork, so neither waits for the other):
    what a target forks stays in it, and is ended with it."""
    try:
        os.setpgid(pid, pid)
    except OSError:  # the child has already set it, or has already ended
        pass


def _end_group(pid: int) -> None:
    """End what the child left in its group: processes a target forked, which would run on, and would keep the
    report's standard output open (a pipe reading it would never end)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:  # nothing left
        pass


STOP_GRACE = 10.0
"""Seconds an interrupted child gets to write the report of what it found before it is killed."""


def _wait(pid: int, shared: mmap.mmap) -> tuple[int, tuple[str, str] | None, int | None]:
    """Wait for the child; one stuck in a call past its limit is killed: its status, the (target, member) it was
    stuck in, and the stop signal the user sent, if any.

    A call is taken to be stuck when it is past its limit and the child's watchdog has not beaten for
    ``BEAT_STALE`` seconds, twice in a row (no thread of the child can run: code that holds the interpreter lock),
    or, whatever the beat, past the grace the child's own watchdog has to give up on it.

    A stop signal (Ctrl-C reaches the child too; ``SIGTERM`` may reach only the parent) is passed on to the child,
    which ends its run and writes the report so far; a child that has not ended ``STOP_GRACE`` seconds later is
    killed."""
    stop: int | None = None
    given_up = 0.0
    stale = 0
    while True:
        try:
            with interruptible():
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    return status, None, stop
                deadline, limit, label, member = shared_state(shared)
                now = _monotonic()
                stale = stale + 1 if deadline and now > deadline and now - shared_beat(shared) > BEAT_STALE else 0
                if deadline and (stale >= 2 or now > deadline + limit + 2 * HARD_GRACE):
                    os.kill(pid, signal.SIGKILL)
                    _, status = os.waitpid(pid, 0)
                    return status, (label, member), stop
                if stop is not None and _monotonic() > given_up:
                    os.kill(pid, signal.SIGKILL)
                time.sleep(0.05)
        except Interrupted as caught:
            if stop is None:
                stop = caught.signum
                share_stop(shared, caught.signum)
                given_up = _monotonic() + STOP_GRACE
                try:
                    os.kill(pid, caught.signum)
                except ProcessLookupError:
                    pass


def _last_line(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            lines = [line.strip() for line in fh if line.strip()]
    except OSError:
        return ""
    return lines[-1] if lines else ""


def _crashed(contract: Contract, target: tuple[str, Any, tuple[str, str] | None], death: tuple[str, str], timeout: float) -> TargetReport:
    label, obj, path = target
    how, last = death
    if how == "stuck":  # killed in a call it would not leave: that member's timeout, not a crash
        _, _, stuck = last.partition("\t")
        member = stuck or None
        module, name = path or (getattr(obj, "__module__", "__main__"), getattr(obj, "__qualname__", "target"))
        timeout_violation = Violation(
            target=label,
            kind="timeout",
            member=member,
            parameter=None,
            message=(
                f"{member}: did not return within {timeout:g}s and could not be stopped (code that holds the interpreter "
                "lock, such as a long computation in C); the checking process was ended"
            ),
            example=f"from {module} import {name.split('.')[0]}\n# {member} did not return; run interlock check with --seed to replay",
            location=Subject(label=label, obj=obj, contract=contract, import_path=path).location(member),
            clause=None,
        )
        ended = NotChecked(
            member,
            None,
            "not called again after it timed out; the checking process was ended in it, so the checks after it on this target did not run",
        )
        return TargetReport(target=label, violations=[timeout_violation], not_checked=[ended])
    phase, _, member = last.partition("_")
    member_name = member if phase in ("sweep", "outside", "base") and member else None
    where = f" while checking {member_name}" if member_name else (f" during {last}" if last else "")
    module, name = path or (getattr(obj, "__module__", "__main__"), getattr(obj, "__qualname__", "target"))
    example = f"from {module} import {name.split('.')[0]}\n# the checking process {how}{where}; run interlock check with --seed to replay"
    violation = Violation(
        target=label,
        kind="crash",
        member=member_name,
        parameter=None,
        message=f"the checking process {how}{where}: the target ended the process instead of returning or raising",
        example=example,
        location=Subject(label=label, obj=obj, contract=contract, import_path=path).location(member_name),
        clause=None,
    )
    return TargetReport(target=label, violations=[violation])
