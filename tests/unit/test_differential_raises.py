"""A disagreement where one target raised an exception the contract allows and the other returned: each side's
script fails with an ``AssertionError`` that names the disagreement, not with the bare exception, and passes with
the other target in its place."""

from __future__ import annotations

import re
from typing import Protocol

import pytest

import interlock
from interlock import NonEmpty


@interlock.contract
class Catalog(Protocol):
    """Prices by code; an unknown code raises KeyError."""

    @interlock.raises(KeyError, id="unknown-code-raises", text="lookup raises KeyError for a code it does not know")
    @interlock.comparable(id="prices-agree")
    def lookup(self, code: NonEmpty[str]) -> int: ...


def _code(code: object) -> str:
    if not isinstance(code, str):
        raise TypeError("a code is text")
    if not code.strip():
        raise ValueError("a code must not be blank")
    return code


class OpenCatalog:
    """Knows every code: its price is its length."""

    def lookup(self, code: str) -> int:
        return len(_code(code))


class ShortCatalog:
    """Knows only codes of one character; any other is unknown."""

    def lookup(self, code: str) -> int:
        if len(_code(code)) > 1:
            raise KeyError(code)
        return 1


def _run(script: str) -> BaseException | None:
    try:
        exec(compile(script, "<reproducer>", "exec"), {"__name__": "__reproducer__"})
    except BaseException as exc:
        return exc
    return None


@pytest.mark.parametrize("seed", [1, 2])
def test_each_side_of_a_raised_against_a_returned_fails_with_the_disagreement(seed: int) -> None:
    report = interlock.check(Catalog, OpenCatalog, ShortCatalog, seed=seed, max_examples=30)
    found = {v.target.rsplit(":", 1)[-1]: v for v in report.violations if v.kind == "differential"}
    assert set(found) == {"OpenCatalog", "ShortCatalog"}, report.text()
    for name, other in (("ShortCatalog", "OpenCatalog"), ("OpenCatalog", "ShortCatalog")):
        script = found[name].example
        failed = _run(script)
        assert isinstance(failed, AssertionError), (name, script, failed)
        assert str(failed).startswith("differential: lookup: "), failed
        swapped = re.sub(rf"\b{name}\b", other, script)
        assert _run(swapped) is None, swapped
