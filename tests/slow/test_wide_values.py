"""Wide values over whole runs: the two normal forms of one text in a sequence, correct stores compared on them, and
the catalog's references on seeds besides the catalog's own (each check takes seconds, hence this folder)."""

from __future__ import annotations

import ast
import importlib
import re
from typing import Any

import pytest

import interlock
from interlock.examples import REFERENCES
from tests.fixtures import sequences as sq
from tests.fixtures import wide as w

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("seed", [2, 4])
def test_the_two_normal_forms_of_one_key_reach_a_store_that_merges_them(seed: int) -> None:
    """put('é'), then get('e\\u0301'): a store that NFC-normalises keys answers for a key it was never given, and
    disagrees with two stores that keep the keys apart (only it gets the violation, the largest group agreeing)."""
    report = interlock.check(w.Store, w.DictStore, w.BytesKeyedStore, w.NormalizingStore, seed=seed)
    assert {(v.target.rsplit(":", 1)[-1], v.kind, v.member, v.clause) for v in report.violations} == {
        ("NormalizingStore", "differential", "get", "get-agrees")
    }
    example = report.violations[0].example
    assert re.search(r"\\u03[0-6][0-9a-f]", example), example  # the NFD form, written with its mark escaped


@pytest.mark.parametrize(("store", "seed"), [("CaseFoldingStore", 0), ("CaseFoldingStore", 1), ("TrimmingStore", 0), ("TrimmingStore", 1)])
def test_a_key_that_differs_only_in_case_or_white_space_reaches_a_store_that_folds_it(store: str, seed: int) -> None:
    """put('k'), then get('K') or get('k '): a store that folds case or trims its keys answers for a key it was
    never given, and only it disagrees with two stores that keep the keys apart; the reproducer shows both keys."""
    report = interlock.check(sq.Store, sq.DictStore, sq.ListStore, getattr(sq, store), seed=seed)
    assert {(v.target.rsplit(":", 1)[-1], v.kind, v.member, v.clause) for v in report.violations} == {
        (store, "differential", "get", "get-agrees")
    }
    keys = re.findall(r"key=('(?:[^'\\]|\\.)*')", report.violations[0].example)
    texts = {ast.literal_eval(k) for k in keys}  # the keys as the reproducer writes them
    fold = str.lower if store == "CaseFoldingStore" else str.strip
    assert any(a != b and fold(a) == fold(b) for a in texts for b in texts), keys


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
