"""interlock's pytest plugin, loaded through the ``pytest11`` entry point ``interlock``.

- ``--interlock`` (ini ``interlock = true``) imports the modules named by the
  ``interlock_modules`` ini key and runs the contract tests of every
  implementation they record (see ``interlock.adapters._pytest_items``);
- ``--interlock-examples``, ``--interlock-seed``, ``--interlock-timeout``,
  ``--interlock-sequences``, ``--interlock-steps``, ``--interlock-example-db`` (ini ``interlock_examples``,
  ``interlock_seed``, ``interlock_timeout``, ``interlock_sequences``,
  ``interlock_steps``, ``interlock_example_db``) set the checker's options for every generated test;
- ``@pytest.mark.interlock(max_examples=..., seed=..., timeout=..., sequences=..., steps=...)`` sets them
  for one test class, and ``-m interlock`` selects the generated tests;
- the project's ``[tool.interlock]`` table (found from the rootdir upwards, or
  ``--interlock-config FILE``) gives the modules and options the ini file leaves
  out, and its ``baseline`` (or ``--interlock-baseline FILE``): a test whose
  violations the baseline lists all is an expected failure, not a failure.

This module imports only pytest and the option definitions: everything that
checks is imported inside the hooks, when it is needed.
"""

from __future__ import annotations

import warnings
from collections.abc import Generator

import pytest

from interlock._options import DEFAULT_STEPS
from interlock.adapters._pytest_options import (
    INI_ENABLE,
    INI_EXAMPLE_DB,
    INI_EXAMPLES,
    INI_MODULES,
    INI_SEED,
    INI_SEQUENCES,
    INI_SOCKET_PORT,
    INI_SOCKETS,
    INI_STEPS,
    INI_TIMEOUT,
    INI_USERS,
    MARKER,
    NOTE_PROPERTY,
    OPTION_BASELINE,
    OPTION_CONFIG,
    OPTION_ENABLE,
    OPTION_EXAMPLE_DB,
    OPTION_EXAMPLES,
    OPTION_SEED,
    OPTION_SEQUENCES,
    OPTION_SOCKET_PORT,
    OPTION_SOCKETS,
    OPTION_STEPS,
    OPTION_TIMEOUT,
    OPTION_USERS,
    SETTINGS_KEY,
    marker_options,
    read_settings,
)

__all__ = [
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_pycollect_makeitem",
    "pytest_report_header",
]

# The attribute interlock.pytest.contract_tests sets on the classes it makes.
_SUITE_ATTRIBUTE = "_interlock_suite"

_REGISTRATIONS = pytest.StashKey[list[tuple[type, tuple[object, ...]]]]()

