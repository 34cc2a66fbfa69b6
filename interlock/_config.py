"""The project configuration: ``[tool.interlock]`` in ``pyproject.toml``.

Found from the working folder upwards (the first ``pyproject.toml`` that has a
``[tool.interlock]`` table, as ruff finds its own), or named with ``--config FILE``.
The command and the pytest plugin read the same table::

    [tool.interlock]
    modules = ["backend.stores", "backend.auth"]   # imported, so their @implements / register are recorded
    max-examples = 50
    timeout = 2.0
    seed = 1
    sequences = 20
    steps = 6
    isolate = false
    sockets = "real"                               # the WebSocket contracts over real sockets (interlock[asgi])
    users = 20
    socket-port = 0
    select = ["none-propagation", "param-name-drift"]
    ignore = ["type-coercion"]
    baseline = "interlock-baseline.json"           # relative to this file's folder
    jobs = "auto"
    example-db = "redis://ci-cache:6379/0"         # or a directory, relative to this file's folder; see interlock._example_db

    [[tool.interlock.checks]]
    contract = "backend.contracts:Store"
    targets = ["backend.memory:MemoryStore", "backend.redis:RedisStore"]
    reference = "backend.model:DictStore"           # or false; left out: the contract's own

Every value is held to the rules of ``interlock._options`` (the command's and
``interlock.check``'s); a bad key or value is one ``UsageError`` line naming the
file and the key. The file is read with ``tomllib``.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from pathlib import Path
from typing import Any, Final

import attrs

from interlock._example_db import rebase
from interlock._options import RULES, given
from interlock.contracts._model import KINDS
from interlock.errors import UsageError

__all__ = ["JOBS_RULE", "CheckEntry", "Config", "find", "load", "parse_jobs", "parse_kinds"]

FILENAME: Final = "pyproject.toml"
JOBS_RULE: Final = "a whole number of 1 or more, or 'auto' (as many as the cores)"

# The table's keys, and the run option each one sets (None: read by the project, not the checker).
_OPTION_KEYS: Final = {
    "max-examples": "max_examples",
    "seed": "seed",
    "timeout": "timeout",
    "sequences": "sequences",
    "steps": "steps",
    "isolate": "isolate",
    "sockets": "sockets",
    "users": "users",
    "socket-port": "socket_port",
}
_KEYS: Final = (*_OPTION_KEYS, "modules", "checks", "select", "ignore", "baseline", "jobs", "example-db")
_CHECK_KEYS: Final = ("contract", "targets", "reference")


@attrs.frozen
class CheckEntry:
    """One ``[[tool.interlock.checks]]`` table: a contract, its targets (none: the registered ones) and its reference."""

    contract: str
    targets: tuple[str, ...] = ()
    reference: str | bool | None = None
    """An import path; ``False``: none; ``None``: the contract's own."""
    where: str = "checks"
    """How messages name it: ``checks[2]``."""


@attrs.frozen
class Config:
    """The ``[tool.interlock]`` table, read and checked; ``path`` is None when no file was found."""

    path: Path | None = None
    modules: tuple[str, ...] = ()
    checks: tuple[CheckEntry, ...] = ()
    options: dict[str, Any] = attrs.field(factory=dict)
    """The run options it sets, by ``interlock.check``'s names (``max_examples``, ...), already checked."""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    baseline: Path | None = None
    """Resolved against the file's folder."""
    jobs: int | None = None

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else "[tool.interlock]"


def find(start: str | os.PathLike[str]) -> Path | None:
    """The first ``pyproject.toml`` with a ``[tool.interlock]`` table, from ``start`` upwards; None if there is none.

    A ``pyproject.toml`` on the way that is not valid TOML is a ``UsageError``: it may be the one meant.
    """
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        path = candidate / FILENAME
        if path.is_file():
            doc = _read(path)  # one that is not TOML may hold the table: said, not passed over
            if isinstance(doc.get("tool"), dict) and "interlock" in doc["tool"]:
                return path
    return None


