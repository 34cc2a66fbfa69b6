"""``pytest --interlock``: every implementation recorded by the modules in ``interlock_modules``, as tests."""

from __future__ import annotations

import pytest

from tests.pytest_plugin.conftest import BASE_INI, CheckSpy

REGISTRATIONS = """
import interlock
from shapes import GoodNotifier, LaxNotifier, Notifier

interlock.register(Notifier, GoodNotifier)
interlock.register(Notifier, LaxNotifier)
"""

PLAIN_TEST = """
def test_plain():
    pass
"""


@pytest.fixture
def registered(project: pytest.Pytester) -> pytest.Pytester:
    """A project whose ``impls`` module records two Notifier implementations, named by interlock_modules."""
    project.makeini(BASE_INI + "interlock_modules = impls\n")
    project.makepyfile(impls=REGISTRATIONS, test_plain=PLAIN_TEST)
    return project


def test_runs_every_recorded_implementation(registered: pytest.Pytester) -> None:
    """--interlock adds the generated tests of each recorded contract, with the same names as contract_tests."""
    result = registered.runpytest("--interlock", "--interlock-examples", "5", "-v")
    result.assert_outcomes(passed=9, failed=1)
    result.stdout.fnmatch_lines_random(
        [
            "test_plain.py::test_plain PASSED*",
            "interlock::shapes.Notifier::test_signature[[]GoodNotifier[]] PASSED*",
            "interlock::shapes.Notifier::test_signature[[]LaxNotifier[]] PASSED*",
            "interlock::shapes.Notifier::test_member[[]GoodNotifier-__init__[]] PASSED*",
            "interlock::shapes.Notifier::test_member[[]LaxNotifier-notify[]] FAILED*",
            "interlock::shapes.Notifier::test_clause[[]GoodNotifier-receipt-names-the-user[]] PASSED*",
            "interlock::shapes.Notifier::test_differential PASSED*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "LaxNotifier.notify breaks Notifier: none-propagation*",
            "",
            "none-propagation notify(user_id): notify: accepted None for 'user_id'*",
            "  at shapes.py:*",
            "  reproduce:",
            "    from shapes import LaxNotifier",
            "*",
            "    try:",
            "        target.notify(user_id=None, message=*)",
        ]
    )
    result.stdout.fnmatch_lines(["seed *; replay this run with pytest --interlock --interlock-seed *"])


def test_header_names_the_contracts(registered: pytest.Pytester) -> None:
    """With --interlock, the session header says which contracts are checked."""
    result = registered.runpytest("--interlock", "--collect-only")
    result.stdout.fnmatch_lines(["interlock: 1 contract (Notifier)"])


def test_off_unless_asked(registered: pytest.Pytester, check_spy: CheckSpy) -> None:
    """Without --interlock, nothing is imported or added: only the user's own tests run."""
    registered.runpytest().assert_outcomes(passed=1)
    assert check_spy.calls == []


def test_ini_key_turns_it_on(registered: pytest.Pytester) -> None:
    """interlock = true in the ini file is --interlock."""
    registered.makeini(BASE_INI + "interlock = true\ninterlock_modules = impls\ninterlock_examples = 5\n")
    registered.runpytest().assert_outcomes(passed=9, failed=1)


def test_generated_tests_are_selectable(registered: pytest.Pytester) -> None:
    """-k and -m reach the generated tests like any other."""
    result = registered.runpytest("--interlock", "--interlock-examples", "5", "-k", "signature")
    result.assert_outcomes(passed=2, deselected=8)
    result = registered.runpytest("--interlock", "--interlock-examples", "5", "-m", "not interlock")
    result.assert_outcomes(passed=1, deselected=9)


def test_check_runs_once_per_contract(registered: pytest.Pytester, check_spy: CheckSpy) -> None:
    """One interlock.check per contract, with every recorded target, and the command-line options."""
    registered.runpytest("--interlock", "--interlock-examples", "4", "--interlock-seed", "9").assert_outcomes(passed=9, failed=1)
    assert check_spy.calls == [
        {"targets": ["GoodNotifier", "LaxNotifier"], "max_examples": 4, "seed": 9, "timeout": 5.0, "sequences": None, "steps": 8}
    ]


def test_implementations_defined_in_the_modules_count_even_if_imported_earlier(project: pytest.Pytester) -> None:
    """A class decorated with @interlock.implements in a named module is found though a conftest imported it first."""
    project.makeini(BASE_INI + "interlock_modules = impls\n")
    project.makepyfile(
        impls="""
        import interlock
        from shapes import GoodNotifier, Notifier

        @interlock.implements(Notifier)
        class MyNotifier(GoodNotifier):
            pass
        """
    )
    project.makeconftest("import impls\n")
    result = project.runpytest("--interlock", "--interlock-examples", "5", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["interlock::shapes.Notifier::test_signature[[]MyNotifier[]]", "4 tests collected*"])


def test_contracts_recorded_elsewhere_are_left_out(registered: pytest.Pytester) -> None:
    """Only the contracts the named modules record implementations of run, not every registration in the process."""
    registered.makepyfile(
        elsewhere="""
        import interlock
        from shapes import ListPricer, Pricer

        interlock.register(Pricer, ListPricer)
        """
    )
    registered.makeconftest("import elsewhere\n")
    result = registered.runpytest("--interlock", "--collect-only", "-q")
    result.stdout.no_fnmatch_line("*Pricer*")
    result.stdout.fnmatch_lines(["interlock::shapes.Notifier::test_differential"])


@pytest.mark.parametrize(
    ("ini", "message"),
    [
        (
            "",
            "--interlock needs modules to import: set interlock_modules in the pytest configuration (e.g. interlock_modules = mypkg.routers)",
        ),
        ("interlock_modules = impls nosuch", "interlock_modules: cannot import 'nosuch' (ModuleNotFoundError: No module named 'nosuch')"),
        ("interlock_modules = broken", "interlock_modules: cannot import 'broken' (ZeroDivisionError: division by zero)"),
        (
            "interlock_modules = test_plain",
            "--interlock: no implementations are recorded in test_plain; decorate them with @interlock.implements(Contract)",
        ),
    ],
    ids=["no-modules", "missing-module", "module-raises", "nothing-recorded"],
)
def test_bad_modules_are_a_usage_error(registered: pytest.Pytester, ini: str, message: str) -> None:
    """A missing, unimportable or empty interlock_modules stops the run with one line naming the module."""
    registered.makeini(BASE_INI + ini + "\n")
    registered.makepyfile(broken="1 / 0\n")
    result = registered.runpytest("--interlock")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
    assert len([line for line in result.stderr.lines if line.strip()]) == 1
