"""Values for a parameter: the strategy that draws in its domain."""

from __future__ import annotations

import collections.abc as cabc
import enum
import math
import types
import typing
import unicodedata
from typing import Any

from hypothesis import strategies as st

from interlock.contracts._domain import Domain, read_domain
from interlock.contracts._model import Contract
from interlock.properties._doubles import double

__all__ = ["DOUBLE", "INT_MAX", "INT_MIN", "json_values", "mappings", "strategy_for"]

DOUBLE = object()
"""Returned by ``strategy_for`` for a Protocol type: the caller builds a checker double instead."""

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
"""The range a plain ``int`` is drawn in, where the contract does not bound it (contracts.md): values a sequence
makes from a drawn one (a loop's ``base + i``, a distinct ``value + n``) stay inside it too."""

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)


def _nest(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return _json_scalars | st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)


# A mapping and what it holds nest at most three deep (contracts.md): built level by level, not with st.recursive.
json_values: st.SearchStrategy[Any] = _nest(_json_scalars | st.lists(_json_scalars, max_size=3))
"""JSON-compatible values: text, finite numbers, bools, None, and lists and dicts of those."""

mappings: st.SearchStrategy[dict[str, Any]] = st.dictionaries(st.text(max_size=10), json_values, max_size=4)
"""Plain dicts with text keys and JSON-compatible values, as ``Mapping[str, Any]`` is drawn."""


def _nonblank_text(min_size: int, max_size: int | None) -> st.SearchStrategy[str]:
    return st.text(min_size=max(1, min_size), max_size=max_size).filter(lambda s: s.strip() != "")


# ---- wide values: a minority of draws at the edges of a domain --------------------------------------------
#
# Each plain domain (text, integers, bytes) is drawn from the strategy it always had three times in four, and from
# wide values the fourth time; a failing example shrinks toward the first. A wide value that fails shrinks
# within its own kind (long text to ``'0' * 1001``) or, where a simple value fails as well, to the first strategy.

WIDE_SHARE = 4
"""One draw in ``WIDE_SHARE`` is a wide value; the kinds of wide value a domain has share it evenly."""

LONG_MIN, LONG_MAX = 1000, 5000
"""How long a long text or bytes value is, where the domain's bounds allow (thousands of characters)."""

ODD_PIECES: tuple[tuple[str, ...], ...] = (
    ("\ud800", "\udbff", "\udc00", "\udfff"),  # lone surrogates: text with no UTF-8 form
    ("\x00",),  # NUL: ends a C string, refused in file names and by many C libraries
    ("e\u0301", "\u0301", "a\u0308\u0304"),  # combining marks: on a letter, with no letter, two on one letter
)
"""Three kinds of wide text, each a short text with one of its pieces put in: pieces that code handling text as
bytes, C strings or single code points mishandles. None is blank."""

COMPOSED: tuple[str, ...] = ("\u00e9", "\u00c5", "\u00f1", "\u00f6", "\u00e7", "\u01d6", "\u1ec7", "\uac00")
"""Characters whose NFD form differs from their NFC form (é, Å, ñ, ö, ç, ǖ, ệ, the Hangul syllable 가)."""

SPACES: tuple[str, ...] = (" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000")
"""White space put before and after text (a no-break space and an ideographic space included)."""

_NF_SOURCE: st.SearchStrategy[str] = st.tuples(
    st.text(st.characters(max_codepoint=0x7E, categories=("L", "N", "P", "Zs")), max_size=3),
    st.text(st.sampled_from(COMPOSED), min_size=1, max_size=2),
    st.text(st.characters(max_codepoint=0x7E, categories=("L", "N", "P", "Zs")), max_size=3),
).map("".join)
"""The text whose two normal forms are drawn: ASCII around composed characters, so its NFD form is at most 12 long."""


def _next_form(shared: tuple[str, list[None]]) -> str:
    source, drawn = shared
    drawn.append(None)
    return unicodedata.normalize("NFC" if len(drawn) % 2 else "NFD", source)


_NORMAL_FORMS: st.SearchStrategy[str] = st.shared(st.tuples(_NF_SOURCE, st.builds(list)), key="interlock.normal-forms").map(_next_form)
"""One source text per example (``st.shared``), drawn in its NFC form the first time, its NFD form the next, and
so on: two parameters, or two steps of a sequence, that draw this kind get two keys that look alike, and a target
that merges or confuses the two forms is reached."""


