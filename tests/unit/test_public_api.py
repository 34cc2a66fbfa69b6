"""The public surface: one sorted __all__ listing exactly the public names."""

from __future__ import annotations

import interlock


def test_all_is_sorted_and_complete() -> None:
    """__all__ is sorted and lists exactly the names interlock exports without a leading underscore."""
    assert list(interlock.__all__) == sorted(interlock.__all__)
    public = {n for n in vars(interlock) if n.isidentifier() and not n.startswith("_")} - {"contracts", "properties", "errors", "cli", "examples", "adapters"}
    assert set(interlock.__all__) - {"__version__"} == public


def test_errors_share_one_root_and_match_builtins() -> None:
    """Every interlock error is an InterlockError; misuse errors also subclass the matching built-in."""
    assert issubclass(interlock.ContractDefinitionError, interlock.InterlockError)
    assert issubclass(interlock.ContractDefinitionError, TypeError)
    assert issubclass(interlock.UsageError, ValueError)
    assert issubclass(interlock.DriftError, AssertionError)
