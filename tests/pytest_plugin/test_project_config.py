"""The plugin reads the project's [tool.interlock] table: options, modules, and the baseline (known drift does not fail)."""

from __future__ import annotations

import sys

import pytest

from interlock._baseline import dumps
from tests.pytest_plugin.conftest import BASE_INI, CheckSpy
from tests.pytest_plugin.test_options import FAILING_CLASS, ONE_CLASS

TWO_CLASSES = """
import interlock.pytest
from shapes import GoodNotifier, LaxNotifier, Notifier, RenamedNotifier

TestNotifiers = interlock.pytest.contract_tests(Notifier, GoodNotifier, LaxNotifier, RenamedNotifier)
"""


def _frozen(project: pytest.Pytester, *targets: str) -> str:
    """A baseline of today's drift of these shapes targets, as interlock check --update-baseline writes it."""
    project.syspathinsert()
    import interlock
    from interlock.properties._api import target_label

    shapes = __import__("shapes")
    report = interlock.check(shapes.Notifier, *(getattr(shapes, t) for t in targets), max_examples=5, seed=1, sequences=0)
    assert report.violations
    assert {v.target for v in report.violations} == {target_label(getattr(shapes, t)) for t in targets}
    sys.modules.pop("shapes", None)
    return dumps(v.fingerprint(report.contract) for v in report.violations)


def test_options_come_from_the_table(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """max-examples, seed, timeout, sequences and steps in [tool.interlock] reach the check."""
    project.makefile(".toml", pyproject="[tool.interlock]\nmax-examples = 4\nseed = 9\ntimeout = 2\nsequences = 1\nsteps = 2\n")
    project.makepyfile(test_one=ONE_CLASS)
    project.runpytest().assert_outcomes(passed=4)
    assert check_spy.calls == [{"targets": ["GoodNotifier"], "max_examples": 4, "seed": 9, "timeout": 2.0, "sequences": 1, "steps": 2}]


def test_ini_keys_win_over_the_table(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """An ini key (and so the command line) overrides the project table; what it leaves out still comes from the table."""
    project.makefile(".toml", pyproject="[tool.interlock]\nmax-examples = 4\nseed = 9\n")
    project.makeini(BASE_INI + "interlock_examples = 3\n")
    project.makepyfile(test_one=ONE_CLASS)
    project.runpytest().assert_outcomes(passed=4)
    assert [(c["max_examples"], c["seed"]) for c in check_spy.calls] == [(3, 9)]


def test_known_drift_is_an_expected_failure(project: pytest.Pytester) -> None:
    """With the table's baseline listing LaxNotifier's drift, its test is xfailed with the drift named; the others pass."""
    (project.path / "interlock-baseline.json").write_text(_frozen(project, "LaxNotifier"))
    project.makefile(
        ".toml", pyproject='[tool.interlock]\nmax-examples = 5\nseed = 1\nsequences = 0\nbaseline = "interlock-baseline.json"\n'
    )
    project.makepyfile(test_lax=FAILING_CLASS)
    result = project.runpytest("-rx")
    result.assert_outcomes(passed=3, xfailed=1)
    result.stdout.fnmatch_lines(
        ["XFAIL test_lax.py::TestLax::test_member[[]LaxNotifier-notify[]] - known drift, in the baseline *none-propagation*"]
    )


def test_new_drift_still_fails_beside_known_drift(project: pytest.Pytester) -> None:
    """--interlock-baseline FILE: LaxNotifier's drift is known (xfail); RenamedNotifier's is new and fails."""
    (project.path / "base.json").write_text(_frozen(project, "LaxNotifier"))
    project.makepyfile(test_two=TWO_CLASSES)
    result = project.runpytest("--interlock-baseline", "base.json", "--interlock-examples", "5", "--interlock-seed", "1", "-rfx")
    outcomes = result.parseoutcomes()
    assert outcomes.get("xfailed") == 1
    assert outcomes.get("failed", 0) >= 1
    result.stdout.fnmatch_lines_random(
        [
            "XFAIL test_two.py::TestNotifiers::test_member[[]LaxNotifier-notify[]]*",
            "FAILED test_two.py::TestNotifiers::test_signature[[]RenamedNotifier[]] - Failed: RenamedNotifier drifts from Notifier*",
        ]
    )
    result.stdout.no_fnmatch_line("FAILED *LaxNotifier-notify*")


def test_interlock_takes_the_modules_from_the_table(project: pytest.Pytester) -> None:
    """--interlock with no interlock_modules ini key imports the table's modules."""
    project.makepyfile(impls="import interlock\nfrom shapes import GoodNotifier, Notifier\ninterlock.register(Notifier, GoodNotifier)\n")
    project.makefile(".toml", pyproject='[tool.interlock]\nmodules = ["impls"]\nmax-examples = 3\nseed = 1\n')
    result = project.runpytest("--interlock", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["interlock::shapes.Notifier::test_signature[[]GoodNotifier[]] PASSED*"])


def test_a_bad_table_is_a_usage_error(project: pytest.Pytester) -> None:
    """A bad key in [tool.interlock] stops pytest with a usage error naming it."""
    project.makefile(".toml", pyproject="[tool.interlock]\nmax-examples = 0\n")
    project.makepyfile(test_one=ONE_CLASS)
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*[[]tool.interlock[]] max-examples must be a whole number of 1 or more (got 0)"])
