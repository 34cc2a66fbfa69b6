"""``--example-db`` on a real Redis server: failures found once are replayed first everywhere else.

Each test names the behaviour of issue 13 (part 1) it holds the checker to; the
server is Debian's ``redis-server`` (see ``conftest.py``), never a mock.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import interlock
from interlock.cli import main
from interlock.properties._report import Report
from tests.fixtures.rare import KILL_ENV, Doubler, GoodDoubler, OddDoubler, OtherRareDoubler, RareDoubler
from tests.integration.conftest import RedisDb, RedisServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
RARE = "tests.fixtures.rare"
_check = functools.partial(interlock.check, Doubler, sequences=0)
"""``interlock.check`` of the Doubler contract without generated sequences: the sweep alone finds the rare defect,
and what these tests show does not hang on how the sequence phase draws."""
LONG = 300
"""Examples of the run that finds the rare defect: it shows in about one example in ten, so 300 always find it."""


def _broken_doubling(report: Report) -> list[tuple[str, str | None, str | None]]:
    """The violations of the 'doubles' clause in ``report``."""
    return [(v.kind, v.member, v.clause) for v in report.violations if v.clause == "doubles"]


DOUBLES = [("postcondition", "double", "doubles")]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def test_a_rare_defect_found_by_a_long_run_is_reported_by_a_one_example_run(redis_db: RedisDb, other_redis_db: RedisDb) -> None:
    """A defect found at 300 examples is reported by the next run (another drawn seed) at one example, replayed from
    Redis; the same one-example run on an empty database does not find it."""
    first = _check(RareDoubler, max_examples=LONG, example_db=redis_db.url)
    assert _broken_doubling(first) == DOUBLES
    assert redis_db.client.dbsize() > 0

    alone = _check(RareDoubler, max_examples=1, example_db=other_redis_db.url)
    assert _broken_doubling(alone) == []

    again = _check(RareDoubler, max_examples=1, example_db=redis_db.url)
    assert again.seed != first.seed
    assert _broken_doubling(again) == DOUBLES


def test_keys_are_namespaced_per_contract_target_and_check(redis_db: RedisDb) -> None:
    """Every key names the contract, the targets and the check; the same defect in another target is not replayed
    into it."""
    _check(RareDoubler, max_examples=LONG, example_db=redis_db.url)
    keys = redis_db.client.keys("*")
    scope = f"interlock:{RARE}:Doubler|{RARE}:RareDoubler|".encode()
    assert keys
    assert all(k.startswith(scope) for k in keys), keys
    checks = {k[len(scope) :].split(b"|")[1] for k in keys}
    assert b"sweep_double" in checks, checks

    other = _check(OtherRareDoubler, max_examples=1, example_db=redis_db.url)
    assert _broken_doubling(other) == []


def test_a_seeded_run_neither_reads_nor_writes_the_database(redis_db: RedisDb) -> None:
    """With a seed, a known failure is not replayed, and a failure found is not written (report.md, "Reproducibility")."""
    _check(RareDoubler, max_examples=LONG, example_db=redis_db.url)
    before = redis_db.snapshot()
    assert before

    seeded = _check(RareDoubler, max_examples=1, seed=7, example_db=redis_db.url)
    assert _broken_doubling(seeded) == []
    found = _check(OddDoubler, max_examples=50, seed=7, example_db=redis_db.url)
    assert _broken_doubling(found) == DOUBLES
    assert redis_db.snapshot() == before


def test_a_readonly_database_is_replayed_but_never_written(redis_db: RedisDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``URL,readonly`` replays the known failures, and leaves Redis as it was: no new failure is written and no
    stale one deleted. Beside a directory (``URL,readonly,DIR``), the new failures are kept in the directory."""
    _check(RareDoubler, max_examples=LONG, example_db=redis_db.url)
    before = redis_db.snapshot()
    count = redis_db.client.dbsize()
    assert count > 0
    readonly = f"{redis_db.url},readonly"

    replayed = _check(RareDoubler, max_examples=1, example_db=readonly)
    assert _broken_doubling(replayed) == DOUBLES
    new = _check(OddDoubler, max_examples=50, example_db=readonly)
    assert _broken_doubling(new) == DOUBLES
    with monkeypatch.context() as m:  # the defect fixed: a writable database would drop its example now
        m.setattr(RareDoubler, "double", GoodDoubler.double)
        fixed = _check(RareDoubler, max_examples=10, example_db=readonly)
        assert fixed.conforms
    assert redis_db.client.dbsize() == count
    assert redis_db.snapshot() == before

    local = tmp_path / "local"
    both = f"{readonly},{local}"
    _check(OddDoubler, max_examples=50, example_db=both)
    assert redis_db.snapshot() == before
    assert any(p.is_file() for p in local.rglob("*"))
    kept = _check(OddDoubler, max_examples=1, example_db=str(local))
    assert _broken_doubling(kept) == DOUBLES


