"""The consumer example, installed the way a user installs it: a fresh virtual environment, pip, its own pytest."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
CONSUMER = REPO / "examples" / "consumer"


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def _clean_env() -> dict[str, str]:
    # The outer run's pytest and virtualenv variables must not leak into the consumer's own run.
    drop = ("PYTEST_", "PYTHONPATH", "VIRTUAL_ENV", "HYPOTHESIS_", "COV_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def _install_and_run(root: Path) -> tuple[subprocess.CompletedProcess[str], ET.Element]:
    """Install interlock (from this repository) and the consumer into a new venv, then run the consumer's tests."""
    project = root / "consumer"
    shutil.copytree(CONSUMER, project, ignore=shutil.ignore_patterns("build", "dist", ".hypothesis", "__pycache__", "*.egg-info"))
    env_dir = root / "venv"
    env = _clean_env()
    python = env_dir / "bin" / "python"
    for args in (
        # A plain venv: no --system-site-packages, so nothing of this environment is visible.
        [sys.executable, "-m", "venv", env_dir],
        # hatchling first, so the two builds below can skip build isolation (a throwaway env each).
        [python, "-m", "pip", "install", "--quiet", "hatchling"],
        [python, "-m", "pip", "install", "--quiet", "--no-build-isolation", REPO, f"{project}[test]"],
    ):
        done = _run(args, root, env)
        assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    junit = root / "junit.xml"
    result = _run([python, "-m", "pytest", "-v", "-p", "no:cacheprovider", "-rf", f"--junitxml={junit}"], project, env)
    return result, ET.parse(junit).getroot()


def _outcomes(tree: ET.Element) -> dict[str, str]:
    out = {}
    for case in tree.iter("testcase"):
        outcome = "failed" if case.find("failure") is not None else "skipped" if case.find("skipped") is not None else "passed"
        out[case.get("name", "")] = outcome
    return out


def test_consumer_suite_in_a_fresh_venv(tmp_path: Path) -> None:
    """The consumer example, installed with pip into a new venv, runs its own pytest with interlock's plugin:

    - on the venv's own interpreter, with interlock's plugin and none of this venv's plugins;
    - SmsNotifier fails test_signature (renamed parameter) and test_member[SmsNotifier-notify]
      (accepts None), and every other test passes;
    - each failure names the kind, member and parameter, says what went wrong, and shows the
      shrunk reproducer.
    """
    result, tree = _install_and_run(tmp_path)
    out = result.stdout
    lines = out.splitlines()

    header = next(line for line in lines if line.startswith("platform "))
    assert header.endswith(str(Path("venv") / "bin" / "python")), header
    assert sys.prefix not in header
    plugins = next(line for line in lines if line.startswith("plugins: "))
    assert "interlock-0.1.0" in plugins
    assert "asyncio" not in plugins
    assert "xdist" not in plugins

    assert result.returncode == 1, out + result.stderr
    outcomes = _outcomes(tree)
    failed = sorted(name for name, outcome in outcomes.items() if outcome == "failed")
    assert failed == ["test_member[SmsNotifier-notify]", "test_signature[SmsNotifier]"], out
    assert set(outcomes.values()) == {"passed", "failed"}
    assert {
        "test_signature[EmailNotifier]",
        "test_member[EmailNotifier-notify]",
        "test_member[SmsNotifier-sent]",
        "test_clause[EmailNotifier-receipt-names-the-user]",
        "test_clause[SmsNotifier-receipt-names-the-user]",
        "test_differential",
        "test_email_receipts_count_up",
    } <= {name for name, outcome in outcomes.items() if outcome == "passed"}

    assert "FAILED tests/test_notifiers.py::TestNotifiers::test_signature[SmsNotifier]" in out
    assert "SmsNotifier drifts from Notifier: param-name-drift in notify(user_id)" in out
    assert "param-name-drift notify(user_id): notify: parameter 'user_id' is named 'recipient' in the target" in out
    assert "SmsNotifier.notify breaks Notifier: none-propagation" in out
    assert "none-propagation notify(message): notify: accepted None for 'message'" in out
    assert "  at consumer/notifiers.py:" in out
    start = lines.index("  reproduce:", next(i for i, line in enumerate(lines) if line.startswith("none-propagation notify(message)")))
    assert lines[start + 1 : start + 10] == [
        "    import asyncio",
        "    from consumer.notifiers import SmsNotifier",
        "    target = SmsNotifier(sender='0')",
        "    try:",
        "        asyncio.run(target.notify('0', message=None))",
        "    except (ValueError, TypeError):",
        "        pass  # rejected, as the contract says",
        "    else:",
        "        raise AssertionError(\"none-propagation: notify accepted None for 'message'\")",
    ]
