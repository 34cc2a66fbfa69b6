"""One rule set for the run options: check(), the command, contract_tests and the pytest plugin agree.

Every invalid value is refused with the same message wherever it is given (the
command line and pytest add only where it came from in front), and the edge
values that are valid (seed=0, timeout=0.001, sequences=0, steps=1) are accepted everywhere.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import interlock
import interlock.pytest
from interlock._options import DEFAULT_MAX_EXAMPLES, DEFAULT_STEPS, DEFAULT_TIMEOUT, Options, from_text, given
from interlock.cli import main
from interlock.examples.greeter import Greeter, PoliteGreeter
from interlock.properties._report import Report, TargetReport

CONTRACT = "interlock.examples.greeter:Greeter"
TARGET = "interlock.examples.greeter:PoliteGreeter"

CLI_FLAG = {"max_examples": "--max-examples", "seed": "--seed", "timeout": "--timeout", "sequences": "--sequences", "steps": "--steps"}
PYTEST_FLAG = {
    "max_examples": "--interlock-examples",
    "seed": "--interlock-seed",
    "timeout": "--interlock-timeout",
    "sequences": "--interlock-sequences",
    "steps": "--interlock-steps",
}
INI_KEY = {
    "max_examples": "interlock_examples",
    "seed": "interlock_seed",
    "timeout": "interlock_timeout",
    "sequences": "interlock_sequences",
    "steps": "interlock_steps",
}

# (option, the value as Python code gives it, the same value as text, the one message every way of giving it gets)
INVALID: list[tuple[str, Any, str, str]] = [
    ("max_examples", 0, "0", "max_examples must be a whole number of 1 or more (got 0)"),
    ("max_examples", -3, "-3", "max_examples must be a whole number of 1 or more (got -3)"),
    ("max_examples", "ten", "ten", "max_examples must be a whole number of 1 or more (got 'ten')"),
    ("max_examples", "2.5", "2.5", "max_examples must be a whole number of 1 or more (got '2.5')"),
    ("seed", -1, "-1", "seed must be a whole number of 0 or more (got -1)"),
    ("seed", "x", "x", "seed must be a whole number of 0 or more (got 'x')"),
    ("seed", "1.5", "1.5", "seed must be a whole number of 0 or more (got '1.5')"),
    ("timeout", 0, "0", "timeout must be a number of seconds from 0.001 to 86400 (got 0)"),
    ("timeout", -1, "-1", "timeout must be a number of seconds from 0.001 to 86400 (got -1)"),
    ("timeout", -0.5, "-0.5", "timeout must be a number of seconds from 0.001 to 86400 (got -0.5)"),
    ("timeout", math.inf, "inf", "timeout must be a number of seconds from 0.001 to 86400 (got inf)"),
    ("timeout", math.nan, "nan", "timeout must be a number of seconds from 0.001 to 86400 (got nan)"),
    ("timeout", "soon", "soon", "timeout must be a number of seconds from 0.001 to 86400 (got 'soon')"),
    # below a millisecond the system timer rounds the limit to nothing; above a day it overflows it
    ("timeout", 1e-6, "1e-6", "timeout must be a number of seconds from 0.001 to 86400 (got 1e-06)"),
    ("timeout", 1e10, "1e10", "timeout must be a number of seconds from 0.001 to 86400 (got 10000000000.0)"),
    ("timeout", 86401, "86401", "timeout must be a number of seconds from 0.001 to 86400 (got 86401)"),
    ("sequences", -1, "-1", "sequences must be a whole number of 0 or more (got -1)"),
    ("sequences", "1.5", "1.5", "sequences must be a whole number of 0 or more (got '1.5')"),
    ("sequences", "many", "many", "sequences must be a whole number of 0 or more (got 'many')"),
    ("steps", 0, "0", "steps must be a whole number of 1 or more (got 0)"),
    ("steps", -2, "-2", "steps must be a whole number of 1 or more (got -2)"),
    ("steps", "2.5", "2.5", "steps must be a whole number of 1 or more (got '2.5')"),
]
INVALID_IDS = [f"{name}={text}" for name, _, text, _ in INVALID]

# Values only Python code can give: no text spells them. Refused by check(), contract_tests and the marker.
INVALID_IN_CODE: list[tuple[str, Any, str]] = [
    ("max_examples", True, "max_examples must be a whole number of 1 or more (got True)"),
    ("max_examples", 10.0, "max_examples must be a whole number of 1 or more (got 10.0)"),
    ("seed", False, "seed must be a whole number of 0 or more (got False)"),
    ("seed", 1.0, "seed must be a whole number of 0 or more (got 1.0)"),
    ("timeout", True, "timeout must be a number of seconds from 0.001 to 86400 (got True)"),
    ("timeout", "5", "timeout must be a number of seconds from 0.001 to 86400 (got '5')"),
    ("sequences", 1.5, "sequences must be a whole number of 0 or more (got 1.5)"),
    ("sequences", True, "sequences must be a whole number of 0 or more (got True)"),
    ("sequences", "3", "sequences must be a whole number of 0 or more (got '3')"),
    ("steps", True, "steps must be a whole number of 1 or more (got True)"),
    ("steps", 8.0, "steps must be a whole number of 1 or more (got 8.0)"),
]
INVALID_IN_CODE_IDS = [f"{name}={value!r}" for name, value, _ in INVALID_IN_CODE]

EVERY_INVALID_IN_CODE = [(name, value, message) for name, value, _, message in INVALID] + INVALID_IN_CODE
EVERY_INVALID_IN_CODE_IDS = INVALID_IDS + INVALID_IN_CODE_IDS

# The edge values that are valid: (option, in code, as text, as the checker receives it)
EDGES: list[tuple[str, Any, str, Any]] = [
    ("seed", 0, "0", 0),
    ("timeout", 0.001, "0.001", 0.001),
    ("timeout", 2, "2", 2.0),
    ("max_examples", 1, "1", 1),
    ("sequences", 0, "0", 0),
    ("sequences", 3, "3", 3),
    ("steps", 1, "1", 1),
    ("steps", 20, "20", 20),
]
EDGE_IDS = [f"{name}={text}" for name, _, text, _ in EDGES]


def _empty_report(contract: Any, targets: Any) -> Report:
    return Report(
        contract=contract.name,
        seed=0,
        targets=[TargetReport(target=label, violations=[]) for label, _, _ in targets],
        examples=0,
        seconds=0.0,
        members=tuple(m.name for m in contract.members),
        clauses=tuple(c.id for c in contract.clauses),
    )


class RunSpy:
    """Stands in for the engine's run_check (and run_isolated): records the options it is given, returns a clean report."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, contract: Any, targets: Any, **options: Any) -> Report:
        self.calls.append(options)
        return _empty_report(contract, targets)


