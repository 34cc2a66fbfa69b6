"""The run options of a check, and the one set of rules they are held to.

``max_examples``, ``seed``, ``timeout``, ``isolate``, ``sequences``, ``steps``, ``sockets``,
``users`` and ``socket_port`` reach the checker from ``interlock.check``, the ``interlock`` command,
``contract_tests``, and the pytest plugin's command line, ini keys and marker. All of them check the
values here, so a value is accepted or refused the same way wherever it is
given, and refused with the same message: one line naming the option and the
value, ``seed must be a whole number of 0 or more (got -1)``. Where the value
came from (``--seed``, an ini key, a marker) is for the caller to add in front.

The rules:

- ``max_examples``: an ``int`` of 1 or more;
- ``seed``: an ``int`` of 0 or more, or ``None`` (a seed is drawn);
- ``timeout``: a number of seconds from 0.001 to 86400 (a day), kept as a ``float``;
- ``isolate``: ``True`` or ``False``;
- ``sequences``: an ``int`` of 0 or more, or ``None`` (as many as ``max_examples``);
- ``steps``: an ``int`` of 1 or more (``DEFAULT_STEPS``, 8, by default);
- ``sockets``: ``"doubles"`` (the default: the checker's recording doubles) or ``"real"`` (real
  Starlette sockets served by uvicorn, received by ``websockets`` clients; the ``asgi`` extra);
- ``users``: an ``int`` of 1 or more, the users at once of the load phase over real sockets (``DEFAULT_USERS``, 20);
- ``socket_port``: an ``int`` from 0 to 65535, the port the server over real sockets listens on (0: a free one).
- ``example_db``: ``None`` (Hypothesis's own database), or text naming the example databases
  (``interlock._example_db``: ``redis://host:port/db`` or a directory, several separated by commas,
  each optionally followed by ``,readonly``). With a seed, no database is read or written.
- ``clauses``: ``None`` (every check), or the ids of the clauses the run is limited to, one or more: a
  list of texts, or text ``"a,b"`` (``interlock.check`` and ``interlock check --clause`` only). Whether
  the contract has them is checked when the run starts (``engine.Selection``).

The sequence phase runs generated sequences of calls on one instance of each
target: each step a member with drawn arguments, reusing earlier arguments and
results; every step is judged as a single call is (exceptions, return type,
``ensures`` in the state reached) and, with several targets, the steps'
outcomes are compared. ``sequences`` sets how many sequences (by default as
many as ``max_examples``; 0 turns the phase off), ``steps`` the longest
sequence (default 8).

``bool`` is never taken for a number. Text (the command line, an ini file) is
read with ``from_text`` and then held to the same rules.

This module is imported by the command and the pytest plugin when they start,
so it imports nothing heavy (no Hypothesis).
"""

from __future__ import annotations

import math
from typing import Any, Final

import attrs

from interlock import _example_db
from interlock.errors import UsageError

__all__ = ["DEFAULT_MAX_EXAMPLES", "DEFAULT_STEPS", "DEFAULT_TIMEOUT", "DEFAULT_USERS", "RULES", "SOCKETS", "Options", "from_text", "given"]

DEFAULT_MAX_EXAMPLES: Final = 100
DEFAULT_TIMEOUT: Final = 5.0
DEFAULT_STEPS: Final = 8
"""The longest generated sequence of calls, by default."""
DEFAULT_USERS: Final = 20
"""The users at once of the load phase over real sockets, by default."""
SOCKETS: Final = ("doubles", "real")

RULES: Final[dict[str, str]] = {
    "max_examples": "a whole number of 1 or more",
    "seed": "a whole number of 0 or more",
    "timeout": "a number of seconds from 0.001 to 86400",
    "isolate": "True or False",
    "sequences": "a whole number of 0 or more",
    "steps": "a whole number of 1 or more",
    "sockets": "'doubles' or 'real'",
    "users": "a whole number of 1 or more",
    "socket_port": "a whole number from 0 to 65535 (0: a free port)",
    "example_db": _example_db.RULE,
    "clauses": "clause ids of the contract, one or more (a list, or text 'a,b')",
}
"""What each option must be, as the error message says it."""


def _refuse(name: str, value: Any) -> UsageError:
    return UsageError(f"{name} must be {RULES[name]} (got {value!r})")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_at_least_1(_: Any, attribute: attrs.Attribute[int], value: Any) -> None:
    if not (_is_int(value) and value >= 1):
        raise _refuse(attribute.name, value)


def _check_at_least_0_or_none(_: Any, attribute: attrs.Attribute[int | None], value: Any) -> None:
    if value is not None and not (_is_int(value) and value >= 0):
        raise _refuse(attribute.name, value)


MIN_TIMEOUT: Final = 0.001
MAX_TIMEOUT: Final = 86400.0
"""The time limit's range: below a millisecond the system timer rounds it to nothing, and above a day it
overflows the timer on some platforms, so both are refused here rather than failing or hanging a run."""


def _as_seconds(value: Any) -> Any:
    """A whole number of seconds in range as a float; anything else is left as it is, for the validator to judge
    (so that ``timeout=0`` is refused as ``(got 0)``, the value given)."""
    if _is_int(value) and MIN_TIMEOUT <= value <= MAX_TIMEOUT:
        try:
            return float(value)
        except OverflowError:
            return value
    return value


def _check_timeout(_: Any, attribute: attrs.Attribute[float], value: Any) -> None:
    if not (isinstance(value, float) and math.isfinite(value) and MIN_TIMEOUT <= value <= MAX_TIMEOUT):
        raise _refuse(attribute.name, value)


def _check_sockets(_: Any, attribute: attrs.Attribute[str], value: Any) -> None:
    if value not in SOCKETS or not isinstance(value, str):
        raise _refuse(attribute.name, value)


