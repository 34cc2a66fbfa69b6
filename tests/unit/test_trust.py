"""Black-box acceptance tests for the "trust" rules of report.md, on a contract the other tests never saw
(``tests.fixtures.trust``): dunder members, return types wherever a result is seen, every broken clause,
one drift hiding nothing, misbehaving results, set-up failures, ``(*args, **kwargs)`` targets, look-alikes,
and reproducers that run.

Every test checks the exact outcome: a broken target gets exactly the named violations, identified by
(kind, member, parameter, clause), each once; a correct target gets none and an empty ``not_checked``.
A test with several cases checks them all before it fails, and its failure lists every case that missed.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

import interlock
from tests.fixtures import builtin_maps as bm
from tests.fixtures import trust as t

SEED = 20260214
EXAMPLES = 30

Key = tuple[str, str | None, str | None, str | None]

STORE_CLAUSES = {
    "length-is-not-negative": "__len__",
    "put-then-get-returns-value": "put",
    "put-makes-key-present": "put",
    "deleted-key-is-absent": "delete",
    "update-stores-every-entry": "update",
}


def _check(contract: type, *targets: Any) -> Any:
    """Run the checker; an exception out of ``interlock.check`` is itself a failure of the rule under test."""
    try:
        return interlock.check(contract, *targets, seed=SEED, max_examples=EXAMPLES, timeout=2.0)
    except Exception as exc:  # the report must come back whatever the targets do
        pytest.fail(f"interlock.check({contract.__name__}, {', '.join(x.__name__ for x in targets)}) raised {type(exc).__name__}: {exc}")


def _only(contract: type, target: Any) -> Any:
    report = _check(contract, target)
    assert len(report.targets) == 1
    return report.targets[0]


def _found(target_report: Any) -> Counter[Key]:
    """The target's violations as (kind, member, parameter, clause), counted, so a duplicate shows."""
    return Counter((v.kind, v.member, v.parameter, v.clause) for v in target_report.violations)


def _listing(target_report: Any) -> str:
    lines = [f"    {v.kind} {v.member} {v.parameter} [{v.clause}]: {v.message}" for v in target_report.violations]
    return "\n".join(lines) or "    (no violation)"


def _mismatch(target_report: Any, expected: Counter[Key]) -> list[str]:
    got = _found(target_report)
    if got == expected:
        return []
    return [f"{target_report.target}: expected {sorted(expected, key=repr)}, got:\n{_listing(target_report)}"]


def _expect(problems: list[str], contract: type, target: Any, *expected: Key) -> Any:
    """Check ``target`` alone; note in ``problems`` unless its violations are exactly ``expected``."""
    target_report = _only(contract, target)
    problems += _mismatch(target_report, Counter(expected))
    return target_report


def _clean(problems: list[str], target_report: Any) -> None:
    """Note in ``problems`` unless the target has no violation and nothing left unchecked."""
    if list(target_report.violations) or list(target_report.not_checked) or not target_report.conforms:
        problems.append(
            f"{target_report.target}: expected no violation and no not_checked, got:\n{_listing(target_report)}\n    not_checked: {list(target_report.not_checked)}"
        )


def _no_problems(problems: list[str]) -> None:
    assert not problems, "\n" + "\n".join(problems)


# ---- the baseline: correct targets in every style ----------------------------------------------------


@pytest.mark.parametrize(
    ("contract", "target"),
    [
        (t.Store, t.DictStore),
        (t.Store, t.SlotsStore),
        (t.Store, t.ForwardingStore),
        (t.Store, t.WrappedStore),
        (t.TallyMaker, t.SlotsTallyMaker),
    ],
    ids=lambda x: getattr(x, "__name__", str(x)),
)
def test_correct_targets_conform(contract: type, target: Any) -> None:
    """A correct store (dict-backed; ``__slots__`` with positional-only dunders; ``(*args, **kwargs)``
    forwarding; ``functools.wraps`` wrappers) and a correct maker whose products use ``__slots__`` get no
    violation and an empty ``not_checked``."""
    problems: list[str] = []
    _clean(problems, _only(contract, target))
    _no_problems(problems)


# ---- 1. every declared member: dunders ---------------------------------------------------------------


def test_rule1_declared_dunders_are_checked_like_any_member() -> None:
    """Dunder members the contract declares are checked for presence, inputs and return type:
    a missing ``__len__`` is ``missing-member``; a ``__contains__`` that answers for ``None`` is
    ``none-propagation`` on ``key``; a ``__len__`` returning ``"0"`` is one ``return-type`` (its
    ``length-is-not-negative`` clause is not also judged on that value). Builtin-style positional-only
    dunder parameters (as ``dict.__contains__`` has) are not a ``param-name-drift``."""
    problems: list[str] = []
    _expect(problems, t.Store, t.NoLenStore, ("missing-member", "__len__", None, None))
    _expect(problems, t.Store, t.NoneContainsStore, ("none-propagation", "__contains__", "key", None))
    _expect(problems, t.Store, t.TextLenStore, ("return-type", "__len__", None, None))
    _clean(problems, _only(t.Store, t.SlotsStore))
    _no_problems(problems)


