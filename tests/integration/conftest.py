"""Real servers for the integration tests: Debian's ``redis-server``, started on a free port of 127.0.0.1.

One server per test session (per xdist worker), started when a test first needs
it and stopped at the end; a test gets its databases emptied first. A test that kills its server starts one of its own (``redis_servers``).
Where no ``redis-server`` is installed the tests that need it are skipped with
the reason; ``.ci/run`` installs it, so CI never skips them.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import redis

START_LIMIT = 10.0
"""Seconds a server may take to answer its first PING."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A ``redis-server`` process of this test session: nothing saved to disk, listening on 127.0.0.1 only."""

    def __init__(self, executable: str, folder: Path) -> None:
        self.folder = folder
        for _ in range(3):  # a free port can be taken between the look and the bind: try another
            self.port = _free_port()
            self.process = subprocess.Popen(
                [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=folder,
            )
            if self._answers():
                return
            self.stop()
        raise RuntimeError(f"redis-server did not start on 127.0.0.1 (last port tried {self.port})")

    def _answers(self) -> bool:
        import redis

        deadline = time.monotonic() + START_LIMIT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with self.client(0) as c:
                    if c.ping():
                        return True
            except redis.ConnectionError:
                time.sleep(0.05)
        return False

    @property
    def pid(self) -> int:
        return self.process.pid

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int) -> redis.Redis:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=db, socket_timeout=5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def redis_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], RedisServer]]:
    """Starts Redis servers on free ports; every one is stopped at the end of the session."""
    pytest.importorskip("redis", reason="the redis package is not installed: pip install -e '.[dev]' (or 'interlock[redis]')")
    executable = shutil.which("redis-server")
    if executable is None:
        pytest.skip("no redis-server on PATH: install Debian's redis-server (apt-get install redis-server; .ci/run does)")
    started: list[RedisServer] = []

    def start() -> RedisServer:
        server = RedisServer(executable, tmp_path_factory.mktemp("redis"))
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def redis_server(redis_servers: Callable[[], RedisServer]) -> RedisServer:
    """The session's Redis server."""
    return redis_servers()


class RedisDb:
    """One numbered database of a server, for one test: its URL, and a client to look inside it."""

    def __init__(self, server: RedisServer, number: int) -> None:
        self.server = server
        self.number = number
        self.url = server.url(number)
        self.client = server.client(number)

    def snapshot(self) -> dict[bytes, set[bytes]]:
        """Every key and the set it holds (Hypothesis keeps a set of examples per key)."""
        return {key: set(self.client.smembers(key)) for key in self.client.keys("*")}


@pytest.fixture
def redis_db(redis_server: RedisServer) -> Iterator[RedisDb]:
    """Database 0 of the session's server, emptied first (the tests of one session run one at a time)."""
    db = RedisDb(redis_server, 0)
    db.client.flushdb()
    yield db
    db.client.close()


@pytest.fixture
def other_redis_db(redis_db: RedisDb) -> Iterator[RedisDb]:
    """Database 1 of the same server, emptied first."""
    db = RedisDb(redis_db.server, 1)
    db.client.flushdb()
    yield db
    db.client.close()
