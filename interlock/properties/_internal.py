"""interlock's own failures: never a target's violation, always reported, with the traceback kept in a file."""

from __future__ import annotations

import os
import tempfile
import traceback
from typing import Any

import attrs

__all__ = ["InternalError", "internal_error"]


@attrs.frozen
class InternalError:
    """An exception raised by interlock's own code (or a clause's), with where it happened and its traceback's file."""

    target: str | None
    member: str | None
    clause: str | None
    error: str
    traceback: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"target": self.target, "member": self.member, "clause": self.clause, "error": self.error, "traceback": self.traceback}

    def line(self, contract: str) -> str:
        """One line for standard error, naming the contract, target and clause, and the file with the traceback."""
        where = ", ".join(
            part
            for part in (
                contract,
                self.target and f"target {self.target}",
                self.member and f"member {self.member}",
                self.clause and f"clause {self.clause}",
            )
            if part
        )
        kept = f" (traceback in {self.traceback})" if self.traceback else ""
        return f"interlock: internal error checking {where}: {self.error}{kept}"


def internal_error(exc: BaseException, target: str | None, member: str | None, clause: str | None) -> InternalError:
    """Record ``exc`` as an internal error; its traceback goes to a file in the temporary folder, never the user's."""
    text = "".join(traceback.format_exception(exc))
    path: str | None = None
    try:
        fd, path = tempfile.mkstemp(prefix="interlock-internal-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f"target: {target}\nmember: {member}\nclause: {clause}\n\n{text}")
    except OSError:
        path = None
    message = str(exc) if _printable(exc) else ""
    return InternalError(target, member, clause, f"{type(exc).__name__}: {message}" if message else type(exc).__name__, path)


def _printable(exc: BaseException) -> bool:
    try:
        str(exc)
    except Exception:
        return False
    return True
