"""The report from Python: its shape, order, reproducers that really reproduce, and assert_conforms."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

import interlock
from interlock.contracts._model import KINDS
from tests.fixtures import broken as b
from tests.fixtures import contracts as c
from tests.fixtures import good as g

ROOT = Path(__file__).resolve().parents[2]

SCHEMA = json.loads(resources.files("interlock").joinpath("report.schema.json").read_text())


@pytest.fixture(scope="module")
def report() -> interlock.Report:
    return interlock.check(
        c.Greeter, g.PlainGreeter, b.CoercingGreeter, b.CrashingGreeter, b.NoneAcceptingGreeter, b.RenamedGreeter, seed=5, max_examples=40
    )


def test_report_shape(report: interlock.Report) -> None:
    """Targets in the order given; conforms per target and overall; the JSON validates against the schema."""
    assert [t.target.split(":")[1] for t in report.targets] == [
        "PlainGreeter",
        "CoercingGreeter",
        "CrashingGreeter",
        "NoneAcceptingGreeter",
        "RenamedGreeter",
    ]
    assert [t.conforms for t in report.targets] == [True, False, False, False, False]
    assert not report.conforms
    doc = report.to_json()
    jsonschema.validate(doc, SCHEMA)
    assert doc["summary"]["targets"] == 5
    assert doc["summary"]["conforming"] == 1
    assert doc["summary"]["violations"] == len(report.violations)
    assert doc["summary"]["examples"] > 0


def test_two_targets_and_no_comparable_member_get_a_note_that_results_were_not_compared(report: interlock.Report) -> None:
    """Greeter marks no member comparable: one note says its targets' outcomes were compared and not their results,
    in the JSON and the text; one target alone, a contract with a comparable member, or one with a clause that
    compares the targets has no note."""
    from interlock.contracts.router import MessageRouter
    from interlock.examples.router import ReferenceRouter
    from tests.fixtures import catalog_router as cr
    from tests.fixtures import sequences as sq

    (note,) = report.notes
    assert "is marked comparable" in note
    assert "not what they returned" in note
    assert report.to_json()["notes"] == [note]
    assert f"note: {note}" in report.text()
    alone = interlock.check(c.Greeter, g.PlainGreeter, seed=5, max_examples=10)
    assert alone.notes == []
    assert alone.to_json()["notes"] == []
    assert "note:" not in alone.text()
    compared = interlock.check(sq.Counts, sq.DictCounts, sq.CounterCounts, seed=5, max_examples=10, sequences=10)
    assert compared.notes == []
    # no comparable member, but a clause that compares the routers' results (routers-agree): no note either
    routers = interlock.check(MessageRouter, ReferenceRouter, cr.OrderedDictRouter, seed=5, max_examples=3, sequences=3)
    assert routers.notes == []


def test_violations_are_frozen_values(report: interlock.Report) -> None:
    """A Violation is a frozen value with the report's fields."""
    v = report.violations[0]
    with pytest.raises(AttributeError):
        v.kind = "other"  # type: ignore[misc]
    assert v.location is not None
    assert v.location.endswith(".py:" + v.location.rsplit(":", 1)[1])


def test_violations_are_sorted_by_target_member_kind_parameter() -> None:
    """Order: target (as given), member (contract order), kind (report.md's table), then parameter."""
    report = interlock.check(c.Greeter, b.BlankAcceptingGreeter, b.NonePrefixGreeter, seed=5, max_examples=30)
    keys = [(v.target, v.member, v.kind, v.parameter) for v in report.violations]
    members = ["__init__", "greet", "greet_later"]
    order = [
        (report.targets.index(next(t for t in report.targets if t.target == k[0])), members.index(k[1] or ""), KINDS.index(k[2]))
        for k in keys
    ]
    assert order == sorted(order)


def test_reproducer_of_an_exception_raises_it() -> None:
    """The example of an unexpected exception, run as Python, raises that exception."""
    report = interlock.check(c.Greeter, b.CrashingGreeter, seed=5, max_examples=40)
    (v,) = report.violations
    assert v.kind == "unexpected-exception"
    with pytest.raises(RuntimeError, match="too long"):
        exec(compile(v.example, "<example>", "exec"), {})


