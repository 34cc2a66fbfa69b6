"""The example database of a run: the failures a run found, kept and replayed first by the next run.

These are Hypothesis's own databases (``RedisExampleDatabase``,
``DirectoryBasedExampleDatabase``, ``ReadOnlyDatabase``, ``MultiplexedDatabase``),
opened from the text of ``--example-db`` (``interlock._example_db``), with two
wrappers of interlock's:

- ``Scoped`` keys every check's examples by contract, targets and check, so two
  checks, two projects or two contracts sharing one server never replay each
  other's examples. It also keeps what a run found: the explorer runs one
  Hypothesis test several times, excluding each violation once it is recorded,
  and Hypothesis deletes a stored example that no longer fails; from the
  second run of a check on, those deletions are not passed on.
- ``_Unreliable`` stands between the checker and a Redis database: the first
  error (the server gone, a connection refused, a time-out, a refused command)
  is said in one line on standard error, and from then on that database is left
  out of the run: the run goes on, and its report is whole. (Hypothesis's
  directory database passes over its own file errors.)
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import Any, Final

from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase, MultiplexedDatabase, ReadOnlyDatabase

from interlock._example_db import Store, parse
from interlock.errors import UsageError

__all__ = ["KEY_PREFIX", "Scoped", "open_example_db", "preflight", "scoped"]

KEY_PREFIX: Final = b"interlock:"
"""Where interlock's examples live in a Redis database (Hypothesis's own use ``hypothesis-example:``)."""

TIMEOUT: Final = 2.0
"""Seconds to connect to Redis, or to wait for one answer: an unreachable server costs a run this, once."""

_DOWN: set[str] = set()
"""The databases that failed in this process: said once, and not tried again (a project run opens one per contract)."""


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class _Unreliable(ExampleDatabase):
    """A database that may fail: its first error is said in one line, and after it the database does nothing."""

    def __init__(self, db: ExampleDatabase, name: str, errors: tuple[type[BaseException], ...], say: Callable[[str], None]) -> None:
        super().__init__()
        self._db = db
        self._name = name
        self._errors = errors
        self._say = say

    def __repr__(self) -> str:
        return f"_Unreliable({self._db!r})"

    @property
    def down(self) -> bool:
        return self._name in _DOWN

    def _failed(self, exc: BaseException) -> None:
        if not self.down:
            _DOWN.add(self._name)
            reason = " ".join(str(exc).split()) or type(exc).__name__
            self._say(f"interlock: the example database {self._name} failed ({reason}); the run goes on without it")

    def check(self, probe: Callable[[], object]) -> None:
        """Try the database once at the start, so that one out of reach is said before the checks, not during them."""
        if not self.down:
            try:
                probe()
            except self._errors as exc:
                self._failed(exc)

    def fetch(self, key: bytes) -> Iterable[bytes]:
        if self.down:
            return []
        try:
            return list(self._db.fetch(key))  # Hypothesis's databases fetch lazily: the error comes while iterating
        except self._errors as exc:
            self._failed(exc)
            return []

    def save(self, key: bytes, value: bytes) -> None:
        self._quietly(self._db.save, key, value)

    def delete(self, key: bytes, value: bytes) -> None:
        self._quietly(self._db.delete, key, value)

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self._quietly(self._db.move, src, dest, value)

    def _quietly(self, method: Callable[..., None], *args: bytes) -> None:
        if self.down:
            return
        try:
            method(*args)
        except self._errors as exc:
            self._failed(exc)

    def _start_listening(self) -> None:  # nothing in a check listens; and a listener thread is not ours to start
        pass

    def _stop_listening(self) -> None:
        pass


class Scoped(ExampleDatabase):
    """One check's view of the run's database: its keys under ``scope``; with ``keep``, nothing is deleted."""

    def __init__(self, db: ExampleDatabase, scope: str, *, keep: bool = False) -> None:
        super().__init__()
        self._db = db
        self._scope = scope.encode("utf-8", "backslashreplace") + b"|"
        self._keep = keep

    def __repr__(self) -> str:
        return f"Scoped({self._db!r}, {self._scope!r}, keep={self._keep})"

    def fetch(self, key: bytes) -> Iterable[bytes]:
        return self._db.fetch(self._scope + key)

    def save(self, key: bytes, value: bytes) -> None:
        self._db.save(self._scope + key, value)

    def delete(self, key: bytes, value: bytes) -> None:
        if not self._keep:
            self._db.delete(self._scope + key, value)

    def move(self, src: bytes, dest: bytes, value: bytes) -> None:
        self._db.move(self._scope + src, self._scope + dest, value)

    def _start_listening(self) -> None:
        pass

    def _stop_listening(self) -> None:
        pass


def _redis(store: Store, say: Callable[[str], None]) -> tuple[ExampleDatabase, Callable[[], None]]:
    try:
        import redis
        from hypothesis.extra.redis import RedisExampleDatabase
        from redis.backoff import NoBackoff
        from redis.retry import Retry
    except ImportError:
        raise UsageError(
            f"example_db {store.shown} needs the redis package, which is not installed: pip install 'interlock[redis]'"
        ) from None
    client = redis.Redis.from_url(store.where, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT, retry=Retry(NoBackoff(), 1))
    db = _Unreliable(RedisExampleDatabase(client, key_prefix=KEY_PREFIX), store.shown, (redis.RedisError, OSError), say)
    db.check(client.ping)
    return db, client.close


def open_example_db(text: str, *, say: Callable[[str], None] = _say) -> tuple[ExampleDatabase, Callable[[], None]]:
    """The database ``text`` names (``--example-db``), and what closes it at the end of the run.

    Text that names no database is a ``UsageError``; a database that cannot be reached is said in one line
    through ``say`` and left out of the run."""
    closers: list[Callable[[], None]] = []
    dbs: list[ExampleDatabase] = []
    for store in parse(text):
        db: ExampleDatabase
        if store.is_redis:
            db, closer = _redis(store, say)
            closers.append(closer)
        else:
            db = DirectoryBasedExampleDatabase(os.path.expanduser(store.where))  # it passes over its own OSErrors
        dbs.append(ReadOnlyDatabase(db) if store.readonly else db)

    def close() -> None:
        for c in closers:
            try:
                c()
            except Exception:  # closing a connection to a server that is gone: nothing left to do
                pass

    return (dbs[0] if len(dbs) == 1 else MultiplexedDatabase(*dbs)), close


def preflight(text: str | None) -> None:
    """Before forking workers: try the databases ``text`` names once, here, so that one out of reach is said once
    and the workers (forked after this) leave it out without saying it again."""
    if text is not None:
        _, close = open_example_db(text)
        close()


def scoped(db: Any, scope: str, *, keep: bool) -> Any:
    """``db`` seen by one check (see ``Scoped``); None stays None."""
    return None if db is None else Scoped(db, scope, keep=keep)