# ---- 2. return types wherever a result is seen -----------------------------------------------------------


def test_rule2_return_types_are_checked_wherever_a_result_is_seen() -> None:
    """A ``get`` that returns a ``bytearray`` (equal to the bytes, but not ``bytes``) is ``return-type`` on
    ``get``, though only an ``ensures`` predicate ever sees a non-``None`` result. A ``get`` that returns
    text, seen only inside the ``put``/``update`` predicates, is one ``return-type`` on ``get`` and not also
    a ``postcondition`` of ``put`` or ``update``; the ``put`` clause that saw it is listed in ``not_checked``.
    A factory product's ``total`` returning text is one ``return-type`` on ``make().total``, not also a
    ``postcondition`` of ``make().add``."""
    problems: list[str] = []
    _expect(problems, t.Store, t.BytearrayGetStore, ("return-type", "get", None, None))

    text_get = _expect(problems, t.Store, t.TextGetStore, ("return-type", "get", None, None))
    if "put-then-get-returns-value" not in {n.clause for n in text_get.not_checked}:
        problems.append(f"{text_get.target}: 'put-then-get-returns-value' is not in not_checked: {list(text_get.not_checked)}")

    _expect(problems, t.TallyMaker, t.TextTotalTallyMaker, ("return-type", "make().total", None, None))
    _no_problems(problems)


# ---- 3. every broken clause is reported -------------------------------------------------------------------


def test_rule3_every_broken_clause_is_its_own_violation() -> None:
    """A ``put`` that stores nothing breaks two ``ensures`` clauses and gets two ``postcondition``
    violations on ``put``, one per clause id."""
    problems: list[str] = []
    _expect(
        problems,
        t.Store,
        t.ForgetfulPutStore,
        ("postcondition", "put", None, "put-then-get-returns-value"),
        ("postcondition", "put", None, "put-makes-key-present"),
    )
    _no_problems(problems)


# ---- 4. one drift hides nothing ------------------------------------------------------------------------------


def test_rule4_an_uncallable_constructor_hides_no_member_drift() -> None:
    """A constructor with a required extra parameter is a ``signature-mismatch`` on ``__init__``; the
    member signatures are compared all the same, so ``delete``'s renamed ``key`` is a ``param-name-drift``."""
    problems: list[str] = []
    _expect(
        problems,
        t.Store,
        t.NeedsPathStore,
        ("signature-mismatch", "__init__", None, None),
        ("param-name-drift", "delete", "key", None),
    )
    _no_problems(problems)


# ---- 5. misbehaving dunders on results ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "member"),
    [(t.UnprintableDeleteStore, "delete"), (t.IncomparableGetStore, "get")],
    ids=["repr-raises", "eq-raises"],
)
def test_rule5_results_with_misbehaving_dunders_are_blamed_on_their_target(target: Any, member: str) -> None:
    """A result whose ``__repr__`` raises (from ``delete``) or whose ``__eq__`` raises (from ``get``, seen
    inside the ``ensures`` predicates) never crashes the run: ``interlock.check`` returns a report that
    renders as text and JSON, with no internal error, the one ``return-type`` on that member for that
    target (not a ``postcondition`` of a clause that compared it), located in the target's module, and
    nothing on a correct target checked alongside."""
    report = _check(t.Store, target, t.DictStore)
    broken, good = report.targets
    problems = _mismatch(broken, Counter({("return-type", member, None, None): 1}))
    problems += [
        f"{broken.target}: violation located at {v.location}"
        for v in broken.violations
        if v.location is not None and "tests/fixtures/trust.py:" not in v.location.replace("\\", "/")
    ]
    _clean(problems, good)
    document = report.to_json()
    json.dumps(document)
    if document.get("internal_errors"):
        problems.append(f"internal errors: {document['internal_errors']}")
    assert str(report)
    _no_problems(problems)


# ---- 6. set-up failures once -----------------------------------------------------------------------------------


