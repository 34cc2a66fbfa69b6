"""Bundled examples: a contract with one conforming and several drifting implementations."""