@pytest.fixture
def run_spy(monkeypatch: pytest.MonkeyPatch) -> RunSpy:
    """Every way in (check(), the command, the pytest plugin) reaches the engine through these names."""
    spy = RunSpy()
    # Every namespace that holds run_check: the modules loaded now and those the functions the tests call were
    # defined in (an in-process pytester run elsewhere in the worker may have left other copies in sys.modules).
    spaces = [vars(m) for name, m in list(sys.modules.items()) if name.startswith("interlock.") and m is not None]
    spaces += [interlock.check.__globals__, main.__globals__, interlock.pytest.contract_tests.__globals__]
    for space in spaces:
        if "run_check" in space:
            monkeypatch.setitem(space, "run_check", spy)
    return spy


def _cli_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(["check", CONTRACT, TARGET, *args])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, err
    assert len(lines) == 1, err
    return lines[0]


# ---- the class itself ------------------------------------------------------------------------


def test_defaults_are_the_documented_ones() -> None:
    """100 examples, a drawn seed, 5 seconds, no isolation (the command isolates: see below), as many sequences as
    examples, 8 steps:
    Options, check(), contract_tests and the command agree."""
    import inspect

    from interlock.properties._sequences import SEQUENCE_STEPS

    options = Options()
    assert (options.max_examples, options.seed, options.timeout, options.isolate) == (100, None, 5.0, False)
    assert (options.sequences, options.steps) == (None, 8)
    assert (DEFAULT_MAX_EXAMPLES, DEFAULT_TIMEOUT, DEFAULT_STEPS) == (100, 5.0, 8)
    assert SEQUENCE_STEPS is DEFAULT_STEPS
    defaults = {k: p.default for k, p in inspect.signature(interlock.check).parameters.items() if p.default is not p.empty}
    assert defaults == {
        "max_examples": 100,
        "seed": None,
        "timeout": 5.0,
        "isolate": False,
        "sequences": None,
        "steps": 8,
        "reference": None,  # the contract's own, if it names one (not a run option: a target, see test_reference)
        # adoption (see test_baseline): no baseline, every kind reported
        "baseline": None,
        "select": None,
        "ignore": None,
        # over real sockets (see tests/integration/test_real_sockets.py): off, 20 users, a free port
        "sockets": "doubles",
        "users": 20,
        "socket_port": 0,
        "example_db": None,  # Hypothesis's own database (see tests/integration/test_example_db.py)
        "clauses": None,  # every check (see test_clause_selection)
    }
    assert (options.sockets, options.users, options.socket_port) == ("doubles", 20, 0)


