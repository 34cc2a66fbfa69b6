"""What a generated plan is made of: steps, loops over many distinct values, and scheduled faults.

A plan (``_sequences.draw_plan``) is a list of entries run in order on one instance of every target:

- a ``Step``: one call of a member with drawn values, some of which may be a ``Result`` of an earlier step;
- a ``Bulk``: a loop of one member over ``count`` calls, the values of some parameters changing with the
  loop's ``i`` (``Series``: ``f"k{i}"``, ``5 + i``); about one plan in ``LONG_SHARE`` starts with one or two,
  drawn by ``draw_loops``;
- a ``Fault``: from here on a double fails (raises one of ``FAULTS``), or recovers; drawn by ``draw_fault``
  between steps, for a contract that says what a dependency's failure means (``fault_errors``).

Loops and faults are a few draws each, so they shrink like any step: a loop by its count, a fault by being left
out.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from interlock.contracts._model import Comparable, Contract, Draws, Member, Raises, Requires
from interlock.properties._doubles import protocol_methods
from interlock.properties._draw import draw_values
from interlock.properties._report import Violation
from interlock.properties._strategies import INT_MAX
from interlock.properties._subject import DoubleSpec, is_protocol
from interlock.properties._values import py_repr

__all__ = [
    "FAULTS",
    "FAULT_MESSAGE",
    "LONG_PER_STEP",
    "LONG_SHARE",
    "Bulk",
    "Fault",
    "Result",
    "Series",
    "Step",
    "admissible",
    "cascaded",
    "dependencies",
    "draw_fault",
    "draw_loops",
    "fault_errors",
    "iterate",
    "plain_annotation",
]

LONG_SHARE: Final = 8
"""About one generated plan in ``LONG_SHARE`` is long (where the contract has a command that loops, see ``draw_loops``)."""
LONG_PER_STEP: Final = 40
"""Each of a long plan's (at most two) loops makes at most ``LONG_PER_STEP`` x ``steps`` calls: 320 at the default 8
steps, past the round sizes where bounds sit (100, 128, 256, 300)."""

FAULTS: Final[tuple[type[Exception], ...]] = (ConnectionError, TimeoutError, OSError, RuntimeError)
"""What a double told to fail raises (contracts.md: what real sockets and clients raise)."""
FAULT_MESSAGE: Final = "interlock: injected failure"


@attrs.frozen
class Result:
    """An argument that reuses step ``step``'s result where it fits the parameter, else ``fallback``."""

    step: int
    fallback: Any


@attrs.frozen
class Series:
    """A loop's argument that changes with its ``i``: ``base + i`` for an int, ``f"{base}{i}"`` for text."""

    base: Any

    def at(self, i: int) -> Any:
        return self.base + i if isinstance(self.base, int) else f"{self.base}{i}"

    def source(self) -> str:
        """The value as the script's loop writes it, an expression in ``i``."""
        shown = py_repr(self.base)
        if isinstance(self.base, int):
            return "i" if self.base == 0 else f"{shown} + i"
        if shown[:1] in "'\"" and shown[-1:] == shown[:1] and "{" not in shown and "}" not in shown:
            return f"f{shown[:-1]}{{i}}{shown[-1]}"
        return f"{shown} + str(i)"


@attrs.frozen
class Bulk:
    """A loop of ``count`` calls of one member: fixed values, and ``Series`` that change with the loop's ``i``."""

    member: Member
    values: dict[str, Any]
    count: int

    def at(self, i: int) -> dict[str, Any]:
        return {k: v.at(i) if isinstance(v, Series) else v for k, v in self.values.items()}


@attrs.frozen
class Step:
    """One call of a member with drawn values."""

    member: Member
    values: dict[str, Any]
    bulk: Bulk | None = None
    """For one call of a loop: the loop, and this call's ``i``."""
    i: int = 0
    on: int = 0
    """Which of the plan's instances it calls: 0, or another built on the same dependencies (``Sharing``)."""


@attrs.frozen(eq=False)
class Fault:
    """From here on the double ``double`` raises ``error`` (from ``methods`` of it, or all), or, with ``error``
    None, recovers. ``double`` is a constructor parameter's name, or a double an earlier step passed."""

    double: str | DoubleSpec
    error: type[Exception] | None
    methods: tuple[str, ...] | None = None


Entry = Step | Bulk | Fault


def iterate(plan: list[Entry]) -> Iterator[tuple[int, Step | Fault]]:
    """The plan's calls and faults in order, a loop's calls one by one, each with the index of its plan entry."""
    for index, entry in enumerate(plan):
        if isinstance(entry, Bulk):
            for i in range(entry.count):
                yield index, Step(entry.member, entry.at(i), entry, i)
        else:
            yield index, entry


# ---- long plans --------------------------------------------------------------------------------------