def test_a_writable_database_drops_the_example_of_a_fixed_defect(redis_db: RedisDb, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other side of the read-only test: without ``readonly`` the stale example is deleted, so that test's
    unchanged snapshot means something."""
    _check(RareDoubler, max_examples=LONG, example_db=redis_db.url)
    before = sum(len(v) for v in redis_db.snapshot().values())
    monkeypatch.setattr(RareDoubler, "double", GoodDoubler.double)
    # more than one example: Hypothesis ends a run of one example on its first replay, before it drops anything
    _check(RareDoubler, max_examples=10, example_db=redis_db.url)
    assert sum(len(v) for v in redis_db.snapshot().values()) < before


def test_two_xdist_workers_share_the_failures_they_find(redis_db: RedisDb, other_redis_db: RedisDb, tmp_path: Path) -> None:
    """Two pytest-xdist workers check one contract_tests class against one Redis database at once; a later
    session of two workers at one example replays the failure (``--interlock-example-db``, then the ini key),
    where one on an empty database does not find it."""
    (tmp_path / "test_rare.py").write_text(
        textwrap.dedent(
            f"""\
            import interlock.pytest
            from {RARE} import Doubler, RareDoubler

            TestRare = interlock.pytest.contract_tests(Doubler, RareDoubler)
            """
        )
    )

    def session(db: str, examples: int, *, ini: bool) -> subprocess.CompletedProcess[str]:
        lines = ["[pytest]", "asyncio_default_fixture_loop_scope = function"]
        args = ["--interlock-examples", str(examples), "--interlock-sequences", "0"]
        if ini:
            lines.append(f"interlock_example_db = {db}")
        else:
            args += ["--interlock-example-db", db]
        (tmp_path / "pytest.ini").write_text("\n".join(lines) + "\n")
        command = [sys.executable, "-m", "pytest", "-p", "xdist", "-n", "2", "-v", "-p", "no:cacheprovider", *args]
        return subprocess.run(command, cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=300, check=False)

    failing = "FAILED test_rare.py::TestRare::test_clause[RareDoubler-doubles]"
    first = session(redis_db.url, LONG, ini=False)
    assert first.returncode == 1, first.stdout + first.stderr
    assert failing in first.stdout
    assert "[gw0]" in first.stdout
    assert "[gw1]" in first.stdout  # both workers ran tests of the class, so both ran its check

    alone = session(other_redis_db.url, 1, ini=True)
    assert alone.returncode == 0, alone.stdout + alone.stderr

    again = session(redis_db.url, 1, ini=True)
    assert again.returncode == 1, again.stdout + again.stderr
    assert failing in again.stdout


def test_the_server_killed_mid_run_costs_one_warning_line_and_keeps_the_report(
    redis_servers: Callable[[], RedisServer], tmp_path: Path
) -> None:
    """The target kills the Redis server on its first call: the run goes on without the database, says so in one
    line on standard error, no traceback, and prints the whole report."""
    server = redis_servers()
    command = [
        sys.executable,
        "-m",
        "interlock",
        "check",
        f"{RARE}:Doubler",
        f"{RARE}:ServerKillingDoubler",
        "--json",
        "--max-examples",
        "30",
        "--sequences",
        "0",
        "--example-db",
        server.url(0),
    ]
    env = {**_env(), KILL_ENV: str(server.pid)}
    ran = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert server.process.wait(timeout=10) == -9  # it was killed, by the target, during the run

    assert ran.returncode == 1, ran.stderr
    report = json.loads(ran.stdout)
    found = {(v["kind"], v["member"], v["clause"]) for t in report["targets"] for v in t["violations"]}
    assert ("postcondition", "double", "doubles") in found
    assert report["summary"]["targets"] == 1
    assert not report.get("interrupted")
    assert not report.get("internal_errors")
    said = [line for line in ran.stderr.splitlines() if "example database" in line]
    assert said == [line for line in said if line.startswith(f"interlock: the example database {server.url(0)} failed (")]
    assert len(said) == 1, ran.stderr
    assert said[0].endswith("; the run goes on without it")
    assert "Traceback" not in ran.stderr


def test_a_server_out_of_reach_at_the_start_costs_one_warning_line(capfd: pytest.CaptureFixture[str]) -> None:
    """Nothing listens on the port: one warning line on standard error, then the whole report, as without a database."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{s.getsockname()[1]}/0"  # bound, not listening: refused
        code = main(
            ["check", f"{RARE}:Doubler", f"{RARE}:OddDoubler", "--json", "--max-examples", "20", "--sequences", "0", "--example-db", url]
        )
    out, err = capfd.readouterr()
    assert code == 1, err
    report = json.loads(out)
    assert ("postcondition", "double", "doubles") in {(v["kind"], v["member"], v["clause"]) for v in report["targets"][0]["violations"]}
    said = [line for line in err.splitlines() if "example database" in line]
    assert len(said) == 1, err
    assert said[0].startswith(f"interlock: the example database {url} failed (")
    assert "Traceback" not in err


def _closed_port() -> int:
    """A port of 127.0.0.1 on which nothing listens (bound a moment, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("spread", [["--jobs", "2"], ["--isolate"]], ids=["jobs", "isolate"])
def test_a_server_out_of_reach_is_said_once_by_a_run_of_several_processes(tmp_path: Path, spread: list[str]) -> None:
    """Worker processes (``--jobs``, one per contract) and isolated children (``--isolate``) do not each say it."""
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [tool.interlock]
            [[tool.interlock.checks]]
            contract = "{RARE}:Doubler"
            targets = ["{RARE}:OddDoubler"]
            [[tool.interlock.checks]]
            contract = "{RARE}:Doubler"
            targets = ["{RARE}:GoodDoubler"]
            """
        )
    )
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    command = [sys.executable, "-m", "interlock", "check", "--max-examples", "20", "--sequences", "0", "--example-db", url, *spread]
    ran = subprocess.run(command, cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "OddDoubler" in ran.stdout
    said = [line for line in ran.stderr.splitlines() if "example database" in line]
    assert len(said) == 1, ran.stderr
    assert said[0].startswith(f"interlock: the example database {url} failed (")
    assert "Traceback" not in ran.stderr