def test_options_are_frozen_and_keep_the_timeout_as_float() -> None:
    options = Options(max_examples=3, seed=0, timeout=2)
    assert options.timeout == 2.0
    assert isinstance(options.timeout, float)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        options.seed = 1  # type: ignore[misc]
    assert options.run_options() == {"max_examples": 3, "seed": 0, "timeout": 2.0, "sequences": None, "steps": 8}
    assert Options(sequences=0, steps=2).run_options() == {
        "max_examples": 100,
        "seed": None,
        "timeout": 5.0,
        "sequences": 0,
        "steps": 2,
    }
    assert Options(example_db="redis://localhost:6379/0,readonly").run_options()["example_db"] == "redis://localhost:6379/0,readonly"


def test_run_options_are_keywords_of_the_engine() -> None:
    """Every keyword run_options gives is a keyword run_check takes (run_isolated passes them on to it)."""
    import inspect

    from interlock.properties._engine import run_check

    parameters = inspect.signature(run_check).parameters
    assert set(Options().run_options()) <= {k for k, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    assert parameters["steps"].default == DEFAULT_STEPS


@pytest.mark.parametrize(("name", "value", "message"), EVERY_INVALID_IN_CODE, ids=EVERY_INVALID_IN_CODE_IDS)
def test_options_refuse_with_one_line(name: str, value: Any, message: str) -> None:
    with pytest.raises(interlock.UsageError) as caught:
        Options(**{name: value})
    assert str(caught.value) == message
    assert "\n" not in message


def test_isolate_is_true_or_false() -> None:
    with pytest.raises(interlock.UsageError, match=r"^isolate must be True or False \(got 1\)$"):
        Options(isolate=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "value", "text", "message"), INVALID, ids=INVALID_IDS)
def test_text_is_held_to_the_same_rules(name: str, value: Any, text: str, message: str) -> None:
    """from_text (the command line, the ini file) refuses with the message the value in code gets."""
    with pytest.raises(interlock.UsageError) as caught:
        from_text(name, text)
    assert str(caught.value) == message


def test_given_leaves_out_what_is_not_given() -> None:
    assert given(max_examples=None, seed=0, timeout=None) == {"seed": 0}
    assert given(timeout=3) == {"timeout": 3.0}
    assert given(sequences=None, steps=None) == {}
    assert given(sequences=0, steps=1) == {"sequences": 0, "steps": 1}


# ---- every way in refuses the same values with the same message --------------------------------


@pytest.mark.parametrize(("name", "value", "message"), EVERY_INVALID_IN_CODE, ids=EVERY_INVALID_IN_CODE_IDS)
def test_check_refuses(name: str, value: Any, message: str, run_spy: RunSpy) -> None:
    with pytest.raises(interlock.UsageError) as caught:
        interlock.check(Greeter, PoliteGreeter, **{name: value})
    assert str(caught.value) == message
    assert run_spy.calls == []


