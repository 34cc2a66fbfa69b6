"""Where interlock meets the world: the pytest plugin, the mypy plugin, adapters for real components."""
