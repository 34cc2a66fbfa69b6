"""``interlock.check``: the checker from Python, with the same results as the command."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from interlock._imports import resolve
from interlock._options import DEFAULT_MAX_EXAMPLES, DEFAULT_STEPS, DEFAULT_TIMEOUT, DEFAULT_USERS, Options
from interlock.contracts._declare import get_contract, implementations
from interlock.contracts._model import Contract
from interlock.errors import UsageError
from interlock.properties._engine import Selection, run_check
from interlock.properties._isolate import run_isolated
from interlock.properties._report import Report
from interlock.properties._values import a_or_an

__all__ = ["check", "reference_entry", "target_label"]

Entry = tuple[str, Any, tuple[str, str] | None]


def target_label(obj: Any) -> str:
    """The name a target is reported under: ``module:qualname``."""
    module = getattr(obj, "__module__", None) or "?"
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}:{name}"


def check(
    contract: Any,
    *targets: Any,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
    seed: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    isolate: bool = False,
    sequences: int | None = None,
    steps: int = DEFAULT_STEPS,
    reference: Any = None,
    baseline: Any = None,
    select: Any = None,
    ignore: Any = None,
    sockets: str = "doubles",
    users: int = DEFAULT_USERS,
    socket_port: int = 0,
    example_db: str | None = None,
    clauses: Any = None,
) -> Report:
    """Check each target (a class, or a factory returning an instance) against ``contract``.

    With no targets, the implementations recorded with ``@implements`` and
    ``register`` are checked. Returns a ``Report``; ``report.assert_conforms()``
    raises ``interlock.DriftError`` with the whole report when anything drifts.
    With ``isolate=True`` the check runs in a child process, so a target that
    kills the process (``os._exit``, a crash in C code) is reported as ``crash``.
    ``sequences`` generated sequences of calls, of at most ``steps`` calls each, run on one
    instance of each target (``None``: as many as ``max_examples``; 0 turns the phase off).

    The options are held to the rules of ``interlock._options.Options``, as on the command line:
    ``max_examples`` a whole number of 1 or more, ``seed`` a whole number of 0 or more or None,
    ``timeout`` a number of seconds from 0.001 to 86400, ``isolate`` True or False, ``sequences`` a
    whole number of 0 or more or None, ``steps`` a whole number of 1 or more; a bad one raises
    ``UsageError`` naming it and the value.

    ``reference`` is an implementation or a model (a class or factory, or its import path
    ``package.module:Name``) that runs every input and sequence the targets do: a target whose outcome differs
    from the reference's gets ``differential``, the reference never does. It must itself conform on in-domain
    values (a ``UsageError`` otherwise); its input strictness is not checked. ``None`` takes the contract's
    default (``@interlock.contract(reference=...)``), ``False`` compares with none.

    ``baseline`` is a baseline file (``interlock check --update-baseline FILE`` writes one): a violation it lists
    is ``known`` (``report.known_violations``; ``assert_conforms`` does not raise for it), any other is ``new``, and
    its entries of this contract and these targets that nothing matched are ``report.fixed``. ``select`` and
    ``ignore`` are violation kinds (a list, or text ``"a,b"``): a kind not selected, or ignored, is left out of the
    report and counted in ``report.ignored``.

    ``sockets="real"`` checks the WebSocket contracts over real sockets: each socket a clause needs is a real
    Starlette ``WebSocket`` served by uvicorn on 127.0.0.1 (on ``socket_port``, 0 for a free one) with a
    ``websockets`` client on the other end, and the isolation clauses run a load phase of ``users`` users at once
    (the ``asgi`` extra: ``pip install 'interlock[asgi]'``; without it, or on a port that cannot be bound, a
    ``UsageError``).

    ``example_db`` names where known failures are kept and, without a ``seed``, replayed first (``None``:
    Hypothesis's own database): ``"redis://host:port/db"`` (needs ``interlock[redis]``), a directory path, either
    followed by ``",readonly"`` to only read it, several separated by commas. Keys are namespaced per contract,
    target and check. A database that cannot be reached, at the start or during the run, is said in one line on
    standard error and left out; the run goes on.

    ``clauses`` limits the run to some of the contract's clauses (their ids: a list, or text ``"a,b"``): a scenario
    clause runs its scenario; a clause on a member runs that member's checks (its sweep and out-of-domain values)
    and the generated sequences. The signatures are always compared; whatever those checks find is reported, and
    every clause and member left out is in the report's ``not_checked``. An id the contract does not have is a
    ``UsageError`` listing its clauses.
    """
    model = get_contract(contract)
    options = Options(
        max_examples=max_examples,
        seed=seed,
        timeout=timeout,
        isolate=isolate,
        sequences=sequences,
        steps=steps,
        sockets=sockets,
        users=users,
        socket_port=socket_port,
        example_db=example_db,
        clauses=clauses,
    )
    Selection.of(model, options.clauses)  # an id the contract does not have: said before anything runs
    chosen = list(targets) or implementations(model.protocol)
    if not chosen:
        raise UsageError(f"no targets for {model.name}: pass implementations, or record them with @interlock.implements")
    for t in chosen:
        if not callable(t):
            raise UsageError(f"target {t!r} is not a class or a factory; pass the class itself, or a function returning an instance")
    entries = [(target_label(t), t, None) for t in chosen]
    judge = reference_entry(model, reference)
    judged: dict[str, Any] = {"reference": judge} if judge is not None else {}
    adopted = _adoption(baseline, select, ignore)
    if options.isolate:
        report = run_isolated(model, entries, **judged, **options.run_options())
        if report.stop_signal is not None:  # as in this process: the user's stop ends the caller's run too
            raise KeyboardInterrupt(report.stop_signal)
    else:
        report = run_check(model, entries, **judged, **options.run_options())
    return adopted(report) if adopted is not None else report


def _adoption(baseline: Any, select: Any, ignore: Any) -> Callable[[Report], Report] | None:
    """What ``baseline``, ``select`` and ``ignore`` do to a report (read and checked before the run), or None."""
    if baseline is None and select is None and ignore is None:
        return None
    from interlock import _baseline

    kinds = _baseline.Filter(
        select=_baseline.parse_kinds("select", select) if select is not None else None,
        ignore=_baseline.parse_kinds("ignore", ignore) if ignore is not None else (),
    )
    if baseline is not None and not isinstance(baseline, str | os.PathLike):
        raise UsageError(f"baseline must be the path of a baseline file (got {baseline!r})")
    known = _baseline.load(baseline) if baseline is not None else None
    return functools.partial(_baseline.apply, kinds=kinds, baseline=known)


def reference_entry(model: Contract, given: Any) -> Entry | None:
    """The reference a check compares with: ``given`` (an object or an import path), else with ``None`` the
    contract's default; ``False`` is none. A path that does not import, or an object that cannot be called,
    is a ``UsageError``."""
    if given is False:
        return None
    chosen = model.reference if given is None else given
    if chosen is None:
        return None
    if isinstance(chosen, str):
        obj, where = resolve(chosen)
        if not callable(obj):
            raise UsageError(f"reference {chosen!r} is {a_or_an(type(obj).__name__)}, not a class or a factory")
        return (chosen, obj, where)
    if chosen is True or not callable(chosen):
        raise UsageError(f"reference {chosen!r} is not a class or a factory; pass the class itself, or an import path package.module:Name")
    return (target_label(chosen), chosen, None)