_MARKER_LINE = (
    f"{MARKER}(max_examples=None, seed=None, timeout=None, sequences=None, steps=None): interlock's options for the contract tests of this class; "
    f"bare, it marks them (-m {MARKER})"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("interlock", "interlock contract tests")
    group.addoption(
        OPTION_ENABLE,
        action="store_true",
        default=False,
        dest="interlock",
        help=f"Check every implementation recorded by the modules named by the {INI_MODULES} ini key. Ini: {INI_ENABLE} = true.",
    )
    group.addoption(
        OPTION_EXAMPLES,
        dest="interlock_examples",
        default=None,
        metavar="N",
        help=f"Generated examples per member and clause (default: the Hypothesis profile's max_examples). Ini: {INI_EXAMPLES}.",
    )
    group.addoption(
        OPTION_SEED,
        dest="interlock_seed",
        default=None,
        metavar="N",
        help=f"Seed for a reproducible run (default: --hypothesis-seed, else drawn and shown on failure). Ini: {INI_SEED}.",
    )
    group.addoption(
        OPTION_TIMEOUT,
        dest="interlock_timeout",
        default=None,
        metavar="SECONDS",
        help=f"Time limit for one call into a target (default 5). Ini: {INI_TIMEOUT}.",
    )
    group.addoption(
        OPTION_SEQUENCES,
        dest="interlock_sequences",
        default=None,
        metavar="N",
        help=f"Generated sequences of calls per target (default: as many as the examples; 0 turns them off). Ini: {INI_SEQUENCES}.",
    )
    group.addoption(
        OPTION_STEPS,
        dest="interlock_steps",
        default=None,
        metavar="N",
        help=f"The longest generated sequence, in calls (default {DEFAULT_STEPS}). Ini: {INI_STEPS}.",
    )
    group.addoption(
        OPTION_SOCKETS,
        dest="interlock_sockets",
        default=None,
        metavar="{doubles,real}",
        help=f"'real': the WebSocket contracts over real sockets (uvicorn, Starlette, websockets; interlock[asgi]). Ini: {INI_SOCKETS}.",
    )
    group.addoption(
        OPTION_USERS,
        dest="interlock_users",
        default=None,
        metavar="N",
        help=f"Users at once in the load phase over real sockets (default 20). Ini: {INI_USERS}.",
    )
    group.addoption(
        OPTION_SOCKET_PORT,
        dest="interlock_socket_port",
        default=None,
        metavar="PORT",
        help=f"The port of the server over real sockets (default 0: a free one). Ini: {INI_SOCKET_PORT}.",
    )
    group.addoption(
        OPTION_CONFIG,
        dest="interlock_config",
        default=None,
        metavar="FILE",
        help="Read [tool.interlock] from FILE (default: the pyproject.toml that has it, from the rootdir upwards).",
    )
    group.addoption(
        OPTION_BASELINE,
        dest="interlock_baseline",
        default=None,
        metavar="FILE",
        help="A baseline file (interlock check --update-baseline FILE): the violations it lists do not fail (default: [tool.interlock] baseline).",
    )
    group.addoption(
        OPTION_EXAMPLE_DB,
        dest="interlock_example_db",
        default=None,
        metavar="URL",
        help=(
            "Keep failures in, and replay them first from, redis://host:port/db or a directory; ',readonly' after one "
            f"only reads it; several separated by commas (default: Hypothesis's own; none with a seed). Ini: {INI_EXAMPLE_DB}."
        ),
    )
    parser.addini(INI_ENABLE, type="bool", default=False, help=f"Same as {OPTION_ENABLE}.")
    parser.addini(INI_MODULES, type="args", default=[], help=f"Modules whose recorded implementations {OPTION_ENABLE} checks.")
    parser.addini(INI_EXAMPLES, type="string", default="", help=f"Same as {OPTION_EXAMPLES}.")
    parser.addini(INI_SEED, type="string", default="", help=f"Same as {OPTION_SEED}.")
    parser.addini(INI_TIMEOUT, type="string", default="", help=f"Same as {OPTION_TIMEOUT}.")
    parser.addini(INI_SEQUENCES, type="string", default="", help=f"Same as {OPTION_SEQUENCES}.")
    parser.addini(INI_STEPS, type="string", default="", help=f"Same as {OPTION_STEPS}.")
    parser.addini(INI_SOCKETS, type="string", default="", help=f"Same as {OPTION_SOCKETS}.")
    parser.addini(INI_USERS, type="string", default="", help=f"Same as {OPTION_USERS}.")
    parser.addini(INI_SOCKET_PORT, type="string", default="", help=f"Same as {OPTION_SOCKET_PORT}.")
    parser.addini(INI_EXAMPLE_DB, type="string", default="", help=f"Same as {OPTION_EXAMPLE_DB}.")


@pytest.hookimpl(tryfirst=True)  # first: before pytest-asyncio's own pytest_configure warns
def pytest_configure(config: pytest.Config) -> None:
    _quiet_asyncio_scope_warning(config)
    config.addinivalue_line("markers", _MARKER_LINE)
    settings = read_settings(config)
    config.stash[SETTINGS_KEY] = settings
    if settings.enabled:
        # Imported here, once: a module that cannot be imported stops the run before any worker starts.
        from interlock.adapters._pytest_items import load_registrations

        config.stash[_REGISTRATIONS] = load_registrations(settings.modules)


_ASYNCIO_SCOPE = "asyncio_default_fixture_loop_scope"


def _quiet_asyncio_scope_warning(config: pytest.Config) -> None:
    """pytest-asyncio, which ``interlock[pytest]`` installs, warns at every start (once more in every pytest-xdist
    worker) that its ini key ``asyncio_default_fixture_loop_scope`` is unset. interlock does not use pytest-asyncio,
    so a project that never set the key does not hear about it on interlock's account; its own async fixtures
    behave as before (the key's default), and setting the key is the way to choose."""
    if not config.pluginmanager.has_plugin("asyncio"):
        return
    try:
        if config.getini(_ASYNCIO_SCOPE):
            return
    except ValueError:  # a pytest-asyncio without the key: nothing to quiet
        return
    warnings.filterwarnings(
        "ignore", message=f'The configuration option "{_ASYNCIO_SCOPE}" is unset', category=pytest.PytestDeprecationWarning
    )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The notes of the contracts checked (report.md, ``notes``): what a green differential test did not compare.
    Read from the tests' reports, so that xdist's workers' notes are listed by the controller too."""
    notes = dict.fromkeys(
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if isinstance(report, pytest.TestReport)
        for key, value in report.user_properties
        if key == NOTE_PROPERTY
    )
    if notes:
        terminalreporter.write_sep("=", "interlock notes")
        for note in notes:
            terminalreporter.write_line(note)


def pytest_report_header(config: pytest.Config) -> str | None:
    registrations = config.stash.get(_REGISTRATIONS, None)
    if not registrations:
        return None
    names = ", ".join(contract.__qualname__ for contract, _ in registrations)
    return f"interlock: {len(registrations)} contract{'s' if len(registrations) != 1 else ''} ({names})"


@pytest.hookimpl(wrapper=True)
def pytest_pycollect_makeitem(collector: pytest.Module | pytest.Class, name: str, obj: object) -> Generator[None, object, object]:
    result = yield
    if isinstance(obj, type) and hasattr(obj, _SUITE_ATTRIBUTE):
        for node in result if isinstance(result, list) else [result]:
            if isinstance(node, pytest.Class):
                _check_marker(node)
    return result


def _check_marker(node: pytest.Class) -> None:
    """Mark a generated class ``interlock`` (for ``-m``), and check its options from ``@pytest.mark.interlock(...)``.

    A bad option is an error of the module's collection, worded like a usage error.
    Not ``pytest.UsageError``: raised while a pytest-xdist worker collects, that is
    shown only as an INTERNALERROR, without its message.
    """
    node.obj  # noqa: B018 - reading the class object is what attaches its marks to the node
    # Added here rather than in contract_tests, so that a run without the plugin and
    # with --strict-markers does not trip over a marker the user never wrote.
    node.add_marker(MARKER)
    try:
        marker_options(list(node.iter_markers(MARKER)), node.nodeid)
    except pytest.UsageError as exc:
        raise pytest.Collector.CollectError(str(exc)) from None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    # First, so that -k, -m and --deselect see the generated tests too.
    registrations = config.stash.get(_REGISTRATIONS, None)
    if registrations:
        from interlock.adapters._pytest_items import collect_contracts

        items.extend(collect_contracts(session, registrations))
