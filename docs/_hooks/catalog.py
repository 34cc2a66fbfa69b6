"""MkDocs hook: a page per built-in contract module, generated from the contracts' own declarations."""

from __future__ import annotations

import importlib
from typing import Any

from mkdocs.structure.files import File, Files

from interlock.contracts._docs import CATALOG, contract_page


def on_files(files: Files, config: Any) -> Files:
    for name in CATALOG:
        module = importlib.import_module(f"interlock.contracts.{name}")
        page = contract_page(module, title=f"interlock.contracts.{name}")
        files.append(File.generated(config, f"contracts/{name}.md", content=page))
    return files