@pytest.mark.parametrize(("name", "value", "message"), EVERY_INVALID_IN_CODE, ids=EVERY_INVALID_IN_CODE_IDS)
def test_contract_tests_refuses(name: str, value: Any, message: str) -> None:
    with pytest.raises(interlock.UsageError) as caught:
        interlock.pytest.contract_tests(Greeter, PoliteGreeter, **{name: value})
    assert str(caught.value) == message


@pytest.mark.parametrize(("name", "value", "text", "message"), INVALID, ids=INVALID_IDS)
def test_command_refuses_with_exit_2_and_one_line(
    name: str, value: Any, text: str, message: str, capsys: pytest.CaptureFixture[str], run_spy: RunSpy
) -> None:
    line = _cli_error(capsys, f"{CLI_FLAG[name]}={text}")
    assert line == f"interlock: error: argument {CLI_FLAG[name]}: {message} (see 'interlock check --help')"
    assert run_spy.calls == []


def test_command_refuses_with_the_message_of_check(capsys: pytest.CaptureFixture[str]) -> None:
    """The very message check() raises is the one the command prints: one rule set, one wording."""
    for name, value, text, _ in INVALID:
        with pytest.raises(interlock.UsageError) as caught:
            interlock.check(Greeter, PoliteGreeter, **{name: value})
        assert str(caught.value) in _cli_error(capsys, f"{CLI_FLAG[name]}={text}")


# ---- the pytest plugin: command line, ini keys, marker ----------------------------------------

BASE_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"

ONE_CLASS = """
import interlock.pytest
from interlock.examples.greeter import Greeter, PoliteGreeter

TestGreeters = interlock.pytest.contract_tests(Greeter, PoliteGreeter)
"""

MARKED_CLASS = """
import pytest
import interlock.pytest
from interlock.examples.greeter import Greeter, PoliteGreeter

@pytest.mark.interlock({name}={code})
class TestMarked(interlock.pytest.contract_tests(Greeter, PoliteGreeter)):
    pass
"""


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.Pytester]:
    """A pytester project; the Hypothesis profile an in-process run may load is put back afterwards."""
    from hypothesis import settings

    monkeypatch.setenv("COLUMNS", "400")
    profile = settings.get_current_profile_name()
    pytester.makeini(BASE_INI)
    yield pytester
    settings.load_profile(profile)


def _code(value: Any) -> str:
    """Python source for ``value`` (inf and nan have no literal)."""
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    return repr(value)


def _usage_error_line(result: pytest.RunResult) -> str:
    assert result.ret == pytest.ExitCode.USAGE_ERROR, result.stdout.str()
    lines = [line for line in result.stderr.lines if line.strip()]
    assert len(lines) == 1, result.stderr.str()
    return lines[0]


@pytest.mark.parametrize(("name", "value", "text", "message"), INVALID, ids=INVALID_IDS)
def test_pytest_command_line_refuses(inner: pytest.Pytester, name: str, value: Any, text: str, message: str) -> None:
    inner.makepyfile(test_one=ONE_CLASS)
    line = _usage_error_line(inner.runpytest(f"{PYTEST_FLAG[name]}={text}"))
    assert line == f"ERROR: {PYTEST_FLAG[name]}: {message}"


@pytest.mark.parametrize(("name", "value", "text", "message"), INVALID, ids=INVALID_IDS)
def test_pytest_ini_refuses(inner: pytest.Pytester, name: str, value: Any, text: str, message: str) -> None:
    inner.makeini(BASE_INI + f"{INI_KEY[name]} = {text}\n")
    inner.makepyfile(test_one=ONE_CLASS)
    line = _usage_error_line(inner.runpytest())
    assert line == f"ERROR: {INI_KEY[name]} (ini): {message}"


@pytest.mark.parametrize(("name", "value", "message"), EVERY_INVALID_IN_CODE, ids=EVERY_INVALID_IN_CODE_IDS)
def test_pytest_marker_refuses(inner: pytest.Pytester, name: str, value: Any, message: str) -> None:
    """A bad marker value fails the module's collection with one line: the class, the marker argument, the message."""
    inner.makepyfile(test_marked=MARKED_CLASS.format(name=name, code=_code(value)))
    result = inner.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.assert_outcomes(errors=1)
    expected = f"test_marked.py::TestMarked: @pytest.mark.interlock({name}={value!r}): {message}"
    assert expected in result.stdout.lines


