"""The pytest plugin's options: names, parsing, validation, and which value wins.

This module is imported when pytest loads the plugin, so it imports nothing but
the standard library and pytest; Hypothesis is read only when a check runs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Mapping
from typing import Any, Final

import pytest

__all__ = [
    "HYPOTHESIS_SEED_OPTION",
    "INI_ENABLE",
    "INI_EXAMPLES",
    "INI_MODULES",
    "INI_SEED",
    "INI_TIMEOUT",
    "MARKER",
    "MARKER_KEYWORDS",
    "OPTION_ENABLE",
    "OPTION_EXAMPLES",
    "OPTION_SEED",
    "OPTION_TIMEOUT",
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

INI_ENABLE: Final = "interlock"
INI_EXAMPLES: Final = "interlock_examples"
INI_SEED: Final = "interlock_seed"
INI_TIMEOUT: Final = "interlock_timeout"
INI_MODULES: Final = "interlock_modules"

MARKER: Final = "interlock"
MARKER_KEYWORDS: Final = frozenset({"max_examples", "seed", "timeout"})

# Hypothesis's own option; read through the config, so its plugin need not be loaded.
HYPOTHESIS_SEED_OPTION: Final = "--hypothesis-seed"

DEFAULT_TIMEOUT: Final = 5.0

_EXAMPLES_TEXT: Final = "a whole number of 1 or more"
_SEED_TEXT: Final = "a whole number"
_TIMEOUT_TEXT: Final = "a number of seconds above 0"


@dataclasses.dataclass(frozen=True)
class Settings:
    """The run's interlock configuration, from the command line and the ini file (command line first)."""

    enabled: bool = False
    modules: tuple[str, ...] = ()
    max_examples: int | None = None
    seed: int | None = None
    timeout: float | None = None
    hypothesis_seed: int | None = None


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


def _parse_int(source: str, value: Any, *, minimum: int | None, what: str) -> int:
    if isinstance(value, bool):
        raise pytest.UsageError(f"{source} must be {what} (got {value!r})")
    if isinstance(value, int):
        number = value
    else:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise pytest.UsageError(f"{source} must be {what} (got {value!r})") from None
    if minimum is not None and number < minimum:
        raise pytest.UsageError(f"{source} must be {what} (got {value!r})")
    return number


def _parse_timeout(source: str, value: Any) -> float:
    if isinstance(value, bool):
        raise pytest.UsageError(f"{source} must be {_TIMEOUT_TEXT} (got {value!r})")
    try:
        number = float(value if isinstance(value, int | float) else str(value).strip())
    except ValueError:
        raise pytest.UsageError(f"{source} must be {_TIMEOUT_TEXT} (got {value!r})") from None
    if not (number > 0 and math.isfinite(number)):
        raise pytest.UsageError(f"{source} must be {_TIMEOUT_TEXT} (got {value!r})")
    return number


def _hypothesis_seed(config: pytest.Config) -> int | None:
    """``--hypothesis-seed`` as a whole number; Hypothesis accepts any text, so other text is hashed stably."""
    value = config.getoption(_dest(HYPOTHESIS_SEED_OPTION), default=None)
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return int.from_bytes(hashlib.sha256(str(value).encode()).digest()[:4], "big")


def _enabled(config: pytest.Config) -> bool:
    if config.getoption(_dest(OPTION_ENABLE), default=False):
        return True
    try:
        return bool(config.getini(INI_ENABLE))
    except (ValueError, pytest.UsageError) as exc:  # pytest 8 raises ValueError, pytest 9 UsageError
        raise pytest.UsageError(f"{INI_ENABLE} (ini) must be true or false ({exc})") from None


def read_settings(config: pytest.Config) -> Settings:
    """Read and check every interlock option; a bad one raises ``pytest.UsageError`` naming it."""
    examples = _raw(config, OPTION_EXAMPLES, INI_EXAMPLES)
    seed = _raw(config, OPTION_SEED, INI_SEED)
    timeout = _raw(config, OPTION_TIMEOUT, INI_TIMEOUT)
    modules = tuple(str(m) for m in config.getini(INI_MODULES) or ())
    return Settings(
        enabled=_enabled(config),
        modules=modules,
        max_examples=None if examples is None else _parse_int(*examples, minimum=1, what=_EXAMPLES_TEXT),
        seed=None if seed is None else _parse_int(*seed, minimum=None, what=_SEED_TEXT),
        timeout=None if timeout is None else _parse_timeout(*timeout),
        hypothesis_seed=_hypothesis_seed(config),
    )


def marker_options(marks: list[pytest.Mark], where: str) -> dict[str, Any]:
    """The options set by ``@pytest.mark.interlock(...)`` marks, nearest mark first; bad ones raise UsageError."""
    found: dict[str, Any] = {}
    for mark in marks:
        source = f"{where}: @pytest.mark.{MARKER}"
        if mark.args:
            raise pytest.UsageError(f"{source} takes keyword arguments only (max_examples=, seed=, timeout=); got {mark.args!r}")
        unknown = sorted(set(mark.kwargs) - MARKER_KEYWORDS)
        if unknown:
            key = unknown[0]
            raise pytest.UsageError(f"{source}({key}={mark.kwargs[key]!r}): unknown option; expected max_examples=, seed= or timeout=")
        for key, value in mark.kwargs.items():
            if value is None or key in found:
                continue
            option = f"{source}({key}={value!r}): {key}"
            if key == "max_examples":
                found[key] = _typed_int(option, value, minimum=1, what=_EXAMPLES_TEXT)
            elif key == "seed":
                found[key] = _typed_int(option, value, minimum=None, what=_SEED_TEXT)
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise pytest.UsageError(f"{option} must be {_TIMEOUT_TEXT} (got {value!r})")
                found[key] = _parse_timeout(option, value)
    return found


def _typed_int(source: str, value: Any, *, minimum: int | None, what: str) -> int:
    # In code, a number must be a number: "10" is a mistake, not a spelling.
    if isinstance(value, bool) or not isinstance(value, int):
        raise pytest.UsageError(f"{source} must be {what} (got {value!r})")
    return _parse_int(source, value, minimum=minimum, what=what)


def resolve(settings: Settings | None, own: Mapping[str, Any], marked: Mapping[str, Any]) -> dict[str, Any]:
    """The ``interlock.check`` options for one class: the nearest setting wins.

    Nearest first: the ``interlock`` marker, the class's own ``contract_tests``
    arguments, the command line, the ini file, then Hypothesis (``--hypothesis-seed``
    for the seed, the loaded profile's ``max_examples``), then the defaults.
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
    return {
        "max_examples": examples,
        "seed": pick("seed", settings.seed, settings.hypothesis_seed),
        "timeout": pick("timeout", settings.timeout, DEFAULT_TIMEOUT),
    }
