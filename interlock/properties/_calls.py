"""One call into a target, and what it means: the verdict for in-domain and out-of-domain values."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from hypothesis import strategies as st

from interlock.contracts._domain import format_annotation
from interlock.contracts._model import Clause, Comparable, Contract, Draws, Ensures, Kind, Member, Raises, ReportsFailure
from interlock.properties._doubles import CallLog, DoubleReturns
from interlock.properties._draw import DrawnReturns, draw_values
from interlock.properties._explore import Candidate, Explorer
from interlock.properties._report import Violation
from interlock.properties._runner import Outcome, Runner
from interlock.properties._signature import binding_drift
from interlock.properties._strategies import DOUBLE, outside_values, strategy_for
from interlock.properties._subject import Subject, _call_text, materialize, reproducer
from interlock.properties._types import type_problem
from interlock.properties._values import describe_error, py_repr
from interlock.properties._verdicts import Raised, Rejected, Returned
from interlock.properties._watch import Unjudged, watched

__all__ = ["Call", "Caller"]

_REJECTIONS = (ValueError, TypeError)


@attrs.define
class Call:
    """A call the checker makes: which target and member, with which drawn values."""

    subject: Subject
    member: Member
    ctor_values: dict[str, Any]
    values: dict[str, Any]
    by_position: bool = False

    def example(self, extra: list[str] | None = None, *, result: bool = False, reject: str | None = None) -> str:
        """The reproducer; ``extra`` lines may use ``assert_returns``/``assert_clause`` and the contract by name."""
        imports: tuple[str, ...] = ()
        helpers = [h for h in ("assert_clause", "assert_returns") if any(h in line for line in extra or [])]
        if helpers:
            imports = _assert_imports(self.subject.contract, *helpers)
        return reproducer(
            self.subject,
            self.ctor_values,
            self.member,
            self.values,
            extra,
            by_position=self.by_position,
            result=result,
            imports=imports,
            reject=reject,
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


def _short(exc: BaseException) -> str:
    return describe_error(exc)


class Caller:
    """Makes calls on behalf of the checks and turns outcomes into violations."""

    def __init__(self, contract: Contract, runner: Runner, explorer: Explorer) -> None:
        self.contract = contract
        self.runner = runner
        self.explorer = explorer
        self.current: Subject | None = None
        """The target being called: an internal error in a check over several targets names it."""

    # ---- making violations ---------------------------------------------------------------
    def violation(
        self, s: Subject, kind: Kind, member: str | None, parameter: str | None, message: str, example: str, *, clause: str | None = None
    ) -> Violation:
        loc_member = member.split("().")[0] if member and "()." in member else member
        return Violation(
            target=s.label,
            kind=kind,
            member=f"{s.prefix}{member}" if member and s.prefix else member,
            parameter=parameter,
            message=message,
            example=example,
            location=s.location(loc_member),
            clause=clause,
        )

    def signature_example(self, s: Subject, m: Member | None, instance: Any) -> str:
        """Python that prints the target's signature beside the contract's."""
        if m is None:
            return reproducer(s, {})
        if s.head is not None:
            base = reproducer(s, {})
            return f"import inspect\n{base}\nprint(inspect.signature(product.{m.name}))  # contract: {m.signature_text()}"
        module, name = s.import_path or (getattr(s.obj, "__module__", "__main__"), getattr(s.obj, "__qualname__", "target"))
        head = name.split(".")[0]
        if m.role == "constructor":
            return f"import inspect\nfrom {module} import {head}\nprint(inspect.signature({name}))  # contract: {m.signature_text()}"
        owner = name if s.mode == "class" else f"{name}()"
        return f"import inspect\nfrom {module} import {head}\nprint(inspect.signature({owner}.{m.name}))  # contract: {m.signature_text()}"

    # ---- building and calling ------------------------------------------------------------
    def build(self, s: Subject, ctor_values: dict[str, Any], log: CallLog, returns: DoubleReturns) -> Outcome:
        self.current = s
        fn, args, kwargs = s.build_call(materialize_all(ctor_values, log, returns))
        return self.runner.call(fn, args, kwargs, is_async=None)

    def make(self, call: Call, returns: DoubleReturns, *, watch: bool = False) -> Made:
        """Build a fresh target and make the call. With ``watch``, the contract's query members
        (plain, argument-free methods) are read before and after, and what changed is kept."""
        s, m = call.subject, call.member
        log = CallLog()
        built = self.build(s, call.ctor_values, log, returns)
        if not built.returned:
            return Made(None, None, log, build=built)
        instance = built.value
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
        except Exception as exc:
            return Made(instance, Outcome(error=exc), log, build=built)
        before = self._queries(s, instance, m) if watch else {}
        outcome = self.runner.call(fn, args, kwargs, is_async=m.is_async)
        if plan.opaque and outcome.error is not None and binding_drift(m, outcome.error) is not None:
            assert isinstance(outcome.error, TypeError)  # the sweep's calls by position still reach the behaviour
            return Made(instance, None, log, build=built, bound=False, binding=outcome.error)
        changed: tuple[str, ...] = ()
        if before:
            after = self._queries(s, instance, m)
            changed = tuple(q for q, v in before.items() if q in after and not _same(after[q], v))
        return Made(instance, outcome, log, build=built, changed=changed)

    def _queries(self, s: Subject, instance: Any, m: Member) -> dict[str, Any]:
        """What the contract's query members say of an instance; a query that fails says nothing."""
        out: dict[str, Any] = {}
        for q in self.contract.members:
            if q.role != "method" or q.is_async or q.parameters or q.name == m.name or not s.callable_member(q.name):
                continue
            try:
                fn = getattr(instance, q.name)
            except Exception:
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
                    self.violation(
                        s,
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
                s.build_error = f"the factory raised {_short(err)}" if err else "the factory failed"

        self.explorer.once(f"probe_{s.label}", test, max_examples=5)
        if not box and s.build_error is None and s.mode == "zero":
            s.build_error = "the factory could not build an instance"
        if s.build_error is not None:
            for m in self.contract.members:
                if m.role != "constructor":
                    s.note(m.name, None, f"not checked: {s.build_error}")
        return box[0] if box else None

    def check_attribute(self, s: Subject, m: Member, instance: Any) -> None:
        """A data member, read on a built instance: present, readable and of its declared type."""
        try:
            value = getattr(instance, m.name)
        except AttributeError:
            s.record(
                self.violation(
                    s,
                    "missing-member",
                    m.name,
                    None,
                    f"{m.name}: a built target has no attribute {m.name!r}; the contract declares {m.signature_text()}",
                    reproducer(s, {}, extra=[f"assert hasattr(target, {m.name!r}), 'missing-member: {m.name}'"]),
                )
            )
            return
        except Exception as exc:  # a property of the target's that raises
            s.record(
                self.violation(
                    s,
                    "unexpected-exception",
                    m.name,
                    None,
                    f"{m.name}: reading the attribute raised {describe_error(exc)}",
                    reproducer(s, {}, extra=[f"target.{m.name}"]),
                )
            )
            return
        problem = type_problem(value, m.returns, m.name)
        if problem:
            s.record(
                self.violation(
                    s,
                    "return-type",
                    m.name,
                    None,
                    f"{m.name}: the attribute is {problem}; the contract declares {m.signature_text()}",
                    reproducer(
                        s,
                        {},
                        extra=[f"assert_returns({_contract_ref(self.contract)}, {m.name!r}, target.{m.name})"],
                        imports=_assert_imports(self.contract, "assert_returns"),
                    ),
                )
            )

    # ---- in-domain -------------------------------------------------------------------------
    def in_domain(self, call: Call, returns: DoubleReturns) -> tuple[list[Violation], Any]:
        """Call with in-domain values: the violations, and the outcome's signature for ``differential``."""
        s, m = call.subject, call.member
        made = self.make(call, returns)
        if made.build is not None and not made.build.returned:
            return self._build_failed(call, made.build, returns), None
        if made.binding is not None:
            return self._binding_drift(call, made.binding), None
        if not made.bound or made.outcome is None:
            return [], None
        out = made.outcome
        if out.timed_out:
            s.record(
                self.violation(
                    s,
                    "timeout",
                    m.name,
                    None,
                    f"{m.name}: the call did not return within {self.runner.timeout:g}s; {self.runner.stops}",
                    call.example(),
                )
            )
            s.skip.add(m.name)
            s.note(m.name, None, "not called again after it timed out")
            return [], None
        found: list[Violation] = []
        if out.awaitable_mismatch:
            # reported, and the value it gave (awaited where it was an awaitable) is still judged
            found.append(self.violation(s, "async-mismatch", m.name, None, f"{m.name}: {out.awaitable_mismatch}", call.example()))
        if out.error is not None:
            raised, verdict = self._raised(call, out.error, returns, made.instance)
            return found + raised, None if found else verdict
        failure = self._failure_clause(m)
        problem = type_problem(out.value, m.returns, m.name)
        if problem:
            found.append(
                self.violation(
                    s,
                    "return-type",
                    m.name,
                    None,
                    f"{m.name}: returned {problem}; the contract declares -> {_ret(m)}",
                    call.example([f"assert_returns({_contract_ref(self.contract)}, {m.name!r}, result)"], result=True),
                )
            )
            return found, None
        if failure is not None and _passes(failure, out.value):
            return found, None if found else Rejected()
        for clause in self.contract.rules(m.name, Ensures):
            broken = self._ensures(clause, made, out.value, call)
            if broken is not None:
                found.append(broken)
        if found:
            return found, None
        comparable = self.contract.rules(m.name, Comparable)
        if comparable:
            rule = comparable[0].rule
            assert isinstance(rule, Comparable)
            proj = rule.projection
            try:
                key = proj(out.value) if proj else out.value
            except Exception as exc:
                key = ("projection raised", describe_error(exc))
            return [], Returned(key, shown=True)
        return [], Returned(None)

    def _ensures(self, clause: Clause, made: Made, result: Any, call: Call) -> Violation | None:
        """Judge one postcondition; a query it asks of the target is checked where it is seen, like any result."""
        rule = clause.rule
        assert isinstance(rule, Ensures)
        s, m = call.subject, call.member
        env = dict(call.values)
        env["result"] = result
        env["target"] = watched(self.contract, made.instance, self._query_report(call)) if "target" in rule.wants else made.instance
        kwargs = {k: v for k, v in env.items() if k in rule.wants}
        for name in rule.wants - set(kwargs):
            if name in {q.name for q in m.parameters}:
                kwargs[name] = m.parameter(name).default
        check = call.example([f"assert_clause({_contract_ref(self.contract)}, {clause.id!r}{_clause_args(rule, call)})"], result=True)
        try:
            outcome = self.runner.call(rule.predicate, [], kwargs, is_async=None)
        except Unjudged as unjudged:
            s.note(m.name, clause.id, f"not judged where {unjudged.reason} (reported as return-type)")
            return unjudged.violation
        if outcome.timed_out:
            s.note(m.name, clause.id, f"not judged: checking it did not finish within {self.runner.timeout:g}s")
            return None
        err = outcome.error
        if isinstance(err, AssertionError):
            return self.violation(
                s, clause.kinds[0], m.name, None, f"{m.name}: broke '{clause.id}': {describe_error(err)}", check, clause=clause.id
            )
        if err is not None:
            return self.violation(
                s,
                clause.kinds[0],
                m.name,
                None,
                f"{m.name}: checking '{clause.id}' raised {describe_error(err)} on the result {_clip(py_repr(result))}",
                check,
                clause=clause.id,
            )
        try:
            ok = bool(outcome.value)
        except Exception as exc:
            ok, note = False, f" (its truth value raised {describe_error(exc)})"
        else:
            note = ""
        if not ok:
            return self.violation(
                s,
                clause.kinds[0],
                m.name,
                None,
                f"{m.name}: broke '{clause.id}' ({clause.text}); it returned {_clip(py_repr(result))}{note}",
                check,
                clause=clause.id,
            )
        return None

    def _query_report(self, call: Call) -> Callable[[Member, Any, tuple[Any, ...], dict[str, Any], str], Violation]:
        def report(q: Member, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], problem: str) -> Violation:
            line = f"assert_returns({_contract_ref(self.contract)}, {q.name!r}, {_call_text('target.' + q.name, list(args), kwargs)})"
            return self.violation(
                call.subject,
                "return-type",
                q.name,
                None,
                f"{q.name}: returned {problem}; the contract declares -> {_ret(q)}",
                call.example([line]),
            )

        return report

    def _binding_drift(self, call: Call, error: TypeError) -> list[Violation]:
        """Python's own binding TypeError from a ``(*args, **kwargs)`` target: the signature drift it shows."""
        drift = binding_drift(call.member, error)
        if drift is None:
            return []
        return [self.violation(call.subject, drift.kind, call.member.name, drift.parameter, drift.message, call.example())]

    def _failure_clause(self, m: Member) -> Clause | None:
        found = self.contract.rules(m.name, ReportsFailure)
        return found[0] if found else None

    def _raised(self, call: Call, error: BaseException, returns: DoubleReturns, instance: Any = None) -> tuple[list[Violation], Any]:
        s, m = call.subject, call.member
        failure = self._failure_clause(m)
        if failure is not None:
            kind = _pick(failure.kinds, "unexpected-exception")
            return [
                self.violation(
                    s,
                    kind,
                    m.name,
                    None,
                    f"{m.name}: raised {_short(error)}; the contract says it never raises and reports failure in its result ({failure.id})",
                    call.example(),
                    clause=failure.id,
                )
            ], None
        for clause in self.contract.rules(m.name, Raises):
            rule = clause.rule
            assert isinstance(rule, Raises)
            if isinstance(error, rule.exceptions) and self._when(rule, call, error, instance):
                if isinstance(error, _REJECTIONS):
                    return [], Rejected()
                return [], Raised(type(error).__name__)
        blank = self._blank_culprit(call, returns)
        if blank is not None:
            return [
                self.violation(
                    s,
                    "empty-string",
                    m.name,
                    blank,
                    f"{m.name}: raised {_short(error)} on {py_repr(call.values[blank])} for {blank!r}, which its type (str) allows; the same call with non-blank text succeeds",
                    call.example(),
                )
            ], None
        what = "rejected an in-domain value with" if isinstance(error, _REJECTIONS) else "raised"
        return [
            self.violation(
                s,
                "unexpected-exception",
                m.name,
                None,
                f"{m.name}: {what} {_short(error)}; the contract allows no exception for this input",
                call.example(),
            )
        ], None

    def _when(self, rule: Raises, call: Call, error: BaseException, instance: Any = None) -> bool:
        if rule.when is None:
            return True
        env = dict(call.values)
        env["exception"] = error
        env["target"] = instance
        try:
            return bool(rule.when(**{k: v for k, v in env.items() if k in rule.wants}))
        except Exception:
            return False

    def _blank_culprit(self, call: Call, returns: DoubleReturns) -> str | None:
        """A plain-``str`` argument that is empty or blank and alone makes the call fail, or None."""
        m = call.member
        for p in m.parameters:
            v = call.values.get(p.name)
            if p.domain.base is str and not p.domain.nonempty and isinstance(v, str) and v.strip() == "":
                retry = Call(call.subject, m, call.ctor_values, {**call.values, p.name: "x"}, call.by_position)
                again = self.make(retry, returns)
                if again.outcome is not None and again.outcome.returned:
                    return p.name
        return None

    def _build_failed(self, call: Call, built: Outcome, returns: DoubleReturns) -> list[Violation]:
        s = call.subject
        ctor = self.contract.constructor
        example = reproducer(s, call.ctor_values)
        if built.timed_out:
            s.record(
                self.violation(
                    s, "timeout", "__init__", None, f"building the target did not return within {self.runner.timeout:g}s", example
                )
            )
            s.build_error = "building it timed out"
            return []
        err = built.error
        assert err is not None
        for clause in self.contract.clauses:
            if clause.member == call.member.name and isinstance(clause.rule, Ensures | Comparable):
                s.note(
                    call.member.name,
                    clause.id,
                    f"could not run where building the target raised {type(err).__name__} (reported on __init__)",
                )
        if ctor is not None:
            for p in ctor.parameters:
                v = call.ctor_values.get(p.name)
                if p.domain.base is str and not p.domain.nonempty and isinstance(v, str) and v.strip() == "":
                    fixed = {**call.ctor_values, p.name: "x"}
                    if self.build(s, fixed, CallLog(), returns).returned:
                        return [
                            self.violation(
                                s,
                                "empty-string",
                                "__init__",
                                p.name,
                                f"__init__: raised {_short(err)} on {py_repr(v)} for {p.name!r}, which its type (str) allows",
                                example,
                            )
                        ]
        return [
            self.violation(
                s,
                "unexpected-exception",
                "__init__",
                None,
                f"__init__: building the target with in-domain arguments raised {_short(err)}",
                example,
            )
        ]

    # ---- out of the domain -------------------------------------------------------------------
    def outside(self, s: Subject, m: Member) -> None:
        """Every enumerated out-of-domain value of every parameter, on a fresh target each."""
        if not self.contract.strict_inputs:
            return
        base = s.bases.get(m.name)
        if base is None:
            base = self._base(s, m)
            if base is None:
                return
        ctor_values, values = base
        self.explorer.note(f"outside_{m.name}")
        for p in m.parameters:
            if p.name in m.relaxed:
                continue
            for o in outside_values(p.domain, values.get(p.name), has_base=p.name in values):
                if m.role == "method" and not s.callable_member(m.name):
                    return
                self.explorer.examples += 1
                if m.role == "constructor":
                    self._outside_ctor(s, m, p.name, o, ctor_values)
                else:
                    self._outside_member(s, m, p.name, o, ctor_values, values)

    def _base(self, s: Subject, m: Member) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """In-domain values the target accepts, drawn afresh where the sweep kept none."""
        box: list[tuple[dict[str, Any], dict[str, Any]]] = []
        ctor = self.contract.constructor

        def test(data: Any) -> None:
            cv = draw_values(data, self.contract, ctor, all_optional=True) if ctor is not None and s.mode != "zero" else {}
            vals = draw_values(data, self.contract, m, all_optional=True) if m.role == "method" else {}
            if m.role == "constructor":
                box.append((cv, vals))
                return
            made = self.make(Call(s, m, cv, vals), DrawnReturns(data, self.contract))
            if made.outcome is not None and made.outcome.returned:
                box.append((cv, vals))

        self.explorer.once(f"base_{m.name}", test, max_examples=10)
        return box[0] if box else None

    def _outside_ctor(self, s: Subject, m: Member, name: str, o: Any, ctor_values: dict[str, Any]) -> None:
        values = {**ctor_values, name: o.value}
        log = CallLog()
        built = self.build(s, values, log, DoubleReturns())
        example = reproducer(s, values)
        if built.timed_out:
            s.record(
                self.violation(
                    s,
                    "timeout",
                    "__init__",
                    None,
                    f"building the target with {_value_text(o)} for {name!r} did not return within {self.runner.timeout:g}s",
                    example,
                )
            )
            return
        if built.error is not None and isinstance(built.error, _REJECTIONS) and not log.calls:
            return
        what = _accepted(built, log)
        if built.error is None:
            example = reproducer(s, values, m, reject=f"{o.kind}: __init__ accepted {_value_text(o)} for {name!r}")
        s.record(
            self.violation(
                s,
                o.kind,
                "__init__",
                name,
                f"__init__: {what} {_value_text(o)} for {name!r}, outside its domain ({m.parameter(name).domain.describe()}); it must be rejected at once with ValueError or TypeError",
                example,
            )
        )

    def _outside_member(self, s: Subject, m: Member, name: str, o: Any, ctor_values: dict[str, Any], values: dict[str, Any]) -> None:
        call = Call(s, m, ctor_values, {**values, name: o.value})
        made = self.make(call, DoubleReturns(), watch=True)
        if (made.build is not None and not made.build.returned) or not made.bound or made.outcome is None:
            return
        out = made.outcome
        if out.timed_out:
            s.record(
                self.violation(
                    s,
                    "timeout",
                    m.name,
                    None,
                    f"{m.name}: the call with {_value_text(o)} for {name!r} did not return within {self.runner.timeout:g}s; {self.runner.stops}",
                    call.example(),
                )
            )
            s.skip.add(m.name)
            return
        if out.awaitable_mismatch:
            return
        failure = self._failure_clause(m)
        if failure is not None:
            if out.error is not None:
                kind = _pick(failure.kinds, "unexpected-exception")
                s.record(
                    self.violation(
                        s,
                        kind,
                        m.name,
                        name,
                        f"{m.name}: raised {_short(out.error)} on {_value_text(o)} for {name!r}; the contract says it reports failure in its result instead ({failure.id})",
                        call.example(),
                        clause=failure.id,
                    )
                )
                return
            if _passes(failure, out.value) and not made.log.calls and not made.changed:
                return
        elif out.error is not None and isinstance(out.error, _REJECTIONS) and not made.log.calls and not made.changed:
            return
        what = _accepted(out, made.log, made.changed)
        if failure is not None:
            example = call.example([f"assert_clause({_contract_ref(self.contract)}, {failure.id!r}, result=result)"], result=True)
        elif out.error is None:
            example = call.example(reject=f"{o.kind}: {m.name} accepted {_value_text(o)} for {name!r}")
        else:
            example = call.example()
        must = (
            f"it must report failure in its result ({failure.id})"
            if failure is not None
            else "it must be rejected with ValueError or TypeError before anything else happens"
        )
        s.record(
            self.violation(
                s,
                o.kind,
                m.name,
                name,
                f"{m.name}: {what} {_value_text(o)} for {name!r}, outside its domain ({m.parameter(name).domain.describe()}); {must}",
                example,
            )
        )

    def narrowed_outside(self, s: Subject, m: Member, clause: Clause, data: Any) -> list[Candidate]:
        """Values in the annotation's domain but outside a ``draws`` narrowing must raise its exception."""
        rule = clause.rule
        assert isinstance(rule, Draws)
        assert rule.contains is not None
        if not s.callable_member(m.name):
            return []
        p = m.parameter(rule.parameter)
        strat = strategy_for(p.domain, self.contract)
        if strat is DOUBLE:
            return []
        contains = rule.contains
        value = data.draw(strat.filter(lambda v: not contains(v)))
        if p.domain.base is str and data.draw(st.booleans()):
            # a near miss of an in-domain value ("FREE", " mid"): what normalising code lets through
            inside = data.draw(rule.strategy)
            if isinstance(inside, str):
                near = data.draw(st.sampled_from(_NEAR_MISSES))(inside)
                if near.strip() and not contains(near):
                    value = near
        ctor = self.contract.constructor
        cv = draw_values(data, self.contract, ctor) if ctor is not None and s.mode != "zero" else {}
        vals = {**draw_values(data, self.contract, m), rule.parameter: value}
        call = Call(s, m, cv, vals)
        made = self.make(call, DrawnReturns(data, self.contract))
        if made.outcome is None or made.outcome.timed_out or made.outcome.awaitable_mismatch:
            return []
        err = made.outcome.error
        if err is not None and isinstance(err, rule.outside) and not made.log.calls:
            return []
        names = " or ".join(e.__name__ for e in rule.outside)
        what = f"raised {_short(err)}" if err is not None else f"returned {_clip(py_repr(made.outcome.value))}"
        return [
            (
                s,
                self.violation(
                    s,
                    clause.kinds[0],
                    m.name,
                    rule.parameter,
                    f"{m.name}: {what} for {py_repr(value)}, outside the values {rule.parameter!r} may take; the contract says it raises {names} ({clause.id})",
                    call.example(),
                    clause=clause.id,
                ),
            )
        ]


