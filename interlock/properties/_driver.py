"""Calls into a target: build it, make one call on a fresh instance, read its queries, probe one instance."""

from __future__ import annotations

from typing import Any

import attrs

from interlock.contracts._model import Contract, Member
from interlock.properties._doubles import CallLog, DoubleReturns
from interlock.properties._draw import DrawnReturns, draw_values
from interlock.properties._explore import Explorer
from interlock.properties._runner import Outcome, Runner, Where, targets_own
from interlock.properties._signature import binding_drift
from interlock.properties._subject import Subject, assert_imports, materialize, reproducer
from interlock.properties._values import describe_error, raise_site

__all__ = ["Call", "Driver", "Made", "materialize_all", "same"]


@attrs.define
class Call:
    """A call the checker makes: which target and member, with which drawn values."""

    subject: Subject
    member: Member
    ctor_values: dict[str, Any]
    values: dict[str, Any]
    by_position: bool = False
    before: tuple[str, ...] = ()
    """For a step of a sequence: the script of the steps before it, run on the same ``target``."""
    shown: dict[str, Any] | None = None
    """For a step of a sequence: the values as the script names them (``r1`` for step 1's result)."""
    uses: tuple[Any, ...] = ()
    """For a step of a sequence: the doubles the steps before it build (their imports)."""
    receiver: str = "target"
    """How the script names the instance called: ``target``, or ``target_1`` built on the same dependencies."""

    def example(
        self,
        extra: list[str] | None = None,
        *,
        result: bool = False,
        reject: str | None = None,
        catches: tuple[type[BaseException], ...] = (ValueError, TypeError),
        escapes: tuple[type[BaseException], ...] = (),
    ) -> str:
        """The reproducer; ``extra`` lines may use ``assert_returns``/``assert_clause`` and the contract by name."""
        imports: tuple[str, ...] = ()
        helpers = [h for h in ("assert_clause", "assert_returns") if any(h in line for line in [*self.before, *(extra or [])])]
        if helpers:
            imports = assert_imports(self.subject.contract, *helpers)
        return reproducer(
            self.subject,
            self.ctor_values,
            self.member,
            self.values if self.shown is None else self.shown,
            extra,
            by_position=self.by_position,
            result=result,
            imports=imports,
            reject=reject,
            catches=catches,
            escapes=escapes,
            before=self.before,
            uses=self.uses,
            receiver=self.receiver,
        )


@attrs.define
class Made:
    """A call made: the instance (if built), the outcome, and the calls the target made on doubles."""

    instance: Any
    outcome: Outcome | None
    log: CallLog
    build: Outcome | None = None
    bound: bool = True
    changed: tuple[str, ...] = ()
    binding: TypeError | None = None


