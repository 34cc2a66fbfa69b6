"""The docs page "Judging by a reference" runs as written: its stores, its command, its output, its reproducer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
COMMAND = "interlock check stores:KeyValue stores:SqliteStore stores:FirstWriteStore --reference stores:DictModel --seed 5"


def _block(after: str, fence: str) -> str:
    start = PAGE.index(after)
    opening = PAGE.index(fence, start) + len(fence)
    return PAGE[opening : PAGE.index("\n```", opening)].strip("\n") + "\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs-reference")
    (folder / "stores.py").write_text(_block("## A mapping contract", '```python title="stores.py"\n'), encoding="utf-8")
    return folder


def _interlock(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "interlock", *args]
    return subprocess.run(command, check=False, capture_output=True, text=True, cwd=project, timeout=300)


def _without_timing(text: str) -> str:
    return re.sub(r"\d+ examples in [\d.]+s", "N examples in Ts", text).strip()


def _headlines(text: str) -> list[str]:
    """What a report says, without its reproducers' steps: the header, each verdict and violation, the summary."""
    keep = ("interlock check", "PASS", "FAIL", "  differential", "  unexpected", "  none-", "  type-", "drift found", "conforms")
    return [line for line in _without_timing(text).splitlines() if line.startswith(keep)]


def _reproducer(text: str) -> str:
    lines = text.splitlines()
    start = lines.index("    reproduce:") + 1
    return "\n".join(line[6:] for line in lines[start:] if line.startswith("      "))


def _judge(project: Path, script: str) -> None:
    """The script fails against FirstWriteStore with get-agrees, and passes against the store that agrees with the model."""
    assert script.splitlines()[-1].startswith("assert_agrees(KeyValue, 'get'")
    bad = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, cwd=project, timeout=60)
    assert bad.returncode == 1
    assert "AssertionError: get-agrees: get returned" in bad.stderr
    assert "where the reference returned" in bad.stderr
    good = script.replace("FirstWriteStore", "SqliteStore")
    assert (
        subprocess.run([sys.executable, "-c", good], check=False, capture_output=True, text=True, cwd=project, timeout=60).returncode == 0
    )


def test_the_page_shows_the_command_and_what_it_prints(project: Path) -> None:
    """The same verdicts and violation as the page; the shrunk reproducer's steps may differ by a call (how far a
    sequence shrinks can vary between processes), so it is judged by running it."""
    assert f"    {COMMAND}\n" in PAGE
    shown = _block("Check both stores against the model:", "```text\n")
    ran = _interlock(project, *COMMAND.split()[1:])
    assert ran.returncode == 1, ran.stderr
    assert _headlines(ran.stdout) == _headlines(shown)
    _judge(project, _reproducer(ran.stdout))


def test_the_reproducer_on_the_page_fails_against_the_store_and_passes_against_the_good_one(project: Path) -> None:
    _judge(project, _reproducer(_block("Check both stores against the model:", "```text\n")))


def test_the_model_alone_is_held_to_the_inputs_table_but_judges_without_it(project: Path) -> None:
    """What the page says: the model refuses nothing, so checked as a target it fails the Inputs table; as the
    reference it is not held to it."""
    alone = _interlock(project, "check", "stores:KeyValue", "stores:DictModel", "--seed", "1", "--json")
    assert alone.returncode == 1
    assert '"none-propagation"' in alone.stdout
    assert '"postcondition"' not in alone.stdout
