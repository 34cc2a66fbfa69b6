"""``differential``: targets that disagree on the outcome of one input, with report.md's attribution rules."""

from __future__ import annotations

from typing import Any

from interlock.contracts._model import Raises
from interlock.properties._driver import Call
from interlock.properties._report import Violation
from interlock.properties._subject import Subject, assert_imports, contract_ref
from interlock.properties._verdicts import Raised, Rejected, Returned, describe, verdict_key

__all__ = ["differential_between"]

Candidate = tuple[Subject, Violation]


def differential_between(member: str | None, results: list[tuple[Subject, Any, Any]], clause_id: str | None) -> list[Candidate]:
    """Targets that disagree on one input: with two, both; with more, those outside the largest group (all on a tie).

    With a reference among them, it is the judge: every target whose outcome differs from the reference's gets
    the violation, the reference never does, and targets are not compared with each other.
    """
    keys = {id(s): verdict_key(v) for s, v, _ in results}
    reference = next(((s, v) for s, v, _ in results if s.reference), None)
    if reference is not None:
        return _against_reference(member, results, keys, reference, clause_id)
    groups: dict[Any, list[tuple[Subject, Any]]] = {}
    for s, _, call in results:
        groups.setdefault(keys[id(s)], []).append((s, call))
    if len(groups) < 2:
        return []
    sizes = sorted((len(g) for g in groups.values()), reverse=True)
    tie = sizes[0] == sizes[1]
    largest = max(groups.values(), key=len)
    described = {id(s): describe(v) for s, v, _ in results}
    verdicts = {id(s): (v, call) for s, v, call in results}
    out: list[Candidate] = []
    for group in groups.values():
        if group is largest and not tie and len(results) > 2:
            continue
        for s, call in group:
            others = [o for o, _, _ in results if keys[id(o)] != keys[id(s)]]
            names = ", ".join(f"{o.label} ({described[id(o)]})" for o in others)
            prefix = f"{member}: " if member else ""
            msg = f"{prefix}{described[id(s)]}, where {names} on the same input"
            # the script runs the calls on this target, then on one it disagrees with (of the largest group, if
            # this one is not in it), and compares the two outcomes as the checker did
            other = next((o for o, _ in largest if keys[id(o)] != keys[id(s)]), others[0])
            theirs, their_call = verdicts[id(other)]
            example = _judged_example(call, verdicts[id(s)][0], their_call, theirs, msg)
            out.append((s, s.violation("differential", member, None, msg, example, clause=clause_id)))
    return out


def _against_reference(
    member: str | None, results: list[tuple[Subject, Any, Any]], keys: dict[int, Any], reference: tuple[Subject, Any], clause_id: str | None
) -> list[Candidate]:
    judge, verdict = reference
    expected = keys[id(judge)]
    prefix = f"{member}: " if member else ""
    out: list[Candidate] = []
    for s, v, call in results:
        if s.reference or keys[id(s)] == expected:
            continue
        msg = f"{prefix}{describe(v)}, where the reference {judge.label} {describe(verdict)} on the same input"
        ref_call = next(c for o, _, c in results if o is judge)
        out.append((s, s.violation("differential", member, None, msg, _judged_example(call, v, ref_call, verdict, msg), clause=clause_id)))
    return out


def _allowed(call: Call, name: str) -> type[BaseException] | None:
    """The exception of that name a ``raises`` clause of the call's member allows."""
    for clause in call.subject.contract.rules(call.member.name, Raises):
        rule = clause.rule
        assert isinstance(rule, Raises)
        for exc in rule.exceptions:
            if exc.__name__ == name:
                return exc
    return None


def _judged_example(call: Any, verdict: Any, ref_call: Any, expected: Any, message: str) -> str:
    """A reproducer that fails against the target and passes against one that agrees with the reference (or with
    the other target it was compared with).

    Both returned (a failure value the contract names counts): the same calls run on the target, then on the
    reference, and ``assert_agrees`` compares the results as the checker did. The reference rejected what the target returned: the call must raise
    ``ValueError`` or ``TypeError``; what it raised, an exception the contract allows: the call must raise that.
    The target raised an exception the contract allows where the other did not: the script fails with the
    disagreement when the call raises it; any other exception: its call raises when run. A script the checker runs on one
    event loop (async steps), or a factory's product, shows the target's calls only.
    """
    if not isinstance(call, Call) or not isinstance(ref_call, Call):  # a scenario's observation: its own script
        return str(call.example())
    member = call.member
    single = not call.subject.head and not any("await " in line for line in call.before)
    if isinstance(verdict, Returned) and isinstance(expected, Rejected) and not expected.by_value:
        return str(call.example(reject=f"differential: {message}"))
    if isinstance(expected, Raised):
        # the other raised an exception the contract allows: the script fails unless the call raises it too (what
        # the target did instead, a value, a failure value or another exception, fails it)
        allowed = _allowed(call, expected.name)
        if allowed is not None:
            return str(call.example(reject=f"differential: {message}", catches=(allowed,)))
    if isinstance(verdict, Raised) and isinstance(expected, Returned | Rejected):
        # the target raised an exception the contract allows where the other returned or rejected: the script fails
        # with the disagreement when the call raises it (a bare exception would say nothing of the other)
        allowed = _allowed(call, verdict.name)
        if allowed is not None:
            return str(call.example(reject=f"differential: {message}", escapes=(allowed,)))
    values = (Returned, Rejected)  # what a call returned, a failure value it reported included
    both_returned = all(isinstance(v, values) and (isinstance(v, Returned) or v.by_value) for v in (verdict, expected))
    if not (both_returned and single):
        return str(call.example())
    contract = call.subject.contract
    mine = call.example(["observed = result"], result=True).splitlines()
    theirs = ref_call.example(result=True).splitlines()
    imports = [line for line in theirs if line.startswith(("from ", "import ")) and line not in mine]
    body = [line for line in theirs if not line.startswith(("from ", "import "))]
    head = [line for line in mine if line.startswith(("from ", "import "))]
    rest = [line for line in mine if not line.startswith(("from ", "import "))]
    helper = assert_imports(contract, "assert_agrees")
    lines = [*head, *imports, *(h for h in helper if h not in head and h not in imports)]
    whose = f"the reference, {ref_call.subject.label}" if ref_call.subject.reference else ref_call.subject.label
    lines += [*rest, f"# the same calls on {whose}", *body]
    named = "" if ref_call.subject.reference else f", other={ref_call.subject.label!r}"
    lines.append(f"assert_agrees({contract_ref(contract)}, {member.name!r}, observed, result{named})")
    return "\n".join(lines)
