"""What the mypy plugin costs: mypy with and without ``interlock.mypy`` on the same generated tree.

Generates, in a temporary folder, ``--contracts`` contracts with ``--implementations``
implementations each (one module of implementations and uses per contract; every
fifth implementation drifts), then runs mypy on it with and without the plugin,
alternating, each run in a fresh process with a fresh cache folder (cold), after
one unmeasured run of each. A third variant loads a plugin that only imports
``interlock.mypy`` and hooks nothing, to tell the cost of importing the package
from the cost of the plugin's checks; a last, instrumented run sums the CPU time
spent in the plugin's own code. Prints every run, then the medians and the
fastest runs with the ratios with/without (goal: under 1.10), of wall time and
of the child's CPU time (less sensitive to other load on the machine); on a busy
machine the fastest runs are the least disturbed.

    .venv/bin/python benchmarks/mypy_overhead.py [--contracts 20] [--implementations 15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CONTRACT = """\
from typing import Protocol

import interlock


@interlock.contract
class Contract{i}(Protocol):
    label: str

    def __init__(self, name: str, size: int = 0) -> None: ...

    def get(self, key: str, default: int = 0) -> int: ...

    def put(self, key: str, value: int, *, overwrite: bool = False) -> None: ...

    def keys(self, prefix: str = "") -> list[str]: ...

    async def fetch(self, key: str) -> bytes: ...

    @property
    def size(self) -> int: ...
"""

IMPLEMENTATION = """

@interlock.implements(Contract{i})
class Impl{i}_{k}:
    def __init__(self, name: str, size: int = 0) -> None:
        self.label = name
        self._data: dict[str, int] = {{}}
        self._size = size

    def get(self, {key}: str, default: int = 0) -> int:
        return self._data.get({key}, default)

    def put(self, key: str, value: int, *, overwrite: bool = False) -> None:
        if overwrite or key not in self._data:
            self._data[key] = value

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self._data if k.startswith(prefix))

    async def fetch(self, key: str) -> bytes:
        return str(self._data.get(key, 0)).encode()

    @property
    def size(self) -> int:
        return len(self._data) + self._size


def use{i}_{k}(store: Contract{i}) -> int:
    store.put("a", 1)
    return store.get("a") + len(store.keys())


total{i}_{k} = use{i}_{k}(Impl{i}_{k}("n{k}"))
"""


def generate(root: Path, contracts: int, implementations: int) -> int:
    """Write the tree; return how many drift errors the plugin should report."""
    pkg = root / "benchpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    drifting = 0
    for i in range(contracts):
        (pkg / f"contract{i}.py").write_text(CONTRACT.format(i=i))
        parts = [f"import interlock\n\nfrom benchpkg.contract{i} import Contract{i}\n"]
        for k in range(implementations):
            drifts = k % 5 == 4
            drifting += drifts
            parts.append(IMPLEMENTATION.format(i=i, k=k, key="name" if drifts else "key"))
        (pkg / f"impls{i}.py").write_text("".join(parts))
    return drifting


def run(root: Path, config: Path, n: int, *options: str) -> tuple[float, float, str]:
    """One cold mypy run in a fresh process: wall seconds, CPU seconds of the child, its output."""
    cache = root / f"cache{n}"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(config), "--cache-dir", str(cache), *options, "benchpkg"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout + done.stderr


# A plugin that imports interlock.mypy and hooks nothing: what loading the package costs alone.
IMPORT_ONLY = """\
import interlock.mypy
from mypy.plugin import Plugin


def plugin(version: str) -> type[Plugin]:
    return Plugin
"""
# The plugin, with the CPU time spent in its code (choosing hooks, running them) summed up and
# printed at exit: a figure that other load on the machine disturbs much less than a ratio of runs.
INSTRUMENTED = """\
import atexit
import sys
import time

from interlock.adapters.mypy_plugin import InterlockPlugin

spent = [0.0]


def timed(hook):
    def run(ctx):
        start = time.process_time()
        try:
            return hook(ctx)
        finally:
            spent[0] += time.process_time() - start

    return run


