"""Async mismatch: ``def`` where the contract has ``async def``, or the reverse."""

from collections.abc import Awaitable
from typing import Protocol

import interlock


@interlock.contract
class Fetcher(Protocol):
    async def fetch(self, url: str) -> bytes: ...

    def parse(self, raw: bytes) -> str: ...


@interlock.implements(Fetcher)
class BlockingFetcher:
    def fetch(self, url: str) -> bytes:  # E: Fetcher.fetch: BlockingFetcher.fetch is a plain def where the contract's is async (contract: async def fetch(self, url: str) -> bytes; implementation: def fetch(self, url: str) -> bytes)  [interlock-async]
        return b""

    async def parse(self, raw: bytes) -> str:  # E: Fetcher.parse: BlockingFetcher.parse is async where the contract's is a plain def (contract: def parse(self, raw: bytes) -> str; implementation: async def parse(self, raw: bytes) -> str)  [interlock-async]
        return ""


@interlock.implements(Fetcher)
class AwaitableFetcher:
    """A plain def that returns an awaitable is async to its callers, as to the runtime checker."""

    def fetch(self, url: str) -> Awaitable[bytes]:
        return self._fetch(url)

    async def _fetch(self, url: str) -> bytes:
        return b""

    def parse(self, raw: bytes) -> str:
        return ""
