"""A small drifting project for the adoption tests: two contracts, registered and configured targets, a config.

The package is named ``driftshop`` so that in-process runs never collide with the other test projects.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path
from typing import Any

REPORT_SCHEMA = json.loads(resources.files("interlock").joinpath("report.schema.json").read_text())

FILES = {
    "driftshop/__init__.py": "",
    "driftshop/contracts.py": """
        from typing import Protocol
        import interlock
        from interlock import NonEmpty

        @interlock.contract
        class Pricer(Protocol):
            def price(self, sku: NonEmpty[str], quantity: int = 1) -> int: ...

        @interlock.contract
        class Namer(Protocol):
            def name(self, first: NonEmpty[str], last: NonEmpty[str]) -> str: ...
    """,
    "driftshop/impl.py": """
        import interlock
        from driftshop.contracts import Namer, Pricer

        def _text(name, value):
            if not isinstance(value, str):
                raise TypeError(f"{name} must be str")
            if not value.strip():
                raise ValueError(f"{name} must not be blank")

        class GoodPricer:
            def price(self, sku, quantity=1):
                _text("sku", sku)
                if not isinstance(quantity, int):
                    raise TypeError("quantity must be int")
                return len(sku) * quantity

        class DriftingPricer:
            def price(self, item, quantity=1):
                return len(str(item)) * int(quantity)

        @interlock.implements(Pricer)
        class RecordedPricer(GoodPricer):
            pass

        @interlock.implements(Namer)
        class LaxNamer:
            def name(self, first, last):
                return f"{first} {last}"

        @interlock.implements(Namer)
        class GoodNamer:
            def name(self, first, last):
                _text("first", first)
                _text("last", last)
                return f"{first} {last}"
    """,
}

CONFIG = """
[tool.interlock]
modules = ["driftshop.impl"]
max-examples = 5
sequences = 2
seed = 3

[[tool.interlock.checks]]
contract = "driftshop.contracts:Pricer"
targets = ["driftshop.impl:GoodPricer", "driftshop.impl:DriftingPricer"]
"""


def make_project(root: Path, config: str = CONFIG, files: dict[str, str] | None = None) -> Path:
    """Write the project (and its ``pyproject.toml`` holding ``config``) into ``root``."""
    for name, text in {**FILES, **(files or {})}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (root / "pyproject.toml").write_text(textwrap.dedent(config))
    return root


def run(cwd: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``interlock ARGS`` in ``cwd``, as a user runs it."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "interlock", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, env=env
    )


def run_json(cwd: Path, *args: str) -> tuple[int, Any]:
    done = run(cwd, *args, "--json")
    try:
        return done.returncode, json.loads(done.stdout)
    except ValueError as exc:  # pragma: no cover - shown when a test fails
        raise AssertionError(f"not JSON (exit {done.returncode}):\n{done.stdout}\n{done.stderr}") from exc


def one_error_line(stderr: str) -> str:
    """The single line a usage error prints (and nothing else, no traceback)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("interlock: error: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


def fingerprints(doc: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Every violation of a project report as its fingerprint (contract, target, kind, member, parameter, clause)."""
    return [
        (c["contract"], t["target"], v["kind"], v["member"], v["parameter"], v["clause"])
        for c in doc["contracts"]
        for t in c["targets"]
        for v in t["violations"]
    ]
