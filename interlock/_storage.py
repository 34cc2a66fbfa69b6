"""Where the ``interlock`` command lets Hypothesis keep its own files (its example database, its constants cache).

Hypothesis writes them to ``.hypothesis/`` in the working folder unless told otherwise, so a run would leave a
folder behind wherever the user stands. The command tells it otherwise, in this order:

1. ``HYPOTHESIS_STORAGE_DIRECTORY`` set: Hypothesis's own setting, obeyed as Hypothesis obeys it;
2. a ``.hypothesis/`` folder already in the working folder: the user's Hypothesis keeps its files there, and a run
   replays the failures it holds, as before;
3. otherwise the user cache folder: ``$XDG_CACHE_HOME/interlock/hypothesis/`` (``~/.cache/...`` when
   ``XDG_CACHE_HOME`` is unset), one subfolder per working folder, so failures found in one project replay there
   and nowhere else.

The pytest plugin and the Python API leave Hypothesis's settings alone: there the user's own Hypothesis
configuration (a profile's ``database``, the storage directory) applies, as for any Hypothesis test.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["cache_home", "use_cache_home"]


def cache_home(environ: Mapping[str, str] | None = None) -> Path:
    """interlock's folder in the user cache: ``$XDG_CACHE_HOME/interlock``, else ``~/.cache/interlock``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "interlock"


def use_cache_home(folder: Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """Point Hypothesis's storage for this process away from ``folder`` (the working folder); returns where it now
    is, or ``None`` where Hypothesis's own choice stands (the environment names a folder, or ``.hypothesis/``
    is already there)."""
    env = os.environ if environ is None else environ
    here = Path.cwd() if folder is None else folder
    if env.get("HYPOTHESIS_STORAGE_DIRECTORY") or (here / ".hypothesis").is_dir():
        return None
    key = hashlib.sha256(os.fsencode(here.resolve())).hexdigest()[:16]
    home = cache_home(env) / "hypothesis" / key
    try:
        home.parent.mkdir(parents=True, exist_ok=True)
        usable = os.access(home.parent, os.W_OK)
    except OSError:
        usable = False
    if not usable:  # no writable cache (a read-only home): a temporary folder, never the user's
        home = Path(tempfile.gettempdir()) / f"interlock-{_user()}" / "hypothesis" / key
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(home)
    return home


def _user() -> str:
    try:
        return str(os.getuid())
    except AttributeError:  # no uid on this platform
        return "user"
