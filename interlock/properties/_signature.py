"""Signature conformance, computed from signatures without running the target.

Every difference is found at once, and each comes with how a caller written
against the contract can still reach the member (a ``CallPlan``), so one drift
does not hide the behaviour behind it.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable
from typing import Any

import attrs

from interlock.contracts._model import Kind, Member, Parameter

__all__ = ["CallPlan", "Drift", "binding_drift", "compare_signature", "target_signature"]

_P = inspect.Parameter
_EMPTY = inspect.Parameter.empty


@attrs.frozen
class Drift:
    """One signature difference: its kind, the contract parameter it concerns, and what it means."""

    kind: Kind
    parameter: str | None
    message: str


@attrs.frozen
class CallPlan:
    """How to pass the contract's arguments: the first ``positional`` by position, the rest by name.

    ``omit`` lists optional parameters the target lacks; they are left out of calls.
    """

    positional: int
    omit: frozenset[str] = frozenset()
    max_positional: int = 0
    opaque: bool = False
    """The target takes ``(*args, **kwargs)``: its shape says nothing, and calling it tells (report.md)."""

    def split(self, member: Member, values: dict[str, Any], *, by_position: bool = False) -> tuple[list[Any], dict[str, Any]]:
        """Arguments and keyword arguments for a call; ``by_position`` passes all it can by position."""
        limit = max(self.positional, self.max_positional) if by_position else self.positional
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        contiguous = True
        for i, p in enumerate(member.parameters):
            if p.name not in values or p.name in self.omit:
                contiguous = False
                continue
            if i < limit and contiguous:
                args.append(values[p.name])
            else:
                kwargs[p.name] = values[p.name]
        return args, kwargs


def target_signature(fn: Callable[..., Any]) -> inspect.Signature | None:
    """The signature a caller meets, read through ``functools.wraps``; None where Python cannot tell."""
    try:
        return inspect.signature(fn)
    except Exception:  # TypeError, ValueError, or a metaclass of the target's that breaks inspect
        return None


def _fmt_default(value: Any) -> str:
    return repr(value)


def compare_signature(member: Member, sig: inspect.Signature) -> tuple[list[Drift], CallPlan | None]:
    """Compare a target's signature (``self`` already bound) with the contract member's.

    Returns the drifts and the plan for calling it, or None when no call written
    against the contract can reach it.
    """
    if member.is_dunder:
        return _compare_by_position(member, sig)
    tparams = list(sig.parameters.values())
    var_pos = any(p.kind is _P.VAR_POSITIONAL for p in tparams)
    var_kw = any(p.kind is _P.VAR_KEYWORD for p in tparams)
    named = [p for p in tparams if p.kind not in (_P.VAR_POSITIONAL, _P.VAR_KEYWORD)]
    if var_pos and var_kw and not any(p.default is _EMPTY for p in named):
        # (*args, **kwargs): judged by calling it, by name and by position
        return [], CallPlan(positional=0, max_positional=sum(1 for p in member.parameters if p.positional), opaque=True)
    by_name = {p.name: p for p in named}
    t_pos = [p for p in named if p.kind in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)]
    contract_names = {p.name for p in member.parameters}
    drifts: list[Drift] = []
    need_positional = 0
    omit: set[str] = set()
    uncallable = False
    used: set[str] = set()
    c_pos = [p for p in member.parameters if p.positional]

    def add(kind: Kind, param: str | None, text: str) -> None:
        drifts.append(Drift(kind, param, f"{member.name}: {text}"))

    for i, c in enumerate(member.parameters):
        t = by_name.get(c.name)
        if t is not None and t.kind is not _P.POSITIONAL_ONLY:
            used.add(t.name)
            if c.positional:
                if t.kind is _P.KEYWORD_ONLY:
                    add(
                        "signature-mismatch",
                        c.name,
                        f"parameter {c.name!r} is keyword-only in the target; a caller passing it by position gets TypeError",
                    )
                elif t_pos.index(t) != c_pos.index(c):
                    add(
                        "signature-mismatch",
                        c.name,
                        f"parameter {c.name!r} is at position {t_pos.index(t) + 1} in the target, {c_pos.index(c) + 1} in the contract; positional callers pass the wrong value",
                    )
            _compare_optional(c, t, add)
            continue
        if t is not None:  # positional-only: the name exists but cannot be passed by name
            used.add(t.name)
            add(
                "param-name-drift",
                c.name,
                f"parameter {c.name!r} is positional-only in the target; a caller passing {c.name}=... gets TypeError",
            )
            need_positional = max(need_positional, i + 1)
            _compare_optional(c, t, add)
            continue
        slot = _slot(c, member.parameters, t_pos) if c.positional else None
        if slot is not None and slot.name not in contract_names:
            used.add(slot.name)
            add(
                "param-name-drift",
                c.name,
                f"parameter {c.name!r} is named {slot.name!r} in the target; a caller passing {c.name}=... gets TypeError",
            )
            need_positional = max(need_positional, i + 1)
            continue
        if c.kind is _P.KEYWORD_ONLY:
            spare = [p for p in named if p.kind is _P.KEYWORD_ONLY and p.name not in contract_names and p.name not in used]
            if len(spare) == 1 and not var_kw:
                used.add(spare[0].name)
                add(
                    "param-name-drift",
                    c.name,
                    f"parameter {c.name!r} is named {spare[0].name!r} in the target; a caller passing {c.name}=... gets TypeError",
                )
                uncallable = uncallable or c.required
                continue
        if var_kw and (not c.positional or var_pos or slot is not None):
            continue  # reached through **kwargs (and *args, or a slot, for positional callers)
        if var_kw:
            add(
                "signature-mismatch",
                c.name,
                f"parameter {c.name!r} can only be passed by name in the target (it takes **kwargs); positional callers break",
            )
            continue
        add("signature-mismatch", c.name, f"parameter {c.name!r} is missing from the target; a caller passing it gets TypeError")
        if c.required:
            uncallable = True
        else:
            omit.add(c.name)
    for t in named:
        if t.name in used or t.name in contract_names or t.default is not _EMPTY:
            continue
        add(
            "signature-mismatch",
            None,
            f"the target requires a parameter {t.name!r} that the contract does not have; callers written against the contract omit it",
        )
        uncallable = True
    if need_positional:
        # every parameter before a renamed one travels by position: each needs a slot there
        for j in range(need_positional):
            if j >= len(t_pos) and not var_pos:
                uncallable = True
    if uncallable:
        return drifts, None
    drifted = {d.parameter for d in drifts}
    max_positional = 0
    for i, c in enumerate(member.parameters):
        if not c.positional or c.name in drifted or c.name in omit or not (i < len(t_pos) or var_pos):
            break
        max_positional = i + 1
    return drifts, CallPlan(positional=need_positional, omit=frozenset(omit), max_positional=max_positional)


def _compare_by_position(member: Member, sig: inspect.Signature) -> tuple[list[Drift], CallPlan | None]:
    """A special method is called by operators, always by position: names do not matter, places and counts do."""
    tparams = list(sig.parameters.values())
    var_pos = any(p.kind is _P.VAR_POSITIONAL for p in tparams)
    t_pos = [p for p in tparams if p.kind in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)]
    drifts: list[Drift] = []
    uncallable = False
    for i, c in enumerate(member.parameters):
        if i < len(t_pos):
            if not c.required and t_pos[i].default is _EMPTY:
                drifts.append(
                    Drift(
                        "signature-mismatch",
                        c.name,
                        f"{member.name}: argument {i + 1} ({c.name!r}) is required in the target but optional in the contract",
                    )
                )
        elif not var_pos:
            drifts.append(
                Drift(
                    "signature-mismatch",
                    c.name,
                    f"{member.name}: the target takes no argument {i + 1} ({c.name!r}); callers passing it get TypeError",
                )
            )
            uncallable = uncallable or c.required
    extra = [p for p in t_pos[len(member.parameters) :] if p.default is _EMPTY]
    extra += [p for p in tparams if p.kind is _P.KEYWORD_ONLY and p.default is _EMPTY]
    for p in extra:
        drifts.append(
            Drift(
                "signature-mismatch",
                None,
                f"{member.name}: the target requires a parameter {p.name!r} that the contract does not have; callers omit it",
            )
        )
        uncallable = True
    if uncallable:
        return drifts, None
    count = len(member.parameters)
    return drifts, CallPlan(positional=count, max_positional=count)


def _slot(c: Parameter, params: tuple[Parameter, ...], t_pos: list[inspect.Parameter]) -> inspect.Parameter | None:
    index = [p for p in params if p.positional].index(c)
    return t_pos[index] if index < len(t_pos) else None


def _compare_optional(c: Parameter, t: inspect.Parameter, add: Callable[[Kind, str | None, str], None]) -> None:
    if not c.required and t.default is _EMPTY:
        add(
            "signature-mismatch",
            c.name,
            f"parameter {c.name!r} is required in the target but optional in the contract; callers that omit it get TypeError",
        )
    elif not c.required and t.default is not _EMPTY and not _same_default(c.default, t.default):
        add(
            "signature-mismatch",
            c.name,
            f"parameter {c.name!r} defaults to {_fmt_default(t.default)} in the target, {_fmt_default(c.default)} in the contract; callers that omit it get another behaviour",
        )


def _same_default(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return type(a) is type(b) and bool(a == b)
    except Exception:
        return False


_BINDING: tuple[tuple[re.Pattern[str], Kind, str], ...] = (
    (
        re.compile(r"\(\) got an unexpected keyword argument '(\w+)'"),
        "param-name-drift",
        "parameter {p!r} is not a name the target's inner function takes; a caller passing {p}=... gets TypeError",
    ),
    (
        re.compile(r"\(\) got some positional-only arguments passed as keyword arguments: '(\w+)"),
        "param-name-drift",
        "parameter {p!r} is positional-only in the target's inner function; a caller passing {p}=... gets TypeError",
    ),
    (
        re.compile(r"\(\) missing \d+ required (?:positional|keyword-only) arguments?: '(\w+)'"),
        "signature-mismatch",
        "the target's inner function requires {p!r}, which a caller written against the contract does not pass",
    ),
    (
        re.compile(r"\(\) got multiple values for argument '(\w+)'"),
        "signature-mismatch",
        "the target's inner function takes {p!r} at another place; a caller written against the contract gets TypeError",
    ),
    (
        re.compile(r"\(\) takes (?:from )?\d+ (?:to \d+ )?positional arguments? but \d+ (?:was|were) given"),
        "signature-mismatch",
        "the target's inner function takes fewer arguments by position than the contract passes",
    ),
)

_C_BINDING: tuple[tuple[re.Pattern[str], Kind, str], ...] = (
    (
        re.compile(r"takes no keyword arguments"),
        "param-name-drift",
        "the target (written in C) takes its arguments by position only; a caller passing {p}=... gets TypeError",
    ),
    (
        re.compile(r"takes no arguments \(\d+ given\)|expected at most \d+ arguments?, got \d+|takes at most \d+ arguments? \(\d+ given\)"),
        "signature-mismatch",
        "the target (written in C) takes fewer arguments than the contract passes",
    ),
    (
        re.compile(r"expected at least \d+ arguments?, got \d+|takes exactly \d+ arguments? \(\d+ given\)"),
        "signature-mismatch",
        "the target (written in C) requires more arguments than the contract passes",
    ),
)
"""The binding errors of a function written in C, whose signature Python cannot read: trusted only when the
error was raised before any Python code of the target ran (no frame of the target's in the traceback)."""


def binding_drift(member: Member, error: BaseException) -> Drift | None:
    """The drift a ``(*args, **kwargs)`` target shows by Python's own binding ``TypeError``, or None for any other."""
    if type(error) is not TypeError:
        return None
    try:
        text = str(error)
    except Exception:
        return None
    names = {p.name for p in member.parameters}
    for pattern, kind, message in _BINDING:
        found = pattern.search(text)
        if found is None:
            continue
        name = found.group(1) if found.groups() else None
        parameter = name if name in names else None
        if kind == "param-name-drift" and parameter is None:
            continue
        shown = name or "an argument"
        return Drift(kind, parameter, f"{member.name}: {message.format(p=shown)} ({text})")
    if _raised_in_python(error):
        return None
    for pattern, kind, message in _C_BINDING:
        if pattern.search(text) is None:
            continue
        first = next((p.name for p in member.parameters if p.positional), None)
        parameter = first if kind == "param-name-drift" else None
        if kind == "param-name-drift" and parameter is None:
            continue
        return Drift(kind, parameter, f"{member.name}: {message.format(p=parameter)} ({text})")
    return None


def _raised_in_python(error: BaseException) -> bool:
    """Whether the error came from inside Python code of the target's (a frame outside the checker)."""
    tb = error.__traceback__
    here = os.path.dirname(os.path.abspath(__file__))
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(here):
            return True
        tb = tb.tb_next
    return False
