"""``[tool.interlock]``: found from the working folder upwards or named with --config; its options reach the run;
a bad key or value is exit 2 with one line naming the key."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from interlock._config import find, load
from interlock.cli import main
from tests.unit._adoption import CONFIG, make_project, one_error_line, run, run_json


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs may put folders on sys.path: undo that after the test."""
    monkeypatch.setattr(sys, "path", list(sys.path))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("configured"))


def test_found_from_a_subfolder_upwards(project: Path) -> None:
    """Run from a folder below the project: the pyproject.toml above is read, and its modules import from its folder."""
    below = project / "docs" / "deep"
    below.mkdir(parents=True, exist_ok=True)
    code, doc = run_json(below, "check")
    assert code == 1
    assert doc["seed"] == 3  # the configured seed
    assert [c["contract"] for c in doc["contracts"]] == ["driftshop.contracts:Pricer", "driftshop.contracts:Namer"]


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    """The nearest pyproject.toml that has [tool.interlock] is the one, as ruff finds its own."""
    make_project(tmp_path)
    inner = tmp_path / "sub"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "sub"\n')
    assert find(inner) == tmp_path / "pyproject.toml"
    assert find(tmp_path.parent) is None or find(tmp_path.parent) != tmp_path / "pyproject.toml"


def test_command_line_wins_over_the_configuration(project: Path) -> None:
    """--seed on the command line overrides the configured seed; the other configured options still hold."""
    code, doc = run_json(project, "check", "--seed", "11")
    assert code == 1
    assert doc["seed"] == 11
    assert all(c["seed"] == 11 for c in doc["contracts"])


def test_config_names_another_file(project: Path, tmp_path: Path) -> None:
    """--config FILE reads that file instead of the one found; --no-config reads none."""
    other = tmp_path / "other.toml"
    other.write_text(
        textwrap.dedent(
            """
            [tool.interlock]
            seed = 21
            max-examples = 5
            sequences = 0

            [[tool.interlock.checks]]
            contract = "driftshop.contracts:Pricer"
            targets = ["driftshop.impl:GoodPricer"]
            reference = "driftshop.impl:RecordedPricer"
            """
        )
    )
    code, doc = run_json(project, "check", "--config", str(other))
    assert code == 1, doc  # importing driftshop.impl recorded LaxNamer, which drifts
    assert doc["seed"] == 21
    pricer, namer = doc["contracts"]
    assert pricer["reference"] == "driftshop.impl:RecordedPricer"  # the check's reference reached the run
    # RecordedPricer is recorded for Pricer, but it is this check's reference: it is not also a target
    assert [t["target"] for t in pricer["targets"]] == ["driftshop.impl:GoodPricer"]
    assert namer["contract"] == "driftshop.contracts:Namer"
    done = run(project, "check", "--no-config")
    assert "no CONTRACT given and no [tool.interlock] table" in one_error_line(done.stderr)
    assert done.returncode == 2


def test_the_configuration_applies_to_one_contract_too(project: Path) -> None:
    """interlock check CONTRACT TARGET in a configured project takes the configured options (here the seed)."""
    code, doc = run_json(project, "check", "driftshop.contracts:Pricer", "driftshop.impl:GoodPricer")
    assert code == 0
    assert doc["seed"] == 3
    assert doc["contract"] == "driftshop.contracts:Pricer"


