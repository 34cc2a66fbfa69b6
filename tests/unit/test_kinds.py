"""Every violation kind a single target can show, found on a fixture with exactly that defect,
and nothing found on the known-good fixtures."""

from __future__ import annotations

from typing import Any

import pytest

import interlock
from tests.fixtures import broken as b
from tests.fixtures import contracts as c
from tests.fixtures import good as g

SEED = 20261125


def _found(contract: type, target: Any, **options: Any) -> set[tuple[str, str | None, str | None]]:
    options.setdefault("max_examples", 60)
    report = interlock.check(contract, target, seed=SEED, timeout=options.pop("timeout", 1.0), **options)
    return {(v.kind, v.member, v.parameter) for v in report.violations}


GOOD = [
    (c.Greeter, g.PlainGreeter),
    (c.Greeter, g.WideGreeter),
    (c.Greeter, g.HelperGreeter),
    (c.Greeter, g.ForwardingGreeter),
    (c.Greeter, g.make_greeter),
    (c.Greeter, g.make_default_greeter),
    (c.Echo, g.GoodEcho),
    (c.Meter, g.GoodMeter),
    (c.Pricer, g.LengthPricer),
    (c.Limits, g.GoodLimits),
    (c.Notifier, g.GoodNotifier),
    (c.Registry, g.GoodRegistry),
]


@pytest.mark.parametrize(("contract", "target"), GOOD, ids=lambda x: getattr(x, "__name__", str(x)))
def test_known_good_conforms(contract: type, target: Any) -> None:
    """A correct implementation, in any legal style, gets zero violations and nothing left unchecked."""
    report = interlock.check(contract, target, seed=SEED, max_examples=60)
    assert report.violations == []
    assert report.conforms
    if target is not g.make_default_greeter:
        assert report.targets[0].not_checked == []


BROKEN = [
    (c.Greeter, b.NoGreetLater, {("missing-member", "greet_later", None)}),
    (c.Greeter, b.RenamedGreeter, {("param-name-drift", "greet", "name")}),
    (c.Greeter, b.PositionalOnlyGreeter, {("param-name-drift", "greet", "name")}),
    (c.Greeter, b.RenamedPrefixGreeter, {("param-name-drift", "__init__", "prefix")}),
    (c.Greeter, b.KeywordOnlyTimesGreeter, {("signature-mismatch", "greet", "times")}),
    (c.Greeter, b.RequiredTimesGreeter, {("signature-mismatch", "greet", "times")}),
    (c.Greeter, b.DefaultTwoGreeter, {("signature-mismatch", "greet", "times")}),
    (c.Greeter, b.AsyncGreetGreeter, {("async-mismatch", "greet", None)}),
    (c.Greeter, b.SyncLaterGreeter, {("async-mismatch", "greet_later", None)}),
    (c.Greeter, b.BytesGreeter, {("return-type", "greet", None)}),
    (c.Greeter, b.NoneAcceptingGreeter, {("none-propagation", "greet_later", "name")}),
    (c.Greeter, b.NonePrefixGreeter, {("none-propagation", "__init__", "prefix")}),
    (c.Greeter, b.BlankAcceptingGreeter, {("empty-string", "greet", "name")}),
    (c.Greeter, b.CoercingGreeter, {("type-coercion", "greet", "times")}),
    (c.Greeter, b.CrashingGreeter, {("unexpected-exception", "greet", None)}),
    (c.Greeter, b.ForgetfulGreeter, {("postcondition", "greet", None)}),
    (c.Echo, b.BlankCrashEcho, {("empty-string", "echo", "text")}),
    (c.Meter, b.BoolCountMeter, {("type-coercion", "record", "count")}),
    (c.Meter, b.NanMeter, {("type-coercion", "record", "seconds")}),
    (c.Meter, b.NegativeMeter, {("type-coercion", "record", "count")}),
    (c.Meter, b.TruthyMeter, {("type-coercion", "enabled", "flag")}),
    (c.Limits, b.LenientTierLimits, {("unexpected-exception", "limit", "tier")}),
    (c.Limits, b.RaisingParseLimits, {("unexpected-exception", "parse", None)}),
    (c.Notifier, b.MisroutingNotifier, {("isolation", None, None)}),
    (c.Greeter, b.KeywordsOnlyForwardingGreeter, {("signature-mismatch", "greet", "name")}),
    (
        c.Registry,
        b.LateCheckRegistry,
        {("none-propagation", "add", "name"), ("empty-string", "add", "name"), ("type-coercion", "add", "name")},
    ),
]