_NEAR_MISSES: tuple[Callable[[str], str], ...] = (str.upper, str.title, lambda v: f" {v}", lambda v: f"{v} ", lambda v: f"{v}s")


def materialize_all(values: dict[str, Any], log: CallLog, returns: DoubleReturns) -> dict[str, Any]:
    return {k: materialize(v, log, returns) for k, v in values.items()}


def _accepted(out: Outcome, log: CallLog, changed: tuple[str, ...] = ()) -> str:
    if out.error is None:
        return "accepted"
    if changed:
        return f"changed what {changed[0]}() reports and then raised {_short(out.error)} instead of rejecting"
    if log.calls:
        return f"acted on it (called {log.calls[0].double}.{log.calls[0].method}) and then raised {_short(out.error)} instead of rejecting"
    return f"raised {_short(out.error)} instead of rejecting"


def _passes(clause: Clause, value: Any) -> bool:
    rule = clause.rule
    assert isinstance(rule, ReportsFailure)
    try:
        return bool(rule.predicate(value))
    except Exception:
        return False


def _pick(kinds: tuple[Kind, ...], preferred: Kind) -> Kind:
    return preferred if preferred in kinds else kinds[0]


def _ret(m: Member) -> str:
    return format_annotation(m.returns)


def _assert_imports(contract: Contract, *helpers: str) -> tuple[str, ...]:
    proto = contract.protocol
    return (f"from interlock import {', '.join(sorted(helpers))}", f"from {proto.__module__} import {proto.__qualname__.split('.')[0]}")


def _contract_ref(contract: Contract) -> str:
    return contract.protocol.__qualname__


def _clause_args(rule: Ensures, call: Call) -> str:
    names = [p.name for p in call.member.parameters if p.name in rule.wants]
    parts = [f"{n}={_call_text('', [call.values[n]], {})[1:-1]}" for n in names if n in call.values]
    parts += [f"{n}={n}" for n in ("result", "target") if n in rule.wants]
    return "".join(f", {p}" for p in parts)


def _clip(text: str, n: int = 120) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def _value_text(o: Any) -> str:
    text = py_repr(o.value)
    return text if o.label == text else f"{o.label} {text}"


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:
        return a is b
