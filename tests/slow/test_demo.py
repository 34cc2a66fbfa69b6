"""The README's first command: the catalog demo, a matrix of targets by built-in contract."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema

from interlock.examples import CATALOG_DEMO

SCHEMA = json.loads(resources.files("interlock").joinpath("report.schema.json").read_text())


def test_catalog_demo_matrix() -> None:
    """Every reference implementation conforms; every drifting variant in the demo drifts, already at 5 examples per
    member and clause (.ci/run runs the README's command at the demo's default budget); the JSON holds one report per
    contract."""
    done = subprocess.run(
        [sys.executable, "-m", "interlock", "demo", "--seed", "3", "--json", "--max-examples", "5"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # standard error is not a terminal: no progress line
    doc = json.loads(done.stdout)
    assert [r["contract"] for r in doc["reports"]] == [c for c, _ in CATALOG_DEMO]
    for report, (_, targets) in zip(doc["reports"], CATALOG_DEMO, strict=True):
        jsonschema.validate(report, SCHEMA)
        verdicts = [t["conforms"] for t in report["targets"]]
        assert [t["target"] for t in report["targets"]] == list(targets)
        assert verdicts == [True] + [False] * (len(targets) - 1), report["contract"]


def test_catalog_demo_progress_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal the demo shows each contract as it is checked ([i/n]) on the same progress line as
    ``interlock check``, and clears it; its text matrix on standard output names each contract, says 'conforms'
    for each reference, and points to the full report. (Piped, standard error is empty: test_catalog_demo_matrix.)"""
    from tests.unit.test_progress import CLEAR, run_on_terminal

    status, out, seen = run_on_terminal(["demo", "--seed", "3", "--max-examples", "2"], tmp_path)
    assert status == 0
    for index, (contract, _) in enumerate(CATALOG_DEMO):
        assert f"interlock: {contract} [{index + 1}/{len(CATALOG_DEMO)}] · " in seen
    assert seen.endswith(CLEAR)
    for contract, targets in CATALOG_DEMO:
        assert contract in out
        assert f"{targets[0].split(':')[1]}" in out
    assert out.count("conforms") >= len(CATALOG_DEMO)
    assert "interlock check " in out
