"""The pytest plugin's options: names, parsing, validation, and which value wins.

Below the command line and the ini keys comes the project's ``[tool.interlock]``
table (``interlock._config``, found from the rootdir upwards, or named with
``--interlock-config``): its ``modules``, run options, ``select``, ``ignore`` and
``baseline`` are the plugin's too.

Every value is held to the one set of rules of ``interlock._options`` (the same
as ``interlock.check`` and the ``interlock`` command); a bad one is a
``pytest.UsageError`` whose line names where it was given (the command-line
option, the ini key, the marker) and then says what ``interlock.check`` would say.

This module is imported when pytest loads the plugin, so it imports nothing but
the standard library, pytest and ``interlock._options``; Hypothesis is read only
when a check runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from typing import Any, Final

import pytest

from interlock._config import Config, load
from interlock._example_db import rebase
from interlock._options import DEFAULT_STEPS, DEFAULT_TIMEOUT, from_text, given
from interlock.errors import UsageError

NOTE_PROPERTY: Final = "interlock note"
"""The ``user_properties`` key of a report's notes on a differential test (``pytest_terminal_summary`` lists them)."""

__all__ = [
    "HYPOTHESIS_SEED_OPTION",
    "INI_ENABLE",
    "INI_EXAMPLES",
    "INI_EXAMPLE_DB",
    "INI_MODULES",
    "INI_SEED",
    "INI_SEQUENCES",
    "INI_SOCKETS",
    "INI_SOCKET_PORT",
    "INI_STEPS",
    "INI_TIMEOUT",
    "INI_USERS",
    "MARKER",
    "MARKER_KEYWORDS",
    "NOTE_PROPERTY",
    "OPTION_BASELINE",
    "OPTION_CONFIG",
    "OPTION_ENABLE",
    "OPTION_EXAMPLES",
    "OPTION_EXAMPLE_DB",
    "OPTION_SEED",
    "OPTION_SEQUENCES",
    "OPTION_SOCKETS",
    "OPTION_SOCKET_PORT",
    "OPTION_STEPS",
    "OPTION_TIMEOUT",
    "OPTION_USERS",
    "SETTINGS_KEY",
    "Settings",
    "marker_options",
    "read_settings",
    "resolve",
]

OPTION_ENABLE: Final = "--interlock"
OPTION_EXAMPLES: Final = "--interlock-examples"
OPTION_SEED: Final = "--interlock-seed"
OPTION_TIMEOUT: Final = "--interlock-timeout"
OPTION_SEQUENCES: Final = "--interlock-sequences"
OPTION_STEPS: Final = "--interlock-steps"
OPTION_CONFIG: Final = "--interlock-config"
OPTION_BASELINE: Final = "--interlock-baseline"
OPTION_SOCKETS: Final = "--interlock-sockets"
OPTION_USERS: Final = "--interlock-users"
OPTION_SOCKET_PORT: Final = "--interlock-socket-port"
OPTION_EXAMPLE_DB: Final = "--interlock-example-db"

INI_ENABLE: Final = "interlock"
INI_EXAMPLES: Final = "interlock_examples"
INI_SEED: Final = "interlock_seed"
INI_TIMEOUT: Final = "interlock_timeout"
INI_SEQUENCES: Final = "interlock_sequences"
INI_STEPS: Final = "interlock_steps"
INI_MODULES: Final = "interlock_modules"
INI_SOCKETS: Final = "interlock_sockets"
INI_USERS: Final = "interlock_users"
INI_SOCKET_PORT: Final = "interlock_socket_port"
INI_EXAMPLE_DB: Final = "interlock_example_db"

MARKER: Final = "interlock"
# The marker's keywords, in the order messages list them.
_MARKER_ORDER: Final = ("max_examples", "seed", "timeout", "sequences", "steps")
MARKER_KEYWORDS: Final = frozenset(_MARKER_ORDER)

# Hypothesis's own option; read through the config, so its plugin need not be loaded.
HYPOTHESIS_SEED_OPTION: Final = "--hypothesis-seed"