def _check_port(_: Any, attribute: attrs.Attribute[int], value: Any) -> None:
    if not (_is_int(value) and 0 <= value <= 65535):
        raise _refuse(attribute.name, value)


def _check_isolate(_: Any, attribute: attrs.Attribute[bool], value: Any) -> None:
    if not isinstance(value, bool):
        raise _refuse(attribute.name, value)


def _as_clauses(value: Any) -> Any:
    """Text ``"a,b"`` as the ids ``("a", "b")``, a list or tuple of texts as a tuple; anything else, or ids with an
    empty one, as it is (so that the message shows the value given)."""
    ids = value.split(",") if isinstance(value, str) else value
    if isinstance(ids, list | tuple) and all(isinstance(v, str) and v.strip() for v in ids):
        return tuple(v.strip() for v in ids)
    return value


def _check_clauses(_: Any, attribute: attrs.Attribute[tuple[str, ...] | None], value: Any) -> None:
    if value is not None and not (isinstance(value, tuple) and value and all(isinstance(v, str) and v for v in value)):
        raise _refuse(attribute.name, value)


def _check_example_db(_: Any, attribute: attrs.Attribute[str | None], value: Any) -> None:
    if value is not None:
        _example_db.parse(value)  # its own message says which part is wrong


@attrs.frozen
class Options:
    """The options of one check; an invalid value raises ``UsageError`` naming the option and the value."""

    max_examples: int = attrs.field(default=DEFAULT_MAX_EXAMPLES, validator=_check_at_least_1)
    """Generated in-domain examples per member and per clause."""
    seed: int | None = attrs.field(default=None, validator=_check_at_least_0_or_none)
    """The seed of the run; ``None`` draws one."""
    timeout: float = attrs.field(default=DEFAULT_TIMEOUT, converter=_as_seconds, validator=_check_timeout)
    """The time limit of one call into a target, in seconds."""
    isolate: bool = attrs.field(default=False, validator=_check_isolate)
    """Check in a child process, so a target that ends the process is a ``crash``."""
    sequences: int | None = attrs.field(default=None, validator=_check_at_least_0_or_none)
    """Generated sequences of calls per target; ``None`` runs as many as ``max_examples``, 0 none."""
    steps: int = attrs.field(default=DEFAULT_STEPS, validator=_check_at_least_1)
    """The longest generated sequence, in calls."""
    sockets: str = attrs.field(default="doubles", validator=_check_sockets)
    """Where scenarios get their sockets: the checker's doubles, or ``"real"`` ones over uvicorn."""
    users: int = attrs.field(default=DEFAULT_USERS, validator=_check_at_least_1)
    """Users at once in the load phase over real sockets."""
    socket_port: int = attrs.field(default=0, validator=_check_port)
    """The port of the server over real sockets; 0 takes a free one."""
    example_db: str | None = attrs.field(default=None, validator=_check_example_db)
    """Where known failures are kept and replayed from (without a seed); ``None``: Hypothesis's own database."""
    clauses: tuple[str, ...] | None = attrs.field(default=None, converter=_as_clauses, validator=_check_clauses)
    """The clauses the run is limited to (their ids; the contract must have them); ``None``: every check."""

    def run_options(self) -> dict[str, Any]:
        """The keywords ``run_check`` and ``run_isolated`` take: every option but ``isolate``; over real sockets,
        the socket source (``UsageError`` when the ``asgi`` extra is missing); ``example_db`` only when named."""
        options: dict[str, Any] = {
            "max_examples": self.max_examples,
            "seed": self.seed,
            "timeout": self.timeout,
            "sequences": self.sequences,
            "steps": self.steps,
        }
        if self.sockets == "real":
            from interlock.adapters._sockets import RealSockets

            options["sockets"] = RealSockets(users=self.users, port=self.socket_port)
        if self.example_db is not None:
            options["example_db"] = self.example_db
        if self.clauses is not None:
            options["clauses"] = self.clauses
        return options


_FIELDS: Final = frozenset(a.name for a in attrs.fields(Options))


def given(**values: Any) -> dict[str, Any]:
    """The options given (``None`` is not given), checked by ``Options``'s rules and converted (a timeout as float)."""
    unknown = sorted(set(values) - _FIELDS)
    if unknown:
        raise TypeError(f"unknown option {unknown[0]!r}")
    chosen = {k: v for k, v in values.items() if v is not None}
    options = Options(**chosen)
    return {k: getattr(options, k) for k in chosen}


def _number(text: str, *, fraction: bool) -> int | float | None:
    """``text`` as a whole number, else (with ``fraction``) as any number; None when it is neither.

    Whole numbers are read as ``int`` first, so that ``--timeout 0`` is refused as ``(got 0)``, as ``timeout=0`` is.
    """
    stripped = text.strip()
    try:
        return int(stripped)
    except ValueError:
        pass
    if fraction:
        try:
            return float(stripped)
        except ValueError:
            pass
    return None


def from_text(name: str, text: Any) -> Any:
    """An option written as text (the command line, an ini file), read as its type and checked by the same rules.

    Text that is not a number of the option's type is refused with the same message as any other bad value,
    quoting the text. A value that is not text (a number from a configuration file read as one) is checked as it is.
    """
    if name not in _FIELDS or name == "isolate":
        raise TypeError(f"no option {name!r} is given as text")
    value: Any = text
    if name in ("sockets", "example_db"):
        value = text.strip() if isinstance(text, str) else text
    elif isinstance(text, str):
        value = _number(text, fraction=name == "timeout")
        if value is None:
            raise _refuse(name, text)
    return getattr(Options(**{name: value}), name)
