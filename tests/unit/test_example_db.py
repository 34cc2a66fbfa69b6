"""``--example-db`` without a server: how the value is read, refused and configured, and replay from a directory.

The Redis side, on a real server, is in ``tests/integration/test_example_db.py``.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

import interlock
from interlock import _config
from interlock._example_db import Store, parse, rebase
from interlock.cli import main
from interlock.errors import UsageError
from tests.fixtures.rare import Doubler, RareDoubler

RARE = "tests.fixtures.rare"
_check = functools.partial(interlock.check, Doubler, sequences=0)
"""``interlock.check`` of the Doubler contract without generated sequences: the sweep alone finds the rare defect,
and what these tests show does not hang on how the sequence phase draws."""


def _doubles(report: interlock.Report) -> list[tuple[str, str | None]]:
    return [(v.kind, v.clause) for v in report.violations if v.clause == "doubles"]


@pytest.mark.parametrize(
    ("text", "stores"),
    [
        ("redis://localhost:6379/0", (Store("redis://localhost:6379/0"),)),
        ("redis://ci-cache", (Store("redis://ci-cache"),)),
        ("rediss://:secret@ci-cache:6380/3", (Store("rediss://:secret@ci-cache:6380/3"),)),
        (".hypothesis/interlock", (Store(".hypothesis/interlock"),)),
        ("redis://ci:6379/0,readonly", (Store("redis://ci:6379/0", readonly=True),)),
        (
            " redis://ci:6379/0 , READONLY , .hypothesis/interlock ",
            (Store("redis://ci:6379/0", readonly=True), Store(".hypothesis/interlock")),
        ),
        ("a,b,readonly", (Store("a"), Store("b", readonly=True))),
    ],
)
def test_the_value_names_databases_separated_by_commas(text: str, stores: tuple[Store, ...]) -> None:
    """A Redis URL or a directory, several separated by commas, ``readonly`` making the one before it read-only."""
    assert parse(text) == stores


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("redis://127.0.0.1:notaport/0", "the port is not a number from 1 to 65535"),
        ("redis://127.0.0.1:70000/0", "the port is not a number from 1 to 65535"),
        ("redis://127.0.0.1:6379/x", "the database '/x' is not a number"),
        ("redis://127.0.0.1:6379/0/1", "the database '/0/1' is not a number"),
        ("redis:///0", "no host"),
        ("redis://h:1/0?db=2", "a query or fragment is not read"),
        ("http://cache/0", "http:// is not a database interlock opens"),
        ("readonly", "'readonly' must follow the database it makes read-only"),
        ("a,readonly,readonly", "'readonly' must follow the database it makes read-only"),
        ("a,,b", "an empty item between commas"),
        ("", "an empty item between commas"),
    ],
)
def test_a_malformed_value_is_one_line_naming_it(text: str, said: str) -> None:
    """Every refusal names the value and what is wrong with it, in one line."""
    with pytest.raises(UsageError) as caught:
        parse(text)
    message = str(caught.value)
    assert message.startswith(f"example_db {text!r}: {said}")
    assert "\n" not in message


def test_a_password_is_not_shown() -> None:
    """Messages name a Redis database by host, port and number, never with its password."""
    (store,) = parse("redis://user:hunter2@cache:6380/2")
    assert store.shown == "redis://cache:6380/2"


def test_a_malformed_url_on_the_command_line_is_exit_2_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    """``--example-db`` with a bad URL: exit 2, one line naming the option and the value, nothing checked."""
    code = main(["check", f"{RARE}:Doubler", f"{RARE}:RareDoubler", "--example-db", "redis://localhost:port/0"])
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2
    assert len(lines) == 1, err
    assert "--example-db" in lines[0]
    assert "'redis://localhost:port/0': the port is not a number" in lines[0]


def test_a_malformed_url_with_json_is_a_json_error(capfd: pytest.CaptureFixture[str]) -> None:
    """With ``--json`` the usage error is also the JSON document on standard output."""
    code = main(["check", f"{RARE}:Doubler", f"{RARE}:RareDoubler", "--json", "--example-db", "ftp://x"])
    out = capfd.readouterr().out
    assert code == 2
    assert "ftp:// is not a database interlock opens" in json.loads(out)["error"]


def test_the_configuration_key_takes_directories_relative_to_its_file(tmp_path: Path) -> None:
    """``example-db`` in ``[tool.interlock]``: a directory is relative to the file's folder, a URL is kept as it is."""
    (tmp_path / "pyproject.toml").write_text('[tool.interlock]\nexample-db = "redis://ci:6379/1,readonly,.cache/examples"\n')
    config = _config.load(None, cwd=tmp_path)
    assert config.options["example_db"] == f"redis://ci:6379/1,readonly,{tmp_path / '.cache/examples'}"
    assert rebase("/abs/dir,readonly", tmp_path) == "/abs/dir,readonly"


def test_a_bad_configuration_key_names_the_file_and_the_key(tmp_path: Path) -> None:
    """A bad ``example-db`` value is one ``UsageError`` line naming the file, the key and what is wrong."""
    (tmp_path / "pyproject.toml").write_text('[tool.interlock]\nexample-db = ["redis://ci:6379/1"]\n')
    with pytest.raises(UsageError) as caught:
        _config.load(None, cwd=tmp_path)
    assert str(caught.value).startswith(
        f"{tmp_path / 'pyproject.toml'}: [tool.interlock] example-db: example_db ['redis://ci:6379/1']: not text"
    )


def test_a_redis_url_without_the_redis_package_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the ``redis`` package a Redis URL is a usage error naming ``interlock[redis]``."""
    monkeypatch.setitem(sys.modules, "redis", None)  # what an environment without the package gives: ImportError
    with pytest.raises(UsageError, match=r"pip install 'interlock\[redis\]'"):
        _check(RareDoubler, max_examples=1, example_db="redis://127.0.0.1:1/0")


def test_a_directory_database_replays_a_rare_defect_in_a_one_example_run(tmp_path: Path) -> None:
    """A defect found at 300 examples is kept in the directory and reported by a run of one example; one example
    alone does not find it."""
    kept = str(tmp_path / "examples")
    first = _check(RareDoubler, max_examples=300, example_db=kept)
    assert _doubles(first) == [("postcondition", "doubles")]
    assert _doubles(_check(RareDoubler, max_examples=1, example_db=str(tmp_path / "empty"))) == []
    assert _doubles(_check(RareDoubler, max_examples=1, example_db=kept)) == [("postcondition", "doubles")]


def test_hypothesis_own_database_replays_known_failures_too(tmp_path: Path) -> None:
    """Without ``example_db``, the database of the Hypothesis profile replays known failures first (report.md,
    "Reproducibility"); the explorer's seed used to turn it off."""
    previous = settings.get_current_profile_name()
    settings.register_profile(
        "interlock-example-db", parent=settings.get_profile(previous), database=DirectoryBasedExampleDatabase(tmp_path)
    )
    settings.load_profile("interlock-example-db")
    try:
        assert _doubles(_check(RareDoubler, max_examples=300)) == [("postcondition", "doubles")]
        assert _doubles(_check(RareDoubler, max_examples=1)) == [("postcondition", "doubles")]
        assert _doubles(_check(RareDoubler, max_examples=1, seed=3)) == []
    finally:
        settings.load_profile(previous)
