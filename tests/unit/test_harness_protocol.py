"""The public ``Harness`` Protocol and the checker's harness cannot drift apart."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import textwrap

import interlock
import interlock.contracts
from interlock.contracts._harness import Harness
from interlock.properties._scenario import ScenarioHarness

RUNNER_ONLY = frozenset({"found", "unchecked"})
"""Public names on the checker's harness that are the runner's bookkeeping, not for scenarios (so not on the Protocol)."""


def _protocol_members() -> set[str]:
    return {n for n in vars(Harness) if not n.startswith("_")} | set(getattr(Harness, "__annotations__", {}))


def _instance_attributes(cls: type) -> set[str]:
    """Every ``self.name`` a method of ``cls`` assigns, read from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                found.add(target.attr)
    return found


def _concrete_members() -> set[str]:
    names = {n for n in dir(ScenarioHarness) if not n.startswith("_")} | _instance_attributes(ScenarioHarness)
    return {n for n in names if not n.startswith("_")}


def test_interlock_harness_is_the_protocol_from_contracts() -> None:
    """interlock.Harness is the Protocol declared in interlock.contracts, not the checker's class."""
    assert interlock.Harness is interlock.contracts.Harness is Harness
    assert "Harness" in interlock.contracts.__all__
    assert getattr(Harness, "_is_protocol", False) is True
    assert interlock.Harness is not ScenarioHarness


def test_protocol_declares_every_public_member_of_the_checkers_harness() -> None:
    """Every public member of the checker's harness is on the Protocol and every Protocol member on the class."""
    concrete = _concrete_members()
    protocol = _protocol_members()
    assert concrete >= RUNNER_ONLY, "a runner-only name is gone: drop it from RUNNER_ONLY"
    assert concrete - RUNNER_ONLY == protocol
    assert not RUNNER_ONLY & protocol


def test_protocol_declares_no_private_member() -> None:
    """The Protocol is the surface a scenario author uses: nothing private on it."""
    private = {n for n in vars(Harness) if n.startswith("_") and not n.startswith("__")}
    assert private <= {"_abc_impl", "_is_protocol", "_is_runtime_protocol"}


def test_members_have_the_same_shape() -> None:
    """Methods take the same parameters (names, kinds, defaults) and agree on async; properties stay properties."""
    attributes = _instance_attributes(ScenarioHarness)
    for name in sorted(_protocol_members()):
        declared = inspect.getattr_static(Harness, name)
        if isinstance(declared, property):
            real = inspect.getattr_static(ScenarioHarness, name, None)
            assert isinstance(real, property) or (real is None and name in attributes), name
            continue
        real = inspect.getattr_static(ScenarioHarness, name)
        assert inspect.iscoroutinefunction(declared) == inspect.iscoroutinefunction(real), name
        want = [(p.name, p.kind, p.default) for p in inspect.signature(declared).parameters.values()]
        got = [(p.name, p.kind, p.default) for p in inspect.signature(real).parameters.values()]
        assert got == want, name
        assert inspect.getdoc(declared), f"Harness.{name} has no docstring"


def test_importing_contracts_does_not_load_hypothesis() -> None:
    """The Protocol imports cheaply: interlock.contracts (and interlock.Harness) load neither Hypothesis nor typeguard."""
    code = (
        "import sys, interlock.contracts, interlock; interlock.Harness; "
        "print('hypothesis' in sys.modules, 'typeguard' in sys.modules, 'interlock.properties' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "False"]
