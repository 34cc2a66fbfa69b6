"""The markers a contract puts on a parameter's type: ``NonEmpty``, ``Strict``, ``Finite``.

Each is an ``Annotated`` alias, so type checkers see the plain type
(``NonEmpty[str]`` is ``str`` to mypy) while the checker reads the marker.
Markers combine: ``Strict[Finite[float]]`` is a finite float that is not a bool.
"""

from __future__ import annotations

from typing import Annotated, Final, TypeAlias, TypeVar

__all__ = ["FINITE", "NONEMPTY", "STRICT", "Finite", "Marker", "NonEmpty", "Strict"]

_T = TypeVar("_T")


class Marker:
    """One marker's identity, carried in ``Annotated`` metadata."""

    __slots__ = ("applies_to", "name")

    def __init__(self, name: str, applies_to: tuple[type, ...]) -> None:
        self.name = name
        self.applies_to = applies_to

    def __repr__(self) -> str:
        return f"interlock.{self.name}"


NONEMPTY: Final = Marker("NonEmpty", (str,))
STRICT: Final = Marker("Strict", (int, float))
FINITE: Final = Marker("Finite", (float,))

NonEmpty: TypeAlias = Annotated[_T, NONEMPTY]
"""Text with at least one character that is not blank: ``s.strip() != ""``."""

Strict: TypeAlias = Annotated[_T, STRICT]
"""A number that is not a ``bool``: ``True`` and ``False`` lie outside the domain."""

Finite: TypeAlias = Annotated[_T, FINITE]
"""A finite number: ``nan``, ``inf`` and ``-inf`` lie outside the domain."""
