"""``interlock scan``: registered implementations, look-alikes with their signature violations, fragments, modules
that fail to import; exit 1/0/2; the JSON validated against scan.schema.json, shipped beside report.schema.json."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import jsonschema
import pytest

import interlock
from interlock._scan import _scan_contract
from interlock.contracts._declare import get_contract
from tests.unit._adoption import make_project, one_error_line, run, run_json

SCAN_SCHEMA = json.loads(resources.files("interlock").joinpath("scan.schema.json").read_text())

EXTRA = {
    "driftshop/legacy/__init__.py": "",
    "driftshop/legacy/pricing.py": """
        class GoodPricer:
            '''An older GoodPricer nobody registered: same name, another module, a renamed parameter.'''

            def price(self, item, quantity=1):
                return len(item) * quantity


        class PricerError(Exception):
            pass


        class Helper:
            def format(self, text):
                return text
    """,
    "driftshop/legacy/routing.py": """
        class CanonicalMessageRouter:
            def add_handler(self, handler):
                pass

            def remove_handler(self, h):
                return True

            async def route_message(self, user_id, websocket, raw_message):
                return False
    """,
    "driftshop/broken.py": "from driftshop.impl import NoSuchHelper\n",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("scanned"), files=EXTRA)


@pytest.fixture(scope="module")
def scanned(project: Path) -> tuple[int, Any]:
    return run_json(project, "scan", "driftshop")


def _contract(doc: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [c for c in doc["contracts"] if c["contract"] == name]
    return found


def test_json_validates_and_exit_is_1(scanned: tuple[int, Any]) -> None:
    """A look-alike and a fragment are found: exit 1; the JSON validates against the shipped schema."""
    code, doc = scanned
    assert code == 1
    jsonschema.validate(doc, SCAN_SCHEMA)
    assert doc["interlock"] == interlock.__version__
    assert doc["summary"]["lookalikes"] == sum(len(c["lookalikes"]) for c in doc["contracts"])


def test_registered_and_configured_targets_are_listed_as_registered(scanned: tuple[int, Any]) -> None:
    """Registered: what @implements recorded, and the targets a configured check names (interlock check checks them)."""
    _, doc = scanned
    assert _contract(doc, "driftshop.contracts:Namer")["registered"] == ["driftshop.impl:LaxNamer", "driftshop.impl:GoodNamer"]
    assert _contract(doc, "driftshop.contracts:Pricer")["registered"] == [
        "driftshop.impl:RecordedPricer",
        "driftshop.impl:GoodPricer",
        "driftshop.impl:DriftingPricer",
    ]


def test_lookalikes_carry_the_signature_violations_check_reports(project: Path, scanned: tuple[int, Any]) -> None:
    """The unregistered legacy GoodPricer is a look-alike of Pricer; its violations are those interlock check
    reports for its signature, word for word."""
    _, doc = scanned
    pricer = _contract(doc, "driftshop.contracts:Pricer")
    [legacy] = pricer["lookalikes"]
    assert legacy["target"] == "driftshop.legacy.pricing:GoodPricer"
    assert legacy["matched"] == ["price"]
    _, checked = run_json(
        project, "check", "driftshop.contracts:Pricer", "driftshop.legacy.pricing:GoodPricer", "--no-config", "--max-examples", "3"
    )
    signature = [
        {k: v[k] for k in ("kind", "member", "parameter", "message", "example", "location", "clause")}
        for v in checked["targets"][0]["violations"]
        if v["kind"] in ("missing-member", "param-name-drift", "signature-mismatch", "async-mismatch")
    ]
    assert signature
    assert legacy["violations"] == signature


def test_catalog_contracts_find_unregistered_lookalikes(scanned: tuple[int, Any]) -> None:
    """A class covering MessageRouter's members is a look-alike of the built-in contract, with its renamed parameter."""
    _, doc = scanned
    router = _contract(doc, "interlock.contracts.router:MessageRouter")
    [found] = router["lookalikes"]
    assert found["target"] == "driftshop.legacy.routing:CanonicalMessageRouter"
    assert found["matched"] == ["add_handler", "remove_handler", "route_message"]
    assert [(v["kind"], v["member"], v["parameter"]) for v in found["violations"]] == [("param-name-drift", "remove_handler", "handler")]
    # catalog contracts with nothing found are left out
    assert "interlock.contracts.auth:TokenValidator" not in {c["contract"] for c in doc["contracts"]}


def test_fragments_are_classes_of_one_name_in_several_modules(scanned: tuple[int, Any]) -> None:
    """GoodPricer in driftshop.impl (configured) and in driftshop.legacy.pricing (look-alike): one fragment."""
    _, doc = scanned
    assert _contract(doc, "driftshop.contracts:Pricer")["fragments"] == [
        {"name": "GoodPricer", "targets": ["driftshop.impl:GoodPricer", "driftshop.legacy.pricing:GoodPricer"]}
    ]