_LONG = st.integers(0, LONG_SHARE - 1).map(lambda n: n == LONG_SHARE - 1)  # shrinks to a plan that is not long
_MOSTLY = st.integers(0, 3)  # below 3 three times in four; shrinks to 0


def draw_loops(data: Any, contract: Contract, methods: list[Member], steps: int) -> list[Bulk]:
    """A long plan's loops, or none: a first loop of a command over ``n`` distinct values, and, three times in
    four, a second loop of another member over the same values (a query three times in four), so what the first
    stored is read back: ``put`` 300 keys, then ``get`` each.

    A command is a member with a parameter that changes with the loop (plain text or a plain int that no
    ``draws`` clause or bound narrows), declared ``-> None``; where no such member is, one whose result no other
    member takes and whose values a ``comparable`` member reads back (``add(name, amount) -> int`` beside
    ``@comparable total(name)``: what a store answers after storing, a total or a flag, is seldom what the next
    call needs, and the totals are compared). The one taking most parameters (``put(key, value)`` before
    ``delete(key)``: what stores usually takes more than what forgets) is the first loop three times in four.
    Parameters of one annotation share their values across the two loops (``put``'s key is ``get``'s). No draw
    is made where the contract has no command, or with ``steps`` 1: those plans are as before.
    """
    longest = LONG_PER_STEP * steps if steps > 1 else 0
    able = [m for m in methods if _varying(contract, m)]
    commands = sorted((m for m in able if m.returns in (None, type(None))), key=lambda m: -len(m.parameters))
    if not commands:
        commands = sorted((m for m in able if not _taken(m, methods) and _read_back(contract, m, able)), key=lambda m: -len(m.parameters))
    if not longest or not commands or not data.draw(_LONG):
        return []
    queries = [m for m in able if m not in commands]
    # long ones often, as a bound shows only past it; two ranges of integers, not a just(longest): the shrinker
    # moves a count of the second range into the first and then lowers it, where it cannot lower a constant
    n = data.draw(st.integers(1, longest) | st.integers(longest - longest // 4, longest))
    bases: dict[tuple[Any, int], Any] = {}
    loops: list[Bulk] = []
    first = commands[0] if data.draw(_MOSTLY) < 3 else data.draw(st.sampled_from(commands))
    second = None
    if data.draw(_MOSTLY) > 0:  # shrinks to no second loop
        second = data.draw(st.sampled_from(queries if queries and data.draw(_MOSTLY) < 3 else able))
    for m in (first, second):
        if m is None:
            continue
        values: dict[str, Any] = draw_values(data, contract, m)
        seen: dict[Any, int] = {}
        for name in _varying(contract, m):
            if name in values and type(values[name]) in (str, int):
                p = m.parameter(name)
                ordinal = seen[p.annotation] = seen.get(p.annotation, -1) + 1
                base = values[name]
                if type(base) is int:  # the loop's last value stays in the range ints are drawn in
                    base = min(base, INT_MAX - (n - 1))
                values[name] = bases.setdefault((p.annotation, ordinal), Series(base))
        for name, v in values.items():
            if isinstance(v, DoubleSpec):  # one double for the whole loop, named apart from the other steps' doubles
                values[name] = attrs.evolve(v, label=f"{v.label}_{len(loops)}")
        count = _admitted(contract, m, values, n)
        if count:
            loops.append(Bulk(m, values, count))
    return loops


def _taken(m: Member, methods: list[Member]) -> bool:
    """Whether another member takes what ``m`` returns: a parameter of its return annotation."""
    return any(p.annotation == m.returns for other in methods if other is not m for p in other.parameters)


def _read_back(contract: Contract, m: Member, able: list[Member]) -> bool:
    """Whether another member, whose results the contract compares (``comparable``), takes a varying value of
    ``m``'s kind (``total(name)`` beside ``add(name, amount)``): what a loop of ``m`` stored is then read and judged."""
    kinds = [m.parameter(n).annotation for n in _varying(contract, m)]  # compared by ==: an annotation may not hash
    return any(
        other is not m
        and contract.rules(other.name, Comparable)
        and any(other.parameter(n).annotation in kinds for n in _varying(contract, other))
        for other in able
    )


def _varying(contract: Contract, m: Member) -> list[str]:
    """The parameters a loop changes with its ``i``: plain text or a plain int, not narrowed, not bounded."""
    narrowed = {c.rule.parameter for c in contract.rules(m.name, Draws) if isinstance(c.rule, Draws)}
    return [
        p.name
        for p in m.parameters
        if p.name not in narrowed and not p.domain.bounds and p.domain.base in (str, int) and plain_annotation(p.annotation)
    ]


def _admitted(contract: Contract, m: Member, values: dict[str, Any], n: int) -> int:
    """How many of a loop's first ``n`` calls keep the member's own rules, up to the first that does not."""
    if not contract.rules(m.name, Requires) and not any(
        isinstance(c.rule, Draws) and c.rule.contains for c in contract.rules(m.name, Draws)
    ):
        return n
    bulk = Bulk(m, values, n)
    for i in range(n):
        if not admissible(contract, m, bulk.at(i)):
            return i
    return n


def plain_annotation(annotation: Any) -> bool:
    """Plain text or int, marked or not (``NonEmpty[str]``), not a ``Literal`` of some of them."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation in (str, int)


def admissible(contract: Contract, m: Member, values: dict[str, Any]) -> bool:
    """Whether plain values keep the member's own rules: its ``draws`` narrowings and ``requires`` preconditions."""
    plain = {k: v for k, v in values.items() if not isinstance(v, Result | DoubleSpec)}
    for c in contract.rules(m.name, Draws):
        rule = c.rule
        if isinstance(rule, Draws) and rule.contains is not None and rule.parameter in plain:
            try:
                if not rule.contains(plain[rule.parameter]):
                    return False
            except Exception:
                return False
    for c in contract.rules(m.name, Requires):
        rule = c.rule
        if isinstance(rule, Requires) and rule.wants <= set(plain):
            try:
                if not rule.predicate(**{k: plain[k] for k in rule.wants}):
                    return False
            except Exception:
                return False
    return True


# ---- scheduled faults ----------------------------------------------------------------------------------

_EVENT = st.integers(0, 3).map(lambda n: n == 3)  # before one step in four; shrinks to no fault


def fault_errors(contract: Contract) -> tuple[type[Exception], ...]:
    """The errors a plan's faults raise: all of ``FAULTS`` where a member's clause names ``cascade`` (what a
    dependency's failure means); else those a ``raises`` clause allows; else none, and no fault is drawn."""
    clauses = [c for c in contract.clauses if c.member is not None]
    if any("cascade" in c.kinds for c in clauses):
        return FAULTS
    allowed = [c.rule.exceptions for c in clauses if isinstance(c.rule, Raises)]
    return tuple(e for e in FAULTS if any(issubclass(e, a) for a in allowed))


def dependencies(contract: Contract) -> list[tuple[str | DoubleSpec, type]]:
    """The constructor's parameters a double is given for, with their Protocols."""
    ctor = contract.constructor
    if ctor is None:
        return []
    return [(p.name, p.domain.base) for p in ctor.parameters if is_protocol(p.domain.base)]


def passed(plan: list[Entry]) -> list[tuple[str | DoubleSpec, type]]:
    """The doubles the plan's steps and loops pass so far, each once, with their Protocols."""
    out: list[tuple[str | DoubleSpec, type]] = []
    for entry in plan:
        if isinstance(entry, Fault):
            continue
        for v in entry.values.values():
            if isinstance(v, DoubleSpec) and not any(v is w for w, _ in out):
                out.append((v, v.protocol))
    return out


def draw_fault(
    data: Any, errors: tuple[type[Exception], ...], doubles: list[tuple[str | DoubleSpec, type]], failing: list[str | DoubleSpec]
) -> Fault | None:
    """Before one step in four, a fault: a double that works starts failing (``fail(ConnectionError(...))``, of
    all its methods three times in four, else of one), or one that fails recovers (``heal()``); ``failing`` is
    kept up to date."""
    if not errors or not doubles or not data.draw(_EVENT):
        return None
    healthy = [(d, p) for d, p in doubles if not any(d is f for f in failing)]
    if failing and (not healthy or data.draw(st.booleans())):
        which = data.draw(st.sampled_from(failing))
        failing[:] = [f for f in failing if f is not which]
        return Fault(which, None)
    which, protocol = data.draw(st.sampled_from(healthy))
    error = data.draw(st.sampled_from(errors))
    names = sorted(protocol_methods(protocol))
    methods = (data.draw(st.sampled_from(names)),) if len(names) > 1 and data.draw(_MOSTLY) == 3 else None
    failing.append(which)
    return Fault(which, error, methods)


def cascaded(found: list[Violation], error: BaseException | None, injected: list[BaseException], contract: Contract) -> list[Violation]:
    """Violations of a clause that names ``cascade``, where the exception that escaped is a scheduled fault's
    (the injected error itself, or one raised while handling it): ``cascade`` (report.md, rule 5: what concerns a
    dependency's failure). Anything else keeps its kind."""
    if error is None or not injected or not _caused_by(error, injected):
        return found
    return [attrs.evolve(v, kind="cascade") if v.clause is not None and "cascade" in contract.clause(v.clause).kinds else v for v in found]


def _caused_by(error: BaseException, injected: list[BaseException]) -> bool:
    seen: set[int] = set()
    todo: list[BaseException | None] = [error]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        if any(e is i for i in injected):
            return True
        seen.add(id(e))
        todo += [e.__cause__, e.__context__]
    return False
