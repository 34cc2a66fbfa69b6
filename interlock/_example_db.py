"""``--example-db``: where a run keeps the failures it found, and replays them first next time.

The value is one or more databases separated by commas; ``readonly`` after a
database (its own comma-separated item) makes that one read-only::

    redis://ci-cache:6379/0                      # Hypothesis's Redis database (interlock[redis])
    .hypothesis/interlock                        # a directory, Hypothesis's directory database
    redis://ci-cache:6379/0,readonly             # replay CI's failures, never write them (a pull request's job)
    redis://ci-cache:6379/0,readonly,.hypothesis/interlock   # both: read CI's, keep this machine's own

A Redis URL is ``redis://[[user]:password@]host[:port][/db]`` (``rediss://`` for
TLS); anything else without ``://`` is a directory path. A path holding a comma,
or named ``readonly``, is written ``./readonly``-style, since commas separate
the databases.

This module only reads the text (the command and the pytest plugin import it
when they start); ``interlock.properties._database`` opens the databases.
"""

from __future__ import annotations

import os
import urllib.parse
from typing import Final

import attrs

from interlock.errors import UsageError

__all__ = ["READONLY", "RULE", "Store", "parse", "rebase", "render"]

READONLY: Final = "readonly"
RULE: Final = "redis://host:port/db or a directory path, several separated by commas, each optionally followed by ',readonly'"
"""What ``example_db`` must be, as the error message says it."""

_REDIS_SCHEMES: Final = ("redis", "rediss")


@attrs.frozen
class Store:
    """One database of the value: a Redis URL or a directory, and whether it is only read."""

    where: str
    """The URL or the path, as given (a path made absolute by ``rebase``)."""
    readonly: bool = False

    @property
    def is_redis(self) -> bool:
        return self.where.split("://", 1)[0].lower() in _REDIS_SCHEMES and "://" in self.where

    @property
    def shown(self) -> str:
        """How messages name it: a Redis URL without its password."""
        if not self.is_redis:
            return self.where
        url = urllib.parse.urlsplit(self.where)
        host = url.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        if url.port is not None:
            netloc += f":{url.port}"
        return urllib.parse.urlunsplit((url.scheme, netloc, url.path, "", ""))


def _refuse(value: object, why: str) -> UsageError:
    return UsageError(f"example_db {value!r}: {why}")


def _redis(text: str) -> None:
    """Refuse a Redis URL that cannot name a server and a database number."""
    form = "write redis://host:port/db, as redis://localhost:6379/0"
    try:
        url = urllib.parse.urlsplit(text)
        port = url.port  # raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        raise _refuse(text, f"the port is not a number from 1 to 65535; {form}") from None
    if not url.hostname:
        raise _refuse(text, f"no host; {form}")
    if port == 0:
        raise _refuse(text, f"the port is not a number from 1 to 65535; {form}")
    db = url.path.lstrip("/")
    if not (db == "" or (db.isascii() and db.isdigit())) or url.path.count("/") > 1:
        raise _refuse(text, f"the database {url.path!r} is not a number; {form}")
    if url.query or url.fragment:
        raise _refuse(text, f"a query or fragment is not read; {form}")


def parse(value: object) -> tuple[Store, ...]:
    """The databases ``value`` names, in order; anything that cannot be one is a ``UsageError`` naming it."""
    if not isinstance(value, str):
        raise _refuse(value, f"not text; expected {RULE}")
    items = [p.strip() for p in value.split(",")]
    stores: list[Store] = []
    for item in items:
        if not item:
            raise _refuse(value, f"an empty item between commas; expected {RULE}")
        if item.lower() == READONLY:
            if not stores or stores[-1].readonly:
                raise _refuse(value, f"{READONLY!r} must follow the database it makes read-only, as redis://localhost:6379/0,{READONLY}")
            stores[-1] = attrs.evolve(stores[-1], readonly=True)
            continue
        if "://" in item:
            scheme = item.split("://", 1)[0].lower()
            if scheme not in _REDIS_SCHEMES:
                raise _refuse(value, f"{scheme}:// is not a database interlock opens; expected {RULE}")
            _redis(item)
        stores.append(Store(item))
    return tuple(stores)


def render(stores: tuple[Store, ...]) -> str:
    """The text that ``parse`` reads back into ``stores``."""
    return ",".join(s.where + (f",{READONLY}" if s.readonly else "") for s in stores)


def rebase(value: str, folder: str | os.PathLike[str]) -> str:
    """``value`` with its relative directory paths made relative to ``folder`` (a configuration file's)."""
    return render(tuple(s if s.is_redis else attrs.evolve(s, where=os.path.join(folder, s.where)) for s in parse(value)))
