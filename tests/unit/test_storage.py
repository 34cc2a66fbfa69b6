"""No litter: a run leaves the folder it runs in as it found it; Hypothesis's own files go to the user cache,
or where Hypothesis's own settings say."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from interlock._storage import cache_home, use_cache_home

DRIFTING = ["interlock.examples.greeter:Greeter", "interlock.examples.greeter:PoliteGreeter", "interlock.examples.greeter:LegacyGreeter"]


def _run(folder: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("HYPOTHESIS_STORAGE_DIRECTORY", "XDG_CACHE_HOME")}
    return subprocess.run(
        [sys.executable, "-m", "interlock", *args], capture_output=True, text=True, cwd=folder, env=clean | env, check=False, timeout=300
    )


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("seed", [["--seed", "1"], []], ids=["seeded", "drawn-seed"])
def test_a_run_in_an_empty_folder_leaves_it_empty(tmp_path: Path, seed: list[str]) -> None:
    """With or without --seed (the example database is written only without one), and with a violation found,
    the folder stays empty; Hypothesis's files are in the user cache instead."""
    here, cache = tmp_path / "here", tmp_path / "cache"
    here.mkdir()
    done = _run(here, {"XDG_CACHE_HOME": str(cache)}, "check", *DRIFTING, "--max-examples", "5", *seed)
    assert done.returncode == 1, done.stderr
    assert _files(here) == []
    kept = cache / "interlock" / "hypothesis"
    assert len(list(kept.iterdir())) == 1  # one folder, for this working folder
    assert _files(next(kept.iterdir())) != []  # Hypothesis's files (its caches; its database without --seed)


def test_the_demo_leaves_the_folder_empty(tmp_path: Path) -> None:
    """The README's first command, run where the user stands, writes nothing there."""
    here = tmp_path / "here"
    here.mkdir()
    done = _run(here, {"XDG_CACHE_HOME": str(tmp_path / "cache")}, "demo", "greeter", "--max-examples", "5")
    assert done.returncode == 0, done.stderr
    assert _files(here) == []


def test_an_existing_hypothesis_folder_is_used(tmp_path: Path) -> None:
    """A folder where Hypothesis already keeps its files (.hypothesis/) keeps getting them: its example database
    is the user's, and failures found before replay from it."""
    (tmp_path / ".hypothesis").mkdir()
    done = _run(tmp_path, {"XDG_CACHE_HOME": str(tmp_path / "cache")}, "check", *DRIFTING, "--max-examples", "5")
    assert done.returncode == 1, done.stderr
    assert _files(tmp_path / ".hypothesis") != []
    assert not (tmp_path / "cache").exists()


def test_hypothesis_storage_directory_is_obeyed(tmp_path: Path) -> None:
    """HYPOTHESIS_STORAGE_DIRECTORY, Hypothesis's own setting, decides where its files go."""
    here, chosen = tmp_path / "here", tmp_path / "chosen"
    here.mkdir()
    done = _run(
        here, {"HYPOTHESIS_STORAGE_DIRECTORY": str(chosen), "XDG_CACHE_HOME": str(tmp_path / "cache")}, "check", *DRIFTING, "--seed", "1"
    )
    assert done.returncode == 1, done.stderr
    assert _files(here) == []
    assert _files(chosen) != []
    assert not (tmp_path / "cache").exists()


def test_cache_home_follows_xdg(tmp_path: Path) -> None:
    """$XDG_CACHE_HOME/interlock when it is an absolute path (the XDG rule: a relative one is ignored), else ~/.cache/interlock."""
    assert cache_home({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "interlock"
    assert cache_home({"XDG_CACHE_HOME": "relative"}) == Path.home() / ".cache" / "interlock"
    assert cache_home({}) == Path.home() / ".cache" / "interlock"


def test_each_working_folder_has_its_own_storage(tmp_path: Path) -> None:
    """Failures found in one project replay there only: two folders get two storage folders, one folder the same."""
    from hypothesis import configuration

    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before = vars(configuration)["__hypothesis_home_directory"]
    try:
        first = use_cache_home(tmp_path / "a", env)
        again = use_cache_home(tmp_path / "a", env)
        second = use_cache_home(tmp_path / "b", env)
        assert first is not None
        assert first == again != second
        assert first.parent == tmp_path / "cache" / "interlock" / "hypothesis"
        assert use_cache_home(tmp_path / "a", {**env, "HYPOTHESIS_STORAGE_DIRECTORY": "x"}) is None
    finally:
        configuration.set_hypothesis_home_dir(before)
