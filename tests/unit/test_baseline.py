"""The baseline: fingerprints written by --update-baseline, known violations that do not fail, fixed entries
listed, new drift failing alone; from the command, from interlock.check and with the project's config."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import interlock
from interlock._baseline import Baseline, apply, dumps, load, updated
from interlock.properties._report import Fingerprint, Report, TargetReport, Violation
from tests.unit._adoption import CONFIG, REPORT_SCHEMA, fingerprints, make_project, one_error_line, run, run_json

RAISER = {
    "driftshop/raiser.py": """
        import interlock
        from driftshop.contracts import Namer

        @interlock.implements(Namer)
        class RaisingNamer:
            def name(self, first, last):
                if not isinstance(first, str) or not isinstance(last, str):
                    raise TypeError("names are text")
                if not first.strip() or not last.strip():
                    raise ValueError("names are not blank")
                raise RuntimeError("boom")
    """
}
BASELINE_CONFIG = CONFIG.replace('modules = ["driftshop.impl"]', 'modules = ["driftshop.impl", "driftshop.raiser"]')
NAMER = "driftshop.contracts:Namer"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with its drift frozen in interlock-baseline.json (written by --update-baseline)."""
    root = make_project(tmp_path_factory.mktemp("frozen"), BASELINE_CONFIG, RAISER)
    done = run(root, "check", "--update-baseline", "interlock-baseline.json")
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stderr
    return root


