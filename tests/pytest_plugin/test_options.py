"""The plugin's options: command line, ini keys, the marker, Hypothesis's settings, and which one wins."""

from __future__ import annotations

import pytest

from tests.pytest_plugin.conftest import BASE_INI, CheckSpy

ONE_CLASS = """
import interlock.pytest
from shapes import GoodNotifier, Notifier

TestGood = interlock.pytest.contract_tests(Notifier, GoodNotifier)
"""

FAILING_CLASS = """
import interlock.pytest
from shapes import LaxNotifier, Notifier

TestLax = interlock.pytest.contract_tests(Notifier, LaxNotifier, max_examples=5)
"""


def test_command_line_options_reach_the_check(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """--interlock-examples, --interlock-seed, --interlock-timeout, --interlock-sequences and --interlock-steps
    set max_examples, seed, timeout, sequences and steps."""
    project.makepyfile(test_one=ONE_CLASS)
    args = ("--interlock-examples", "7", "--interlock-seed", "42", "--interlock-timeout", "2.5")
    project.runpytest(*args, "--interlock-sequences", "3", "--interlock-steps", "2").assert_outcomes(passed=4)
    assert check_spy.calls == [{"targets": ["GoodNotifier"], "max_examples": 7, "seed": 42, "timeout": 2.5, "sequences": 3, "steps": 2}]


def test_ini_keys_reach_the_check(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """interlock_examples, interlock_seed, interlock_timeout, interlock_sequences and interlock_steps in the ini
    file set the same options."""
    ini = "interlock_examples = 6\ninterlock_seed = 11\ninterlock_timeout = 3\ninterlock_sequences = 0\ninterlock_steps = 1\n"
    project.makeini(BASE_INI + ini)
    project.makepyfile(test_one=ONE_CLASS)
    project.runpytest().assert_outcomes(passed=4)
    assert check_spy.calls == [{"targets": ["GoodNotifier"], "max_examples": 6, "seed": 11, "timeout": 3.0, "sequences": 0, "steps": 1}]


def test_command_line_wins_over_ini(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """An option given on the command line overrides its ini key."""
    project.makeini(BASE_INI + "interlock_examples = 6\ninterlock_seed = 11\ninterlock_steps = 4\n")
    project.makepyfile(test_one=ONE_CLASS)
    project.runpytest("--interlock-seed", "12", "--interlock-steps", "3").assert_outcomes(passed=4)
    assert check_spy.calls == [{"targets": ["GoodNotifier"], "max_examples": 6, "seed": 12, "timeout": 5.0, "sequences": None, "steps": 3}]


def test_marker_then_class_arguments_win_over_the_command_line(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """The nearest setting wins: @pytest.mark.interlock, then contract_tests(...) arguments, then the command line."""
    project.makepyfile(
        test_marked="""
        import pytest
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        TestPlain = interlock.pytest.contract_tests(Notifier, GoodNotifier, seed=5)

        @pytest.mark.interlock(max_examples=4, timeout=1.5)
        class TestMarked(interlock.pytest.contract_tests(Notifier, GoodNotifier, max_examples=9, seed=5)):
            pass
        """
    )
    project.runpytest("--strict-markers", "--interlock-examples", "8", "--interlock-seed", "99").assert_outcomes(passed=8)
    assert [{k: c[k] for k in ("max_examples", "seed", "timeout")} for c in check_spy.calls] == [
        {"max_examples": 8, "seed": 5, "timeout": 5.0},
        {"max_examples": 4, "seed": 5, "timeout": 1.5},
    ]


def test_marker_applied_to_the_returned_class(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """pytest.mark.interlock(...) can decorate the class contract_tests returns, without subclassing it."""
    project.makepyfile(
        test_marked="""
        import pytest
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        TestMarked = pytest.mark.interlock(seed=21)(interlock.pytest.contract_tests(Notifier, GoodNotifier, max_examples=2))
        """
    )
    project.runpytest("--strict-markers").assert_outcomes(passed=4)
    assert [(c["seed"], c["max_examples"]) for c in check_spy.calls] == [(21, 2)]


def test_module_marker_applies_to_every_class(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """pytestmark = pytest.mark.interlock(...) at module level sets the options of every generated class there."""
    project.makepyfile(test_module=ONE_CLASS + "\nimport pytest\npytestmark = pytest.mark.interlock(seed=3, max_examples=2)\n")
    project.runpytest("--strict-markers").assert_outcomes(passed=4)
    assert [(c["seed"], c["max_examples"]) for c in check_spy.calls] == [(3, 2)]


def test_marker_is_registered_for_strict_markers(project: pytest.Pytester) -> None:
    """The interlock marker is registered, so --strict-markers accepts it and --markers lists it."""
    result = project.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.interlock(max_examples=None, seed=None, timeout=None, sequences=None, steps=None): *"])


def test_generated_tests_carry_the_marker_for_selection(project: pytest.Pytester) -> None:
    """-m interlock selects the generated tests and leaves the others out."""
    project.makepyfile(test_mixed=ONE_CLASS + "\n\ndef test_plain():\n    pass\n")
    result = project.runpytest("-m", "interlock", "--interlock-examples", "3")
    result.assert_outcomes(passed=4, deselected=1)


def test_hypothesis_seed_is_used_without_an_interlock_seed(project: pytest.Pytester) -> None:
    """--hypothesis-seed seeds the check when no interlock seed is given; the failure message shows it."""
    project.makepyfile(test_lax=FAILING_CLASS)
    result = project.runpytest("--hypothesis-seed", "1234")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["seed 1234; replay this run with *"])


def test_interlock_seed_wins_over_hypothesis_seed(project: pytest.Pytester) -> None:
    """--interlock-seed, when given, is the seed, whatever --hypothesis-seed says."""
    project.makepyfile(test_lax=FAILING_CLASS)
    result = project.runpytest("--hypothesis-seed", "1234", "--interlock-seed", "77")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["seed 77; replay this run with *"])


def test_same_seed_same_failure(project: pytest.Pytester) -> None:
    """Two runs with the same seed report the same violations with the same reproducers."""
    project.makepyfile(test_lax=FAILING_CLASS)
    first = project.runpytest("--interlock-seed", "5")
    second = project.runpytest("--interlock-seed", "5")
    failure = [line for line in first.outlines if line.startswith(("none-propagation", "    target."))]
    assert failure
    assert failure == [line for line in second.outlines if line.startswith(("none-propagation", "    target."))]


def test_hypothesis_profile_sets_max_examples(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """Without an interlock examples option, the loaded Hypothesis profile's max_examples is used."""
    project.makeconftest(
        """
        from hypothesis import settings

        settings.register_profile("tiny", max_examples=3)
        """
    )
    project.makepyfile(test_one=ONE_CLASS)
    project.runpytest("--hypothesis-profile", "tiny").assert_outcomes(passed=4)
    project.runpytest("--hypothesis-profile", "tiny", "--interlock-examples", "4").assert_outcomes(passed=4)
    assert [c["max_examples"] for c in check_spy.calls] == [3, 4]


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        (["--interlock-examples", "ten"], "", "--interlock-examples: max_examples must be a whole number of 1 or more (got 'ten')"),
        (["--interlock-examples", "0"], "", "--interlock-examples: max_examples must be a whole number of 1 or more (got 0)"),
        (["--interlock-seed", "1.5"], "", "--interlock-seed: seed must be a whole number of 0 or more (got '1.5')"),
        (["--interlock-timeout", "soon"], "", "--interlock-timeout: timeout must be a number of seconds from 0.001 to 86400 (got 'soon')"),
        (["--interlock-timeout", "0"], "", "--interlock-timeout: timeout must be a number of seconds from 0.001 to 86400 (got 0)"),
        ([], "interlock_examples = many", "interlock_examples (ini): max_examples must be a whole number of 1 or more (got 'many')"),
        ([], "interlock_seed = x", "interlock_seed (ini): seed must be a whole number of 0 or more (got 'x')"),
        ([], "interlock_timeout = -2", "interlock_timeout (ini): timeout must be a number of seconds from 0.001 to 86400 (got -2)"),
        (["--interlock-sequences", "-1"], "", "--interlock-sequences: sequences must be a whole number of 0 or more (got -1)"),
        (["--interlock-steps", "0"], "", "--interlock-steps: steps must be a whole number of 1 or more (got 0)"),
        ([], "interlock_sequences = 1.5", "interlock_sequences (ini): sequences must be a whole number of 0 or more (got '1.5')"),
        ([], "interlock_steps = 0", "interlock_steps (ini): steps must be a whole number of 1 or more (got 0)"),
        ([], "interlock = perhaps", "interlock (ini) must be true or false *"),
    ],
    ids=[
        "examples-text",
        "examples-zero",
        "seed-float",
        "timeout-text",
        "timeout-zero",
        "ini-examples",
        "ini-seed",
        "ini-timeout",
        "sequences-negative",
        "steps-zero",
        "ini-sequences",
        "ini-steps",
        "ini-enable",
    ],
)
def test_bad_configuration_is_a_usage_error(project: pytest.Pytester, args: list[str], ini: str, message: str) -> None:
    """A value that is not a number (or not in range) stops the run with pytest's usage error and one line naming it."""
    project.makeini(BASE_INI + ini + "\n")
    project.makepyfile(test_one=ONE_CLASS)
    result = project.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])
    assert len([line for line in result.stderr.lines if line.strip()]) == 1


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("max_examples='10'", "(max_examples='10'): max_examples must be a whole number of 1 or more (got '10')"),
        ("seed=1.0", "(seed=1.0): seed must be a whole number of 0 or more (got 1.0)"),
        ("timeout=0", "(timeout=0): timeout must be a number of seconds from 0.001 to 86400 (got 0)"),
        ("sequences=-1", "(sequences=-1): sequences must be a whole number of 0 or more (got -1)"),
        ("steps=0", "(steps=0): steps must be a whole number of 1 or more (got 0)"),
        ("examples=10", "(examples=10): unknown option; expected max_examples=, seed=, timeout=, sequences= or steps="),
        ("10", " takes keyword arguments only (max_examples=, seed=, timeout=, sequences=, steps=); got (10,)"),
    ],
    ids=["examples-text", "seed-float", "timeout-zero", "sequences-negative", "steps-zero", "unknown-keyword", "positional"],
)
def test_bad_marker_is_a_collection_error(project: pytest.Pytester, marker: str, message: str) -> None:
    """A wrong @pytest.mark.interlock(...) argument fails the module's collection with one line naming the class and argument.

    (A collection error, like a wrong contract_tests argument, rather than a usage error: under
    pytest-xdist a usage error raised while a worker collects is shown without its message.)
    """
    project.makepyfile(
        test_marked=f"""
        import pytest
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        @pytest.mark.interlock({marker})
        class TestMarked(interlock.pytest.contract_tests(Notifier, GoodNotifier)):
            pass
        """
    )
    result = project.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting test_marked.py*", f"test_marked.py::TestMarked: @pytest.mark.interlock{message}"])


