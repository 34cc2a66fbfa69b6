"""``interlock.pytest.contract_tests``: the generated class, its test names, verdicts and messages."""

from __future__ import annotations

import pytest

from tests.pytest_plugin.conftest import CheckSpy


def test_names_one_test_per_target_and_check(project: pytest.Pytester) -> None:
    """The class holds test_signature[T], test_member[T-member], test_clause[T-clause-id] and test_differential."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import GoodNotifier, LaxNotifier, Notifier

        TestNotifiers = interlock.pytest.contract_tests(Notifier, GoodNotifier, LaxNotifier, max_examples=5, seed=1)
        """
    )
    result = project.runpytest("--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(
        [
            "test_notify.py::TestNotifiers::test_signature[[]GoodNotifier[]]",
            "test_notify.py::TestNotifiers::test_signature[[]LaxNotifier[]]",
            "test_notify.py::TestNotifiers::test_member[[]GoodNotifier-__init__[]]",
            "test_notify.py::TestNotifiers::test_member[[]GoodNotifier-notify[]]",
            "test_notify.py::TestNotifiers::test_member[[]LaxNotifier-__init__[]]",
            "test_notify.py::TestNotifiers::test_member[[]LaxNotifier-notify[]]",
            "test_notify.py::TestNotifiers::test_clause[[]GoodNotifier-receipt-names-the-user[]]",
            "test_notify.py::TestNotifiers::test_clause[[]LaxNotifier-receipt-names-the-user[]]",
            "test_notify.py::TestNotifiers::test_differential",
            "9 tests collected*",
        ]
    )


def test_conforming_target_passes_every_test(project: pytest.Pytester) -> None:
    """A target that keeps the contract passes its signature, member and clause tests; one target has no differential test."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        TestGood = interlock.pytest.contract_tests(Notifier, GoodNotifier, max_examples=10)
        """
    )
    project.runpytest().assert_outcomes(passed=4)


def test_each_drift_fails_only_its_own_test(project: pytest.Pytester) -> None:
    """A renamed parameter fails test_signature, accepting None fails test_member, a broken clause fails test_clause."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import ForgetfulNotifier, LaxNotifier, Notifier, RenamedNotifier

        TestDrift = interlock.pytest.contract_tests(
            Notifier, RenamedNotifier, LaxNotifier, ForgetfulNotifier, max_examples=10, seed=3
        )
        """
    )
    result = project.runpytest("-rf")
    result.assert_outcomes(passed=10, failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "FAILED test_notify.py::TestDrift::test_signature[[]RenamedNotifier[]] - Failed: RenamedNotifier drifts from Notifier: param-name-drift in notify(user_id)",
            "FAILED test_notify.py::TestDrift::test_member[[]LaxNotifier-notify[]] - Failed: LaxNotifier.notify breaks Notifier: none-propagation*",
            "FAILED test_notify.py::TestDrift::test_clause[[]ForgetfulNotifier-receipt-names-the-user[]] - Failed: ForgetfulNotifier breaks clause 'receipt-names-the-user'*",
        ]
    )


def test_failure_shows_kind_member_message_location_and_reproducer(project: pytest.Pytester) -> None:
    """The failure reads like the text report: kind, member(parameter), message, location, the shrunk reproducer, the seed."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import LaxNotifier, Notifier

        TestLax = interlock.pytest.contract_tests(Notifier, LaxNotifier, max_examples=10, seed=7)
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*_ TestLax.test_member[[]LaxNotifier-notify[]] _*",
            "LaxNotifier.notify breaks Notifier: none-propagation, empty-string, type-coercion in notify(user_id)",
            "",
            "none-propagation notify(user_id): notify: accepted None for 'user_id'*",
            "  at shapes.py:*",
            "  reproduce:",
            "    from shapes import LaxNotifier",
            "    target = LaxNotifier(sender='0')",
            "    try:",
            "        target.notify(user_id=None, message='0')",
            "    except (ValueError, TypeError):",
            "empty-string notify(user_id): *",
        ]
    )
    result.stdout.fnmatch_lines(["seed 7; replay this run with contract_tests(..., seed=7) or pytest --interlock-seed 7"])
    # A message, not a traceback into interlock's own code.
    result.stdout.no_fnmatch_line("*_pytest_cases.py*")


def test_clause_failure_names_the_clause_and_its_text(project: pytest.Pytester) -> None:
    """test_clause[T-id] fails with the clause id and its text, so the name leads to the promise broken."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import ForgetfulNotifier, Notifier

        TestForgetful = interlock.pytest.contract_tests(Notifier, ForgetfulNotifier, max_examples=10, seed=1)
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "ForgetfulNotifier breaks clause 'receipt-names-the-user' of Notifier (The receipt names the user.): postcondition in notify",
            "",
            "postcondition notify [[]receipt-names-the-user[]]: notify: broke 'receipt-names-the-user'*",
        ]
    )