@pytest.fixture
def project(frozen: Path, tmp_path: Path) -> Path:
    """A copy of the frozen project this test may edit."""
    return Path(shutil.copytree(frozen, tmp_path / "copy"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_update_baseline_writes_sorted_entries_one_per_line(frozen: Path) -> None:
    """The file: {"version": 1, "violations": [...]}, one fingerprint per line, sorted, nothing run-specific in it."""
    text = (frozen / "interlock-baseline.json").read_text()
    doc = json.loads(text)
    assert doc["version"] == 1
    entries = doc["violations"]
    assert entries
    assert all(set(e) == {"contract", "target", "kind", "member", "parameter", "clause"} for e in entries)
    lines = [line for line in text.splitlines() if line.startswith("    {")]
    assert len(lines) == len(entries)  # one entry per line
    keys = [Fingerprint(**e) for e in entries]
    assert keys == sorted(keys)
    assert "seed" not in text
    assert "message" not in text
    assert "driftshop.impl:RaisingNamer" not in text
    assert "driftshop.raiser:RaisingNamer" in text


def test_known_violations_survive_a_new_seed_and_example_count(frozen: Path) -> None:
    """Another seed and budget: every violation is known, none new, nothing fixed; exit 0; the report validates."""
    code, doc = run_json(frozen, "check", "--baseline", "interlock-baseline.json", "--seed", "12345", "--max-examples", "8")
    assert code == 0, doc
    jsonschema.validate(doc, REPORT_SCHEMA)
    states = {v["baseline"] for c in doc["contracts"] for t in c["targets"] for v in t["violations"]}
    assert states == {"known"}
    assert doc["summary"]["new"] == 0
    assert doc["summary"]["known"] == doc["summary"]["violations"] > 0
    assert doc["fixed"] == []


def test_the_configured_baseline_is_read(project: Path) -> None:
    """baseline = FILE in [tool.interlock] is read as --baseline FILE is."""
    _edit(project / "pyproject.toml", "seed = 3\n", 'seed = 3\nbaseline = "interlock-baseline.json"\n')
    done = run(project, "check")
    assert done.returncode == 0, done.stdout
    assert "KNOWN driftshop.impl:DriftingPricer" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("no new drift: ")


def test_reworded_messages_and_moved_lines_are_still_known(project: Path) -> None:
    """The target's own message changes and its code moves down: the fingerprint is the same, the drift known."""
    raiser = project / "driftshop" / "raiser.py"
    _edit(raiser, 'raise RuntimeError("boom")', 'raise RuntimeError("kaboom: the message was reworded")')
    raiser.write_text("# a header\n# that moves\n# every line down\n" + raiser.read_text())
    code, doc = run_json(project, "check", "--baseline", "interlock-baseline.json", "--seed", "77")
    assert code == 0, doc
    [raising] = [t for c in doc["contracts"] for t in c["targets"] if t["target"] == "driftshop.raiser:RaisingNamer"]
    assert raising["violations"]
    assert any("kaboom" in v["message"] for v in raising["violations"])  # the message did change
    assert {v["baseline"] for v in raising["violations"]} == {"known"}


def test_a_fixed_drift_is_listed_with_a_hint(project: Path) -> None:
    """DriftingPricer stops accepting None: its none-propagation entry is fixed (JSON "fixed", text FIXED and how to
    update), and the run passes."""
    _edit(
        project / "driftshop" / "impl.py",
        "    def price(self, item, quantity=1):\n",
        "    def price(self, item, quantity=1):\n        if item is None:\n            raise TypeError('item is None')\n",
    )
    code, doc = run_json(project, "check", "--baseline", "interlock-baseline.json")
    assert code == 0
    gone = {"contract": "driftshop.contracts:Pricer", "target": "driftshop.impl:DriftingPricer", "kind": "none-propagation"}
    assert [f for f in doc["fixed"] if all(f[k] == v for k, v in gone.items())] == [
        {**gone, "member": "price", "parameter": "sku", "clause": None}
    ]
    assert doc["contracts"][0]["fixed"] == doc["fixed"]  # the Pricer report lists its own
    assert doc["summary"]["fixed"] == len(doc["fixed"]) == 1
    done = run(project, "check", "--baseline", "interlock-baseline.json")
    assert "FIXED 1 baseline entry no longer found:" in done.stdout
    assert "driftshop.impl:DriftingPricer none-propagation price(sku)" in done.stdout
    assert "--update-baseline interlock-baseline.json" in done.stdout
    # updating drops it
    assert run(project, "check", "--update-baseline", "interlock-baseline.json").returncode == 0
    after = load(project / "interlock-baseline.json").entries
    assert not any(e.kind == "none-propagation" and e.target == "driftshop.impl:DriftingPricer" for e in after)


def test_a_new_drift_fails_alone(project: Path) -> None:
    """GoodNamer starts accepting None for last: exit 1; that violation is the only new one, in full in the text;
    everything known is listed compactly and does not fail."""
    _edit(
        project / "driftshop" / "impl.py",
        '        _text("last", last)\n',
        '        if last is not None:\n            _text("last", last)\n',
    )
    code, doc = run_json(project, "check", "--baseline", "interlock-baseline.json")
    assert code == 1
    new = [f for f, v in zip(fingerprints(doc), _violations(doc), strict=True) if v["baseline"] == "new"]
    assert new == [(NAMER, "driftshop.impl:GoodNamer", "none-propagation", "name", "last", None)]
    assert doc["summary"]["new"] == 1
    assert doc["summary"]["known"] == doc["summary"]["violations"] - 1
    done = run(project, "check", "--baseline", "interlock-baseline.json")
    assert "FAIL driftshop.impl:GoodNamer: 1 new violation" in done.stdout
    assert "accepted None for 'last'" in done.stdout
    assert "KNOWN driftshop.impl:LaxNamer" in done.stdout
    assert "accepted None for 'first'" not in done.stdout  # known drift is not shown in full
    assert done.stdout.strip().splitlines()[-1].startswith("drift found: ")


def _violations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [v for c in doc["contracts"] for t in c["targets"] for v in t["violations"]]


def test_updating_for_one_contract_keeps_the_other_contracts_entries(project: Path) -> None:
    """--update-baseline with interlock check CONTRACT TARGET replaces that contract's and target's entries only."""
    before = load(project / "interlock-baseline.json").entries
    done = run(project, "check", "driftshop.contracts:Pricer", "driftshop.impl:GoodPricer", "--update-baseline", "interlock-baseline.json")
    assert done.returncode == 0
    after = load(project / "interlock-baseline.json").entries
    assert after == before  # GoodPricer has none; DriftingPricer and Namer's entries were not judged: kept


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (None, "baseline 'base.json' does not exist; write it with --update-baseline base.json"),
        ("{not json", "baseline 'base.json' is not JSON"),
        ('{"version": 1, "violations": [{"contract": "a"}]}', "entry 1 lacks 'target'"),
        ('{"version": 9, "violations": []}', "has version 9"),
        ("[]", "is not an interlock baseline"),
    ],
)
def test_a_bad_baseline_is_exit_2(frozen: Path, tmp_path: Path, text: str | None, needle: str) -> None:
    """A missing or malformed baseline file: exit 2, one line saying what is wrong."""
    if text is not None:
        (tmp_path / "base.json").write_text(text)
    done = run(tmp_path, "check", "--config", str(frozen / "pyproject.toml"), "--baseline", "base.json")
    assert done.returncode == 2
    assert needle in one_error_line(done.stderr)