BAD = [
    ("max_examples = 5", "max_examples: unknown key; did you mean 'max-examples'?"),
    ("colour = true", "colour: unknown key; expected one of max-examples"),
    ("max-examples = 0", "max-examples must be a whole number of 1 or more (got 0)"),
    ("max-examples = true", "max-examples must be a whole number of 1 or more (got True)"),
    ('timeout = "fast"', "timeout must be a number of seconds from 0.001 to 86400 (got 'fast')"),
    ("seed = -1", "seed must be a whole number of 0 or more (got -1)"),
    ("steps = 0", "steps must be a whole number of 1 or more (got 0)"),
    ("sequences = 1.5", "sequences must be a whole number of 0 or more (got 1.5)"),
    ('isolate = "yes"', "isolate must be True or False (got 'yes')"),
    ("jobs = 0", "jobs must be a whole number of 1 or more, or 'auto'"),
    ('jobs = "many"', "jobs must be a whole number of 1 or more, or 'auto'"),
    ('select = ["nope"]', "select: 'nope' is not a violation kind"),
    ("ignore = 3", "ignore must be violation kinds"),
    ("baseline = 3", "baseline must be a file name"),
    ('modules = "driftshop.impl"', "modules must be a list of module names"),
    ("checks = 1", "checks must be an array of tables"),
    ("checks = [{contract = 1}]", "checks[0] contract must be an import path"),
    ('checks = [{contract = "a:B", target = ["a:C"]}]', "checks[0] target: unknown key; did you mean 'targets'?"),
    ('checks = [{contract = "a:B", targets = ["nopath"]}]', "checks[0] targets: 'nopath' is not an import path"),
    ('checks = [{contract = "a:B", reference = true}]', "checks[0] reference must be an import path"),
    ("max-examples = [", "not valid TOML"),
]


@pytest.mark.usefixtures("in_process")
@pytest.mark.parametrize(("line", "needle"), BAD, ids=[b[0].split(" ")[0] + f"-{i}" for i, b in enumerate(BAD)])
def test_bad_keys_and_values_are_exit_2_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], line: str, needle: str
) -> None:
    """Each bad key or value: exit 2, one line on stderr naming the file, the key and what it must be; no traceback."""
    (tmp_path / "pyproject.toml").write_text(f"[tool.interlock]\n{line}\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    err = one_error_line(capsys.readouterr().err)
    assert needle in err
    assert "pyproject.toml" in err


@pytest.mark.usefixtures("in_process")
def test_bad_values_in_the_configuration_also_stop_a_single_contract_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The configuration is read, and judged, for interlock check CONTRACT TARGET too."""
    (tmp_path / "pyproject.toml").write_text("[tool.interlock]\ntimeout = 0\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "interlock.examples.greeter:Greeter", "interlock.examples.greeter:PoliteGreeter"]) == 2
    assert "timeout must be a number of seconds from 0.001 to 86400 (got 0)" in one_error_line(capsys.readouterr().err)


@pytest.mark.usefixtures("in_process")
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--config", "missing.toml"], "--config: no file 'missing.toml'"),
        (["check", "--config", "x.toml", "--no-config"], "--config and --no-config contradict"),
        (["check", "--reference", "a:B"], "--reference needs a CONTRACT"),
        (["check", "--update-baseline"], "--update-baseline needs a FILE"),
    ],
)
def test_command_line_usage_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    """Misused adoption options are usage errors: exit 2, one line."""
    (tmp_path / "pyproject.toml").write_text("[tool.interlock]\n")
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert needle in one_error_line(capsys.readouterr().err)


def test_a_table_naming_no_file_is_an_error(tmp_path: Path) -> None:
    """--config naming a file with no [tool.interlock] table says so."""
    path = tmp_path / "plain.toml"
    path.write_text("[tool.other]\nx = 1\n")
    with pytest.raises(Exception, match=r"no \[tool.interlock\] table"):
        load(path)


def test_a_module_that_does_not_import_is_exit_2(tmp_path: Path) -> None:
    """A configured module that raises on import: exit 2, one line naming the key and the module."""
    make_project(tmp_path, CONFIG.replace('modules = ["driftshop.impl"]', 'modules = ["driftshop.impl", "driftshop.gone"]'))
    done = run(tmp_path, "check")
    assert done.returncode == 2
    assert "modules: cannot import 'driftshop.gone'" in one_error_line(done.stderr)


def test_a_configured_path_that_does_not_resolve_names_its_check(tmp_path: Path) -> None:
    """A target path in a check that does not exist: exit 2, naming checks[0].targets."""
    make_project(tmp_path, CONFIG.replace("driftshop.impl:DriftingPricer", "driftshop.impl:NoSuchPricer"))
    done = run(tmp_path, "check")
    assert done.returncode == 2
    line = one_error_line(done.stderr)
    assert "checks[0].targets" in line
    assert "NoSuchPricer" in line