class Driver:
    """Builds targets and makes calls for the checks; it judges nothing."""

    def __init__(self, contract: Contract, runner: Runner, explorer: Explorer) -> None:
        self.contract = contract
        self.runner = runner
        self.explorer = explorer
        self.current: Subject | None = None
        """The target being called: an internal error in a check over several targets names it."""

    def build(self, s: Subject, ctor_values: dict[str, Any], log: CallLog, returns: DoubleReturns) -> Outcome:
        self.current = s
        self.runner.where = Where(s, "__init__", lambda: reproducer(s, ctor_values))
        fn, args, kwargs = s.build_call(materialize_all(ctor_values, log, returns))
        built = self.runner.call(fn, args, kwargs, is_async=None)
        if built.returned and s.built_with is None:
            s.built_with = ctor_values
        return built

    def make(self, call: Call, returns: DoubleReturns, *, watch: bool = False) -> Made:
        """Build a fresh target and make the call. With ``watch``, the contract's query members
        (plain, argument-free methods) are read before and after, and what changed is kept."""
        log = CallLog()
        built = self.build(call.subject, call.ctor_values, log, returns)
        if not built.returned:
            return Made(None, None, log, build=built)
        return self.call_on(built.value, call, log, returns, built=built, watch=watch)

    def call_on(
        self, instance: Any, call: Call, log: CallLog, returns: DoubleReturns, *, built: Outcome | None = None, watch: bool = False
    ) -> Made:
        """Make the call on an instance already built (a fresh one, or one a sequence has driven so far)."""
        s, m = call.subject, call.member
        values = materialize_all(call.values, log, returns)
        plan = s.plans.get(m.name)
        if plan is None:
            return Made(instance, None, log, build=built, bound=False)
        args, kwargs = plan.split(m, values, by_position=call.by_position)
        sig = s.sigs.get(m.name)
        if sig is not None:
            try:
                sig.bind(*args, **kwargs)
            except TypeError:
                return Made(instance, None, log, build=built, bound=False)
        try:
            fn = getattr(instance, m.name)
        except BaseException as exc:  # a property that raises, SystemExit and KeyboardInterrupt too: the member's
            targets_own(exc)
            return Made(instance, Outcome(error=exc), log, build=built)
        before = self._queries(s, instance, m) if watch else {}
        self.runner.where = Where(s, m.name, call.example)
        outcome = self.runner.call(fn, args, kwargs, is_async=m.is_async)
        if plan.opaque and outcome.error is not None and binding_drift(m, outcome.error) is not None:
            assert isinstance(outcome.error, TypeError)  # the sweep's calls by position still reach the behaviour
            return Made(instance, None, log, build=built, bound=False, binding=outcome.error)
        changed: tuple[str, ...] = ()
        if before:
            after = self._queries(s, instance, m)
            changed = tuple(q for q, v in before.items() if q in after and not same(after[q], v))
        return Made(instance, outcome, log, build=built, changed=changed)

    def _queries(self, s: Subject, instance: Any, m: Member) -> dict[str, Any]:
        """What the contract's query members say of an instance; a query that fails says nothing."""
        out: dict[str, Any] = {}
        for q in self.contract.members:
            if q.role != "method" or q.is_async or q.parameters or q.name == m.name or not s.callable_member(q.name):
                continue
            try:
                fn = getattr(instance, q.name)
            except BaseException as exc:
                targets_own(exc)
                continue
            got = self.runner.call(fn, [], {}, is_async=False)
            if got.returned:
                out[q.name] = got.value
        return out

    def probe(self, s: Subject) -> Any:
        """Build one instance for the checks that need one (data members, a factory's methods)."""
        box: list[Any] = []
        ctor = self.contract.constructor

        def test(data: Any) -> None:
            values = draw_values(data, self.contract, ctor) if ctor is not None and s.mode != "zero" else {}
            if s.build_error is not None:
                return
            built = self.build(s, values, CallLog(), DrawnReturns(data, self.contract))
            if built.returned:
                box.append(built.value)
            elif built.timed_out:
                s.record(
                    s.violation(
                        "timeout",
                        "__init__",
                        None,
                        f"building the target did not return within {self.runner.timeout:g}s",
                        reproducer(s, values),
                    )
                )
                box.append(None)
                s.build_error = "building it timed out"
            elif not box and s.mode == "zero":
                err = built.error
                s.build_error = f"the factory raised {describe_error(err)}" if err else "the factory failed"
                if err is not None:  # a factory that builds nothing conforms to nothing: as a constructor that raises
                    s.record(
                        s.violation(
                            "unexpected-exception",
                            "__init__",
                            None,
                            f"__init__: the factory raised {describe_error(err)} instead of building the target",
                            reproducer(s, values),
                            cause=raise_site(err),
                        )
                    )

        self.explorer.once(f"probe_{s.label}", test, max_examples=5)
        if not box and s.build_error is None and s.mode == "zero":
            s.build_error = "the factory could not build an instance"
        if s.build_error is not None:
            for m in self.contract.members:
                if m.role != "constructor":
                    s.note(m.name, None, f"its behaviour was not checked: {s.build_error}")
        return box[0] if box else None


def materialize_all(values: dict[str, Any], log: CallLog, returns: DoubleReturns) -> dict[str, Any]:
    return {k: materialize(v, log, returns) for k, v in values.items()}


def same(a: Any, b: Any) -> bool:
    """``a == b``, where an ``__eq__`` that raises means identity."""
    try:
        return bool(a == b)
    except Exception:
        return a is b