def _violation(**changes: Any) -> Violation:
    base: dict[str, Any] = {
        "target": "m:T",
        "kind": "none-propagation",
        "member": "get",
        "parameter": "key",
        "message": "accepted None",
        "example": "T().get(None)",
        "location": "m.py:3",
    }
    return Violation(**(base | changes))


def test_the_fingerprint_leaves_out_message_example_and_location() -> None:
    """Two findings of one defect worded, reproduced and located differently have one fingerprint; a different
    parameter, clause or kind is a different one."""
    one = _violation()
    assert one.fingerprint("c:C") == _violation(message="took None", example="x", location="m.py:40").fingerprint("c:C")
    assert one.fingerprint("c:C") != _violation(parameter="value").fingerprint("c:C")
    assert one.fingerprint("c:C") != _violation(clause="get-rejects").fingerprint("c:C")
    assert one.fingerprint("c:C") != one.fingerprint("c:D")


def test_apply_and_update_in_memory() -> None:
    """apply marks known and new and lists fixed entries of the checked targets only; updated keeps what the run did
    not judge; dumps round-trips through load."""
    report = Report(
        contract="c:C", seed=1, targets=[TargetReport("m:T", [_violation(), _violation(parameter="other")])], examples=0, seconds=0
    )
    known = _violation().fingerprint("c:C")
    gone = Fingerprint("c:C", "m:T", "empty-string", "get", "key", None)
    elsewhere = Fingerprint("c:C", "m:Other", "empty-string", "get", "key", None)
    marked = apply(report, baseline=Baseline("b.json", frozenset({known, gone, elsewhere})))
    assert [v.baseline for v in marked.violations] == ["known", "new"]
    assert marked.fixed == [gone]
    assert [v.fingerprint("c:C") for v in marked.new_violations] == [_violation(parameter="other").fingerprint("c:C")]
    assert updated({gone, elsewhere}, [report]) == sorted({known, _violation(parameter="other").fingerprint("c:C"), elsewhere})
    assert updated({gone, elsewhere}, [report], whole_project=True) == sorted({known, _violation(parameter="other").fingerprint("c:C")})


def test_dumps_round_trips(tmp_path: Path) -> None:
    """What dumps writes, load reads back; an empty baseline is valid too."""
    entries = {_violation().fingerprint("c:C"), Fingerprint("c:C", "m:T", "crash", None, None, None)}
    (tmp_path / "b.json").write_text(dumps(entries))
    assert load(tmp_path / "b.json").entries == entries
    (tmp_path / "e.json").write_text(dumps([]))
    assert load(tmp_path / "e.json").entries == frozenset()


def test_the_python_api_honours_a_baseline(tmp_path: Path) -> None:
    """check(..., baseline=FILE): the drift it lists is known and assert_conforms passes; a target with drift it does
    not list fails assert_conforms, naming only that drift as new."""
    from interlock.examples.greeter import Greeter, LegacyGreeter, TrustingGreeter

    first = interlock.check(Greeter, LegacyGreeter, max_examples=5, seed=1, sequences=0)
    assert first.violations
    path = tmp_path / "b.json"
    path.write_text(dumps(v.fingerprint(first.contract) for v in first.violations))
    again = interlock.check(Greeter, LegacyGreeter, max_examples=7, seed=2, sequences=0, baseline=str(path))
    assert again.known_violations
    assert not again.new_violations
    assert again.to_json()["summary"]["known"] == len(again.violations)
    again.assert_conforms()
    both = interlock.check(Greeter, LegacyGreeter, TrustingGreeter, max_examples=5, seed=1, sequences=0, baseline=path)
    assert {v.target.split(":")[1] for v in both.new_violations} == {"TrustingGreeter"}
    with pytest.raises(interlock.DriftError):
        both.assert_conforms()
    with pytest.raises(interlock.UsageError, match="does not exist"):
        interlock.check(Greeter, LegacyGreeter, baseline=str(tmp_path / "none.json"))
