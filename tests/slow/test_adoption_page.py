"""The page "Adopting interlock on an existing code base" runs as written on examples/adoption/: every command in
order, every edit it shows, every output it prints (where the page trims with '...', the rest still matches)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "adoption.md").read_text(encoding="utf-8")
EXAMPLE = ROOT / "examples" / "adoption"
FENCE = re.compile(r'^```(\w+)(?: title="([^"]*)")?\n(.*?)\n```$', re.MULTILINE | re.DOTALL)

# The page's story, command by command: scan, register, scan, check, freeze, known, fix, fixed, update, new drift.
COMMANDS = [
    "interlock scan backend",
    "interlock scan backend",
    "interlock check",
    "interlock check --update-baseline > /dev/null",
    "head -5 interlock-baseline.json",
    "interlock check",
    "interlock check",
    "interlock check --update-baseline > /dev/null",
    "interlock check",
]


def _blocks() -> list[tuple[str, str | None, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in FENCE.finditer(PAGE)]


def _apply(path: Path, diff: str) -> None:
    """Apply a diff block as the page shows it: ' ' context, '-' removed, '+' added, all in one place."""
    old, new = [], []
    for line in diff.splitlines():
        mark, text = (line[:1], line[1:]) if line else (" ", "")
        if mark in " -":
            old.append(text)
        if mark in " +":
            new.append(text)
    source = path.read_text()
    before, after = "\n".join(old), "\n".join(new)
    assert source.count(before) == 1, f"the page's diff does not apply to {path.name}:\n{before}"
    path.write_text(source.replace(before, after))


def _normal(text: str, root: Path) -> list[str]:
    text = text.replace(str(root), "...")
    text = re.sub(r"\d+ examples in [\d.]+s", "N examples in Ts", text)
    return text.rstrip("\n").splitlines()


def _matches(shown: list[str], ran: list[str]) -> None:
    """Every run of lines the page shows appears in the output, in order; '...' stands for lines left out."""
    chunks: list[list[str]] = [[]]
    for line in shown:
        if line == "...":
            chunks.append([])
        else:
            chunks[-1].append(line)
    at = 0
    for i, chunk in enumerate(chunks):
        if not chunk:
            continue
        starts = [j for j in range(at, len(ran) - len(chunk) + 1) if ran[j : j + len(chunk)] == chunk]
        assert starts, "the page shows lines the run did not print:\n" + "\n".join(chunk) + "\n--- the run printed ---\n" + "\n".join(ran)
        start = starts[0]
        if i == 0:
            assert start == 0, "the run printed lines before the ones the page shows first:\n" + "\n".join(ran[:start])
        at = start + len(chunk)
    if chunks[-1]:
        assert at == len(ran), "the run printed lines after the ones the page shows last:\n" + "\n".join(ran[at:])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "adoption"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "interlock-baseline.json"))
    return copy


def test_the_page_shows_the_example_configuration() -> None:
    """The pyproject.toml on the page is the example's."""
    [toml] = [body for lang, title, body in _blocks() if lang == "toml" and title == "pyproject.toml"]
    assert toml + "\n" == (EXAMPLE / "pyproject.toml").read_text()


def test_walk_the_page(project: Path) -> None:
    """Run the page: each edit applied, each command run in the example, each output as shown (stdout and stderr)."""
    env = {**os.environ, "NO_COLOR": "1", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    blocks = _blocks()
    ran_commands: list[str] = []
    for i, (lang, title, body) in enumerate(blocks):
        if lang == "diff":
            assert title is not None
            _apply(project / title, body)
        elif lang == "bash":
            ran_commands += [line for line in body.splitlines() if not line.startswith("echo ")]
            done = subprocess.run(
                ["bash", "-c", body],
                cwd=project,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=600,
                check=False,
            )
            shown_lang, _, shown = blocks[i + 1]
            assert shown_lang == "text", f"no output shown after {body!r}"
            _matches(_normal(shown, project), _normal(done.stdout, project))
    assert ran_commands == COMMANDS