def load(path: str | os.PathLike[str] | None, *, cwd: str | os.PathLike[str] | None = None) -> Config:
    """The configuration in ``path`` (a file named with ``--config``), else the one found from ``cwd`` upwards,
    else an empty one. A file that cannot be read, or a bad key or value, is a one-line ``UsageError``."""
    named = path is not None
    found = Path(path) if path is not None else find(cwd if cwd is not None else os.getcwd())
    if found is None:
        return Config()
    if named and not found.is_file():
        raise UsageError(f"--config: no file {os.fspath(found)!r}")
    doc = _read(found)
    table = doc.get("tool", {}).get("interlock") if isinstance(doc.get("tool"), dict) else None
    if table is None:
        raise UsageError(f"{found}: no [tool.interlock] table")
    if not isinstance(table, dict):
        raise UsageError(f"{found}: tool.interlock must be a table (got {table!r})")
    return _parse(table, found.resolve())


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def _unknown(where: str, key: str, known: tuple[str, ...]) -> UsageError:
    close = difflib.get_close_matches(key.replace("_", "-"), known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of {', '.join(known)}"
    return UsageError(f"{where} {key}: unknown key{hint}")


def _parse(table: dict[str, Any], path: Path) -> Config:
    where = f"{path}: [tool.interlock]"
    for key in table:
        if key not in _KEYS:
            raise _unknown(where, key, _KEYS)
    options: dict[str, Any] = {}
    for key, name in _OPTION_KEYS.items():
        if key in table:
            value = table[key]
            try:
                options.update(given(**{name: value}))
            except UsageError:
                raise UsageError(f"{where} {key} must be {RULES[name]} (got {value!r})") from None
    select = parse_kinds(f"{where} select", table["select"]) if "select" in table else None
    ignore = parse_kinds(f"{where} ignore", table["ignore"]) if "ignore" in table else ()
    baseline = None
    if "baseline" in table:
        value = table["baseline"]
        if not isinstance(value, str) or not value.strip():
            raise UsageError(f"{where} baseline must be a file name, relative to {path.name}'s folder (got {value!r})")
        baseline = path.parent / value
    if "example-db" in table:
        options["example_db"] = _example_db(where, table["example-db"], path.parent)
    jobs = None
    if "jobs" in table:
        try:
            jobs = parse_jobs(table["jobs"])
        except UsageError:
            raise UsageError(f"{where} jobs must be {JOBS_RULE} (got {table['jobs']!r})") from None
    return Config(
        path=path,
        modules=_paths(where, "modules", table.get("modules", []), dotted=True),
        checks=_checks(where, table.get("checks", [])),
        options=options,
        select=select,
        ignore=ignore,
        baseline=baseline,
        jobs=jobs,
    )


def _example_db(where: str, value: Any, folder: Path) -> str:
    """``example-db``: checked by the run option's rules, its directories made relative to the file's folder."""
    try:
        return rebase(value, folder)
    except UsageError as exc:
        raise UsageError(f"{where} example-db: {exc}") from None


def _paths(where: str, key: str, value: Any, *, dotted: bool = False) -> tuple[str, ...]:
    what = "module names" if dotted else "import paths 'package.module:Name'"
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"{where} {key} must be a list of {what} (got {value!r})")
    if not dotted:
        for v in value:
            if ":" not in v and "." not in v:
                raise UsageError(f"{where} {key}: {v!r} is not an import path; write package.module:Name")
    return tuple(v.strip() for v in value)


def _checks(where: str, value: Any) -> tuple[CheckEntry, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise UsageError(f"{where} checks must be an array of tables ([[tool.interlock.checks]]) (got {value!r})")
    out: list[CheckEntry] = []
    for i, entry in enumerate(value):
        here = f"{where} checks[{i}]"
        for key in entry:
            if key not in _CHECK_KEYS:
                raise _unknown(here, key, _CHECK_KEYS)
        contract = entry.get("contract")
        if not isinstance(contract, str) or not contract.strip():
            raise UsageError(f"{here} contract must be an import path 'package.module:Name' (got {contract!r})")
        targets = _paths(here, "targets", entry.get("targets", []))
        reference = entry.get("reference")
        if reference is not None and not (reference is False or (isinstance(reference, str) and reference.strip())):
            raise UsageError(f"{here} reference must be an import path 'package.module:Name', or false for none (got {reference!r})")
        out.append(CheckEntry(contract=contract.strip(), targets=targets, reference=reference, where=f"checks[{i}]"))
    return tuple(out)


def parse_kinds(name: str, value: Any) -> tuple[str, ...]:
    """Kinds written as ``"a,b"`` or as a list of names; an unknown one is a ``UsageError`` naming ``name``."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
    elif isinstance(value, list | tuple) and all(isinstance(p, str) for p in value):
        parts = [p.strip() for p in value]
    else:
        raise UsageError(f"{name} must be violation kinds, a list of names or text 'a,b' (got {value!r})")
    kinds = [p for p in parts if p]
    for kind in kinds:
        if kind not in KINDS:
            raise UsageError(f"{name}: {kind!r} is not a violation kind; expected one of {', '.join(KINDS)}")
    return tuple(dict.fromkeys(kinds))


def parse_jobs(value: Any) -> int:
    """``--jobs`` / ``jobs``: a whole number of 1 or more, or ``auto`` (the cores this process may use)."""
    if value == "auto":
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # not Linux
            return max(1, os.cpu_count() or 1)
    number: Any = value
    if isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if not (isinstance(number, int) and not isinstance(number, bool) and number >= 1):
        raise UsageError(f"jobs must be {JOBS_RULE} (got {value!r})")
    return number
