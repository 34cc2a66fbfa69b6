"""The mypy plugin, tested black-box on data files.

Each file in ``cases/`` is Python source whose expected mypy messages are written
on the line they belong to, in the style of mypy's own test data:
``# E: <message>  [<code>]`` (``# N:`` for a note; several may follow each other).
mypy runs once, with the plugin, over a copy of every case (a flat folder, so
that each case is a top-level module and ``cross_module`` can import
``shared_contracts``); each case is then compared line by line with what mypy
printed for it.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("*.py"))
# The plugin's configuration, as a user writes it, with the strictest settings a user may add.
CONFIG = """\
[mypy]
mypy_path = {cases}
strict = True
warn_unused_ignores = True
plugins = interlock.mypy
"""
_EXPECTED = re.compile(r"#\s*(?P<severity>[EN]):\s*(?P<message>.*?)\s*(?=#\s*[EN]:|$)")
_REPORTED = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*)$")


class Message(NamedTuple):
    line: int
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.severity}: {self.message}"


class Run(NamedTuple):
    messages: dict[str, list[Message]]
    stdout: str
    stderr: str
    status: int


def expected_messages(path: Path) -> list[Message]:
    """The messages a case file announces in its ``# E:`` / ``# N:`` comments."""
    found = []
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        start = re.search(r"#\s*[EN]:", text)
        if start is None:
            continue
        for m in _EXPECTED.finditer(text, start.start()):
            found.append(Message(number, "error" if m["severity"] == "E" else "note", m["message"]))
    return found


def run_mypy(workdir: Path, sources: list[Path], *options: str) -> Run:
    """Run mypy with the plugin's configuration in ``workdir`` and its cache there.

    In a process of its own, as users run it: mypy in-process would leave its garbage
    collector settings and recursion limit to the tests that follow.
    """
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(workdir / "mypy.ini"),
            "--cache-dir",
            str(workdir / "cache"),
            "--show-absolute-path",
            "--no-error-summary",
            "--show-traceback",
            "--python-executable",
            sys.executable,
            *options,
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=workdir,
    )
    stdout, stderr, status = done.stdout, done.stderr, done.returncode
    messages: dict[str, list[Message]] = {p.name: [] for p in sources}
    for line in stdout.splitlines():
        m = _REPORTED.match(line)
        assert m is not None, f"unexpected mypy output line: {line!r}\n{stdout}{stderr}"
        messages.setdefault(Path(m["path"]).name, []).append(Message(int(m["line"]), m["severity"], m["message"]))
    return Run(messages, stdout, stderr, status)


def configure(path: Path, sources: Path) -> None:
    (path / "mypy.ini").write_text(CONFIG.format(cases=sources))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mypy")
    (path / "cases").mkdir()
    for case in CASE_FILES:
        shutil.copy(case, path / "cases" / case.name)
    configure(path, path / "cases")
    return path


@pytest.fixture(scope="module")
def cold(workdir: Path) -> Run:
    """One mypy run over every case, with an empty cache."""
    return run_mypy(workdir, [workdir / "cases" / p.name for p in CASE_FILES])


@pytest.mark.parametrize("case", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case_reports_exactly_its_expected_messages(cold: Run, case: Path) -> None:
    """mypy with the plugin prints, for this case file, exactly the messages its comments announce, on their lines."""
    assert not cold.stderr, cold.stderr
    got = sorted(cold.messages.get(case.name, []))
    want = sorted(expected_messages(case))
    assert [str(m) for m in got] == [str(m) for m in want]


def test_every_case_is_checked_and_the_run_fails_only_for_expected_errors(cold: Run) -> None:
    """The run covers every case file, reports no file outside them, and exits 1 exactly because errors are expected."""
    assert set(cold.messages) == {p.name for p in CASE_FILES}
    wants_errors = any(m.severity == "error" for p in CASE_FILES for m in expected_messages(p))
    assert cold.status == (1 if wants_errors else 0), cold.stdout + cold.stderr


def test_warm_cache_run_reports_the_same(cold: Run, workdir: Path) -> None:
    """A second run over the cache the first one wrote reports the same messages."""
    warm = run_mypy(workdir, [workdir / "cases" / p.name for p in CASE_FILES])
    assert warm.messages == cold.messages


_CONTRACTS = """\
from typing import Protocol

import interlock


@interlock.contract
class Greeter(Protocol):
    def greet(self, name: str, times: int = 1) -> str: ...
"""
_IMPLEMENTATIONS = """\
class Renamed:
    def greet(self, nam: str, times: int = 1) -> str:
        return nam


class Positional:
    def greet(self, name: str, /, times: int = 1) -> str:
        return name
"""
_USES = """\
from contracts import Greeter
from implementations import Positional, Renamed


def welcome(greeter: Greeter) -> None: ...


welcome(Renamed())
welcome(Positional())
"""


def test_modules_read_back_from_the_cache_are_compared_like_fresh_ones(tmp_path: Path) -> None:
    """With only the using module changed, contract and classes come from mypy's cache and drift is still found."""
    configure(tmp_path, tmp_path)
    sources = [tmp_path / "contracts.py", tmp_path / "implementations.py", tmp_path / "uses.py"]
    for path, text in zip(sources, (_CONTRACTS, _IMPLEMENTATIONS, _USES), strict=True):
        path.write_text(text)
    first = run_mypy(tmp_path, sources)
    sources[2].write_text(_USES + "# changed\n")
    second = run_mypy(tmp_path, sources, "--verbose")
    assert "Metadata fresh for contracts" in second.stderr
    assert "Metadata fresh for implementations" in second.stderr
    assert [m.message for m in first.messages["uses.py"]] == [
        (
            'Greeter.greet: parameter "name" is named "nam" in Renamed.greet (contract: def greet(self, name: str, '
            "times: int = ...) -> str; implementation: def greet(self, nam: str, times: int = ...) -> str)  "
            "[interlock-drift]"
        ),
        (
            'Greeter.greet: parameter "name" is positional-only in Positional.greet (contract: def greet(self, '
            "name: str, times: int = ...) -> str; implementation: def greet(self, str, /, times: int = ...) -> str)  "
            "[interlock-drift]"
        ),
    ]
    assert second.messages == first.messages


def test_plugin_modules_import_only_mypy_and_the_standard_library() -> None:
    """The plugin's own modules import mypy, the standard library and each other: nothing of interlock's runtime."""
    package = Path(__file__).parents[2] / "interlock"
    modules = [package / "mypy.py", *sorted((package / "adapters").glob("*mypy*.py"))]
    assert len(modules) >= 2
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                top = name.partition(".")[0]
                allowed = top in sys.stdlib_module_names or top == "mypy" or name.startswith("interlock.adapters.")
                assert allowed, f"{module.name} imports {name}"