def test_a_module_that_fails_to_import_is_listed_and_the_scan_goes_on(scanned: tuple[int, Any]) -> None:
    """driftshop.broken imports a name that does not exist: listed with its error; the modules after it were scanned."""
    _, doc = scanned
    assert doc["errors"] == [
        {
            "module": "driftshop.broken",
            "error": "ImportError: cannot import name 'NoSuchHelper' from 'driftshop.impl' (" + doc["errors"][0]["error"].split("(", 1)[1],
        }
    ]
    assert any(c["lookalikes"] for c in doc["contracts"] if c["contract"].endswith("MessageRouter"))  # legacy.routing comes later


def test_exceptions_and_unrelated_classes_are_not_lookalikes(scanned: tuple[int, Any]) -> None:
    """PricerError has the contract's name in its own but is an exception; Helper looks like nothing."""
    _, doc = scanned
    targets = {x["target"] for c in doc["contracts"] for x in c["lookalikes"]}
    assert "driftshop.legacy.pricing:PricerError" not in targets
    assert "driftshop.legacy.pricing:Helper" not in targets


def test_text_has_a_block_per_contract_and_the_line_that_registers(project: Path) -> None:
    """The text: one block per contract, each look-alike with the line that registers it and the command that checks it."""
    done = run(project, "scan", "driftshop")
    assert done.returncode == 1
    out = done.stdout
    assert "driftshop.contracts:Pricer\n  registered: driftshop.impl:RecordedPricer, driftshop.impl:GoodPricer" in out
    assert "  look-alike driftshop.legacy.pricing:GoodPricer (has price)" in out
    assert (
        "    register it: interlock.register(Pricer, GoodPricer)  # from driftshop.contracts import Pricer; from driftshop.legacy.pricing import GoodPricer"
        in out
    )
    assert "    check it:    interlock check driftshop.contracts:Pricer driftshop.legacy.pricing:GoodPricer" in out
    assert "  fragment GoodPricer: 2 classes of one name: driftshop.impl:GoodPricer, driftshop.legacy.pricing:GoodPricer" in out
    assert "  driftshop.broken: ImportError: cannot import name 'NoSuchHelper'" in out


def test_nothing_unregistered_is_exit_0(project: Path) -> None:
    """Scanning a module with no look-alike and no fragment: exit 0; a --contract named is listed even with nothing found."""
    code, doc = run_json(project, "scan", "driftshop.contracts", "--no-config", "--contract", "interlock.examples.greeter:Greeter")
    assert code == 0, doc
    jsonschema.validate(doc, SCAN_SCHEMA)
    greeter = _contract(doc, "interlock.examples.greeter:Greeter")
    assert greeter == {"contract": "interlock.examples.greeter:Greeter", "registered": [], "lookalikes": [], "fragments": []}
    assert {c["contract"] for c in doc["contracts"]} >= {"driftshop.contracts:Pricer", "driftshop.contracts:Namer"}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("scan", "nosuchpackage"), "cannot scan 'nosuchpackage': no module named 'nosuchpackage'"),
        (("scan", "driftshop", "--contract", "driftshop.impl:GoodPricer"), "--contract: 'driftshop.impl:GoodPricer' is not a contract"),
        (("scan",), "the following arguments are required: PACKAGE"),
    ],
)
def test_usage_errors_are_exit_2(project: Path, args: tuple[str, ...], needle: str) -> None:
    """A package that does not exist, a --contract that is not one, no package: exit 2, one line; with --json, an
    error document the schema accepts."""
    done = run(project, *args)
    assert done.returncode == 2
    assert needle in one_error_line(done.stderr)
    code, doc = run_json(project, *args)
    assert code == 2
    jsonschema.validate(doc, SCAN_SCHEMA)
    assert needle in doc["error"]


@interlock.contract
class Shelf(Protocol):
    def put(self, item: str) -> None: ...
    def take(self) -> str: ...
    def count(self) -> int: ...
    def clear(self) -> None: ...


@interlock.contract
class Clock(Protocol):
    def now(self) -> float: ...


class HalfShelf:
    def put(self, item: str) -> None: ...
    def take(self) -> str:
        return ""


class OneOfFour:
    def count(self) -> int:
        return 0


class WallTime:
    def now(self) -> float:
        return 0.0


class ClockLike:
    pass


def test_half_of_the_members_two_at_least_or_the_name() -> None:
    """Two of four members make a look-alike, one does not; a one-member contract needs the name (two at least)."""
    shelf = _scan_contract(get_contract(Shelf), [HalfShelf, OneOfFour])
    assert [(x.target.split(":")[1], x.matched) for x in shelf.lookalikes] == [("HalfShelf", ("put", "take"))]
    assert [v.kind for v in shelf.lookalikes[0].violations] == ["missing-member", "missing-member"]
    clock = _scan_contract(get_contract(Clock), [WallTime, ClockLike])
    assert [x.target.split(":")[1] for x in clock.lookalikes] == ["ClockLike"]  # WallTime has 1 of 1: not enough