def test_reproducer_of_an_accepted_none_fails_when_run() -> None:
    """The example of none-propagation, run as Python, fails with the kind and the value the target accepted."""
    report = interlock.check(c.Greeter, b.NoneAcceptingGreeter, seed=5, max_examples=40)
    (v,) = report.violations
    assert "name=None" in v.example
    assert "asyncio.run(" in v.example
    with pytest.raises(AssertionError, match="none-propagation: greet_later accepted None for 'name'"):
        exec(compile(v.example, "<example>", "exec"), {})


def test_reproducer_of_a_signature_drift_prints_both_signatures_and_fails() -> None:
    """The example of a parameter-name drift prints the target's signature beside the contract's, then fails in
    ``interlock.assert_signature`` with the drift; with a conforming class in its place it runs clean."""
    report = interlock.check(c.Greeter, b.RenamedGreeter, seed=5, max_examples=10)
    (v,) = report.violations
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(AssertionError, match=r"^param-name-drift: greet: parameter 'name' is named 'who'"):
        exec(compile(v.example, "<example>", "exec"), {})
    assert out.getvalue().startswith("(self, who: ")
    assert "contract: def greet(self, name: NonEmpty[str], times: int = 1) -> str" in v.example
    assert v.example.endswith("assert_signature(Greeter, 'greet', RenamedGreeter)")
    fixed = v.example.replace(
        "from tests.fixtures.broken import RenamedGreeter", "from tests.fixtures.good import PlainGreeter as RenamedGreeter"
    )
    assert fixed != v.example
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(fixed, "<example against a conforming greeter>", "exec"), {})


@pytest.mark.parametrize(
    ("contract", "target", "reference", "member", "message"),
    [
        (
            "interlock.contracts.websocket:WebSocketBridge",
            "interlock.examples.websocket:LegacyBridge",
            "interlock.examples.websocket:ReferenceBridge",
            "__init__",
            "^param-name-drift: __init__: parameter 'websocket_manager'",
        ),
        (
            "interlock.contracts.router:MessageRouter",
            "tests.fixtures.catalog_router:KeywordOnlyRouter",
            "interlock.examples.router:ReferenceRouter",
            "route_message",
            "^signature-mismatch: route_message: parameter 'raw_message' is keyword-only",
        ),
        (
            "interlock.contracts.websocket:WebSocketManager",
            "tests.fixtures.catalog_websocket:SyncQueryManager",
            "interlock.examples.websocket:ReferenceManager",
            "is_connection_active",
            "^async-mismatch: is_connection_active: ",
        ),
        (
            "tests.fixtures.contracts:Greeter",
            "tests.fixtures.broken:NoGreetLater",
            "tests.fixtures.good:PlainGreeter",
            "greet_later",
            "^missing-member: greet_later: the target has no member",
        ),
    ],
    ids=["constructor-name", "keyword-only", "async", "missing"],
)
def test_assert_signature_fails_with_the_drift_and_passes_on_a_conforming_class(
    contract: str, target: str, reference: str, member: str, message: str
) -> None:
    """``interlock.assert_signature`` compares a class's member (or its constructor) as the checker does."""
    from interlock.cli import resolve

    proto = resolve(contract)[0]
    with pytest.raises(AssertionError, match=message):
        interlock.assert_signature(proto, member, resolve(target)[0])
    interlock.assert_signature(proto, member, resolve(reference)[0])


def test_reproducer_builds_doubles_for_dependencies() -> None:
    """A target taking a Protocol dependency is rebuilt in the example with interlock.double; the scenario's script
    ends in ``interlock.assert_clause``, which fails against the target and passes against a conforming one."""
    report = interlock.check(c.Notifier, b.MisroutingNotifier, seed=5, max_examples=20)
    (v,) = report.violations
    assert v.kind == "isolation"
    assert "from interlock import double" in v.example
    assert "sink = double(Sink)" in v.example
    assert "target = MisroutingNotifier(sink=sink)" in v.example
    assert v.example.splitlines()[-1].startswith(f"interlock.assert_clause(Notifier, {v.clause!r}, target=MisroutingNotifier, draws=[")
    with pytest.raises(AssertionError, match=f"^{v.clause}: notify"):
        exec(compile(v.example, "<example>", "exec"), {})
    fixed = v.example.replace("import MisroutingNotifier", "import GoodNotifier as MisroutingNotifier").replace(
        "tests.fixtures.broken import", "tests.fixtures.good import"
    )
    exec(compile(fixed, "<example against a conforming notifier>", "exec"), {})


