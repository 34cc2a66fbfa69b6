"""``interlock scan``: find every implementation of a contract in a code base, including those nobody registered.

The scan imports every module under the packages it is given (a module that
fails to import is listed with its error, and the scan goes on), then, for
every contract in scope, lists:

- **registered**: the implementations recorded with ``@implements`` or ``register``,
  and the targets a configured check of the contract names (``interlock check``
  checks both);
- **look-alikes**: classes defined in the scanned modules, not registered, whose
  public members cover at least half of the contract's members (two at least,
  the constructor not counted), or whose name contains the contract's; each
  with its signature violations, computed as ``interlock check`` computes them;
- **fragments**: two or more classes of one name, in different modules, that
  are registered for the contract or look like it.

The contracts in scope: those named with ``--contract``, the configured ones
(``[tool.interlock] checks``), those declared in the scanned modules, those with
recorded implementations, and the built-in catalog (listed only where it finds
something). Exception classes are never look-alikes.

Exit status: 1 when a look-alike or a fragment is found, 0 when none, 2 on a
usage error (a package that does not exist, a ``--contract`` that is not one).
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import math
import os
import pkgutil
import sys
import types
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO

import attrs

from interlock._config import Config
from interlock._imports import resolve
from interlock._version import __version__
from interlock.errors import UsageError

if TYPE_CHECKING:
    from interlock.contracts._model import Contract
    from interlock.properties._report import Violation

__all__ = ["CATALOG", "ContractScan", "Lookalike", "Scan", "run_scan", "scan"]

CATALOG: Final = (
    "interlock.contracts.websocket:WebSocketManager",
    "interlock.contracts.websocket:WebSocketBridge",
    "interlock.contracts.factory:ExecutionEngine",
    "interlock.contracts.factory:ExecutionEngineFactory",
    "interlock.contracts.router:MessageRouter",
    "interlock.contracts.auth:TokenValidator",
    "interlock.contracts.auth:ServiceAuthClient",
    "interlock.contracts.timeouts:TimeoutPolicy",
)
"""The built-in contracts every scan looks for."""


@attrs.frozen
class Lookalike:
    """A class nobody registered that looks like the contract: the members it has, and its signature violations."""

    target: str
    matched: tuple[str, ...]
    violations: tuple[Violation, ...]
    name: str

    def to_json(self) -> dict[str, Any]:
        found = [{k: value for k, value in v.to_json().items() if k != "baseline"} for v in self.violations]
        return {"target": self.target, "matched": list(self.matched), "violations": found}


@attrs.frozen
class ContractScan:
    """What the scan found for one contract."""

    contract: str
    protocol: type
    registered: tuple[str, ...]
    lookalikes: tuple[Lookalike, ...]
    fragments: tuple[tuple[str, tuple[str, ...]], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "registered": list(self.registered),
            "lookalikes": [x.to_json() for x in self.lookalikes],
            "fragments": [{"name": name, "targets": list(paths)} for name, paths in self.fragments],
        }


@attrs.frozen
class Scan:
    """The whole scan: each contract's findings, and the modules that did not import."""

    packages: tuple[str, ...]
    contracts: tuple[ContractScan, ...]
    errors: tuple[tuple[str, str], ...]

    @property
    def found(self) -> bool:
        """A look-alike or a fragment: drift nobody checks yet (exit status 1)."""
        return any(c.lookalikes or c.fragments for c in self.contracts)

    def to_json(self) -> dict[str, Any]:
        return {
            "interlock": __version__,
            "packages": list(self.packages),
            "contracts": [c.to_json() for c in self.contracts],
            "errors": [{"module": m, "error": e} for m, e in self.errors],
            "summary": {
                "contracts": len(self.contracts),
                "registered": sum(len(c.registered) for c in self.contracts),
                "lookalikes": sum(len(c.lookalikes) for c in self.contracts),
                "fragments": sum(len(c.fragments) for c in self.contracts),
                "errors": len(self.errors),
            },
        }

    def text(self) -> str:
        lines = [f"interlock scan {' '.join(self.packages)}", ""]
        for c in self.contracts:
            lines.append(c.contract)
            lines.append(f"  registered: {', '.join(c.registered) if c.registered else 'none'}")
            for x in c.lookalikes:
                lines.append(f"  look-alike {x.target} (has {', '.join(x.matched) if x.matched else 'none of its members'})")
                for v in x.violations:
                    where = (v.member or "(contract)") + (f"({v.parameter})" if v.parameter else "")
                    lines.append(f"    {v.kind} {where}: {v.message}")
                if not x.violations:
                    lines.append("    no signature violation")
                module, name = x.target.split(":", 1)
                protocol = c.protocol
                lines.append(
                    f"    register it: interlock.register({protocol.__qualname__}, {name})"
                    f"  # from {protocol.__module__} import {protocol.__qualname__}; from {module} import {name}"
                )
                lines.append(f"    check it:    interlock check {c.contract} {x.target}")
            for name, paths in c.fragments:
                lines.append(f"  fragment {name}: {len(paths)} classes of one name: {', '.join(paths)}")
            lines.append("")
        if self.errors:
            lines.append("modules that did not import:")
            lines.extend(f"  {module}: {error}" for module, error in self.errors)
            lines.append("")
        s = self.to_json()["summary"]
        lines.append(
            f"{'drift nobody checks' if self.found else 'nothing unregistered'}: {_n(s['lookalikes'], 'look-alike')}, "
            f"{_n(s['fragments'], 'fragment')}, {_n(s['registered'], 'registered implementation')} in "
            f"{_n(s['contracts'], 'contract')}; {_n(s['errors'], 'module')} did not import"
        )
        return "\n".join(lines)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def run_scan(packages: Sequence[str], named: Sequence[str], config: Config, out: TextIO, *, as_json: bool) -> int:
    """The ``interlock scan`` command: print the scan; 1 when a look-alike or a fragment is found, else 0."""
    found = scan(packages, named, config)
    try:
        out.write((json.dumps(found.to_json(), indent=2) if as_json else found.text()) + "\n")
        out.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)
    return 1 if found.found else 0


