"""The built-in contract catalog, judged on implementations written against contracts.md.

Correct implementations (the references and others in other legal styles) must
conform; each broken one (one realistic defect) must be reported with exactly
the kinds, members, parameters and clause ids the spec gives it. The cases live
in ``tests/fixtures/catalog.py``; each check takes seconds, hence this folder.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest

import interlock
from interlock.contracts import auth, context, factory, router, timeouts, websocket
from interlock.examples import auth as ea
from interlock.examples import factory as ef
from interlock.examples import router as er
from interlock.examples import timeouts as et
from interlock.examples import websocket as ew
from tests.fixtures import catalog_factory as cf
from tests.fixtures import catalog_timeouts as ct
from tests.fixtures import catalog_websocket as cw
from tests.fixtures.catalog import BROKEN, BROKEN_EXAMPLES, CONFORMING, SEED, Broken, Conforming, Expect

pytestmark = pytest.mark.slow

CATALOG_MODULES = (context, websocket, factory, router, auth, timeouts)

REPORT_KINDS = frozenset(
    {
        "missing-member",
        "param-name-drift",
        "signature-mismatch",
        "async-mismatch",
        "return-type",
        "none-propagation",
        "empty-string",
        "type-coercion",
        "unexpected-exception",
        "postcondition",
        "isolation",
        "ordering",
        "leak",
        "cascade",
        "differential",
        "timeout",
        "crash",
    }
)
"""The kind table of report.md ("Violation kinds"), copied from the spec."""

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _label(target: Any) -> str:
    return f"{target.__module__}:{target.__qualname__}"


def _show(report: interlock.Report) -> str:
    lines = [
        f"  {v.target.rsplit(':', 1)[-1]}: {v.kind} {v.member} parameter={v.parameter} clause={v.clause}: {v.message}"
        for v in report.violations
    ]
    return "\n".join(lines) or "  (no violations)"


def _contracts() -> list[type]:
    found: dict[str, type] = {}
    for module in CATALOG_MODULES:
        for name in getattr(module, "__all__", dir(module)):
            obj = getattr(module, name)
            if isinstance(obj, type) and interlock.is_contract(obj):
                found[f"{module.__name__}:{name}"] = obj
    return list(found.values())


# ---- correct implementations conform ---------------------------------------------------------------


@pytest.mark.parametrize("case", CONFORMING, ids=lambda c: c.id)
def test_correct_implementation_conforms(case: Conforming) -> None:
    """A reference or independently written correct implementation gets no violation and nothing left unchecked."""
    report = interlock.check(case.contract, *case.targets, seed=SEED, max_examples=case.max_examples)
    assert report.violations == [], f"false positives:\n{_show(report)}"
    assert report.conforms
    assert [t.target for t in report.targets] == [_label(t) for t in case.targets]
    for target in report.targets:
        assert target.conforms
        assert list(target.not_checked) == [], f"{target.target} left unchecked: {target.not_checked}"


# ---- broken implementations are reported with their kind ------------------------------------------


def _broken_params() -> list[Any]:
    params = []
    for case in BROKEN:
        marks = [pytest.mark.xfail(strict=True, reason=case.misjudged)] if case.misjudged else []
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def _reported(report: interlock.Report, case: Broken) -> set[Expect]:
    mine = _label(case.target)
    return {
        Expect(v.kind, v.member, v.parameter, v.clause, None if v.target == mine else v.target.rsplit(":", 1)[-1])
        for v in report.violations
    }


@pytest.mark.parametrize("case", _broken_params())
def test_broken_implementation_is_reported_with_its_kind(case: Broken) -> None:
    """A broken implementation gets exactly the expected (kind, member, parameter, clause) violations and no other
    (besides the same defect on further members, ``also``, and known misjudgements, ``spurious``); correct targets
    checked beside it get none; a differential defect is reported as ``differential``; nothing else is left unchecked."""
    examples = case.max_examples or BROKEN_EXAMPLES.get(case.contract, 100)
    report = interlock.check(case.contract, *case.others, case.target, seed=SEED, max_examples=examples)
    reported = _reported(report, case)
    assert not report.conforms, f"the checker found nothing wrong with {case.target.__name__}"
    missing = case.expected - reported
    assert not missing, f"not reported: {sorted(missing, key=str)}\nreport:\n{_show(report)}"
    unexpected = reported - case.expected - case.also - case.spurious
    assert not unexpected, f"reported besides the defect: {sorted(unexpected, key=str)}\nreport:\n{_show(report)}"
    if any(e.kind == "differential" for e in case.expected):
        assert "differential" in {v.kind for v in report.violations}
    gone = case.spurious - reported
    assert not gone, (
        f"the checker no longer reports {sorted(gone, key=str)}, listed as a known misjudgement: "
        f"remove it from 'spurious' of case {case.id!r}"
    )
    not_checked = {(n.member, n.clause) for t in report.targets for n in t.not_checked}
    assert not_checked == set(case.not_checked)


def test_every_clause_has_a_broken_implementation() -> None:
    """Every clause id of every built-in contract is expected on at least one broken implementation of the catalog."""
    covered = {(c.contract, e.clause) for c in BROKEN for e in c.expected if e.clause}
    wanted = {(contract, clause.id) for contract in _contracts() for clause in interlock.get_contract(contract).clauses}
    assert wanted - covered == set()
    assert covered - wanted == set(), "an expectation names a clause id the contract does not have"


INPUT_DOMAIN = [
    # None, "" and blank ids are rejected, on every contract with text ids
    (websocket.WebSocketManager, "none-propagation", "get_user_connections", "user_id"),
    (websocket.WebSocketManager, "empty-string", "get_user_connections", "user_id"),
    (websocket.WebSocketManager, "none-propagation", "send_to_user", "message"),
    (websocket.WebSocketBridge, "empty-string", "notify_agent_started", "run_id"),
    (router.MessageRouter, "none-propagation", "route_message", "user_id"),
    (router.MessageRouter, "empty-string", "route_message", "user_id"),
    (router.MessageRouter, "none-propagation", "add_handler", "handler"),
    (factory.ExecutionEngineFactory, "none-propagation", "create_for_user", "context"),
    (auth.TokenValidator, "none-propagation", "validate_token", "token"),
    (timeouts.TimeoutPolicy, "none-propagation", "websocket_recv_timeout", "tier"),
    (timeouts.TimeoutPolicy, "empty-string", "agent_execution_timeout", "tier"),
    (timeouts.TimeoutPolicy, "type-coercion", "agent_execution_timeout", "tier"),
    # step_number and execution_time_ms strictness
    (websocket.WebSocketBridge, "type-coercion", "notify_agent_thinking", "step_number"),
    (websocket.WebSocketBridge, "type-coercion", "notify_tool_completed", "execution_time_ms"),
    # constructors reject None at once
    (websocket.WebSocketBridge, "none-propagation", "__init__", "websocket_manager"),
    (websocket.WebSocketBridge, "none-propagation", "__init__", "user_context"),
    (factory.ExecutionEngineFactory, "none-propagation", "__init__", "websocket_manager"),
    (auth.ServiceAuthClient, "none-propagation", "__init__", "transport"),
    (auth.TokenValidator, "none-propagation", "__init__", "secret"),
    # the engine is checked against ExecutionEngine, signature kinds first
    (factory.ExecutionEngineFactory, "param-name-drift", "create_for_user().execute_agent", "agent_name"),
    (factory.ExecutionEngineFactory, "signature-mismatch", "create_for_user().execute_agent", "user_message"),
    (factory.ExecutionEngineFactory, "missing-member", "create_for_user().user_context", None),
]


def test_every_input_domain_check_has_a_broken_implementation() -> None:
    """The input-domain checks contracts.md names each have a broken implementation expected to get them."""
    covered = {(c.contract, e.kind, e.member, e.parameter) for c in BROKEN for e in c.expected}
    assert [row for row in INPUT_DOMAIN if row not in covered] == []


# ---- reproducers run -------------------------------------------------------------------------------

_FAILURES = (ConnectionError, TimeoutError, OSError, RuntimeError)

REPRODUCERS = [
    # (id, contract, target, kind, member, what running the reproducer raises: a type, the injected failures, or None)
    pytest.param(websocket.WebSocketBridge, ew.EagerBridge, "cascade", "notify_agent_started", _FAILURES, id="bridge-cascade-escapes"),
    pytest.param(router.MessageRouter, er.SwallowingRouter, "cascade", "route_message", _FAILURES, id="router-cascade-escapes"),
    pytest.param(auth.ServiceAuthClient, ea.EscapingClient, "cascade", "validate_token", _FAILURES, id="client-cascade-escapes"),
    pytest.param(
        auth.TokenValidator,
        ea.RaisingValidator,
        "unexpected-exception",
        "validate_token",
        "DecodeError",
        id="validator-unexpected-exception",
    ),
    pytest.param(
        timeouts.TimeoutPolicy,
        ct.KeyErrorPolicy,
        "unexpected-exception",
        "websocket_recv_timeout",
        KeyError,
        id="policy-unexpected-exception-sync",
    ),
    pytest.param(websocket.WebSocketManager, ew.LingeringManager, "leak", "remove_connection", AssertionError, id="manager-leak-fails"),
    pytest.param(
        timeouts.TimeoutPolicy,
        et.ShortSocketPolicy,
        "postcondition",
        "websocket_recv_timeout",
        AssertionError,
        id="policy-postcondition-fails",
    ),
    pytest.param(websocket.WebSocketManager, ew.StopOnErrorManager, "cascade", "send_to_user", _FAILURES, id="manager-cascade-escapes"),
    pytest.param(auth.ServiceAuthClient, ea.StickyClient, "isolation", "validate_token", AssertionError, id="client-isolation-fails"),
]


def _exception_name(message: str) -> str | None:
    found = re.search(r"\braised (\w+)", message) or re.search(r"\blet (\w+) ", message)
    return found.group(1) if found else None


@pytest.mark.parametrize(("contract", "target", "kind", "member", "raises"), REPRODUCERS)
def test_reproducer_runs(contract: type, target: Any, kind: str, member: str, raises: Any) -> None:
    """The violation's ``example`` is Python that runs in a fresh namespace (with ``asyncio.run`` for an async member)
    and raises what the target raised in the check: the escaped failure, the unexpected exception's type, or an
    ``AssertionError`` naming the broken postcondition."""
    report = interlock.check(contract, target, seed=SEED, max_examples=BROKEN_EXAMPLES.get(contract, 100))
    found = [v for v in report.violations if (v.kind, v.member) == (kind, member)]
    assert found, f"no {kind} on {member}:\n{_show(report)}"
    violation = found[0]
    if inspect.iscoroutinefunction(getattr(target, member)):
        assert "asyncio.run(" in violation.example
    namespace: dict[str, Any] = {"__name__": "__reproducer__"}
    code = compile(violation.example, f"<reproducer of {violation.target}>", "exec")
    if raises is None:
        exec(code, namespace)
        return
    with pytest.raises(Exception) as caught:
        exec(code, namespace)
    if raises is AssertionError:
        assert isinstance(caught.value, AssertionError)
        assert str(violation.clause) in str(caught.value)
        return
    if isinstance(raises, str):
        assert type(caught.value).__name__ == raises
    else:
        assert isinstance(caught.value, raises)
    assert type(caught.value).__name__ == _exception_name(violation.message), violation.message


def test_reproducer_of_a_concurrent_scenario_runs_the_calls_at_once() -> None:
    """The reproducer of an isolation violation found with two users at once runs their calls at once too, and
    fails with the clause."""
    report = interlock.check(factory.ExecutionEngineFactory, cf.CurrentRequestFactory, seed=SEED)
    (violation,) = [v for v in report.violations if v.kind == "isolation"]
    assert "await asyncio.gather(" in violation.example, violation.example
    with pytest.raises(AssertionError, match=f"^{violation.clause}: "):
        exec(compile(violation.example, "<reproducer>", "exec"), {"__name__": "__reproducer__"})


_REFERENCE_OF = {
    websocket.WebSocketManager: "interlock.examples.websocket:ReferenceManager",
    websocket.WebSocketBridge: "interlock.examples.websocket:ReferenceBridge",
    factory.ExecutionEngineFactory: "interlock.examples.factory:ReferenceFactory",
    router.MessageRouter: "interlock.examples.router:ReferenceRouter",
    auth.ServiceAuthClient: "interlock.examples.auth:ReferenceServiceClient",
    timeouts.TimeoutPolicy: "interlock.examples.timeouts:ReferencePolicy",
}

JUDGED = [
    # (contract, target, the clause its script must fail with): scenarios of every catalog contract but auth (whose
    # scripts end in asserts of their own), a rejection the script must step past, and a raises clause
    pytest.param(router.MessageRouter, er.LastWinsRouter, "routes-to-first-capable-handler", id="router-order"),
    pytest.param(websocket.WebSocketManager, ew.LingeringManager, "no-reference-after-removal", id="manager-leak"),
    pytest.param(websocket.WebSocketManager, cw.UncheckedConnectionManager, "add-rejects-empty-ids", id="manager-rejects"),
    pytest.param(websocket.WebSocketBridge, cw.ProgressEchoBridge, "notify-sends-one-message-to-its-user", id="bridge-user"),
    pytest.param(factory.ExecutionEngineFactory, cf.RetiringFactory, "cleanup-drops-engines", id="factory-cleanup"),
    pytest.param(factory.ExecutionEngineFactory, ef.TrustingFactory, "create-rejects-bad-context", id="factory-rejects"),
    pytest.param(factory.ExecutionEngineFactory, cf.CountFirstFactory, "create-rejects-bad-context", id="factory-counts-first"),
    pytest.param(timeouts.TimeoutPolicy, et.DefaultingPolicy, "unknown-tier-rejected", id="policy-raises-clause"),
]


@pytest.mark.parametrize(("contract", "target", "clause"), JUDGED)
def test_a_clause_reproducer_fails_against_the_target_and_passes_against_the_reference(contract: type, target: type, clause: str) -> None:
    """report.md, "Reproducers": the script of a broken clause fails with an ``AssertionError`` naming the clause, and
    the same script with the contract's reference in the target's place runs clean (a scenario's script ends in
    ``interlock.assert_clause``, which plays the clause again on the drawn values; a rejection the clause asks for is
    stepped past; a raises clause's call stands in a ``try``)."""
    report = interlock.check(contract, target, seed=SEED, max_examples=30, clauses=[clause])
    found = [v for v in report.violations if v.clause == clause]
    assert found, _show(report)
    script = found[0].example
    with pytest.raises(AssertionError, match=f"^{clause}: "):
        exec(compile(script, "<reproducer>", "exec"), {"__name__": "__reproducer__"})
    module, name = _REFERENCE_OF[contract].split(":")
    fixed = re.sub(rf"^from \S+ import {target.__name__}$", f"from {module} import {name} as {target.__name__}", script, flags=re.M)
    assert fixed != script
    exec(compile(fixed, "<reproducer against the reference>", "exec"), {"__name__": "__reproducer__"})


# ---- clause ids ------------------------------------------------------------------------------------


def test_catalog_clause_ids_are_unique_slugs_with_known_kinds() -> None:
    """Every clause id of the catalog is a slug, unique within its contract and across the catalog, and every
    clause's kinds are kinds of report.md's table."""
    contracts = _contracts()
    assert {c.__name__ for c in contracts} >= {
        "WebSocketManager",
        "WebSocketBridge",
        "ExecutionEngine",
        "ExecutionEngineFactory",
        "MessageRouter",
        "TokenValidator",
        "ServiceAuthClient",
        "TimeoutPolicy",
    }
    seen: dict[str, str] = {}
    for contract in contracts:
        clauses = interlock.get_contract(contract).clauses
        ids = [c.id for c in clauses]
        assert len(ids) == len(set(ids)), f"{contract.__name__} repeats a clause id: {ids}"
        for clause in clauses:
            assert SLUG.fullmatch(clause.id), f"{contract.__name__}: {clause.id!r} is not a slug"
            assert clause.id not in seen, f"{clause.id!r} is a clause of {seen.get(clause.id)} and {contract.__name__}"
            seen[clause.id] = contract.__name__
            assert clause.kinds, f"{contract.__name__}: {clause.id} has no kind"
            assert set(clause.kinds) <= REPORT_KINDS, f"{contract.__name__}: {clause.id} has kinds {clause.kinds}"
    assert seen, "the catalog declares no clause"
