"""The harness a scenario clause works with, as a Protocol: what a scenario may call on ``h``.

Annotate a scenario's parameter with it (``async def clause(h: Harness) -> None``)
and a type checker sees every call the scenario makes. The checker passes its
own implementation; you never create one. Importing this module loads neither
Hypothesis nor the checker.
"""

from __future__ import annotations

from collections.abc import Awaitable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, NoReturn, Protocol, TypeVar

from interlock.contracts._model import Contract, Kind

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from interlock.properties._doubles import CallLog

__all__ = ["Harness"]

_T = TypeVar("_T")


class Harness(Protocol):
    """What a scenario clause receives: fresh targets, drawn values, doubles, checks.

    ``await h.build()`` builds a target through the contract's constructor;
    ``await h.call(target, "member", ...)`` calls a member as a caller of the
    contract would, within the time limit; ``h.draw(strategy)`` draws a value;
    ``h.double(Proto)`` makes a recording double; ``h.check(condition, message)``
    and ``h.fail(message)`` report the clause broken, with a kind, member and
    parameter when given.
    """

    @property
    def contract(self) -> Contract:
        """The contract being checked, as interlock's model of it (its members and clauses)."""

    @property
    def timeout(self) -> float:
        """The time limit of one call into the target, in seconds."""

    @property
    def log(self) -> CallLog:
        """Every call made on this example's doubles, in order (``h.log.calls``), whichever double it was made on."""

    @property
    def steps(self) -> list[str]:
        """The reproducer's lines so far, one per call or set-up step, in the order the scenario made them."""

    def draw(self, strategy: SearchStrategy[_T]) -> _T:
        """A value drawn from a Hypothesis strategy; it is shrunk with the rest of the example.

        In a comparing scenario (``compare=True``) every target is given the very same draws.
        """

    def arguments(self, member: str) -> dict[str, Any]:
        """In-domain arguments for every parameter of a contract member, drawn as the checker draws them, by name.

        Parameters whose type is a ``Protocol`` get recording doubles.
        """

    def double(self, protocol: type, label: str | None = None, **fields: Any) -> Any:
        """A recording double of ``protocol`` for this example; fields you do not give are drawn in their domains.

        ``label`` names it in the reproducer (by default the Protocol's name, numbered). The double records every
        call made on it into ``h.log`` and its own ``calls``, and can be told to answer (``answer``) or fail
        (``fail``, ``heal``); see ``interlock.double``.
        """

    async def build(self, **arguments: Any) -> Any:
        """A fresh target, built through the contract's constructor, within the time limit.

        Arguments you do not name are drawn, and ``Protocol`` parameters get checker doubles. A constructor that
        raises is reported on ``__init__`` and stops the scenario for this example.
        """

    async def call(self, instance: Any, member: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``instance.member(*args, **kwargs)`` as a caller of the contract would, within the time limit.

        The result is awaited when it is awaitable. Arguments are written against the contract and placed as the
        target can take them. What a target's member returns is checked against its declared type, and sync
        versus async is judged, as in the sweep; an exception the target raises reaches the scenario unchanged.
        """

    async def rejects(self, instance: Any, member: str, *args: Any, **kwargs: Any) -> BaseException | None:
        """Call a member with a value the contract says it rejects, as ``call`` does: the ``ValueError`` or
        ``TypeError`` it raised, or None where it accepted the value; any other exception reaches the scenario.

        In the reproducer the call stands in ``try``/``except (ValueError, TypeError)``, so the script goes on past
        it on a target that rejects the value, to the check that judges the clause.
        """

    def reachable(self, member: str) -> bool:
        """Whether the target has ``member`` in a shape a caller of the contract can call.

        A scenario walking several members skips one that is not, and goes on with the rest.
        """

    def part(self, member: str) -> AbstractContextManager[None]:
        """A part of the scenario about one member, used as ``with h.part("member"):``.

        A failure inside it is reported on that member and the scenario goes on with the next part, so one broken
        member hides no other.
        """

    def collect_garbage(self) -> None:
        """Run a garbage collection, for leak checks (a full one the first few times per clause and target)."""

    def step(self, line: str) -> None:
        """Add a line to the reproducer: what the scenario set up that a call does not show."""

    async def gather(self, *awaitables: Awaitable[_T]) -> list[_T]:
        """Run calls at once on the checker's event loop (two users at the same time); their results, in order.

        In the reproducer the calls made at once stand in one ``await asyncio.gather(...)``.
        """

    def fail(
        self,
        message: str,
        *,
        kind: Kind | None = None,
        member: str | None = None,
        parameter: str | None = None,
        clause: str | None = None,
    ) -> NoReturn:
        """The clause is broken: report ``message``, and stop the scenario (or the ``h.part`` it is in).

        ``kind`` must be one of the clause's kinds (by default its first); ``member`` and ``parameter`` say where
        the violation is. A function that judges several clauses (``scenario`` decorators stacked on it) names
        the broken one with ``clause``, its id. The signal is a ``BaseException``, so a scenario's
        ``except Exception:`` never catches it.
        """

    def check(
        self,
        condition: object,
        message: str,
        *,
        kind: Kind | None = None,
        member: str | None = None,
        parameter: str | None = None,
        clause: str | None = None,
    ) -> None:
        """Fail with ``message`` unless ``condition`` holds (see ``fail``)."""

    def example(self, mark: str | None = None) -> str:
        """Python that replays what the scenario did on this target so far; the last call of ``mark`` is marked failing."""
