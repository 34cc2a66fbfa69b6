"""``interlock.pytest``: a contract's checks as ordinary pytest tests.

    TestRouters = interlock.pytest.contract_tests(MessageRouter, MyRouter, LegacyRouter)

The class holds one test per target and check, named after what it checks:

- ``test_signature[MyRouter]``: the target's signatures (missing members,
  renamed parameters, other signature drift, sync/async);
- ``test_member[MyRouter-route_message]``: one per contract member (the
  constructor is ``__init__``), every input-domain and behaviour check of that
  member that no clause names;
- ``test_clause[MyRouter-send-reaches-only-its-user]``: one per clause, by its id;
- ``test_differential``: the targets against one another (two or more targets), or
  against the reference (``reference=``) when there is one.

The check runs once per class, on the first test that needs it, and each test
reads its slice of that report. A failure shows the violation's kind, member,
message, location and reproducer; a subject the checker could not check is
skipped with the reason.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from interlock.adapters._pytest_cases import CHECKS, Case, Check, Suite, make_suite, run_case

__all__ = ["contract_tests"]

_REPLAY = "contract_tests(..., seed={seed}) or pytest --interlock-seed {seed}"

_DOCS: dict[Check, str] = {
    "signature": "The target's signatures match the contract's: every member present, same names, kinds, defaults, sync/async.",
    "member": "The member accepts its whole domain, rejects what lies outside it, and returns what the contract declares.",
    "clause": "The target keeps the clause, named by its id.",
    "differential": "The targets agree with one another on the same inputs.",
}


def contract_tests(
    contract: Any,
    *targets: Any,
    max_examples: int | None = None,
    seed: int | None = None,
    timeout: float | None = None,
    sequences: int | None = None,
    steps: int | None = None,
    reference: Any = None,
    sockets: str | None = None,
    users: int | None = None,
    socket_port: int | None = None,
    example_db: str | None = None,
) -> type:
    """A test class pytest collects: ``contract``'s checks on every target, one test per target and check.

    Assign it to a module-level name starting with ``Test``. With no targets, the
    implementations recorded with ``@interlock.implements`` and ``interlock.register``
    so far are checked. ``max_examples``, ``seed``, ``timeout``, ``sequences`` and
    ``steps`` mean what they mean to ``interlock.check``, by the same rules (``None``: not given here);
    ``@pytest.mark.interlock(...)`` on the class wins
    over them, and left out they come from the ``--interlock-*`` options, the ini
    keys, then Hypothesis's settings. ``reference`` is what ``interlock.check`` takes (an implementation or
    model every target is compared with; ``None`` the contract's own, ``False`` none); with one, the class has a
    ``test_differential`` even for one target. A ``contract`` that is not one raises
    ``interlock.ContractDefinitionError``; other misuse ``interlock.UsageError``. ``sockets="real"`` (with
    ``users`` and ``socket_port``) checks the WebSocket contracts over real sockets, as ``interlock.check`` does;
    left out, they come from ``--interlock-sockets``, ``--interlock-users``, ``--interlock-socket-port`` or their
    ini keys. ``example_db`` is ``interlock.check``'s too (where known failures are kept and replayed first; a
    directory is relative to the working folder), and wins over ``--interlock-example-db`` and the ini key.
    """
    suite = make_suite(
        contract,
        targets,
        max_examples=max_examples,
        seed=seed,
        timeout=timeout,
        sequences=sequences,
        steps=steps,
        reference=reference,
        sockets=sockets,
        users=users,
        socket_port=socket_port,
        example_db=example_db,
    )
    caller = sys._getframe(1)
    place = _Place(caller.f_code.co_filename, caller.f_lineno)
    name = suite.contract_name
    namespace: dict[str, Any] = {
        "__module__": caller.f_globals.get("__name__", __name__),
        "__doc__": f"Contract tests: {', '.join(suite.names)} against {suite.model.name}.",
        "_interlock_suite": suite,
    }
    for check in CHECKS:
        cases = suite.cases_for(check)
        if cases:
            namespace[f"test_{check}"] = _test_function(check, cases, place)
    return types.new_class(f"Test{name}Contract", (), {}, lambda ns: ns.update(namespace))


class _Place:
    """Where the class was made, for pytest's locations (``place_as``): the line calling ``contract_tests``."""

    def __init__(self, filename: str, line: int) -> None:
        self.__code__ = (lambda: None).__code__.replace(co_filename=filename, co_firstlineno=line)


def _test_function(check: Check, cases: tuple[Case, ...], place: _Place) -> Any:
    if check == "differential":
        case = cases[0]

        def test_differential(self: Any, request: pytest.FixtureRequest) -> None:
            _run(type(self), case, request)

        fn: Any = test_differential
    else:

        def test(self: Any, request: pytest.FixtureRequest, interlock_case: Case) -> None:
            _run(type(self), interlock_case, request)

        test.__name__ = test.__qualname__ = f"test_{check}"
        fn = pytest.mark.parametrize("interlock_case", [pytest.param(c, id=c.id) for c in cases])(test)
    fn.__doc__ = _DOCS[check]
    # pytest reads a test's file and line through ``place_as``: point them at the user's module.
    setattr(fn, "place_as", place)
    return fn


def _run(cls: type, case: Case, request: pytest.FixtureRequest) -> None:
    suite: Suite = cls._interlock_suite  # type: ignore[attr-defined]
    item = request.node
    assert isinstance(item, pytest.Item)
    run_case(suite, case, cls, item, replay=_REPLAY)