@dataclasses.dataclass(frozen=True)
class Settings:
    """The run's interlock configuration, from the command line and the ini file (command line first)."""

    enabled: bool = False
    modules: tuple[str, ...] = ()
    max_examples: int | None = None
    seed: int | None = None
    timeout: float | None = None
    hypothesis_seed: int | None = None
    sequences: int | None = None
    steps: int | None = None
    baseline: str | None = None
    """A baseline file: the violations it lists do not fail their tests."""
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    sockets: str | None = None
    """``"real"``: the WebSocket contracts over real sockets."""
    users: int | None = None
    socket_port: int | None = None
    example_db: str | None = None
    """Where known failures are kept and replayed from (``interlock._example_db``), directories made absolute."""


SETTINGS_KEY: Final = pytest.StashKey[Settings]()


def _dest(option: str) -> str:
    return option.lstrip("-").replace("-", "_")


def _raw(config: pytest.Config, option: str, ini: str) -> tuple[str, Any] | None:
    """The value given for a setting and where it came from; the command line wins over the ini file."""
    value = config.getoption(_dest(option), default=None)
    if value is not None:
        return option, value
    value = config.getini(ini)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return f"{ini} (ini)", value


def _read(config: pytest.Config, option: str, ini: str, name: str) -> Any:
    """The value of one run option, from the command line or the ini file, read and checked; None if not set."""
    raw = _raw(config, option, ini)
    if raw is None:
        return None
    source, value = raw
    try:
        return from_text(name, value)
    except UsageError as exc:
        raise pytest.UsageError(f"{source}: {exc}") from None


def _example_db(config: pytest.Config) -> str | None:
    """``--interlock-example-db`` (a directory relative to where pytest was started) or the ini key (relative to
    the rootdir); None if neither is set."""
    raw = _raw(config, OPTION_EXAMPLE_DB, INI_EXAMPLE_DB)
    if raw is None:
        return None
    source, value = raw
    folder = config.invocation_params.dir if source == OPTION_EXAMPLE_DB else config.rootpath
    try:
        return rebase(str(value).strip(), folder)
    except UsageError as exc:
        raise pytest.UsageError(f"{source}: {exc}") from None


def _hypothesis_seed(config: pytest.Config) -> int | None:
    """``--hypothesis-seed`` as an interlock seed (a whole number of 0 or more).

    Hypothesis accepts any text, so other text (a negative number too) is hashed stably.
    """
    value = config.getoption(_dest(HYPOTHESIS_SEED_OPTION), default=None)
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number >= 0:
        return number
    return int.from_bytes(hashlib.sha256(str(value).encode()).digest()[:4], "big")


def _enabled(config: pytest.Config) -> bool:
    if config.getoption(_dest(OPTION_ENABLE), default=False):
        return True
    try:
        return bool(config.getini(INI_ENABLE))
    except (ValueError, pytest.UsageError) as exc:  # pytest 8 raises ValueError, pytest 9 UsageError
        raise pytest.UsageError(f"{INI_ENABLE} (ini) must be true or false ({exc})") from None


def _project(config: pytest.Config) -> Config:
    """The ``[tool.interlock]`` table: the file ``--interlock-config`` names, else the one found from the rootdir up."""
    named = config.getoption(_dest(OPTION_CONFIG), default=None)
    try:
        if named is not None:
            return load(config.invocation_params.dir / named)
        return load(None, cwd=config.rootpath)
    except UsageError as exc:
        raise pytest.UsageError(str(exc)) from None


def _or(value: Any, fallback: Any) -> Any:
    return value if value is not None else fallback