def scan(packages: Sequence[str], named: Sequence[str] = (), config: Config | None = None) -> Scan:
    """Import ``packages`` and everything under them, and report each contract in scope (see the module's text)."""
    import warnings

    from interlock.contracts._declare import get_contract, is_contract, registrations

    config = config or Config()
    errors: list[tuple[str, str]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        for name in config.modules:
            _import(name, errors)
        modules = [m for name in packages for m in _walk(name, errors)]
        scope: dict[type, bool] = {}  # contract -> reported even when nothing is found
        configured: dict[type, list[object]] = {}
        for path in named:
            scope.setdefault(_contract(path, "--contract").protocol, True)
        for check in config.checks:
            protocol = _contract(check.contract, f"[tool.interlock] {check.where}.contract").protocol
            scope.setdefault(protocol, True)
            configured.setdefault(protocol, []).extend(_target(p, f"[tool.interlock] {check.where}.targets") for p in check.targets)
        classes = _classes(modules)
        for cls in classes:
            if is_contract(cls):
                scope.setdefault(cls, True)
        for protocol in registrations():
            scope.setdefault(protocol, True)
        for path in CATALOG:
            scope.setdefault(resolve(path)[0], False)
    results = []
    for protocol, always in scope.items():
        candidates = [c for c in classes if not getattr(c, "_is_protocol", False)]
        found = _scan_contract(get_contract(protocol), candidates, configured.get(protocol, []))
        if always or found.registered or found.lookalikes or found.fragments:
            results.append(found)
    return Scan(tuple(packages), tuple(results), tuple(errors))


def _contract(path: str, where: str) -> Contract:
    from interlock._project import contract_model

    try:
        return contract_model(path)
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _target(path: str, where: str) -> object:
    from interlock._project import target_entry

    try:
        return target_entry(path)[1]
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _import(name: str, errors: list[tuple[str, str]]) -> types.ModuleType | None:
    """Import one module; a failure is recorded (one line) and the scan goes on."""
    try:
        return importlib.import_module(name)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        if isinstance(exc, SystemExit):
            errors.append((name, f"called exit({exc.code!r})"))
        else:
            detail = " ".join(str(exc).split())
            errors.append((name, f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__))
        return None


def _walk(package: str, errors: list[tuple[str, str]]) -> Iterator[types.ModuleType]:
    """The package and every module under it, by name; one that does not exist at all is a usage error."""
    top = package.split(".", maxsplit=1)[0]
    if top not in sys.modules:
        try:
            found = importlib.util.find_spec(top)  # finds, without running it
        except (ImportError, ValueError):
            found = None
        if found is None:
            raise UsageError(f"cannot scan {package!r}: no module named {top!r} (is it installed, or run from the folder that holds it?)")
    module = _import(package, errors)
    if module is None:
        return
    yield module
    for info in sorted(pkgutil.iter_modules(getattr(module, "__path__", None) or [], prefix=package + "."), key=lambda i: i.name):
        if info.ispkg:
            yield from _walk(info.name, errors)
        else:
            inner = _import(info.name, errors)
            if inner is not None:
                yield inner


def _classes(modules: Sequence[types.ModuleType]) -> list[type]:
    """The classes the modules define (not those they import), each once, by module and name."""
    seen: dict[int, type] = {}
    for module in modules:
        for value in list(vars(module).values()):
            if isinstance(value, type) and value.__module__ == module.__name__ and id(value) not in seen:
                seen[id(value)] = value
    return sorted(seen.values(), key=lambda c: (c.__module__, c.__qualname__))


def _label(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _has(cls: type, name: str) -> bool:
    if name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
        return False
    if name.startswith("__") and name not in vars(cls) and not any(name in vars(b) for b in cls.__mro__[1:-1]):
        return False  # every class has object's dunders: only its own count
    try:
        if hasattr(cls, name):
            return True
        return any(name in (vars(b).get("__annotations__") or {}) for b in cls.__mro__)
    except Exception:  # a metaclass whose attribute lookup raises: the member is not there to call
        return False


def _scan_contract(model: Contract, classes: Sequence[type], configured: Sequence[object] = ()) -> ContractScan:
    from interlock.contracts._declare import implementations

    recorded = implementations(model.protocol)
    recorded += [t for t in configured if all(t is not r for r in recorded)]
    members = [m.name for m in model.members if m.role != "constructor"]
    need = max(2, math.ceil(len(members) / 2))
    short = model.protocol.__name__.lower()
    lookalikes = []
    for cls in classes:
        if any(cls is r for r in recorded) or cls is model.protocol or issubclass(cls, BaseException):
            continue
        matched = tuple(m for m in members if _has(cls, m))
        if len(matched) >= need or short in cls.__name__.lower():
            lookalikes.append(Lookalike(_label(cls), matched, tuple(signature_violations(model, cls)), cls.__name__))
    by_name: dict[str, list[str]] = {}
    for obj in recorded:
        if isinstance(obj, type):
            by_name.setdefault(obj.__name__, []).append(_label(obj))
    for x in lookalikes:
        by_name.setdefault(x.name, []).append(x.target)
    fragments = tuple(
        (name, tuple(sorted(paths)))
        for name, paths in sorted(by_name.items())
        if len({p.split(":")[0] for p in paths}) >= 2  # of one name, in different modules
    )
    from interlock.properties._api import target_label

    return ContractScan(
        contract=model.name,
        protocol=model.protocol,
        registered=tuple(target_label(r) for r in recorded),
        lookalikes=tuple(lookalikes),
        fragments=fragments,
    )


def signature_violations(model: Contract, cls: type) -> list[Violation]:
    """The signature violations ``interlock check`` reports for ``cls``: the constructor, then each member that is
    missing or drifts, by member, kind and parameter."""
    from interlock.properties._report import kind_order
    from interlock.properties._subject import Subject, check_constructor, check_member_signature, signature_example

    s = Subject(label=_label(cls), obj=cls, contract=model, import_path=(cls.__module__, cls.__qualname__))
    for d in check_constructor(s):
        s.record(s.violation(d.kind, "__init__", d.parameter, d.message, signature_example(s, model.constructor)))
    for m in model.members:
        if m.role != "method":
            continue
        drifts, present = check_member_signature(s, m, cls)
        if not present:
            message = f"{m.name}: the target has no member {m.name!r}; the contract declares {m.signature_text()}"
            s.record(s.violation("missing-member", m.name, None, message, signature_example(s, m)))
        for d in drifts:
            s.record(s.violation(d.kind, m.name, d.parameter, d.message, signature_example(s, m)))
    order = {m.name: i for i, m in enumerate(model.members)}

    def key(v: Violation) -> tuple[int, int, int]:
        params = [p.name for p in model.member(v.member).parameters] if v.member in order else []
        return (order.get(v.member or "", len(order)), kind_order(v.kind), params.index(v.parameter) if v.parameter in params else -1)

    return sorted(s.found.values(), key=key)
