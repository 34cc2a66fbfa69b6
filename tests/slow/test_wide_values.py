"""Wide values over whole runs: the two normal forms of one text in a sequence, correct stores compared on them, and
the catalog's references on seeds besides the catalog's own (each check takes seconds, hence this folder)."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest

import interlock
from interlock.examples import REFERENCES
from tests.fixtures import sequences as sq
from tests.fixtures import wide as w

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("seed", [3, 4])
def test_the_two_normal_forms_of_one_key_reach_a_store_that_merges_them(seed: int) -> None:
    """put('é'), then get('e\\u0301'): a store that NFC-normalises keys answers for a key it was never given, and
    disagrees with two stores that keep the keys apart (only it gets the violation, the largest group agreeing)."""
    report = interlock.check(w.Store, w.DictStore, w.BytesKeyedStore, w.NormalizingStore, seed=seed)
    assert {(v.target.rsplit(":", 1)[-1], v.kind, v.member, v.clause) for v in report.violations} == {
        ("NormalizingStore", "differential", "get", "get-agrees")
    }
    example = report.violations[0].example
    assert re.search(r"\\u03[0-6][0-9a-f]", example), example  # the NFD form, written with its mark escaped


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_correct_stores_agree_on_wide_keys(seed: int) -> None:
    """Four correct stores in four styles, compared over sequences with long, surrogate, NUL and look-alike keys."""
    report = interlock.check(w.Store, sq.DictStore, sq.ListStore, sq.OrderedStore, w.BytesKeyedStore, seed=seed)
    assert report.violations == []
    assert report.internal_errors == []


def _load(path: str) -> Any:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("seed", [2])
@pytest.mark.parametrize(("contract", "reference"), REFERENCES, ids=[c.rsplit(":", 1)[-1] for c, _ in REFERENCES])
def test_catalog_references_conform_on_more_seeds(contract: str, reference: str, seed: int) -> None:
    report = interlock.check(_load(contract), _load(reference), seed=seed)
    assert report.violations == [], [v.message for v in report.violations]
    assert report.internal_errors == []