# ---- valid edge values are accepted everywhere ----------------------------------------------


@pytest.mark.parametrize(("name", "value", "text", "received"), EDGES, ids=EDGE_IDS)
def test_edge_values_accepted_by_check(name: str, value: Any, text: str, received: Any, run_spy: RunSpy) -> None:
    interlock.check(Greeter, PoliteGreeter, **{name: value})
    assert [c[name] for c in run_spy.calls] == [received]
    assert type(run_spy.calls[0][name]) is type(received)


@pytest.mark.parametrize(("name", "value", "text", "received"), EDGES, ids=EDGE_IDS)
def test_edge_values_accepted_by_the_command(
    name: str, value: Any, text: str, received: Any, run_spy: RunSpy, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", CONTRACT, TARGET, f"{CLI_FLAG[name]}={text}", "--no-isolate"]) == 0, capsys.readouterr().err
    assert [c[name] for c in run_spy.calls] == [received]


@pytest.mark.parametrize(("name", "value", "text", "received"), EDGES, ids=EDGE_IDS)
def test_edge_values_accepted_by_contract_tests(name: str, value: Any, text: str, received: Any) -> None:
    cls = interlock.pytest.contract_tests(Greeter, PoliteGreeter, **{name: value})
    assert cls._interlock_suite.own == {name: received}  # type: ignore[attr-defined]


@pytest.mark.parametrize("way", ["command-line", "ini", "marker"])
@pytest.mark.parametrize(("name", "value", "text", "received"), EDGES, ids=EDGE_IDS)
def test_edge_values_accepted_by_the_pytest_plugin(
    inner: pytest.Pytester, run_spy: RunSpy, way: str, name: str, value: Any, text: str, received: Any
) -> None:
    args: list[str] = []
    if way == "command-line":
        args.append(f"{PYTEST_FLAG[name]}={text}")
        inner.makepyfile(test_one=ONE_CLASS)
    elif way == "ini":
        inner.makeini(BASE_INI + f"{INI_KEY[name]} = {text}\n")
        inner.makepyfile(test_one=ONE_CLASS)
    else:
        inner.makepyfile(test_marked=MARKED_CLASS.format(name=name, code=_code(value)))
    inner.runpytest(*args).assert_outcomes(passed=5)
    assert [c[name] for c in run_spy.calls] == [received]


@pytest.mark.parametrize("example", ["catalog", "greeter"])
def test_isolate_reaches_every_check_of_the_demo(
    example: str, run_spy: RunSpy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--isolate is an option of both demos: every contract they check is checked in a child process."""
    import interlock.properties._isolate as isolate
    from interlock._progress import Progress
    from interlock.examples import CATALOG_DEMO

    isolated = RunSpy()
    monkeypatch.setattr(isolate, "run_isolated", isolated)
    assert main(["demo", example, "--isolate", "--seed=0", "--timeout=0.001"]) == 0, capsys.readouterr().err
    assert run_spy.calls == []
    expected = len(CATALOG_DEMO) if example == "catalog" else 1
    options = [{k: v for k, v in call.items() if k != "progress"} for call in isolated.calls]
    # the command's own process ends what a target leaves behind in the child (reap_orphans)
    assert options == [{"max_examples": 20, "seed": 0, "timeout": 0.001, "sequences": None, "steps": 8, "reap_orphans": True}] * expected
    # the child's checks are shown on the progress line (a silent one here: standard error is captured)
    assert all(isinstance(call["progress"], Progress) and not call["progress"].active for call in isolated.calls)


# ---- sequences and steps: None is as many as max_examples, and the values reach the engine -------


def test_sequences_none_is_accepted_everywhere_and_left_to_the_engine(run_spy: RunSpy, capsys: pytest.CaptureFixture[str]) -> None:
    """sequences=None (the default) reaches run_check as None: the engine runs as many sequences as max_examples."""
    interlock.check(Greeter, PoliteGreeter, sequences=None)
    assert main(["check", CONTRACT, TARGET, "--no-isolate"]) == 0, capsys.readouterr().err
    assert [(c["sequences"], c["steps"]) for c in run_spy.calls] == [(None, 8), (None, 8)]
    cls = interlock.pytest.contract_tests(Greeter, PoliteGreeter, sequences=None, steps=None)
    assert cls._interlock_suite.own == {}  # type: ignore[attr-defined]


def test_sequences_none_in_the_marker_leaves_it_to_the_next_place(inner: pytest.Pytester, run_spy: RunSpy) -> None:
    inner.makepyfile(test_marked=MARKED_CLASS.format(name="sequences", code="None"))
    inner.runpytest("--interlock-sequences=2").assert_outcomes(passed=5)
    assert [(c["sequences"], c["steps"]) for c in run_spy.calls] == [(2, 8)]


def test_sequences_and_steps_reach_the_engine(run_spy: RunSpy, capsys: pytest.CaptureFixture[str]) -> None:
    interlock.check(Greeter, PoliteGreeter, sequences=3, steps=2)
    assert main(["check", CONTRACT, TARGET, "--sequences", "0", "--steps", "5", "--no-isolate"]) == 0, capsys.readouterr().err
    assert [(c["sequences"], c["steps"]) for c in run_spy.calls] == [(3, 2), (0, 5)]


def test_the_command_checks_in_a_child_unless_told_not_to(
    run_spy: RunSpy, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The command isolates by default (where os.fork exists); --no-isolate, or isolate = false in the
    configuration, checks in its own process; the Python API stays in its process unless asked."""
    import interlock.properties._isolate as isolate

    isolated = RunSpy()
    monkeypatch.setattr(isolate, "run_isolated", isolated)
    monkeypatch.chdir(tmp_path)
    assert main(["check", CONTRACT, TARGET]) == 0, capsys.readouterr().err
    assert (len(isolated.calls), len(run_spy.calls)) == (1, 0)
    assert main(["check", CONTRACT, TARGET, "--no-isolate"]) == 0, capsys.readouterr().err
    assert (len(isolated.calls), len(run_spy.calls)) == (1, 1)
    (tmp_path / "pyproject.toml").write_text("[tool.interlock]\nisolate = false\n")
    assert main(["check", CONTRACT, TARGET]) == 0, capsys.readouterr().err
    assert (len(isolated.calls), len(run_spy.calls)) == (1, 2)
    assert main(["check", CONTRACT, TARGET, "--isolate"]) == 0, capsys.readouterr().err  # the command line wins
    assert (len(isolated.calls), len(run_spy.calls)) == (2, 2)
    interlock.check(Greeter, PoliteGreeter)
    assert (len(isolated.calls), len(run_spy.calls)) == (2, 3)


def test_sequences_and_steps_reach_the_isolated_engine(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import interlock.properties._api as api
    import interlock.properties._isolate as isolate

    isolated = RunSpy()
    monkeypatch.setattr(api, "run_isolated", isolated)
    monkeypatch.setattr(isolate, "run_isolated", isolated)
    interlock.check(Greeter, PoliteGreeter, isolate=True, sequences=0, steps=3)
    assert main(["check", CONTRACT, TARGET, "--isolate", "--sequences=4", "--steps=1"]) == 0, capsys.readouterr().err
    assert [(c["sequences"], c["steps"]) for c in isolated.calls] == [(0, 3), (4, 1)]


def test_sequences_0_turns_the_sequence_phase_off() -> None:
    """CachingStore's defect shows only in a sequence (get, then delete, then get): without sequences it goes unseen."""
    from tests.fixtures.sequences import CachingStore, Store

    def found(report: Report) -> list[tuple[str, str | None, str | None]]:
        return [(v.kind, v.member, v.clause) for v in report.violations]

    assert found(interlock.check(Store, CachingStore, seed=1)) == [("postcondition", "delete", "delete-forgets")]
    assert found(interlock.check(Store, CachingStore, seed=1, sequences=0)) == []