@pytest.mark.parametrize(("contract", "target", "expected"), BROKEN, ids=lambda x: getattr(x, "__name__", "")[:40])
def test_known_broken_is_reported_with_its_kind(contract: type, target: Any, expected: set[Any]) -> None:
    """A fixture with one defect gets exactly that violation: right kind, member and parameter."""
    assert _found(contract, target) == expected


@pytest.mark.parametrize("target", [b.SpinningGreeter, b.SleepyGreeter], ids=lambda t: t.__name__)
def test_hung_member_is_a_timeout_and_the_run_goes_on(target: Any) -> None:
    """A call that never returns is one `timeout` for that member; the other members are still checked."""
    report = interlock.check(c.Greeter, target, seed=SEED, timeout=0.3, max_examples=30)
    kinds = {(v.kind, v.member) for v in report.violations}
    hung = "greet" if target is b.SpinningGreeter else "greet_later"
    assert kinds == {("timeout", hung)}
    assert report.seconds < 10
    assert any(n.member == hung for n in report.targets[0].not_checked)


def test_clause_ids_are_reported() -> None:
    """A clause's violation carries the clause's stable id; input-domain checks carry none."""
    report = interlock.check(c.Greeter, b.ForgetfulGreeter, seed=SEED, max_examples=30)
    assert [v.clause for v in report.violations] == ["greeting-names-the-person"]
    report = interlock.check(c.Limits, b.LenientTierLimits, seed=SEED, max_examples=30)
    assert [v.clause for v in report.violations] == ["unknown-tier-rejected"]
    report = interlock.check(c.Greeter, b.CoercingGreeter, seed=SEED, max_examples=30)
    assert [v.clause for v in report.violations] == [None]


def test_differential_with_three_targets_flags_the_odd_one() -> None:
    """With three targets, only the one outside the largest agreeing group gets `differential`."""
    report = interlock.check(c.Pricer, g.LengthPricer, g.OtherLengthPricer, b.OffByOnePricer, seed=SEED, max_examples=30)
    flagged = [(v.target.split(":")[1], v.kind, v.clause) for v in report.violations]
    assert flagged == [("OffByOnePricer", "differential", "prices-agree")]
    assert "LengthPricer" in report.violations[0].message


def test_differential_with_two_targets_flags_both() -> None:
    """With two targets that disagree, each gets `differential` and its message names the other."""
    report = interlock.check(c.Pricer, g.LengthPricer, b.OffByOnePricer, seed=SEED, max_examples=30)
    assert [(v.target.split(":")[1], v.kind) for v in report.violations] == [
        ("LengthPricer", "differential"),
        ("OffByOnePricer", "differential"),
    ]
    assert "OffByOnePricer" in report.violations[0].message
    assert "LengthPricer" in report.violations[1].message


def test_agreeing_targets_get_no_differential() -> None:
    """Two implementations that agree on every input are not flagged."""
    assert interlock.check(c.Pricer, g.LengthPricer, g.OtherLengthPricer, seed=SEED, max_examples=30).conforms


def test_one_drift_does_not_hide_the_others() -> None:
    """A renamed parameter is reported, and the behaviour behind it is still checked by position."""

    class RenamedAndForgetful(b.RenamedGreeter):
        def greet(self, who: str, times: int = 1) -> str:  # type: ignore[override]
            super().greet(who, times)
            return "hi"

    found = _found(c.Greeter, RenamedAndForgetful)
    assert found == {("param-name-drift", "greet", "name"), ("postcondition", "greet", None)}


def test_zero_argument_factory_notes_what_it_cannot_check() -> None:
    """A factory that builds its own dependencies cannot be checked for clauses that watch a double."""

    def make_notifier() -> g.GoodNotifier:
        class Sink:
            async def send(self, user_id: str, message: Any) -> int:
                return 1

        return g.GoodNotifier(Sink())

    report = interlock.check(c.Notifier, make_notifier, seed=SEED, max_examples=20)
    assert report.conforms
    assert [(n.member, n.clause) for n in report.targets[0].not_checked] == [(None, "notify-reaches-only-its-user")]
