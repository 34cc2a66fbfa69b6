"""The plugin's tests run pytest inside pytest (``pytester``), against small projects in a temporary folder.

``pytest_plugins = ["pytester"]`` is refused in a conftest below the rootdir
when the whole suite runs from the top (pytest's "non-top-level conftest"
rule), so pytester is registered from ``pytest_configure`` instead: the same
plugin, loaded whichever way the suite is started.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import interlock

SHAPES = Path(__file__).with_name("_shapes.py").read_text()

# Every project gets this ini: pytest-asyncio warns without a fixture loop scope.
BASE_INI = """\
[pytest]
asyncio_default_fixture_loop_scope = function
"""


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")


@pytest.fixture(autouse=True)
def _isolate_in_process_runs() -> Iterator[None]:
    """Undo the global state an in-process pytest run leaves behind: Hypothesis's profile and forced seed,
    and the ``interlock.pytest`` attribute (sys.modules itself is restored by pytester)."""
    from hypothesis import core, settings

    profile = settings.get_current_profile_name()
    forced = core.global_force_seed
    had_pytest = "pytest" in vars(interlock)
    yield
    settings.load_profile(profile)
    core.global_force_seed = forced
    if not had_pytest:
        vars(interlock).pop("pytest", None)


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project folder with ``shapes.py`` (contracts and implementations) and a base ini, on sys.path.

    The terminal is wide, so that summary lines are matched whole. The profile loaded
    here is undone after the test by ``_isolate_in_process_runs``.
    """
    monkeypatch.setenv("COLUMNS", "400")
    # In-process runs share this process's Hypothesis profile: keep their failures out of its example database.
    from hypothesis import settings

    current = settings.get_current_profile_name()
    settings.register_profile("interlock-pytester", parent=settings.get_profile(current), database=None)
    settings.load_profile("interlock-pytester")
    pytester.makeini(BASE_INI)
    pytester.makepyfile(shapes=SHAPES)
    pytester.syspathinsert()
    return pytester


@pytest.fixture
def shared_hypothesis_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point subprocess runs at this process's Hypothesis storage directory.

    Hypothesis builds a Unicode table on first use and caches it there: a fresh
    folder per project would rebuild it in every subprocess (seconds each).
    Projects run with a seed, so the example database is not written.
    """
    from hypothesis.configuration import storage_directory

    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(storage_directory(intent_to_write=False).home_directory))


class CheckSpy:
    """Records the options every ``interlock.check`` call receives (in-process runs only)."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __repr__(self) -> str:
        return json.dumps(self.calls)


@pytest.fixture
def check_spy(monkeypatch: pytest.MonkeyPatch) -> CheckSpy:
    """Wrap ``interlock.check`` as the generated tests reach it, recording each call's options."""
    import interlock.properties._api as api

    spy = CheckSpy()
    real = api.check

    def recording(contract: Any, *targets: Any, **options: Any) -> Any:
        spy.calls.append({"targets": [t.__name__ for t in targets], **options})
        return real(contract, *targets, **options)

    monkeypatch.setattr(api, "check", recording)
    return spy