def read_settings(config: pytest.Config) -> Settings:
    """Read and check every interlock option; a bad one raises ``pytest.UsageError`` naming it.

    The command line wins over the ini file, and both over the project's ``[tool.interlock]`` table.
    """
    project = _project(config)
    modules = tuple(str(m) for m in config.getini(INI_MODULES) or ()) or project.modules
    baseline = config.getoption(_dest(OPTION_BASELINE), default=None)
    if baseline is not None:
        baseline = str(config.invocation_params.dir / baseline)
    elif project.baseline is not None:
        baseline = str(project.baseline)
    return Settings(
        enabled=_enabled(config),
        modules=modules,
        max_examples=_or(_read(config, OPTION_EXAMPLES, INI_EXAMPLES, "max_examples"), project.options.get("max_examples")),
        seed=_or(_read(config, OPTION_SEED, INI_SEED, "seed"), project.options.get("seed")),
        timeout=_or(_read(config, OPTION_TIMEOUT, INI_TIMEOUT, "timeout"), project.options.get("timeout")),
        hypothesis_seed=_hypothesis_seed(config),
        sequences=_or(_read(config, OPTION_SEQUENCES, INI_SEQUENCES, "sequences"), project.options.get("sequences")),
        steps=_or(_read(config, OPTION_STEPS, INI_STEPS, "steps"), project.options.get("steps")),
        baseline=baseline,
        select=project.select,
        ignore=project.ignore or None,
        sockets=_or(_read(config, OPTION_SOCKETS, INI_SOCKETS, "sockets"), project.options.get("sockets")),
        users=_or(_read(config, OPTION_USERS, INI_USERS, "users"), project.options.get("users")),
        socket_port=_or(_read(config, OPTION_SOCKET_PORT, INI_SOCKET_PORT, "socket_port"), project.options.get("socket_port")),
        example_db=_or(_example_db(config), project.options.get("example_db")),
    )


def marker_options(marks: list[pytest.Mark], where: str) -> dict[str, Any]:
    """The options set by ``@pytest.mark.interlock(...)`` marks, nearest mark first; bad ones raise UsageError."""
    found: dict[str, Any] = {}
    for mark in marks:
        source = f"{where}: @pytest.mark.{MARKER}"
        if mark.args:
            raise pytest.UsageError(f"{source} takes keyword arguments only ({', '.join(_keywords())}); got {mark.args!r}")
        unknown = sorted(set(mark.kwargs) - MARKER_KEYWORDS)
        if unknown:
            key = unknown[0]
            *first, last = _keywords()
            raise pytest.UsageError(f"{source}({key}={mark.kwargs[key]!r}): unknown option; expected {', '.join(first)} or {last}")
        for key, value in mark.kwargs.items():
            if value is None or key in found:
                continue
            # In code, a number must be a number: "10" is a mistake, not a spelling; the rules are interlock.check's.
            try:
                found.update(given(**{key: value}))
            except UsageError as exc:
                raise pytest.UsageError(f"{source}({key}={value!r}): {exc}") from None
    return found


def _keywords() -> list[str]:
    return [f"{k}=" for k in _MARKER_ORDER]


def resolve(settings: Settings | None, own: Mapping[str, Any], marked: Mapping[str, Any]) -> dict[str, Any]:
    """The ``interlock.check`` options for one class: the nearest setting wins.

    Nearest first: the ``interlock`` marker, the class's own ``contract_tests``
    arguments, the command line, the ini file, then Hypothesis (``--hypothesis-seed``
    for the seed, the loaded profile's ``max_examples``), then the defaults
    (``sequences`` ``None``, as many as ``max_examples``; ``steps`` ``DEFAULT_STEPS``).
    """
    settings = settings or Settings()

    def pick(key: str, *fallbacks: Any) -> Any:
        for value in (marked.get(key), own.get(key), *fallbacks):
            if value is not None:
                return value
        return None

    examples = pick("max_examples", settings.max_examples)
    if examples is None:
        import hypothesis

        examples = hypothesis.settings().max_examples
    chosen = {
        "max_examples": examples,
        "seed": pick("seed", settings.seed, settings.hypothesis_seed),
        "timeout": pick("timeout", settings.timeout, DEFAULT_TIMEOUT),
        "sequences": pick("sequences", settings.sequences),
        "steps": pick("steps", settings.steps, DEFAULT_STEPS),
    }
    # Over real sockets, only where set: the checker's defaults otherwise.
    for key in ("sockets", "users", "socket_port"):
        value = pick(key, getattr(settings, key))
        if value is not None:
            chosen[key] = value
    # The project's adoption settings and the example database, only where set.
    adoption = {
        "baseline": settings.baseline,
        "select": settings.select,
        "ignore": settings.ignore,
        "example_db": pick("example_db", settings.example_db),
    }
    return chosen | {k: v for k, v in adoption.items() if v is not None}