def test_rule6_a_constructor_failure_is_one_violation_of_the_constructor() -> None:
    """A constructor that raises ``OSError`` on some in-domain namespaces, or on all of them, gets exactly one
    ``unexpected-exception`` on ``__init__``: not one per clause, and never filed under a clause's kind. When
    it raises on every in-domain value, every clause it kept from running is listed in ``not_checked``
    (by its clause id, or through its member with no clause)."""
    problems: list[str] = []
    _expect(problems, t.Store, t.FailingOpenStore, ("unexpected-exception", "__init__", None, None))

    unopenable = _expect(problems, t.Store, t.UnopenableStore, ("unexpected-exception", "__init__", None, None))
    listed_clauses = {n.clause for n in unopenable.not_checked}
    listed_members = {n.member for n in unopenable.not_checked if n.clause is None}
    missing = [c for c, m in STORE_CLAUSES.items() if c not in listed_clauses and m not in listed_members]
    if missing:
        problems.append(f"{unopenable.target}: clauses not listed in not_checked: {missing}; not_checked: {list(unopenable.not_checked)}")
    _no_problems(problems)


# ---- 7. (*args, **kwargs) targets ----------------------------------------------------------------------------------


def test_rule7_forwarding_to_a_renamed_parameter_is_param_name_drift() -> None:
    """A ``get(*args, **kwargs)`` forwarding to an inner ``get(name)`` fails a caller passing ``key=`` with
    Python's binding ``TypeError``: that is ``param-name-drift`` on ``key``, not ``unexpected-exception``."""
    problems: list[str] = []
    _expect(problems, t.Store, t.RenamedInnerStore, ("param-name-drift", "get", "key", None))
    _no_problems(problems)


# ---- 8. look-alikes ------------------------------------------------------------------------------------------------


def test_rule8_look_alikes_of_bytes_and_mappings_must_be_rejected() -> None:
    """A ``put`` that encodes text given for its ``bytes`` value is ``type-coercion`` on ``value``; an
    ``update`` that calls ``dict(entries)`` and so accepts a list of pairs for its ``Mapping`` is
    ``type-coercion`` on ``entries``."""
    problems: list[str] = []
    _expect(problems, t.Store, t.TextValueStore, ("type-coercion", "put", "value", None))
    _expect(problems, t.Store, t.PairsUpdateStore, ("type-coercion", "update", "entries", None))
    _no_problems(problems)


# ---- 9. reproducers -------------------------------------------------------------------------------------------------


def _run(script: str) -> None:
    exec(compile(script, "<reproducer>", "exec"), {"__name__": "__main__"})


@pytest.mark.parametrize(
    ("target", "kind", "member", "clause"),
    [
        (t.NoneKeyGetStore, "none-propagation", "get", None),
        (t.CountDeleteStore, "return-type", "delete", None),
        (t.ForgetfulPutStore, "postcondition", "put", "put-then-get-returns-value"),
        (t.NoneContainsStore, "none-propagation", "__contains__", None),
        (t.TextLenStore, "return-type", "__len__", None),
    ],
    ids=["accepted-none", "wrong-return-type", "broken-ensures", "accepted-none-dunder", "wrong-return-type-dunder"],
)
def test_rule9_reproducers_fail_on_the_target_and_pass_on_a_correct_one(target: Any, kind: str, member: str, clause: str | None) -> None:
    """The violation's ``example`` (an accepted ``None``, a wrong return type, a broken ``ensures``; on a
    plain member and on a dunder), run as it is in a fresh namespace with the fixture module imported by
    its path, ends in a failing ``assert`` (for a broken clause, one that names the clause); the same
    script with the target replaced by the correct ``DictStore`` runs without raising."""
    target_report = _only(t.Store, target)
    matching = [v for v in target_report.violations if (v.kind, v.member, v.clause) == (kind, member, clause)]
    assert len(matching) == 1, f"expected one {kind} on {member} [{clause}], got:\n{_listing(target_report)}"
    example = matching[0].example
    assert f"from tests.fixtures.trust import {target.__name__}" in example, example

    with pytest.raises(AssertionError) as failed:
        _run(example)
    if clause is not None:
        text = str(failed.value)
        assert clause in text or "After put(key, value), get(key) returns value." in text, text

    _run(example.replace(target.__name__, "DictStore"))


def test_mappings_whose_methods_have_no_signature_are_judged_by_calling() -> None:
    """dict.__getitem__ and dict.pop have no signature Python can read: they are called by position and by name, as
    a caller may. Operators always pass by position, so a dict's dunders conform; dict.pop refuses key=..., which
    a caller written against the contract passes: param-name-drift, and nothing else."""
    report = interlock.check(bm.Registry, bm.Plain, bm.Ordered, seed=1, max_examples=30)
    assert report.internal_errors == []
    assert {(v.target.rsplit(":", 1)[1], v.kind, v.member, v.parameter) for v in report.violations} == {
        ("Plain", "param-name-drift", "pop", "key")
    }
    broken = interlock.check(bm.Registry, bm.Forgetful, seed=1, max_examples=30)
    assert {(v.kind, v.member, v.clause) for v in broken.violations} == {
        ("param-name-drift", "pop", None),
        ("postcondition", "__setitem__", "set-then-read"),
    }
