"""Progress of a run, on a terminal: one status line on standard error, redrawn in place.

It names the contract (and which of how many), the target and the check under way, so that a run of minutes
shows that it moves. It is drawn only when standard error is a terminal, and never with ``--json`` or
``--quiet``: piped or redirected, standard error holds only what a target wrote and interlock's own messages.
``interlock check`` and ``interlock demo`` use it alike; the engine tells it which check starts through
``run_check``'s ``progress`` callback.
"""

from __future__ import annotations

import os
from typing import Any, TextIO

__all__ = ["Progress", "phase_text"]

_PHASES = {
    "probe": "building the target",
    "sweep": "{}: in-domain examples",
    "outside": "{}: values outside its domain",
    "base": "{}: a base example for values outside its domain",
    "scenario": "clause {}",
    "compare": "clause {}, targets compared",
}


def phase_text(label: str) -> str:
    """The engine's label of a check (``sweep_greet``, ``scenario_some-clause``, ``sequences``) in words."""
    if label == "sequences":
        return "generated sequences of calls"
    phase, _, rest = label.partition("_")
    template = _PHASES.get(phase)
    if template is None or not rest:
        return label
    return template.format(rest)


def _short(text: str, width: int) -> str:
    """``text`` cut in the middle to ``width`` characters: both its start and its end stay readable."""
    if len(text) <= width:
        return text
    if width < 8:
        return text[:width]
    head = (width - 3) // 2
    return text[:head] + "..." + text[len(text) - (width - 3 - head) :]


class Progress:
    """The status line. Silent (every method does nothing) unless made ``active`` on a terminal stream."""

    def __init__(self, stream: TextIO | None) -> None:
        self._stream = stream
        self._contract = ""
        self._count = ""
        self._targets: tuple[str, ...] = ()
        self._line = ""
        self._drawn = False
        self._dot = _separator(stream)

    @classmethod
    def for_run(cls, stream: Any, *, quiet: bool = False, as_json: bool = False) -> Progress:
        """A status line on ``stream`` (standard error) when it is a terminal and neither ``--quiet`` nor ``--json``
        was given; else a silent one."""
        if quiet or as_json:
            return cls(None)
        try:
            tty = bool(stream.isatty())
        except Exception:  # closed or replaced by something without isatty
            tty = False
        return cls(stream if tty else None)

    @property
    def active(self) -> bool:
        return self._stream is not None

    def contract(self, name: str, targets: tuple[str, ...] = (), index: int = 0, total: int = 1) -> None:
        """A contract's check starts (the ``index``-th of ``total``, counted from 0), on these targets."""
        self._contract = name
        self._targets = targets
        self._count = f" [{index + 1}/{total}]" if total > 1 else ""
        self._draw("starting")

    def __call__(self, label: str, target: str | None = None) -> None:
        """The engine's callback: the check ``label`` starts, on ``target`` (``None``: on every target at once)."""
        if self._stream is None:
            return
        who = target if target is not None else (self._targets[0] if len(self._targets) == 1 else "every target")
        self._draw(f"{_name(who)}{self._dot}{phase_text(label)}")

    def status(self, text: str) -> None:
        """A line of its own words in place of a check (several contracts in workers at once); drawn when it changes."""
        self._draw(text, plain=True)

    def clear(self) -> None:
        """Take the status line away, so that what is written next starts on a clean line."""
        if self._stream is not None and self._drawn:
            self._write("\r\x1b[K")
            self._drawn = False

    def _draw(self, what: str, *, plain: bool = False) -> None:
        """Draw the line, unless it already says this: a check that starts again and again (one per violation
        found) is drawn once, so the terminal gets a line per check, however fast they go."""
        if self._stream is None:
            return
        line = f"interlock: {what}" if plain else f"interlock: {self._contract}{self._count}{self._dot}{what}"
        if line == self._line and self._drawn:
            return
        self._line = line
        self._write("\r\x1b[K" + _short(line, self._width() - 1))
        self._drawn = True

    def _width(self) -> int:
        try:
            columns = os.get_terminal_size(self._stream.fileno()).columns if self._stream is not None else 0
        except (OSError, ValueError, AttributeError):
            columns = 0
        return columns if columns >= 20 else 80  # a terminal that tells no size (0) gets the usual 80

    def _write(self, text: str) -> None:
        try:
            assert self._stream is not None
            self._stream.write(text)
            self._stream.flush()
        except Exception:  # a terminal gone away must not end the run
            self._stream = None


def _separator(stream: Any) -> str:
    """`` · `` between the parts of the line, or `` - `` on a terminal whose encoding has no middle dot."""
    try:
        "·".encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return " - "
    return " · "


def _name(target: str) -> str:
    """A target as the line shows it: the name after the import path's colon."""
    return target.rpartition(":")[2] or target