def test_assert_conforms_raises_drift_error_with_the_whole_report(report: interlock.Report) -> None:
    """assert_conforms() raises DriftError, an AssertionError, whose text is the whole report."""
    with pytest.raises(interlock.DriftError) as info:
        report.assert_conforms()
    assert isinstance(info.value, AssertionError)
    text = str(info.value)
    assert "FAIL tests.fixtures.broken:CoercingGreeter" in text
    assert "PASS tests.fixtures.good:PlainGreeter" in text
    assert "reproduce:" in text
    interlock.check(c.Greeter, g.PlainGreeter, seed=5, max_examples=10).assert_conforms()


def test_check_refuses_bad_options() -> None:
    """Bad options to interlock.check raise UsageError naming the option and its value."""
    with pytest.raises(interlock.UsageError, match="max_examples"):
        interlock.check(c.Greeter, g.PlainGreeter, max_examples=0)
    with pytest.raises(interlock.UsageError, match="timeout"):
        interlock.check(c.Greeter, g.PlainGreeter, timeout=0)
    with pytest.raises(interlock.UsageError, match="not a class or a factory"):
        interlock.check(c.Greeter, 3)
    with pytest.raises(interlock.ContractDefinitionError, match="not a contract"):
        interlock.check(g.PlainGreeter, g.PlainGreeter)


def test_text_report_without_colour_has_no_escape_codes(report: interlock.Report) -> None:
    """The text report has colour only when asked (on a terminal)."""
    assert "\x1b[" not in report.text()
    assert "\x1b[" in report.text(colour=True)


def test_assert_clause_on_a_scenario_asks_for_its_target_and_draws() -> None:
    """A scenario clause is replayed on a target with drawn values; asked like a postcondition, it says what it needs."""
    with pytest.raises(TypeError, match="is a scenario: give target="):
        interlock.assert_clause(c.Notifier, "notify-reaches-only-its-user", result=True)