def test_example_db_reaches_the_check_nearest_first(project: pytest.Pytester, check_spy: CheckSpy) -> None:
    """``interlock_example_db`` (a directory relative to the rootdir) and ``--interlock-example-db`` name the example
    database; ``contract_tests(example_db=...)`` wins over both."""
    project.makeini(BASE_INI + "interlock_example_db = ini-examples,readonly\n")
    project.makepyfile(
        test_db="""
        import interlock.pytest
        from shapes import GoodNotifier, Notifier

        TestIni = interlock.pytest.contract_tests(Notifier, GoodNotifier, seed=1)
        TestOwn = interlock.pytest.contract_tests(Notifier, GoodNotifier, seed=1, example_db="own-examples")
        """
    )
    project.runpytest().assert_outcomes(passed=8)
    assert [c.get("example_db") for c in check_spy.calls] == [f"{project.path / 'ini-examples'},readonly", "own-examples"]
    check_spy.calls.clear()
    project.runpytest("--interlock-example-db", "redis://cache:6379/2").assert_outcomes(passed=8)
    assert [c.get("example_db") for c in check_spy.calls] == ["redis://cache:6379/2", "own-examples"]


def test_a_malformed_example_db_is_a_usage_error(project: pytest.Pytester) -> None:
    """A value that names no database stops the run as a usage error naming the option and the value."""
    project.makepyfile(test_one=ONE_CLASS)
    result = project.runpytest("--interlock-example-db", "redis://cache:port/0")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--interlock-example-db: example_db 'redis://cache:port/0': the port is not a number*"])
