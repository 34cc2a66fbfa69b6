"""The public surface: one sorted __all__ listing exactly the public names."""

from __future__ import annotations

import interlock


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted and lists exactly the names interlock exports without a leading underscore."""
    assert list(interlock.__all__) == sorted(interlock.__all__)
    submodules = {"contracts", "properties", "errors", "cli", "examples", "adapters", "mypy", "pytest"}
    public = (
        {n for n in dir(interlock) if n.isidentifier() and not n.startswith("_")}
        - submodules
        - {"annotations", "importlib", "TYPE_CHECKING"}
    )
    assert set(interlock.__all__) - {"__version__"} == public
    for name in interlock.__all__:
        assert getattr(interlock, name) is not None


def test_errors_share_one_root_and_match_builtins() -> None:
    """Every interlock error is an InterlockError; misuse errors also subclass the matching built-in."""
    assert issubclass(interlock.ContractDefinitionError, interlock.InterlockError)
    assert issubclass(interlock.ContractDefinitionError, TypeError)
    assert issubclass(interlock.UsageError, ValueError)
    assert issubclass(interlock.DriftError, AssertionError)


def test_importing_interlock_does_not_load_the_checker() -> None:
    """Declaring contracts (and the mypy plugin) import interlock without Hypothesis or typeguard."""
    import subprocess
    import sys

    code = "import sys, interlock; print('hypothesis' in sys.modules, 'typeguard' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
