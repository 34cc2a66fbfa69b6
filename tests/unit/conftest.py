"""Unit tests that run pytest inside pytest (``pytester``) register it here, as tests/pytest_plugin does.

``pytest_plugins = ["pytester"]`` is refused in a conftest below the rootdir when the
whole suite runs from the top, so the plugin is loaded from ``pytest_configure``.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("pytester"):
        config.pluginmanager.import_plugin("pytester")
