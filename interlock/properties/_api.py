"""``interlock.check``: the checker from Python, with the same results as the command."""

from __future__ import annotations

from typing import Any

from interlock.contracts._declare import get_contract, implementations
from interlock.errors import UsageError
from interlock.properties._engine import run_check
from interlock.properties._isolate import run_isolated
from interlock.properties._report import Report

__all__ = ["check", "target_label"]


def target_label(obj: Any) -> str:
    """The name a target is reported under: ``module:qualname``."""
    module = getattr(obj, "__module__", None) or "?"
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
    return f"{module}:{name}"


def check(
    contract: Any,
    *targets: Any,
    max_examples: int = 100,
    seed: int | None = None,
    timeout: float = 5.0,
    isolate: bool = False,
) -> Report:
    """Check each target (a class, or a factory returning an instance) against ``contract``.

    With no targets, the implementations recorded with ``@implements`` and
    ``register`` are checked. Returns a ``Report``; ``report.assert_conforms()``
    raises ``interlock.DriftError`` with the whole report when anything drifts.
    With ``isolate=True`` the check runs in a child process, so a target that
    kills the process (``os._exit``, a crash in C code) is reported as ``crash``.
    """
    model = get_contract(contract)
    if not isinstance(max_examples, int) or isinstance(max_examples, bool) or max_examples < 1:
        raise UsageError(f"max_examples must be a whole number of 1 or more (got {max_examples!r})")
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not timeout > 0:
        raise UsageError(f"timeout must be a number of seconds above 0 (got {timeout!r})")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise UsageError(f"seed must be a whole number (got {seed!r})")
    chosen = list(targets) or implementations(model.protocol)
    if not chosen:
        raise UsageError(f"no targets for {model.name}: pass implementations, or record them with @interlock.implements")
    for t in chosen:
        if not callable(t):
            raise UsageError(f"target {t!r} is not a class or a factory; pass the class itself, or a function returning an instance")
    entries = [(target_label(t), t, None) for t in chosen]
    if isolate:
        return run_isolated(model, entries, max_examples=max_examples, seed=seed, timeout=float(timeout))
    return run_check(model, entries, max_examples=max_examples, seed=seed, timeout=float(timeout))
