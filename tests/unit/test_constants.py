"""A seeded check draws the same values whatever else the process has imported (issue 12: results that depended
on process state). Hypothesis mixes in literals from every local module loaded; interlock pins them to the code
under check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TARGET = """
from typing import Protocol

import interlock

SEEN: list[object] = []


@interlock.contract
class Echo(Protocol):
    def echo(self, n: int, text: str) -> str: ...


class Recorder:
    def echo(self, n: int, text: str) -> str:
        SEEN.append([n, text] if type(n) is int and type(text) is str else [type(n).__name__, type(text).__name__])
        if type(n) is not int or type(text) is not str:
            raise TypeError("n must be int and text str")
        return text
"""

RUN = """
import json, sys
if sys.argv[1] == "noise":
    import noise  # a local module full of literals, loaded first
import echo_target
import interlock
interlock.check(echo_target.Echo, echo_target.Recorder, seed=7, max_examples=200)
print(json.dumps(echo_target.SEEN))
"""

NOISE_INTS = [7_000_000 + 13 * i for i in range(90)]
NOISE = "NOISE = [" + ", ".join(map(str, NOISE_INTS)) + ", " + ", ".join(repr(f"noise{i}") for i in range(90)) + "]\n"


def _seen(folder: Path, mode: str, hash_seed: str = "0") -> list[object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(folder)]), "PYTHONHASHSEED": hash_seed}
    ran = subprocess.run([sys.executable, "run.py", mode], cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=True)
    seen: list[object] = json.loads(ran.stdout)
    return seen


def test_what_else_is_loaded_changes_nothing_a_seeded_check_draws(tmp_path: Path) -> None:
    (tmp_path / "echo_target.py").write_text(TARGET)
    (tmp_path / "run.py").write_text(RUN)
    (tmp_path / "noise.py").write_text(NOISE)
    quiet = _seen(tmp_path, "quiet")
    noisy = _seen(tmp_path, "noise")
    assert len(quiet) > 200
    assert noisy == quiet
    drawn_noise = [v for v in noisy if isinstance(v, list) and (v[0] in NOISE_INTS or str(v[1]).startswith("noise"))]
    assert drawn_noise == []
    assert not (tmp_path / ".hypothesis" / "constants").exists()


LITERALS = "WORDS = [" + ", ".join(repr(f"word{i}") for i in range(60)) + "]\n"


def test_the_hash_seed_of_the_process_changes_nothing_a_seeded_check_draws(tmp_path: Path) -> None:
    """The target's own literals are drawn in the same order whatever the process's hash seed: a set of text
    iterates in an order that changes with PYTHONHASHSEED, and Hypothesis picks a constant by its place in the pool,
    so the same --seed once drew other values (and found other violations) from one process to the next."""
    (tmp_path / "echo_target.py").write_text(TARGET + LITERALS)
    (tmp_path / "run.py").write_text(RUN)
    runs = [_seen(tmp_path, "quiet", hash_seed) for hash_seed in ("1", "2")]
    assert runs[0] == runs[1]
    drawn = {v[1] for v in runs[0] if isinstance(v, list) and str(v[1]).startswith("word")}
    assert drawn  # the literals are in the pool, so the order of the pool matters
