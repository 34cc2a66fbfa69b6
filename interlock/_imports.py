"""Import paths, ``package.module:Name``, as the command line, the project configuration and contracts name things."""

from __future__ import annotations

import contextlib
import importlib
import os
import select
import signal
import sys
import time
from collections.abc import Sequence
from typing import Any

from interlock.errors import UsageError

__all__ = ["STOPPED_BY_USER", "record_stop", "resolve", "survive_import"]

STOPPED_BY_USER: list[int] = []
"""The stop signals (``SIGINT``, ``SIGTERM``) the command received while ``record_stop`` handled them."""


def record_stop(signum: int, frame: Any) -> None:
    """The command's handler of ``SIGINT`` and ``SIGTERM`` outside a run (``interlock.cli`` installs it): the signal
    is noted, then ``KeyboardInterrupt``. A ``KeyboardInterrupt`` with no signal noted is not the user's: a module
    that raises it at import has failed to import."""
    STOPPED_BY_USER.append(signum)
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _from_the_user() -> bool:
    """Whether a ``KeyboardInterrupt`` is the user's: when ``record_stop`` handles the signals, only if it noted one;
    otherwise it cannot be told, and it is taken to be."""
    return bool(STOPPED_BY_USER) or signal.getsignal(signal.SIGINT) is not record_stop


def resolve(path: str) -> tuple[Any, tuple[str, str]]:
    """Import ``package.module:Name`` (``Name`` may be dotted); a failure is a one-line UsageError."""
    if ":" in path:
        module_name, _, attr = path.partition(":")
    elif "." in path:
        module_name, _, attr = path.rpartition(".")
    else:
        raise UsageError(f"{path!r} is not an import path; write package.module:Name")
    if not module_name or not attr:
        raise UsageError(f"{path!r} is not an import path; write package.module:Name")
    pid = os.getpid()
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or module_name
        hint = "" if missing != module_name.split(".")[0] else " (is it installed, or run from the folder that holds it?)"
        raise UsageError(f"cannot import {module_name!r} for {path!r}: no module named {missing!r}{hint}") from None
    except SystemExit as exc:
        raise UsageError(f"importing {module_name!r} for {path!r} called exit({exc.code!r})") from None
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            if _from_the_user():
                raise
            raise UsageError(
                f"importing {module_name!r} for {path!r} raised KeyboardInterrupt with no signal from the user; "
                "a module must import without it"
            ) from None
        raise UsageError(f"importing {module_name!r} for {path!r} raised {type(exc).__name__}: {exc}") from None
    finally:
        if os.getpid() != pid:  # a copy of this process the module forked as it was imported: it never checks or reports
            os._exit(0)
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise UsageError(f"module {module_name!r} has no {attr!r} (for {path!r})") from None
    return obj, (module_name, attr)


IMPORT_LIMIT = 120.0
"""Seconds the modules named on a command line get to import, in the forked child that tries them first."""


def _module_of(path: str) -> str | None:
    if ":" in path:
        return path.partition(":")[0] or None
    return path.rpartition(".")[0] or None


def _outcomes(seen: bytes) -> dict[str, str]:
    """What the import probe reported: each module it imported, with ``ok``, ``stopped`` or ``KeyboardInterrupt``."""
    return dict(line.split(" ", 1) for line in seen.decode(errors="replace").splitlines() if line.count(" ") == 1)


def survive_import(paths: Sequence[str], *, limit: float = IMPORT_LIMIT) -> None:
    """Import the modules of ``paths`` first in a forked child: a module that ends the process while it is imported
    (``os._exit`` at import, a crash in an extension), never finishes importing, or raises ``KeyboardInterrupt``
    though no signal came, is a usage error naming it, not a silent exit, a hang or a false "interrupted". Other
    import errors are left for ``resolve`` to report, in this process.

    The child runs in a process group of its own, killed whole at the end: a process the module forked is not left
    running, and the probe ends when the child has, not when every copy of the pipe is closed. A stop signal the
    user sends to the command reaches this process (the child is out of the terminal's group) and ends the probe."""
    wanted: dict[str, str] = {}  # each module, with the first path that names it
    for path in paths:
        module = _module_of(path)
        if module and module not in sys.modules:
            wanted.setdefault(module, path)
    modules = list(wanted)
    if not modules or not hasattr(os, "fork"):
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.setpgid(0, 0)
            os.close(read_end)
            signalled: list[int] = []

            def stop(signum: int, frame: Any) -> None:
                signalled.append(signum)
                raise KeyboardInterrupt

            for s in (signal.SIGINT, signal.SIGTERM):
                signal.signal(s, stop)
            for name in modules:
                how = "ok"
                try:
                    importlib.import_module(name)
                except KeyboardInterrupt:
                    how = "stopped" if signalled else "KeyboardInterrupt"
                except BaseException:
                    pass
                os.write(write_end, f"{name} {how}\n".encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with contextlib.suppress(OSError):  # also here: the group exists before the parent may kill it
        os.setpgid(pid, pid)
    seen = b""
    status: int | None = None
    deadline = time.monotonic() + limit
    try:
        while status is None:
            left = deadline - time.monotonic()
            if left <= 0:
                stuck = next((m for m in modules if m not in _outcomes(seen)), None)
                if stuck is not None:
                    raise UsageError(f"importing {stuck!r} did not finish within {limit:g}s")
                break  # every module imported; the child is stuck after them: killed below
            ready, _, _ = select.select([read_end], [], [], min(left, 0.05))
            if ready:
                chunk = os.read(read_end, 4096)
                seen += chunk
                if not chunk:  # every write end closed (the child is ending): no busy loop on the end of the pipe
                    time.sleep(min(max(left, 0), 0.05))
            waited, code = os.waitpid(pid, os.WNOHANG)
            if waited:
                status = code
                while select.select([read_end], [], [], 0)[0] and (chunk := os.read(read_end, 4096)):
                    seen += chunk  # what the child wrote before it ended; a forked copy's open end is not waited for
    finally:
        os.close(read_end)
        with contextlib.suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # the child if still there, and whatever it forked
        if status is None:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
    done = _outcomes(seen)
    for name in modules:
        outcome = done.get(name)
        if outcome == "KeyboardInterrupt":
            raise UsageError(
                f"importing {name!r} for {wanted[name]!r} raised KeyboardInterrupt with no signal from the user; "
                "a module must import without it"
            )
        if outcome is None and status is not None:
            ended = (
                f"was killed by {signal.Signals(os.WTERMSIG(status)).name}"
                if os.WIFSIGNALED(status)
                else f"exited with status {os.WEXITSTATUS(status)}"
            )
            raise UsageError(f"importing {name!r} ended the process (it {ended}); a module must import without exiting")