def _weighted(base: st.SearchStrategy[Any], wide: list[st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """``base`` three draws in four, ``wide`` (each of its kinds alike) the fourth; shrinking goes to ``base``.

    Not ``one_of(base, base, base, wide)``: ``one_of`` drops a repeated branch and flattens nested ones, so its
    branches would be weighted alike. A coin drawn first picks the side, and shrinks to ``base``'s side.
    """
    if not wide:
        return base
    coin = st.integers(0, WIDE_SHARE - 1)
    widened = st.one_of(wide)

    @st.composite
    def draw(draw: Any) -> Any:
        return draw(widened) if draw(coin) == WIDE_SHARE - 1 else draw(base)

    return draw()


def _long_length(lo: int, hi: int | None) -> tuple[int, int] | None:
    """The lengths a long value takes within ``lo``..``hi``: thousands where allowed, else the longest allowed."""
    if hi is not None and hi < lo:
        return None
    top = max(lo, LONG_MAX if hi is None else min(hi, LONG_MAX))
    return max(lo, min(LONG_MIN, top)), top


def _repeat(unit: Any, n: int) -> Any:
    return (unit * (n // max(len(unit), 1) + 1))[:n]


def _put_in(drawn: tuple[str, str, int]) -> str:
    text, piece, at = drawn
    return text[:at] + piece + text[at:]


def _wide_text(lo: int, hi: int | None, nonempty: bool) -> list[st.SearchStrategy[str]]:
    """Long text, a lone surrogate, NUL, a combining mark, the two normal forms of one text, and text with white
    space around it: six kinds, each where the length bounds leave room for it."""

    def fits(s: str) -> bool:
        return len(s) >= lo and (hi is None or len(s) <= hi) and (not nonempty or s.strip() != "")

    def some_text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
        return _nonblank_text(min_size, max_size) if nonempty else st.text(min_size=min_size, max_size=max_size)

    wide: list[st.SearchStrategy[str]] = []
    lengths = _long_length(lo, hi)
    if lengths is not None and lengths[1] > 0:
        wide.append(st.builds(_repeat, some_text(1, 8), st.integers(*lengths)).filter(fits))
    if hi is not None and hi < 12:
        return wide  # no room around a short bound for the pieces below
    pad = max(0, lo - 1)
    for pieces in ODD_PIECES:
        odd = st.tuples(st.text(min_size=pad, max_size=max(pad, 8)), st.sampled_from(pieces), st.integers(0, max(pad, 8)))
        wide.append(odd.map(_put_in).filter(fits))
    spaced = st.tuples(st.sampled_from(("", *SPACES)), some_text(lo, max(lo, 8)), st.sampled_from(SPACES))
    wide.append(st.one_of(spaced.map(lambda t: t[0] + t[1] + t[2]), spaced.map(lambda t: t[2] + t[1])).filter(fits))
    if lo <= 1:
        wide.append(_NORMAL_FORMS)
    return wide


def _wide_ints(lo: int, hi: int) -> list[st.SearchStrategy[int]]:
    """Two kinds: the range's ends and their neighbours (the contract's bounds, or the edges of ±2**63), and
    2**k, 2**k - 1, 2**k + 1 and their negatives, within ``lo``..``hi``."""
    ends = sorted({n for n in (lo, lo + 1, hi - 1, hi) if lo <= n <= hi})
    powers = {n for k in range(64) for m in (2**k - 1, 2**k, 2**k + 1) for n in (m, -m) if lo <= n <= hi}
    wide: list[st.SearchStrategy[int]] = [st.sampled_from(ends)]
    if powers:
        wide.append(st.sampled_from(sorted(powers, key=lambda n: (abs(n), n < 0))))
    return wide


def _wide_bytes(lo: int, hi: int | None) -> list[st.SearchStrategy[bytes]]:
    """Empty and long bytes, where the length bounds allow them."""
    wide: list[st.SearchStrategy[bytes]] = []
    if lo == 0:
        wide.append(st.just(b""))
    lengths = _long_length(lo, hi)
    if lengths is not None and lengths[1] > 0:
        wide.append(st.builds(_repeat, st.binary(min_size=1, max_size=8), st.integers(*lengths)))
    return wide


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


_CACHE: dict[tuple[Any, int], tuple[Any, Any]] = {}


def strategy_for(domain: Domain, contract: Contract | None = None) -> Any:
    """The strategy that draws in the domain, or ``DOUBLE`` where a checker double stands in.

    Strategies are built once per domain and contract: building and validating
    them costs more than drawing from them.
    """
    try:
        key = (domain, id(contract))
        found = _CACHE.get(key)
    except TypeError:  # an unhashable annotation: build it afresh
        return _strategy_for(domain, contract)
    if found is None:
        # the entry keeps the contract alive, so its id cannot be reused by another one
        found = _CACHE[key] = (contract, _strategy_for(domain, contract))
    return found[1]


def _strategy_for(domain: Domain, contract: Contract | None) -> Any:
    base = _base_strategy(domain, contract)
    if domain.optional:
        if base is DOUBLE:
            return DOUBLE
        return st.none() | base
    return base


def _base_strategy(domain: Domain, contract: Contract | None) -> Any:
    tp = domain.base
    if contract is not None and tp in contract.strategies:
        return contract.strategies[tp]
    if tp is str:
        lo = domain.bound("min_length") or 0
        hi = domain.bound("max_length")
        base = _nonblank_text(lo, hi) if domain.nonempty else st.text(min_size=lo, max_size=hi)
        return _weighted(base, _wide_text(lo, hi, domain.nonempty))
    if tp is bool:
        return st.booleans()
    if tp is int:
        lo, hi = INT_MIN, INT_MAX
        if (v := domain.bound("ge")) is not None:
            lo = max(lo, math.ceil(v))
        if (v := domain.bound("gt")) is not None:
            lo = max(lo, math.floor(v) + 1)
        if (v := domain.bound("le")) is not None:
            hi = min(hi, math.floor(v))
        if (v := domain.bound("lt")) is not None:
            hi = min(hi, math.ceil(v) - 1)
        if lo > hi:
            return st.integers(min_value=lo, max_value=hi)  # an empty range: Hypothesis says so
        return _weighted(st.integers(min_value=lo, max_value=hi), _wide_ints(lo, hi))
    if tp is float:
        kwargs: dict[str, Any] = {"allow_nan": False, "allow_infinity": False}
        for name, key, excl in (
            ("ge", "min_value", None),
            ("gt", "min_value", "exclude_min"),
            ("le", "max_value", None),
            ("lt", "max_value", "exclude_max"),
        ):
            if (v := domain.bound(name)) is not None:
                kwargs[key] = v
                if excl:
                    kwargs[excl] = True
        return st.floats(**kwargs)
    if tp is bytes:
        lo = domain.bound("min_length") or 0
        hi = domain.bound("max_length")
        base_bytes = st.binary(min_size=lo, max_size=max(lo, 20) if hi is None else min(hi, max(lo, 20)))
        return _weighted(base_bytes, _wide_bytes(lo, hi))
    if tp is type(None):
        return st.none()
    if tp in (Any, object):
        return json_values
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and getattr(tp, "_is_protocol", False):
        return DOUBLE
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Literal:
        return st.sampled_from(args)
    if _is_union(tp):
        return st.one_of([_sub(a, contract) for a in args])
    if origin is not None:
        return _generic(origin, args, contract)
    if tp in (dict, cabc.Mapping, cabc.MutableMapping):
        return mappings
    if tp in (list, cabc.Sequence):
        return st.lists(json_values, max_size=4)
    return st.from_type(tp)


def _sub(annotation: Any, contract: Contract | None) -> Any:
    strat = strategy_for(read_domain(annotation, "nested"), contract)
    if strat is DOUBLE:
        proto = read_domain(annotation, "nested").base
        return st.builds(lambda: double(proto))
    return strat


def _generic(origin: Any, args: tuple[Any, ...], contract: Contract | None) -> Any:
    if origin in (dict, cabc.Mapping, cabc.MutableMapping):
        key, value = ((*args, Any, Any))[:2]
        if key is str and value in (Any, object):
            return mappings
        return st.dictionaries(_sub(key, contract), _sub(value, contract), max_size=4)
    if origin in (list, cabc.Sequence, cabc.MutableSequence, cabc.Iterable, cabc.Collection):
        return st.lists(_sub(args[0] if args else Any, contract), max_size=4)
    if origin in (set, cabc.Set, cabc.MutableSet):
        return st.sets(_sub(args[0], contract), max_size=4)
    if origin is frozenset:
        return st.frozensets(_sub(args[0], contract), max_size=4)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(_sub(args[0], contract), max_size=4).map(tuple)
        return st.tuples(*[_sub(a, contract) for a in args])
    return st.from_type(origin[args] if args else origin)
