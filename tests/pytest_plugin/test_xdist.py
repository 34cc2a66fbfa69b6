"""Under pytest-xdist the generated tests are distributed: their ids are the same in every worker."""

from __future__ import annotations

import pytest

from tests.pytest_plugin.conftest import BASE_INI

CLASSES = """
import interlock.pytest
from shapes import GoodNotifier, LaxNotifier, ListPricer, Notifier, Pricer, ZeroPricer

TestNotifiers = interlock.pytest.contract_tests(Notifier, GoodNotifier, LaxNotifier)
TestPricers = interlock.pytest.contract_tests(Pricer, ListPricer, ZeroPricer)
"""

REGISTRATIONS = """
import interlock
from shapes import GoodNotifier, Notifier, RenamedNotifier

interlock.register(Notifier, GoodNotifier)
interlock.register(Notifier, RenamedNotifier)
"""


@pytest.mark.usefixtures("shared_hypothesis_storage")
def test_two_workers_run_the_generated_tests(project: pytest.Pytester) -> None:
    """With -n 2, both workers collect the same ids (xdist refuses a run where they differ) and share the tests.

    contract_tests classes and --interlock items run together; the outcomes are those of a
    single-process run, and failures still read as the violation with its reproducer.
    """
    project.makeini(
        BASE_INI + "interlock_modules = impls\ninterlock_examples = 5\ninterlock_seed = 1\nfilterwarnings = error\npythonpath = .\n"
    )
    project.makepyfile(test_classes=CLASSES, impls=REGISTRATIONS)
    result = project.runpytest_subprocess("-n", "2", "--interlock", "-p", "no:cacheprovider", "-v", "-rf")
    # Notifier (Good, Lax): 9 tests, Lax's notify fails. Pricer (List, Zero): 11 tests, the differential fails.
    # --interlock on Notifier (Good, Renamed): 9 tests, Renamed's signature fails.
    result.assert_outcomes(passed=26, failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "created: 2/2 workers",
            "*[[]gw0[]]*PASSED test_classes.py::*",
            "*[[]gw1[]]*PASSED test_classes.py::*",
            "FAILED test_classes.py::TestNotifiers::test_member[[]LaxNotifier-notify[]] - Failed: LaxNotifier.notify breaks Notifier*",
            "FAILED test_classes.py::TestPricers::test_differential - Failed: implementations of Pricer disagree*",
            "FAILED interlock::shapes.Notifier::test_signature[[]RenamedNotifier[]] - Failed: RenamedNotifier drifts from Notifier*",
            "        target.notify(user_id=None, message=*)",
        ]
    )


@pytest.mark.usefixtures("shared_hypothesis_storage")
def test_bad_marker_is_reported_under_xdist(project: pytest.Pytester) -> None:
    """A wrong @pytest.mark.interlock argument reaches the user under -n 2 as the module's collection error, message and all."""
    project.makeini(BASE_INI + "pythonpath = .\n")
    project.makepyfile(
        test_marked="""
        import pytest
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        @pytest.mark.interlock(max_examples="10")
        class TestMarked(interlock.pytest.contract_tests(Notifier, GoodNotifier)):
            pass
        """
    )
    result = project.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["test_marked.py::TestMarked: @pytest.mark.interlock(max_examples='10'): max_examples must be *"])
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


COUNTING_CONFTEST = """
import os

import interlock.properties._api as api

_real = api.check


def _counting(contract, *targets, **options):
    with open(os.path.join(os.path.dirname(__file__), "checks.log"), "a") as log:
        log.write(f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')} {contract.protocol.__name__}\\n")
    return _real(contract, *targets, **options)


api.check = _counting
"""


@pytest.mark.usefixtures("shared_hypothesis_storage")
def test_loadscope_checks_each_class_once_in_one_worker(project: pytest.Pytester) -> None:
    """-n 2 --dist loadscope: every test of a class (and of a contract under --interlock) runs in one worker, so its
    check runs once in the whole session; the default load would split a class and check it in both workers."""
    project.makeini(BASE_INI + "interlock_modules = impls\ninterlock_examples = 5\ninterlock_seed = 1\npythonpath = .\n")
    project.makepyfile(test_classes=CLASSES, impls=REGISTRATIONS)
    project.makeconftest(COUNTING_CONFTEST)
    result = project.runpytest_subprocess("-n", "2", "--dist", "loadscope", "--interlock", "-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=26, failed=3)
    workers: dict[str, set[str]] = {}
    for line in result.outlines:
        if line.startswith("[gw") and ("PASSED" in line or "FAILED" in line):
            worker, node = line.partition("] ")[0][1:], line.split()[-1]
            scope = node.rsplit("::", 1)[0]
            workers.setdefault(scope, set()).add(worker)
    assert set(workers) == {"test_classes.py::TestNotifiers", "test_classes.py::TestPricers", "interlock::shapes.Notifier"}
    assert all(len(found) == 1 for found in workers.values()), workers
    checks = (project.path / "checks.log").read_text().split()
    assert sorted(checks[1::2]) == ["Notifier", "Notifier", "Pricer"]  # one check per class or contract, no more


QUIET = """
import interlock.pytest
from shapes import GoodNotifier, Notifier

TestNotifiers = interlock.pytest.contract_tests(Notifier, GoodNotifier, max_examples=5, seed=1)
"""


@pytest.mark.usefixtures("shared_hypothesis_storage")
@pytest.mark.parametrize("workers", [["-n", "2"], []], ids=["xdist", "one-process"])
def test_a_project_that_never_configured_pytest_asyncio_hears_nothing_of_it(project: pytest.Pytester, workers: list[str]) -> None:
    """pytest-asyncio (installed with interlock[pytest]) warns at start, in every worker, when its
    asyncio_default_fixture_loop_scope is unset; a user's project that never set it, under warnings as
    errors, runs quiet: no warning printed, no INTERNALERROR."""
    project.makeini("[pytest]\nfilterwarnings = error\npythonpath = .\n")
    project.makepyfile(test_quiet=QUIET)
    result = project.runpytest_subprocess(*workers, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    everything = result.stdout.str() + result.stderr.str()
    assert '"asyncio_default_fixture_loop_scope" is unset' not in everything
    assert "warning" not in everything.lower()
    assert "INTERNALERROR" not in everything


@pytest.mark.usefixtures("shared_hypothesis_storage")
def test_pytest_asyncio_still_warns_about_its_own_misconfiguration(project: pytest.Pytester) -> None:
    """Only the unset key's warning is quieted: a wrong value is still pytest-asyncio's usage error."""
    project.makeini("[pytest]\nasyncio_default_fixture_loop_scope = sometimes\npythonpath = .\n")
    project.makepyfile(test_quiet=QUIET)
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "not a valid asyncio_default_fixture_loop_scope" in result.stderr.str()
