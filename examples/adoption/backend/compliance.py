"""The old compliance checks. They import a helper that was renamed long ago, so this module cannot be imported."""

from backend.stores import SessionCache  # noqa: F401  (renamed to MemorySessionStore; nobody noticed)