def test_differential_failure_names_both_targets(project: pytest.Pytester) -> None:
    """Two targets that conform alone but answer differently (one raises, one returns) fail test_differential, naming both."""
    project.makepyfile(
        test_prices="""
        import interlock.pytest
        from shapes import ListPricer, Pricer, ZeroPricer

        TestPair = interlock.pytest.contract_tests(Pricer, ListPricer, ZeroPricer, max_examples=10, seed=2)
        """
    )
    result = project.runpytest("-rf")
    result.assert_outcomes(passed=10, failed=1)
    result.stdout.fnmatch_lines(
        ["FAILED test_prices.py::TestPair::test_differential - Failed: implementations of Pricer disagree: ListPricer, ZeroPricer in price"]
    )
    result.stdout.fnmatch_lines(["ListPricer: differential price: *", "*reproduce:*", "ZeroPricer: differential price: *"])


def test_two_targets_with_no_comparable_member_get_the_reports_note_after_the_run(project: pytest.Pytester) -> None:
    """Notifier marks no member comparable: the run passes, and a section after it says that the targets' results
    were not compared (report.md, notes); Pricer compares its totals, and its run has no such section."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        class Again(GoodNotifier):
            pass

        TestNotifiers = interlock.pytest.contract_tests(Notifier, GoodNotifier, Again, max_examples=5, seed=1)
        """
    )
    result = project.runpytest()
    result.assert_outcomes(passed=9)
    result.stdout.fnmatch_lines(["*= interlock notes =*", "no member of *:Notifier is marked comparable: *not what they returned*"])
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import ListPricer, Pricer

        class Again(ListPricer):
            pass

        TestPair = interlock.pytest.contract_tests(Pricer, ListPricer, Again, max_examples=5, seed=1)
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.OK
    result.stdout.no_fnmatch_line("*interlock notes*")


def test_comparable_clause_fails_the_clause_test_of_each_target(project: pytest.Pytester) -> None:
    """A disagreement on a member with a @comparable clause fails test_clause[T-clause-id] of the targets that disagree."""
    project.makepyfile(
        test_prices="""
        import interlock.pytest
        from shapes import DiscountPricer, ListPricer, Pricer

        TestPair = interlock.pytest.contract_tests(Pricer, ListPricer, DiscountPricer, max_examples=20, seed=2)
        """
    )
    result = project.runpytest("-rf")
    result.assert_outcomes(passed=9, failed=2)
    result.stdout.fnmatch_lines_random(
        [
            "FAILED test_prices.py::TestPair::test_clause[[]ListPricer-totals-agree[]] - Failed: ListPricer breaks clause 'totals-agree'*",
            "FAILED test_prices.py::TestPair::test_clause[[]DiscountPricer-totals-agree[]] - Failed: DiscountPricer breaks clause 'totals-agree'*",
        ]
    )


def test_comparing_clause_is_skipped_for_a_single_target(project: pytest.Pytester) -> None:
    """A clause that only compares implementations cannot be checked on one target: its test is skipped, saying so."""
    project.makepyfile(
        test_prices="""
        import interlock.pytest
        from shapes import ListPricer, Pricer

        TestAlone = interlock.pytest.contract_tests(Pricer, ListPricer, max_examples=5)
        """
    )
    result = project.runpytest("-rs")
    result.assert_outcomes(passed=4, skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED [[]1[]] test_prices.py:4: not checked: [[]totals-agree[]] compares implementations, and there is only one target"]
    )


