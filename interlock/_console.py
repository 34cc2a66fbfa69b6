"""The ``interlock`` console script and ``python -m interlock``: the stop signals are held back from the first line.

Importing the command takes a few tenths of a second; a Ctrl-C in that time would be a ``KeyboardInterrupt``
traceback from the middle of an import. So ``SIGINT`` and ``SIGTERM`` are blocked (kept pending, not lost) before
the command is imported, and ``interlock.cli.entry`` lets them through once its own handlers are in place: a stop
in the first instant is the same one line and exit status as a stop anywhere else before the run.
"""

from __future__ import annotations

import signal
from typing import NoReturn

__all__ = ["entry"]


def entry() -> NoReturn:
    held = None
    if hasattr(signal, "pthread_sigmask"):
        held = signal.pthread_sigmask(signal.SIG_BLOCK, (signal.SIGINT, signal.SIGTERM))
    from interlock.cli import entry as run

    run(held)
