"""Async implementations and the user's own async tests and fixtures, under pytest-asyncio's strict and auto modes."""

from __future__ import annotations

import pytest

from tests.pytest_plugin.conftest import BASE_INI

STRICT = """
import asyncio

import pytest
import pytest_asyncio

import interlock.pytest
from shapes import AsyncMailer, BlockingMailer, Mailer

TestMailers = interlock.pytest.contract_tests(Mailer, AsyncMailer, BlockingMailer, max_examples=5, seed=1)


@pytest_asyncio.fixture
async def mailer():
    await asyncio.sleep(0)
    yield AsyncMailer()
    await asyncio.sleep(0)


@pytest.mark.asyncio
async def test_user_async_test(mailer):
    assert await mailer.send("ann@example.org", "hi") == 1
"""

AUTO = """
import asyncio

import pytest

import interlock.pytest
from shapes import AsyncMailer, BlockingMailer, Mailer

TestMailers = interlock.pytest.contract_tests(Mailer, AsyncMailer, BlockingMailer, max_examples=5, seed=1)


@pytest.fixture
async def mailer():
    await asyncio.sleep(0)
    yield AsyncMailer()
    await asyncio.sleep(0)


async def test_user_async_test(mailer):
    assert await mailer.send("ann@example.org", "hi") == 1
"""


@pytest.mark.parametrize(("mode", "source"), [("strict", STRICT), ("auto", AUTO)])
def test_async_targets_beside_async_tests(project: pytest.Pytester, mode: str, source: str) -> None:
    """The checker drives async targets on its own loop, beside the user's async fixtures and tests, in either mode.

    AsyncMailer passes all its tests; BlockingMailer (a plain def where the contract is async)
    fails test_signature and nothing else; the user's async test passes; nothing warns
    (warnings are errors), so no coroutine is left unawaited and no loop unclosed.
    """
    project.makeini(BASE_INI + f"asyncio_mode = {mode}\nfilterwarnings = error\n")
    project.makepyfile(test_mail=source)
    result = project.runpytest("-rf", "--strict-markers", "-v")
    outcomes = result.parseoutcomes()
    # BlockingMailer's member and clause tests pass or are skipped, as the engine reports them.
    assert (outcomes.get("failed"), outcomes.get("passed", 0) + outcomes.get("skipped", 0)) == (1, 7), outcomes
    result.stdout.fnmatch_lines_random(
        [
            "FAILED test_mail.py::TestMailers::test_signature[[]BlockingMailer[]] - Failed: BlockingMailer drifts from Mailer: async-mismatch in send",
            "test_mail.py::test_user_async_test PASSED*",
            "test_mail.py::TestMailers::test_clause[[]AsyncMailer-one-recipient[]] PASSED*",
            "test_mail.py::TestMailers::test_member[[]AsyncMailer-send[]] PASSED*",
        ]
    )


def test_generated_tests_are_not_taken_for_async_tests_in_auto_mode(project: pytest.Pytester) -> None:
    """In auto mode pytest-asyncio leaves the generated tests alone: they carry no asyncio marker."""
    project.makeini(BASE_INI + "asyncio_mode = auto\n")
    project.makepyfile(test_mail=AUTO)
    result = project.runpytest("-m", "asyncio", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["test_mail.py::test_user_async_test", "1/8 tests collected (7 deselected)*"])