def test_member_that_cannot_be_checked_is_skipped_with_the_reason(project: pytest.Pytester) -> None:
    """A method no caller of the contract can reach fails test_signature; its member and clause tests are skipped, saying why."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import ChannelNotifier, Notifier

        TestChannel = interlock.pytest.contract_tests(Notifier, ChannelNotifier, max_examples=10, seed=1)
        """
    )
    result = project.runpytest("-rs")
    result.assert_outcomes(passed=1, failed=1, skipped=2)
    # The skip points at the line that made the class, not into interlock.
    result.stdout.fnmatch_lines(
        [
            "SKIPPED [[]2[]] test_notify.py:4: not checked: notify: no call written against the contract can reach it (see the signature violations)"
        ]
    )


def test_async_member_of_a_plain_contract_member_is_still_checked(project: pytest.Pytester) -> None:
    """An async method where the contract has a plain one fails test_signature; what it returns is still judged,
    so its member and clause tests pass when the awaited value is right."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import AsyncNotifier, Notifier

        TestAsync = interlock.pytest.contract_tests(Notifier, AsyncNotifier, max_examples=10, seed=1)
        """
    )
    result = project.runpytest("-rf")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["FAILED test_notify.py::TestAsync::test_signature[[]AsyncNotifier[]] - Failed: *async-mismatch*"])


def test_check_runs_once_per_class(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """Every test of a class reads one report: interlock.check runs once per class, with all its targets."""
    project.makepyfile(
        test_notify="""
        import interlock.pytest
        from shapes import GoodNotifier, LaxNotifier, Notifier

        TestOne = interlock.pytest.contract_tests(Notifier, GoodNotifier, max_examples=5)
        TestTwo = interlock.pytest.contract_tests(Notifier, GoodNotifier, LaxNotifier, max_examples=5)
        """
    )
    project.runpytest().assert_outcomes(passed=4 + 8, failed=1)
    assert [c["targets"] for c in check_spy.calls] == [["GoodNotifier"], ["GoodNotifier", "LaxNotifier"]]


def test_recorded_implementations_are_the_default_targets(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """With no targets, contract_tests checks the implementations recorded with @interlock.implements."""
    project.makepyfile(
        test_notify="""
        import interlock
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        interlock.register(Notifier, GoodNotifier)
        TestRecorded = interlock.pytest.contract_tests(Notifier, max_examples=5)
        """
    )
    project.runpytest().assert_outcomes(passed=4)
    assert [c["targets"] for c in check_spy.calls] == [["GoodNotifier"]]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("contract_tests(GoodNotifier, GoodNotifier)", "is not a contract"),
        ("contract_tests(Notifier)", "no targets for shapes:Notifier"),
        ("contract_tests(Notifier, 'GoodNotifier')", "is not a class or a factory"),
        ("contract_tests(Notifier, GoodNotifier, GoodNotifier)", "is given twice"),
        ("contract_tests(Notifier, GoodNotifier, max_examples=0)", "max_examples must be a whole number of 1 or more (got 0)"),
        ("contract_tests(Notifier, GoodNotifier, seed='1')", "seed must be a whole number of 0 or more (got '1')"),
        ("contract_tests(Notifier, GoodNotifier, timeout=-1)", "timeout must be a number of seconds from 0.001 to 86400 (got -1)"),
    ],
    ids=["not-a-contract", "no-targets", "not-callable", "twice", "examples-zero", "seed-text", "timeout-negative"],
)
def test_misuse_is_an_error_when_the_module_is_collected(project: pytest.Pytester, call: str, message: str) -> None:
    """A wrong argument to contract_tests raises an interlock error at import, shown as the module's collection error."""
    project.makepyfile(
        test_notify=f"""
        from interlock.pytest import contract_tests
        from shapes import GoodNotifier, Notifier

        TestBad = {call}
        """
    )
    result = project.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"E   interlock.*Error: *{message}*"])


def test_a_subclass_is_collected_alone_with_its_own_marker(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """Subclassing the generated class (to decorate it) gives one collected class whose options come from its marker."""
    project.makepyfile(
        test_notify="""
        import pytest
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        @pytest.mark.interlock(max_examples=3)
        class TestMarked(interlock.pytest.contract_tests(Notifier, GoodNotifier, max_examples=50)):
            pass
        """
    )
    project.runpytest("--strict-markers").assert_outcomes(passed=4)
    assert [c["max_examples"] for c in check_spy.calls] == [3]
