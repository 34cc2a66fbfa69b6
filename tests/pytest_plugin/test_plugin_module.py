"""The plugin as pytest loads it: its entry point, its help, and what loading it imports."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import textwrap

import pytest

from tests.pytest_plugin.test_options import ONE_CLASS


def test_entry_point_names_the_plugin_module() -> None:
    """The distribution registers interlock.adapters.pytest_plugin under the pytest11 group, as 'interlock'."""
    found = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="pytest11")}
    assert found.get("interlock") == "interlock.adapters.pytest_plugin"


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    """Importing the plugin module, as pytest does at start-up, loads neither Hypothesis, typeguard nor the checker."""
    script = textwrap.dedent(
        """
        import sys
        import pytest
        import interlock.adapters.pytest_plugin
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("hypothesis", "typeguard", "jwt")
                     or m.startswith(("interlock.properties", "interlock.pytest", "interlock.adapters._pytest_cases"))))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_help_lists_each_option_with_its_ini_key(project: pytest.Pytester) -> None:
    """pytest --help shows the interlock options and their ini keys."""
    result = project.runpytest("--help")
    result.stdout.fnmatch_lines_random(
        [
            "interlock contract tests:",
            "  --interlock *",
            "  --interlock-examples=N*",
            "  --interlock-seed=N*",
            "  --interlock-timeout=SECONDS*",
            "  --interlock-sequences=N*",
            "  --interlock-steps=N*",
            "  interlock (bool):*",
            "  interlock_modules (args):*",
            "  interlock_examples (string):*",
            "  interlock_seed (string):*",
            "  interlock_timeout (string):*",
            "  interlock_sequences (string):*",
            "  interlock_steps (string):*",
        ]
    )


def test_contract_tests_work_without_the_plugin(project: pytest.Pytester) -> None:
    """With the plugin disabled (-p no:interlock), contract_tests still runs, on its own arguments and the defaults."""
    project.makepyfile(test_one=ONE_CLASS)
    project.runpytest("-p", "no:interlock", "--strict-markers").assert_outcomes(passed=4)
