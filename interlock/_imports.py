"""Import paths, ``package.module:Name``, as the command line, the project configuration and contracts name things."""

from __future__ import annotations

import importlib
import os
import select
import signal
import sys
import time
from collections.abc import Sequence
from typing import Any

from interlock.errors import UsageError

__all__ = ["resolve", "survive_import"]


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
            raise
        raise UsageError(f"importing {module_name!r} for {path!r} raised {type(exc).__name__}: {exc}") from None
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


def survive_import(paths: Sequence[str], *, limit: float = IMPORT_LIMIT) -> None:
    """Import the modules of ``paths`` first in a forked child: a module that ends the process while it is imported
    (``os._exit`` at import, a crash in an extension), or never finishes importing, is a usage error naming it,
    not a silent exit or a hang. Import errors are left for ``resolve`` to report, in this process."""
    modules = [m for m in dict.fromkeys(_module_of(p) for p in paths) if m and m not in sys.modules]
    if not modules or not hasattr(os, "fork"):
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        try:
            os.close(read_end)
            for name in modules:
                try:
                    importlib.import_module(name)
                except BaseException:
                    pass
                os.write(write_end, (name + "\n").encode())
        finally:
            os._exit(0)
    os.close(write_end)
    seen = b""
    deadline = time.monotonic() + limit
    try:
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_end], [], [], max(left, 0))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                done = seen.decode().split()
                stuck = next(m for m in modules if m not in done)
                raise UsageError(f"importing {stuck!r} did not finish within {limit:g}s")
            chunk = os.read(read_end, 4096)
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(read_end)
    _, status = os.waitpid(pid, 0)
    done = seen.decode().split()
    for name in modules:
        if name not in done:
            how = (
                f"was killed by {signal.Signals(os.WTERMSIG(status)).name}"
                if os.WIFSIGNALED(status)
                else f"exited with status {os.WEXITSTATUS(status)}"
            )
            raise UsageError(f"importing {name!r} ended the process (it {how}); a module must import without exiting")
