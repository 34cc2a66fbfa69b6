"""Every example in the docs runs as the page shows it, page by page, in a fresh folder, in the page's order.

- A block with a file name (```python title="cart.py"```, ```toml title="pyproject.toml"```) is written to that
  file; one shown again later
  replaces it (the tutorial's fixed ``sqlite_readings.py``). An indented one is an edit inside a file the page
  showed before: it must compile as a method, and, where ``EDITS`` says how, it is applied.
- A Python block without a file name is run with ``python -c`` in the folder, after the files before it, unless
  ``FRAGMENTS`` names it (a piece of a larger file, shown for its shape): then it must compile.
- A shell block runs its commands with ``bash`` in the folder, ``interlock`` and ``python`` being this
  environment's; a ``text`` block right after it is what it prints: the exit status it shows (``exit N``, or the
  verdict of a report or a pytest run) is the status it must have, and the verdict lines of a report (``PASS``
  and ``FAIL`` per target, each violation's kind and member) are the lines it must print. A text block that
  starts with ``$ COMMAND`` is run the same way. Install commands (``pip``, ``venv``) are not run: this
  environment is the installed one.

``adoption.md`` is left to ``tests/slow/test_adoption_page.py``, which walks it on ``examples/adoption/``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [*sorted(p.name for p in (ROOT / "docs").glob("*.md") if p.name != "adoption.md"), "../README.md"]
FENCE = re.compile(r"^```(\w*)([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'title="([^"]+)"')

FRAGMENTS = {
    ("mypy.md", "@interlock.implements(Greeter)  # a class"): "the ways to declare an implementation, without the contract",
    ("mypy.md", "@interlock.implements(Greeter)"): "a class shown with mypy's messages, without the contract",
    (
        "../README.md",
        "report = interlock.check(Greeter, PoliteGreeter, LegacyGreeter, seed=1)",
    ): "the call from a test, with the README's own classes",
    ("pytest.md", "import pytest"): "a test module of the consumer project, run by pytest, not by itself",
    ("clauses.md", '@interlock.scenario(Notifier, id="notify-sends-once", kind="isolation")'): (
        "the shape of stacked scenarios (tests/unit/test_stacked_scenarios.py runs a whole one)"
    ),
    ("cli.md", 'target = PerBackendSession(backend=(d0 := double(Backend)), user="0")'): (
        "the shape of a reproducer, on a session module of your own (tests/unit/test_sharing.py runs real ones)"
    ),
}
"""Untitled Python blocks that are pieces of something larger: (page, first line) -> why they are only compiled."""

SKIPPED_COMMANDS = ("pip ", "python3 -m venv", ".venv/bin/", "python -m pip")
"""Set-up commands: this environment is installed already."""

PLACEHOLDERS = {
    "interlock check mypkg.contracts:Greeter mypkg.a:PoliteGreeter mypkg.b:LegacyGreeter --json": "the shape of a call on modules of your own",
    "interlock check interlock.contracts.websocket:WebSocketBridge myapp.bridge:AgentBridge myapp.legacy:StandardBridge": (
        "the shape of a call on modules of your own"
    ),
    "interlock check interlock.contracts.router:MessageRouter myapp.routing:Router --reference interlock.examples.router:ReferenceRouter": (
        "the shape of a call on modules of your own"
    ),
    "interlock check interlock.contracts.websocket:WebSocketManager myapp.ws:ConnectionManager --sockets real": (
        "a manager of your own (tests/integration/test_real_sockets.py runs real ones over real sockets)"
    ),
    "interlock check mypkg.contracts:Store mypkg.redis_store:RedisStore --example-db redis://ci-cache:6379/0": (
        "a store of your own and a Redis server named ci-cache (tests/integration/test_example_db.py runs a real one)"
    ),
    "interlock check mypkg.contracts:Store mypkg.redis_store:RedisStore --max-examples 1000 --example-db redis://ci-cache:6379/0": (
        "a store of your own and a Redis server named ci-cache (tests/integration/test_example_db.py runs a real one)"
    ),
    "interlock check mypkg.contracts:Store mypkg.redis_store:RedisStore --max-examples 20 --example-db redis://ci-cache:6379/0": (
        "a store of your own and a Redis server named ci-cache (tests/integration/test_example_db.py runs a real one)"
    ),
}
"""Commands on modules the page does not define (written as ``mypkg``, ``myapp``): command -> why not run."""

CHECKED_ELSEWHERE = {
    "interlock check stores:KeyValue stores:SqliteStore stores:FirstWriteStore --reference stores:DictModel --seed 5": (
        "tests/unit/test_docs_reference.py runs it on the page's stores and compares every line it prints, and runs its reproducer"
    ),
}
"""Commands a test of their own runs and judges more closely than by verdicts: command -> which test."""

NOTHING_TO_RUN = {
    "index.md": "set-up commands only (.ci/run runs them)",
    "inputs.md": "tables and report excerpts, no example",
    "mypy.md": "fragments of classes; the plugin's messages are tested in tests/mypy",
    "reference.md": "its one command is checked elsewhere (CHECKED_ELSEWHERE)",
}
"""Pages where no example runs: page -> why."""

EDITS = {
    ("pytest.md", "consumer/notifiers.py"): ("class SmsNotifier", "    async def notify("),
}
"""Indented blocks that replace one method of one class: (page, file) -> (the class, the method's first line)."""

KINDS = frozenset(json.loads((ROOT / "interlock" / "report.schema.json").read_text())["$defs"]["kind"]["enum"])


def _blocks(page: str) -> list[tuple[str, str | None, str, str]]:
    """The page's fenced blocks, and its indented ``interlock ...`` command lines as ``bash`` blocks, in the page's
    order: (language, file name, body, the block's first line)."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    found: list[tuple[int, tuple[str, str | None, str, str]]] = []
    fenced: list[tuple[int, int]] = []
    for m in FENCE.finditer(text):
        title = TITLE.search(m.group(2))
        body = m.group(3)
        first = next((line.strip() for line in body.splitlines() if line.strip()), "")
        found.append((m.start(), (m.group(1), title.group(1) if title else None, body, first)))
        fenced.append((m.start(), m.end()))
    for m in re.finditer(r"^    ((?:interlock|python3?|\.venv/bin/)\S* .*)$", text, re.MULTILINE):
        if not any(start <= m.start() < end for start, end in fenced):
            found.append((m.start(), ("bash", None, m.group(1) + "\n", m.group(1))))
    return [block for _, block in sorted(found, key=lambda item: item[0])]


def _env(folder: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "HYPOTHESIS_STORAGE"))}
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["PYTHONPATH"] = str(folder)
    env["XDG_CACHE_HOME"] = str(folder.parent / "cache")
    env["COLUMNS"] = "80"
    return env


def _run(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    command = re.sub(r"(?m)^python(3)? ", f"{sys.executable} ", command)
    return subprocess.run(["bash", "-c", command], cwd=folder, env=_env(folder), capture_output=True, text=True, check=False, timeout=600)


def _expected_status(shown: str) -> int | None:
    """The exit status a text block shows: ``exit N``, else the verdict of the report or pytest run it shows."""
    if m := re.search(r"^exit (\d+)$", shown, re.MULTILINE):
        return int(m.group(1))
    if shown.startswith('{"interlock": ') and '"error": ' in shown:
        return 2
    if shown.startswith("ERROR: "):  # pytest's usage error
        return 4
    if shown.lstrip().startswith("interlock: error:") or "\ninterlock: error:" in shown:
        return 2
    if re.search(r"^drift found", shown, re.MULTILINE) or re.search(r"\d+ failed", shown):
        return 1
    if re.search(r"^(conforms|no new drift)", shown, re.MULTILINE) or re.search(r"\d+ passed", shown):
        return 0
    return None


def _verdicts(text: str) -> list[str]:
    """What a text report says, without messages and reproducers: each target's verdict line and each violation's
    kind and member."""
    lines = []
    for line in text.splitlines():
        if re.match(r"^(PASS|FAIL) ", line):
            lines.append(line.split(" (")[0])
        elif (m := re.match(r"^  ([a-z-]+)\b", line)) and m.group(1) in KINDS:
            lines.append(line.split(":")[0])  # kind, member(parameter) [clause]
    return lines


def _apply_edit(path: Path, cls: str, method: str, body: str) -> None:
    """Replace ``method`` of ``cls`` in the file with the indented block ``body``."""
    text = path.read_text(encoding="utf-8")
    start = text.index(method, text.index(cls))
    end = start
    lines = text[start:].splitlines(keepends=True)
    end = start + len(lines[0])
    for line in lines[1:]:
        if line.strip() and not line.startswith("        "):
            break
        end += len(line)
    path.write_text(text[:start] + body.rstrip("\n") + "\n\n" + text[end:].lstrip("\n"), encoding="utf-8")


def _compiles(body: str, where: str) -> None:
    source = textwrap.dedent(body)
    if body.startswith((" ", "\t")):
        source = "class _Shown:\n" + textwrap.indent(source, "    ")
    compile(source, where, "exec")


@pytest.mark.parametrize("page", PAGES)
def test_every_example_of_the_page_runs(page: str, tmp_path: Path) -> None:
    """The page's files, scripts and commands, in its order: each runs, with the exit status and the verdicts
    it shows."""
    folder = tmp_path / "work"
    folder.mkdir()
    blocks = _blocks(page)
    ran = 0
    for i, (lang, title, body, first) in enumerate(blocks):
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        where = f"{page}, block {i + 1} ({first[:60]!r})"
        if lang != "python" and title is not None:  # a configuration file the page shows (pyproject.toml)
            (folder / title).parent.mkdir(parents=True, exist_ok=True)
            (folder / title).write_text(body, encoding="utf-8")
        elif lang == "python":
            _compiles(body, where)
            if title is not None:
                path = folder / title
                path.parent.mkdir(parents=True, exist_ok=True)
                if body.startswith((" ", "\t")):
                    cls, method = EDITS[(page, title)]
                    _apply_edit(path, cls, method, body)
                    _compiles(path.read_text(encoding="utf-8"), str(path))
                else:
                    path.write_text(body, encoding="utf-8")
            elif (page, first) not in FRAGMENTS:
                done = _run(f"python -c {_quote(body)}", folder)
                assert done.returncode == 0, f"{where} failed:\n{done.stdout}\n{done.stderr}"
                ran += 1
        elif lang in ("bash", "sh", "console") or (lang == "text" and body.startswith("$ ")):
            if lang == "text":  # "$ command" lines, each followed by what it prints
                pairs = [tuple(part.partition("\n")[::2]) for part in ("\n" + body).split("\n$ ")[1:]]
            else:
                pairs = [(body, after[2] if after is not None and after[0] == "text" else "")]
            for command, shown in pairs:
                if command.strip().startswith(SKIPPED_COMMANDS) or command.strip() in {*PLACEHOLDERS, *CHECKED_ELSEWHERE}:
                    continue
                _check_command(command, shown, folder, where)
                ran += 1
    assert ran or page in NOTHING_TO_RUN, f"{page}: no example ran"


def _check_command(command: str, shown: str, folder: Path, where: str) -> None:
    """Run a shell command of the page: the exit status, the errors and the verdicts it shows."""
    done = _run(command, folder)
    output = done.stdout + done.stderr
    status = _expected_status(shown)
    if status is None:
        assert done.returncode in (0, 1), f"{where}: exit {done.returncode}\n{output}"
    else:
        # a block that ends in `echo "exit $?"` exits 0 itself: the status is in what it prints
        echoed = re.search(r"^exit (\d+)$", done.stdout, re.MULTILINE)
        got = int(echoed.group(1)) if echoed else done.returncode
        assert got == status, f"{where}: exit {got}, the page shows {status}\n{output}"
    for line in shown.splitlines():  # an error is printed as the page shows it, word for word
        if line.startswith(("interlock: error:", "ERROR: ", '{"interlock": ')) and '"seed"' not in line:
            assert line in output.splitlines(), f"{where}: the page shows {line!r}\n{output}"
    shown_verdicts = _verdicts(shown)
    if shown_verdicts and "..." not in shown:
        assert _verdicts(done.stdout) == shown_verdicts, f"{where}: the page shows other verdicts\n{done.stdout}"
    elif shown_verdicts:
        got_verdicts = _verdicts(done.stdout)
        assert [v for v in shown_verdicts if v not in got_verdicts] == [], f"{where}: the page shows other verdicts\n{done.stdout}"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def test_the_fragment_and_edit_lists_name_blocks_that_exist() -> None:
    """A block named in FRAGMENTS or EDITS that the docs no longer have is a stale entry, not a skipped check."""
    firsts = {(page, first) for page in PAGES for _, _, _, first in _blocks(page)}
    titles = {(page, title) for page in PAGES for _, title, _, _ in _blocks(page) if title}
    assert set(FRAGMENTS) <= firsts
    assert set(EDITS) <= titles
    commands = {first for page in PAGES for lang, _, _, first in _blocks(page) if lang == "bash"}
    commands |= {
        line[2:].strip()
        for page in PAGES
        for lang, _, body, _ in _blocks(page)
        if lang == "text" and body.startswith("$ ")
        for line in body.splitlines()
        if line.startswith("$ ")
    }
    assert set(PLACEHOLDERS) <= commands
    assert set(CHECKED_ELSEWHERE) <= commands