class Timed(InterlockPlugin):
    def _timed(self, method, fullname):
        start = time.process_time()
        hook = method(fullname)
        spent[0] += time.process_time() - start
        return timed(hook) if hook is not None else None

    def get_function_hook(self, fullname):
        return self._timed(super().get_function_hook, fullname)

    def get_method_hook(self, fullname):
        return self._timed(super().get_method_hook, fullname)

    def get_class_decorator_hook_2(self, fullname):
        return self._timed(super().get_class_decorator_hook_2, fullname)


atexit.register(lambda: print(f"PLUGIN {spent[0]:.3f} {time.process_time():.3f}", file=sys.stderr))


def plugin(version):
    return Timed
"""
VARIANTS = {
    "without": "no plugin",
    "import": "interlock.mypy imported, no hooks",
    "with": "the plugin",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20)
    parser.add_argument("--implementations", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="interlock-mypy-bench-") as tmp:
        root = Path(tmp)
        expected = generate(root, args.contracts, args.implementations)
        (root / "import_only.py").write_text(IMPORT_ONLY)
        (root / "instrumented.py").write_text(INSTRUMENTED)
        base = "[mypy]\nstrict = True\n"
        configs = {name: root / f"{name}.ini" for name in VARIANTS}
        configs["without"].write_text(base)
        configs["import"].write_text(base + f"plugins = {root / 'import_only.py'}\n")
        configs["with"].write_text(base + "plugins = interlock.mypy\n")
        (root / "instrumented.ini").write_text(base + f"plugins = {root / 'instrumented.py'}\n")
        walls: dict[str, list[float]] = {name: [] for name in VARIANTS}
        cpus: dict[str, list[float]] = {name: [] for name in VARIANTS}
        n = 0
        for config in configs.values():  # one unmeasured run each: file caches are warm for all others
            n += 1
            run(root, config, n)
        names = list(VARIANTS)
        for r in range(args.rounds):
            for name in names[r % len(names) :] + names[: r % len(names)]:  # rotate the order every round
                n += 1
                wall, cpu, out = run(root, configs[name], n)
                errors = out.count("[interlock-drift]")
                want = expected if name == "with" else 0
                if errors != want or (name != "with" and "error" in out):
                    raise SystemExit(f"run {n} ({VARIANTS[name]}): expected {want} drift errors, got:\n{out}")
                walls[name].append(wall)
                cpus[name].append(cpu)
                print(f"round {r + 1}  {VARIANTS[name]:<34} wall {wall:6.2f} s  cpu {cpu:6.2f} s  ({errors} errors)")
        classes = args.contracts * args.implementations
        print(f"\n{args.contracts} contracts x {args.implementations} implementations = {classes} classes, cold cache")
        for stat, summary in (("median", statistics.median), ("fastest", min)):
            wall_of = {name: summary(v) for name, v in walls.items()}
            cpu_of = {name: summary(v) for name, v in cpus.items()}
            for name, label in VARIANTS.items():
                print(f"{stat:>7}, {label:<34} wall {wall_of[name]:6.2f} s  cpu {cpu_of[name]:6.2f} s")
            for name in ("with", "import"):
                print(
                    f"{stat:>7} ratio, {VARIANTS[name]} / no plugin: ".ljust(66)
                    + f"wall {wall_of[name] / wall_of['without']:.3f}  cpu {cpu_of[name] / cpu_of['without']:.3f}"
                )
        # mypy exits without running atexit handlers unless told not to.
        out = run(root, root / "instrumented.ini", n + 1, "--no-fast-exit")[2]
        found = re.search(r"PLUGIN ([0-9.]+) ([0-9.]+)", out)
        if found is None:
            raise SystemExit(f"the instrumented run printed no timing:\n{out}")
        spent, total = float(found[1]), float(found[2])
        print(f"one instrumented run: {spent:.2f} s of {total:.2f} s CPU in the plugin's code ({spent / total:.1%})")


if __name__ == "__main__":
    main()
