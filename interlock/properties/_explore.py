"""Running Hypothesis for the checker: one minimal, shrunk example per violation key.

Hypothesis stops at the first failure of a test and shrinks it. To list every
violation, each run fixes on the first new violation key it meets (target,
kind, member, parameter), shrinks that one, records it, and runs again with it
excluded, until a run finds nothing new.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky, FlakyStrategyDefinition, Unsatisfiable

from interlock.properties._database import scoped
from interlock.properties._report import Violation
from interlock.properties._subject import Subject

__all__ = ["Explorer"]

Candidate = tuple[Subject, Violation]


class _FastData:
    """Hypothesis's ``st.data()`` object, drawing through its ConjectureData directly.

    ``DataObject.draw`` snapshots the global random state twice per draw, to warn
    about strategies that use it; ours do not, and a scenario draws hundreds of
    times per example, so the checker skips that bookkeeping where it can.
    """

    __slots__ = ("_data", "_direct")

    def __init__(self, data: Any) -> None:
        self._data = data
        self._direct = getattr(data, "conjecture_data", None)

    def draw(self, strategy: Any) -> Any:
        if self._direct is not None:
            return self._direct.draw(strategy)
        return self._data.draw(strategy)


SHRINK_FACTOR = 5
SHRINK_FLOOR = 50
"""Shrinking one violation stops after ``max(SHRINK_FLOOR, SHRINK_FACTOR * budget)`` examples, with the smallest
found so far: a long sequence can take Hypothesis's shrinker thousands of examples for a few characters less."""


def _side_of(v: Violation, w: Violation) -> bool:
    """Whether ``w`` is another target's side of the same ``differential`` as ``v``."""
    return v.kind == w.kind == "differential" and (v.member, v.clause) == (w.member, w.clause)


class _Enough(BaseException):
    """Raised through Hypothesis (a ``BaseException`` ends the run at once) when shrinking has had its budget."""


class _Hit(Exception):
    """Raised inside a Hypothesis test when the example shows the violation being shrunk."""


class Explorer:
    """Runs Hypothesis tests under the run's seed, budget and database."""

    def __init__(
        self,
        *,
        seed: int,
        max_examples: int,
        database: Any,
        progress: Callable[[str, str | None], None] | None = None,
        scope: str = "",
    ) -> None:
        self.seed = seed
        self.max_examples = max_examples
        self.database = database
        self.examples = 0
        self.progress = progress
        self.scope = scope
        """The contract and targets of the run: with the check's target and label, the key of its examples."""
        self.target: str | None = None
        """The one target the current check runs on (``None``: every target at once): the key of its examples, and
        what ``progress`` names."""

    def note(self, label: str) -> None:
        """Say which check starts, and on which target (an isolated run uses it to tell where a target crashed; the
        command shows it on a terminal)."""
        if self.progress is not None:
            self.progress(label, self.target)

    def settings(self, max_examples: int, database: Any = None) -> settings:
        return settings(
            max_examples=max_examples,
            deadline=None,
            database=database,
            suppress_health_check=list(HealthCheck),
            phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink),
            report_multiple_bugs=False,
            verbosity=Verbosity.quiet,
            print_blob=False,
            derandomize=False,
        )

    def _run(self, test: Callable[[Any], None], max_examples: int, label: str, *, keep: bool = False) -> str | None:
        """Run ``test(data)`` under Hypothesis; returns a reason when no example could be generated.

        Its examples are kept under the run's scope, this check's target and ``label``; with ``keep``, a stored
        example that does not fail now is not deleted (it shows a violation an earlier run of this check recorded).
        """
        database = scoped(self.database, f"{self.scope}|{self.target or '*'}|{label}", keep=keep)

        def counted(data: Any) -> None:
            self.examples += 1
            test(_FastData(data))

        counted.__name__ = counted.__qualname__ = "interlock_" + re.sub(r"\W", "_", label)
        self.note(label)
        # The seed drives generation. ``@seed`` also turns the database off; the settings applied over it turn it
        # back on (None with ``--seed``), so that the known failures are replayed first (report.md, "Reproducibility").
        wrapped = self.settings(max_examples, database)(hypothesis.seed(self.seed)(hypothesis.given(st.data())(counted)))
        try:
            wrapped()
        except _Hit:
            raise
        except Unsatisfiable:
            return "no example satisfied the contract's preconditions"
        except (Flaky, FlakyStrategyDefinition):
            return "the target behaved differently on the same input (it keeps state between instances?)"
        return None

    def explore(self, label: str, collect: Callable[[Any], list[Candidate]], *, max_examples: int | None = None) -> str | None:
        """Find, shrink and record every violation ``collect`` can show, one key at a time."""
        budget = max_examples if max_examples is not None else self.max_examples
        shrink_budget = max(SHRINK_FLOOR, SHRINK_FACTOR * budget)
        for round_ in range(256):
            state: dict[str, Any] = {"key": None, "hit": None, "after": 0}

            def test(data: Any, state: dict[str, Any] = state) -> None:
                if state["hit"] is not None:
                    state["after"] += 1
                    if state["after"] > shrink_budget:
                        raise _Enough  # keep the smallest example found so far
                fresh = [(s, v) for s, v in collect(data) if (v.kind, v.member, v.parameter, v.clause) not in s.found]
                if not fresh:
                    return
                if state["key"] is None:
                    s0, v0 = fresh[0]
                    state["key"] = (id(s0), v0.kind, v0.member, v0.parameter, v0.clause)
                for s, v in fresh:
                    if (id(s), v.kind, v.member, v.parameter, v.clause) == state["key"]:
                        state["hit"] = (s, v)
                        # the other sides of a disagreement on this very example: one shrink serves them all
                        state["sides"] = [(o, w) for o, w in fresh if o is not s and _side_of(v, w)]
                        raise _Hit

            try:
                reason = self._run(test, budget, label, keep=round_ > 0)
            except (_Hit, _Enough):
                reason = None
            if state["hit"] is None:
                return reason
            subject, violation = state["hit"]
            subject.record(violation)
            for other, side in state.get("sides", ()):
                other.record(side)
        return None

    def once(self, label: str, test: Callable[[Any], None], *, max_examples: int = 1) -> str | None:
        """Run a test for its effects (a probe build), with no shrinking target."""
        try:
            return self._run(test, max_examples, label)
        except _Hit:
            return None