def _run_script(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_a_differential_between_two_targets_has_a_script_that_fails_with_the_disagreement() -> None:
    """Two targets that disagree (no reference): each one's script runs the same calls on it and on the other and
    ends in ``assert_agrees(..., other=...)``: it fails as checked, and passes once the two agree."""
    report = interlock.check(c.Pricer, g.LengthPricer, b.OffByOnePricer, seed=5, max_examples=20)
    found = {v.target.rsplit(":", 1)[1]: v for v in report.violations if v.kind == "differential"}
    assert set(found) == {"LengthPricer", "OffByOnePricer"}
    script = found["OffByOnePricer"].example
    assert script.endswith("assert_agrees(Pricer, 'price', observed, result, other='tests.fixtures.good:LengthPricer')")
    failed = _run_script(script)
    assert failed.returncode == 1
    assert "AssertionError: prices-agree: price returned" in failed.stderr
    assert "where tests.fixtures.good:LengthPricer returned" in failed.stderr
    fixed = script.replace("import OffByOnePricer", "import LengthPricer as OffByOnePricer").replace(
        "tests.fixtures.broken", "tests.fixtures.good"
    )
    assert _run_script(fixed).returncode == 0


def test_a_differential_of_an_async_member_between_two_targets_fails_when_run(tmp_path: Path) -> None:
    """The script of an ``async`` member's disagreement awaits each call with ``asyncio.run`` and fails as checked."""
    (tmp_path / "pricing.py").write_text(
        "from typing import Protocol\n"
        "import interlock\n\n"
        "@interlock.contract\n"
        "class Pricer(Protocol):\n"
        "    @interlock.comparable\n"
        "    async def price(self, quantity: int) -> int: ...\n\n"
        "def _q(q):\n"
        "    if type(q) is not int:\n"
        "        raise TypeError('quantity must be int')\n"
        "    return q\n\n"
        "class Exact:\n"
        "    async def price(self, quantity: int) -> int:\n"
        "        return _q(quantity) * 3\n\n"
        "class Rounding:\n"
        "    async def price(self, quantity: int) -> int:\n"
        "        q = _q(quantity)\n"
        "        return q * 3 if q < 5 else q * 3 + 1\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "interlock", "check", "pricing:Pricer", "pricing:Exact", "pricing:Rounding", "--seed", "1", "--json"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert done.returncode == 1, done.stderr
    (exact,) = [v for t in json.loads(done.stdout)["targets"] if t["target"] == "pricing:Exact" for v in t["violations"]]
    assert exact["kind"] == "differential"
    assert "asyncio.run(target.price(quantity=5))" in exact["example"]
    ran = subprocess.run([sys.executable, "-c", exact["example"]], check=False, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert ran.returncode == 1
    assert "AssertionError: price-agrees: price returned 15, where pricing:Rounding returned 16" in ran.stderr


def test_a_return_type_seen_inside_a_scenario_has_a_script_that_fails_with_it() -> None:
    """A result of the wrong type met while a scenario ran: the script keeps it and ends in
    ``interlock.assert_returns``, which fails against the target and passes against the reference."""
    from interlock.contracts.auth import ServiceAuthClient
    from tests.fixtures import catalog_auth as ca

    report = interlock.check(ServiceAuthClient, ca.OptimisticClient, seed=20261125, max_examples=30)
    (v,) = [v for v in report.violations if v.kind == "return-type"]
    assert "interlock.assert_returns(ServiceAuthClient, 'validate_token', returned)" in v.example
    failed = _run_script(v.example)
    assert failed.returncode == 1
    assert "AssertionError: return-type: validate_token returned" in failed.stderr
    fixed = v.example.replace(
        "from tests.fixtures.catalog_auth import OptimisticClient",
        "from interlock.examples.auth import ReferenceServiceClient as OptimisticClient",
    )
    assert fixed != v.example
    assert _run_script(fixed).returncode == 0


@pytest.mark.parametrize(
    ("target", "kind", "member"),
    [
        ("interlock.examples.factory:SloppyEngineFactory", "param-name-drift", "execute_agent"),
        ("tests.fixtures.catalog_factory:KeywordMessageFactory", "signature-mismatch", "execute_agent"),
        ("tests.fixtures.catalog_factory:ContextAttributeFactory", "missing-member", "user_context"),
    ],
    ids=["renamed", "keyword-only", "missing-attribute"],
)
def test_the_script_of_a_drifting_product_builds_it_through_the_factory_and_fails_with_the_drift(
    target: str, kind: str, member: str
) -> None:
    """An engine a factory made drifts from the engine contract: the script builds it as the checker did and ends in
    ``assert_signature`` on that product (or, for a data member, an ``assert hasattr``), so it fails against the
    factory and runs clean with the reference factory in its place."""
    from interlock.cli import resolve
    from interlock.contracts.factory import ExecutionEngineFactory

    report = interlock.check(ExecutionEngineFactory, resolve(target)[0], seed=3, max_examples=10)
    found = [v for v in report.violations if v.kind == kind and v.member == f"create_for_user().{member}"]
    assert found, [(v.kind, v.member) for v in report.violations]
    script = found[0].example
    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(AssertionError, match=f"{kind}: {member}"):
        exec(compile(script, "<reproducer>", "exec"), {"__name__": "__reproducer__"})
    module, name = target.split(":")
    fixed = script.replace(f"from {module} import {name}", f"from interlock.examples.factory import ReferenceFactory as {name}")
    assert fixed != script
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(fixed, "<reproducer against the reference>", "exec"), {"__name__": "__reproducer__"})


def test_a_value_passed_on_before_failure_is_reported_has_a_script_that_checks_the_dependency() -> None:
    """A client that decodes bytes and posts them to its transport, then reports failure, still broke the rule
    (outside the domain, failure is reported before anything else happens): its script names the transport and ends
    by checking that it was not called, so it fails against the client and passes against the reference."""
    from interlock.contracts.auth import ServiceAuthClient
    from tests.fixtures.catalog_auth import BytesDecodingClient

    report = interlock.check(ServiceAuthClient, BytesDecodingClient, seed=3, max_examples=10)
    (v,) = [v for v in report.violations if v.kind == "type-coercion" and v.clause is None]
    assert "only after passing on (to transport.post)" in v.message
    assert "(transport := double(AuthTransport))" in v.example
    with pytest.raises(AssertionError, match="type-coercion: validate_token passed bytes b'x' on to transport"):
        exec(compile(v.example, "<reproducer>", "exec"), {"__name__": "__reproducer__"})
    fixed = v.example.replace(
        "from tests.fixtures.catalog_auth import BytesDecodingClient",
        "from interlock.examples.auth import ReferenceServiceClient as BytesDecodingClient",
    )
    assert fixed != v.example
    exec(compile(fixed, "<reproducer against the reference>", "exec"), {"__name__": "__reproducer__"})
