"""The in-domain judge: a call with values the contract allows, and what its outcome means.

It returns, raises what a ``raises`` clause allows, or reports failure as a ``reports_failure`` clause says;
its result has the declared type and keeps every ``ensures``; anything else is the target's violation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from interlock.contracts._domain import format_annotation
from interlock.contracts._model import Clause, Comparable, Contract, Draws, Ensures, Kind, Member, Raises, ReportsFailure
from interlock.properties._doubles import CallLog, DoubleReturns
from interlock.properties._driver import Call, Driver, Made, same
from interlock.properties._report import Violation
from interlock.properties._runner import Outcome, targets_own
from interlock.properties._signature import binding_drift
from interlock.properties._subject import Subject, _call_text, assert_imports, contract_ref, reproducer
from interlock.properties._types import type_problem
from interlock.properties._values import clip, describe_error, py_repr, raise_site
from interlock.properties._verdicts import Raised, Rejected, Returned, Verdict
from interlock.properties._watch import Unjudged, watched

__all__ = ["REJECTIONS", "InDomain", "ensures_line", "failure_clause", "passes", "pick_kind"]

REJECTIONS = (ValueError, TypeError)
"""What rejecting a value means: ``ValueError`` or ``TypeError``."""


def _built(s: Subject) -> str:
    """What a reproducer calls the instance it built: ``product`` where a factory made it, else ``target``."""
    return "product" if s.head is not None else "target"


class InDomain:
    """Judges calls made with in-domain values, and a built instance's data members."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.contract: Contract = driver.contract

    def check_attribute(self, s: Subject, m: Member, instance: Any) -> None:
        """A data member, read on a built instance: present, readable and of its declared type."""
        try:
            value = getattr(instance, m.name)
        except AttributeError:
            s.record(
                s.violation(
                    "missing-member",
                    m.name,
                    None,
                    f"{m.name}: a built target has no attribute {m.name!r}; the contract declares {m.signature_text()}",
                    reproducer(s, {}, extra=[f"assert hasattr({_built(s)}, {m.name!r}), 'missing-member: {m.name}'"]),
                )
            )
            return
        except BaseException as exc:  # a property of the target's that raises (SystemExit and KeyboardInterrupt too)
            targets_own(exc)
            s.record(
                s.violation(
                    "unexpected-exception",
                    m.name,
                    None,
                    f"{m.name}: reading the attribute raised {describe_error(exc)}",
                    reproducer(s, {}, extra=[f"{_built(s)}.{m.name}"]),
                )
            )
            return
        problem = type_problem(value, m.returns, m.name)
        if problem:
            s.record(
                s.violation(
                    "return-type",
                    m.name,
                    None,
                    f"{m.name}: the attribute is {problem}; the contract declares {m.signature_text()}",
                    reproducer(
                        s,
                        {},
                        extra=[f"assert_returns({contract_ref(self.contract)}, {m.name!r}, target.{m.name})"],
                        imports=assert_imports(self.contract, "assert_returns"),
                    ),
                )
            )

    def in_domain(self, call: Call, returns: DoubleReturns) -> tuple[list[Violation], Verdict | None]:
        """Call with in-domain values: the violations, and the outcome's signature for ``differential``."""
        return self.judge(call, self.driver.make(call, returns), returns)

    def judge(self, call: Call, made: Made, returns: DoubleReturns) -> tuple[list[Violation], Verdict | None]:
        """What a call made with in-domain values means: its violations, and its verdict for ``differential``."""
        s, m = call.subject, call.member
        if made.build is not None and not made.build.returned:
            return self._build_failed(call, made.build, returns), None
        if made.binding is not None:
            return self._binding_drift(call, made.binding), None
        if not made.bound or made.outcome is None:
            return [], None
        out = made.outcome
        if out.timed_out:
            s.record(
                s.violation(
                    "timeout",
                    m.name,
                    None,
                    f"{m.name}: the call did not return within {self.driver.runner.timeout:g}s; {self.driver.runner.stops}",
                    call.example(),
                )
            )
            s.skip.add(m.name)
            s.note(m.name, None, "not called again after it timed out")
            return [], None
        found: list[Violation] = []
        if out.awaitable_mismatch:
            # reported, and the value it gave (awaited where it was an awaitable) is still judged
            found.append(s.violation("async-mismatch", m.name, None, f"{m.name}: {out.awaitable_mismatch}", call.example()))
        if out.error is not None:
            raised, verdict = self._raised(call, out.error, returns, made.instance)
            return found + raised, None if found else verdict
        failure = failure_clause(self.contract, m)
        problem = type_problem(out.value, m.returns, m.name)
        if problem:
            found.append(
                s.violation(
                    "return-type",
                    m.name,
                    None,
                    f"{m.name}: returned {problem}; the contract declares -> {_ret(m)}",
                    call.example([f"assert_returns({contract_ref(self.contract)}, {m.name!r}, result)"], result=True),
                )
            )
            return found, None
        if failure is not None and passes(failure, out.value):
            return found, None if found else Rejected(by_value=True)
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

        def check() -> str:  # the reproducer, written only for a clause that broke
            return call.example([ensures_line(self.contract, clause, call)], result=True)

        if clause.id in s.stalled:
            return None
        try:
            outcome = self.driver.runner.call(rule.predicate, [], kwargs, is_async=None)
        except Unjudged as unjudged:
            s.note(m.name, clause.id, f"not judged where {unjudged.reason} (reported as return-type)")
            return unjudged.violation
        if outcome.timed_out:
            # The clause's own code is the contract's, but what it runs on is the target's: a result whose __eq__ or
            # __hash__ never returns, a query that hangs. A timeout, recorded once (not shrunk, as for a call), and the
            # clause not judged again on this target, so one stuck result costs one time limit, not one per example.
            limit = self.driver.runner.timeout
            s.stalled.add(clause.id)
            s.record(
                s.violation(
                    "timeout",
                    m.name,
                    None,
                    f"{m.name}: checking '{clause.id}' on its result did not finish within {limit:g}s (a result whose "
                    f"__eq__ or __hash__ never returns, or a query of the target that hangs); {self.driver.runner.stops}",
                    check(),
                    clause=clause.id,
                )
            )
            s.note(m.name, clause.id, f"not judged again after checking it did not finish within {limit:g}s")
            return None
        err = outcome.error
        if isinstance(err, AssertionError):
            return s.violation(
                clause.kinds[0], m.name, None, f"{m.name}: broke '{clause.id}': {describe_error(err)}", check(), clause=clause.id
            )
        if err is not None:
            return s.violation(
                clause.kinds[0],
                m.name,
                None,
                f"{m.name}: checking '{clause.id}' raised {describe_error(err)} on the result {clip(py_repr(result))}",
                check(),
                clause=clause.id,
            )
        try:
            ok = bool(outcome.value)
        except Exception as exc:
            ok, note = False, f" (its truth value raised {describe_error(exc)})"
        else:
            note = ""
        if not ok:
            return s.violation(
                clause.kinds[0],
                m.name,
                None,
                f"{m.name}: broke '{clause.id}'{_said(m.name, clause.text, clause.id)}; it returned {clip(py_repr(result))}{note}",
                check(),
                clause=clause.id,
            )
        return None

    def _query_report(self, call: Call) -> Callable[[Member, Any, tuple[Any, ...], dict[str, Any], str], Violation]:
        def report(q: Member, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any], problem: str) -> Violation:
            query = _call_text(f"{call.receiver}.{q.name}", list(args), kwargs)
            line = f"assert_returns({contract_ref(self.contract)}, {q.name!r}, {query})"
            return call.subject.violation(
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
        return [call.subject.violation(drift.kind, call.member.name, drift.parameter, drift.message, call.example())]

    def _raised(self, call: Call, error: BaseException, returns: DoubleReturns, instance: Any = None) -> tuple[list[Violation], Any]:
        s, m = call.subject, call.member
        failure = failure_clause(self.contract, m)
        if failure is not None:
            kind = pick_kind(failure.kinds, "unexpected-exception")
            return [
                s.violation(
                    kind,
                    m.name,
                    None,
                    f"{m.name}: raised {describe_error(error)}; the contract says it never raises and reports failure in its result ({failure.id})",
                    call.example(),
                    clause=failure.id,
                )
            ], None
        for clause in self.contract.rules(m.name, Raises):
            rule = clause.rule
            assert isinstance(rule, Raises)
            if isinstance(error, rule.exceptions) and self._when(rule, call, error, instance):
                if isinstance(error, REJECTIONS):
                    return [], Rejected()
                return [], Raised(type(error).__name__)
        blank = self._blank_culprit(call, returns)
        if blank is not None:
            return [
                s.violation(
                    "empty-string",
                    m.name,
                    blank,
                    f"{m.name}: raised {describe_error(error)} on {py_repr(call.values[blank])} for {blank!r}, which its type (str) allows; the same call with non-blank text succeeds",
                    call.example(),
                    cause=raise_site(error),
                )
            ], None
        what = "rejected an in-domain value with" if isinstance(error, REJECTIONS) else "raised"
        return [
            s.violation(
                "unexpected-exception",
                m.name,
                None,
                f"{m.name}: {what} {describe_error(error)}; the contract allows no exception for this input",
                call.example(),
                cause=raise_site(error),
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
        if call.before:
            return None  # a step of a sequence: a fresh target would not be in the state the sequence reached
        for p in m.parameters:
            v = call.values.get(p.name)
            if p.domain.base is str and not p.domain.nonempty and isinstance(v, str) and v.strip() == "":
                retry = Call(call.subject, m, call.ctor_values, {**call.values, p.name: "x"}, call.by_position)
                again = self.driver.make(retry, returns)
                if again.outcome is not None and again.outcome.returned:
                    return p.name
        return None

    def _build_failed(self, call: Call, built: Outcome, returns: DoubleReturns) -> list[Violation]:
        s = call.subject
        ctor = self.contract.constructor
        example = reproducer(s, call.ctor_values)
        if built.timed_out:
            s.record(
                s.violation(
                    "timeout", "__init__", None, f"building the target did not return within {self.driver.runner.timeout:g}s", example
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
                    if self.driver.build(s, fixed, CallLog(), returns).returned:
                        return [
                            s.violation(
                                "empty-string",
                                "__init__",
                                p.name,
                                f"__init__: raised {describe_error(err)} on {py_repr(v)} for {p.name!r}, which its type (str) allows",
                                example,
                                cause=raise_site(err),
                            )
                        ]
        drawn = self._drawn_culprit(call, returns) if ctor is not None else None
        return [
            s.violation(
                "unexpected-exception",
                "__init__",
                None,
                f"__init__: building the target with in-domain arguments raised {describe_error(err)}"
                + (f" on the {drawn.rule.parameter!r} it was given ({drawn.id})" if drawn and isinstance(drawn.rule, Draws) else ""),
                example,
                clause=drawn.id if drawn else None,
                cause=raise_site(err),
            )
        ]

    def _drawn_culprit(self, call: Call, returns: DoubleReturns) -> Clause | None:
        """The constructor's ``draws`` clause whose drawn value alone made building fail, or None.

        The clause covers the values it draws (report.md, rule 5): when the build succeeds with that one parameter
        set to a value the target accepted earlier, the drawn value is what the target refused.
        """
        s, ctor = call.subject, self.contract.constructor
        assert ctor is not None
        accepted = s.built_with
        if not accepted:
            return None
        for clause in self.contract.rules(ctor.name, Draws):
            rule = clause.rule
            assert isinstance(rule, Draws)
            name = rule.parameter
            if name not in accepted or name not in call.ctor_values or same(accepted[name], call.ctor_values[name]):
                continue
            if self.driver.build(s, {**call.ctor_values, name: accepted[name]}, CallLog(), returns).returned:
                return clause
        return None


def failure_clause(contract: Contract, m: Member) -> Clause | None:
    """The member's ``reports_failure`` clause, if it has one."""
    found = contract.rules(m.name, ReportsFailure)
    return found[0] if found else None


def passes(clause: Clause, value: Any) -> bool:
    """Whether a result reports failure as a ``reports_failure`` clause says (a predicate that raises: it does not)."""
    rule = clause.rule
    assert isinstance(rule, ReportsFailure)
    try:
        return bool(rule.predicate(value))
    except Exception:
        return False


def pick_kind(kinds: tuple[Kind, ...], preferred: Kind) -> Kind:
    return preferred if preferred in kinds else kinds[0]


def _ret(m: Member) -> str:
    return format_annotation(m.returns)


def ensures_line(contract: Contract, clause: Clause, call: Call, result: str = "result") -> str:
    """The reproducer's ``assert_clause`` line for an ``ensures`` clause after ``call`` (its value named ``result``)."""
    rule = clause.rule
    assert isinstance(rule, Ensures)
    values = call.values if call.shown is None else call.shown
    names = [p.name for p in call.member.parameters if p.name in rule.wants]
    parts = [
        f"{n}={_call_text('', [values[n]], {})[1:-1]}" if n in values else f"{n}={py_repr(call.member.parameter(n).default)}" for n in names
    ]
    parts += [f"{n}={value}" for n, value in (("result", result), ("target", call.receiver)) if n in rule.wants]
    args = "".join(f", {p}" for p in parts)
    return f"assert_clause({contract_ref(contract)}, {clause.id!r}{args})"


def _said(member: str, text: str, clause_id: str) -> str:
    """The clause's text in brackets, unless it is the default one (``member: id``) the message already says."""
    return "" if text == f"{member}: {clause_id}" else f" ({text})"
