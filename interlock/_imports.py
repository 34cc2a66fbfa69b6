"""Import paths, ``package.module:Name``, as the command line, the project configuration and contracts name things."""

from __future__ import annotations

import importlib
from typing import Any

from interlock.errors import UsageError

__all__ = ["resolve"]


def resolve(path: str) -> tuple[Any, tuple[str, str]]:
    """Import ``package.module:Name`` (``Name`` may be dotted); a failure is a one-line UsageError."""
    if ":" in path:
        module_name, _, attr = path.partition(":")
    elif "." in path:
        module_name, _, attr = path.rpartition(".")
    else:
        raise UsageError(f"{path!r} is not an import path; write package.module:Name")
    if not module_name or not attr:
        raise UsageError(f"{path!r} is not an import path; write package.module:Name")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        missing = exc.name or module_name
        hint = "" if missing != module_name.split(".")[0] else " (is it installed, or run from the folder that holds it?)"
        raise UsageError(f"cannot import {module_name!r} for {path!r}: no module named {missing!r}{hint}") from None
    except SystemExit as exc:
        raise UsageError(f"importing {module_name!r} for {path!r} called exit({exc.code!r})") from None
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        raise UsageError(f"importing {module_name!r} for {path!r} raised {type(exc).__name__}: {exc}") from None
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise UsageError(f"module {module_name!r} has no {attr!r} (for {path!r})") from None
    return obj, (module_name, attr)
