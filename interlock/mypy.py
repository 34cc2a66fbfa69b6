"""The mypy plugin's entry point: ``plugins = ["interlock.mypy"]`` in the mypy configuration."""

from interlock.adapters.mypy_plugin import plugin

__all__ = ["plugin"]
