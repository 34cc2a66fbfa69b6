"""The ``interlock`` command: ``check`` a contract against targets (or the whole configured project), ``scan``
packages for implementations, or run the ``demo``.

Exit status: 0 every target conforms, 1 at least one violation, 2 a usage or
definition error (one line on standard error, never a traceback), 3 interlock
itself failed (one line per failure on standard error, the traceback in a file
the line names; the report is still written), 130 (``SIGINT``, Ctrl-C) or 143
(``SIGTERM``) the user stopped the run (the report of what was found so far is
still written, marked ``interrupted``).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import signal
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from interlock._imports import STOPPED_BY_USER, record_stop, resolve, survive_import
from interlock._options import DEFAULT_MAX_EXAMPLES, DEFAULT_STEPS, DEFAULT_TIMEOUT, DEFAULT_USERS, Options, from_text
from interlock._progress import Progress
from interlock._version import __version__
from interlock.errors import ContractDefinitionError, InterlockError, UsageError

if TYPE_CHECKING:
    from interlock._config import Config
    from interlock.contracts._model import Contract
    from interlock.properties._report import Report, TargetReport

__all__ = ["main"]

EXIT_OK, EXIT_DRIFT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_SIGNAL_BASE = 128
"""Stopped by the user: 128 + the signal's number, the shell's convention (130 for Ctrl-C, 143 for SIGTERM)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see 'interlock {self.prog.split()[-1]} --help')" if " " in self.prog else message)


def _option(name: str) -> Callable[[str], Any]:
    """An argparse ``type`` for a run option: read and checked by ``interlock._options``, as everywhere else."""

    def parse(text: str) -> Any:
        try:
            return from_text(name, text)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name
    return parse


def _add_run_options(p: argparse.ArgumentParser, examples: int = DEFAULT_MAX_EXAMPLES) -> None:
    """The run options; left out, they come from the project configuration (``check``), then the defaults."""
    p.set_defaults(default_examples=examples)
    p.add_argument("--json", action="store_true", help="print the JSON report (report.md) on standard output")
    p.add_argument(
        "--quiet",
        action="store_true",
        help="no progress line on the terminal (it is shown only when standard error is a terminal, and never with --json)",
    )
    p.add_argument(
        "--max-examples",
        type=_option("max_examples"),
        default=None,
        metavar="N",
        help=f"generated in-domain examples per member and per clause (default {examples})",
    )
    p.add_argument(
        "--seed", type=_option("seed"), default=None, metavar="N", help="make the run reproducible (a whole number of 0 or more)"
    )
    p.add_argument(
        "--timeout",
        type=_option("timeout"),
        default=None,
        metavar="SECONDS",
        help=f"time limit of one call into a target (default {DEFAULT_TIMEOUT:g})",
    )
    p.add_argument(
        "--sequences",
        type=_option("sequences"),
        default=None,
        metavar="N",
        help="generated sequences of calls on each target (default: as many as --max-examples; 0 turns them off)",
    )
    p.add_argument(
        "--steps",
        type=_option("steps"),
        default=None,
        metavar="N",
        help=f"the longest generated sequence, in calls (default {DEFAULT_STEPS})",
    )
    p.add_argument(
        "--sockets",
        type=_option("sockets"),
        default=None,
        metavar="{doubles,real}",
        help="'real': the WebSocket contracts' sockets are real Starlette sockets served by uvicorn on 127.0.0.1, "
        "received by websockets clients, with a load phase of --users users at once (pip install 'interlock[asgi]'); "
        "default 'doubles'",
    )
    p.add_argument(
        "--users",
        type=_option("users"),
        default=None,
        metavar="N",
        help=f"users at once in the load phase of --sockets real (default {DEFAULT_USERS})",
    )
    p.add_argument(
        "--socket-port",
        type=_option("socket_port"),
        default=None,
        metavar="PORT",
        help="the port the server of --sockets real listens on (default 0: a free one)",
    )
    p.add_argument(
        "--example-db",
        type=_option("example_db"),
        default=None,
        metavar="URL",
        help=(
            "keep failures in, and replay them first from, redis://host:port/db or a directory; ',readonly' after one only "
            "reads it; several separated by commas (default: Hypothesis's own; none with --seed)"
        ),
    )
    p.add_argument("--junit", default=None, metavar="FILE", help="also write a JUnit XML report to FILE")
    p.add_argument(
        "--isolate",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=(
            "check in a child process (the default where os.fork exists): a target that kills the process is reported "
            "as 'crash', and a call no signal stops is ended; --no-isolate checks in this process"
        ),
    )


def _kinds(name: str) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        from interlock._config import parse_kinds

        try:
            return parse_kinds(name, text)
        except UsageError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name
    return parse


def _jobs(text: str) -> int:
    from interlock._config import parse_jobs

    try:
        return parse_jobs(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_project_options(p: argparse.ArgumentParser) -> None:
    """The options of adoption: the configuration, the kinds reported, the baseline, the workers."""
    p.add_argument(
        "--config", default=None, metavar="FILE", help="read [tool.interlock] from FILE (default: pyproject.toml, found upwards)"
    )
    p.add_argument("--no-config", action="store_true", help="read no configuration file")
    p.add_argument("--select", type=_kinds("select"), default=None, metavar="KIND[,KIND]", help="report only these violation kinds")
    p.add_argument(
        "--ignore", type=_kinds("ignore"), default=None, metavar="KIND[,KIND]", help="do not report these kinds; they do not fail the run"
    )
    p.add_argument(
        "--baseline",
        default=None,
        metavar="FILE",
        help="violations listed in FILE are known: shown, counted, not failing; only new ones fail",
    )
    p.add_argument(
        "--update-baseline",
        nargs="?",
        const=_FROM_CONFIG,
        default=None,
        metavar="FILE",
        help="write the violations found to FILE (default: the --baseline or configured file) and exit 0",
    )
    p.add_argument(
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N|auto",
        help="check contracts in N worker processes at once ('auto': one per core; default 1)",
    )


_FROM_CONFIG = "\0configured"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="interlock", description="Contract tests for component interfaces.", allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"interlock {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    check = sub.add_parser(
        "check",
        allow_abbrev=False,
        help="check targets against a contract, or the whole project",
        description=(
            "Check each TARGET against CONTRACT; both are import paths package.module:Name. With no CONTRACT, check "
            "the project configured in [tool.interlock]: every configured check and every recorded implementation."
        ),
    )
    check.add_argument("contract", metavar="CONTRACT", nargs="?", default=None, help="the contract, as package.module:Name")
    check.add_argument("targets", metavar="TARGET", nargs="*", help="a class or a factory, as package.module:Name")
    _add_run_options(check)
    check.add_argument(
        "--clause",
        dest="clauses",
        action="append",
        default=None,
        metavar="ID",
        help=(
            "check only this clause of CONTRACT (repeat for more): its scenario, or its member's checks and the "
            "generated sequences; the signatures are always compared, and what is left out is listed as not checked"
        ),
    )
    _add_project_options(check)
    judge = check.add_mutually_exclusive_group()
    judge.add_argument(
        "--reference",
        default=None,
        metavar="REF",
        help=(
            "an implementation or model, as package.module:Name, that runs every input the targets do: a target that "
            "disagrees with it gets 'differential', it never does (default: the contract's own reference, if it names one)"
        ),
    )
    judge.add_argument("--no-reference", action="store_true", help="compare with no reference, not even the contract's own")
    demo = sub.add_parser(
        "demo",
        allow_abbrev=False,
        help="check the bundled examples: the built-in contracts against reference and drifting implementations",
        description=(
            "Check the bundled examples and show what interlock finds. 'catalog' (the default) checks every built-in "
            "contract against its reference implementation and realistic drifting variants, as a matrix (20 examples "
            "per member and clause unless --max-examples says otherwise); 'greeter' checks a small Greeter contract and "
            "shows every violation in full. Exits 0 once the report is shown."
        ),
    )
    demo.add_argument("example", nargs="?", choices=("catalog", "greeter"), default="catalog", help="which example (default catalog)")
    _add_run_options(demo, examples=20)
    scan = sub.add_parser(
        "scan",
        help="find the implementations of contracts in packages, registered or not",
        description=(
            "Import every module under each PACKAGE and list, for every contract in scope (registered, configured, "
            "built in, or named with --contract), its registered implementations, the look-alikes nobody registered "
            "with their signature violations, and fragments (classes of one name in several modules). Exit 1 when a "
            "look-alike or a fragment is found."
        ),
    )
    scan.add_argument("packages", metavar="PACKAGE", nargs="+", help="a package (or module) to import, as a dotted name")
    scan.add_argument(
        "--contract", dest="contracts", action="append", default=[], metavar="CONTRACT", help="also look for this contract (repeatable)"
    )
    scan.add_argument("--json", action="store_true", help="print the scan as JSON (scan.schema.json) on standard output")
    scan.add_argument(
        "--config", default=None, metavar="FILE", help="read [tool.interlock] from FILE (default: pyproject.toml, found upwards)"
    )
    scan.add_argument("--no-config", action="store_true", help="read no configuration file")
    return parser


@contextlib.contextmanager
def _targets_print_to_stderr() -> Iterator[TextIO]:
    """Point file descriptor 1 at standard error while targets run; yield a stream to the real stdout.

    What a target left in ``sys.stdout``'s buffer goes to standard error with the rest of its output; a target
    that closed or replaced ``sys.stdout`` changes nothing of the report."""
    from interlock.properties import _runner

    _flush(sys.stdout)
    saved = os.dup(1)
    report = os.fdopen(os.dup(saved), "w", encoding="utf-8", closefd=True)
    os.dup2(2, 1)
    _runner.REPORT_FDS[:] = [saved, report.fileno()]  # an isolated child closes them: its targets cannot reach them
    try:
        yield report
    finally:
        _runner.REPORT_FDS.clear()
        _flush(sys.stdout)
        os.dup2(saved, 1)
        os.close(saved)
        try:
            report.close()
        except BrokenPipeError:
            pass


def _flush(stream: Any) -> None:
    try:
        stream.flush()
    except Exception:  # closed, or replaced by something that cannot flush
        pass


ISOLATE_BY_DEFAULT = hasattr(os, "fork")
"""The command checks in a child process unless told otherwise: only a parent that outlives the check can end a
call in C that holds the interpreter lock (no thread or signal handler of the checking process runs until it
returns) and report a target that ends the process. Where ``os.fork`` is missing, it checks in its own process."""


def _options(args: argparse.Namespace, config: Config | None = None) -> Options:
    """The run options: the command line's (each already read and checked by its argparse type), else the
    configuration's, else the defaults."""
    given = (config.options if config is not None else {}) | {
        name: value
        for name in (
            "max_examples",
            "seed",
            "timeout",
            "isolate",
            "sequences",
            "steps",
            "sockets",
            "users",
            "socket_port",
            "example_db",
            "clauses",
        )
        if (value := getattr(args, name, None)) is not None
    }
    return Options(
        max_examples=given.get("max_examples", args.default_examples),
        seed=given.get("seed"),
        timeout=given.get("timeout", DEFAULT_TIMEOUT),
        isolate=given.get("isolate", ISOLATE_BY_DEFAULT),
        sequences=given.get("sequences"),
        steps=given.get("steps", DEFAULT_STEPS),
        sockets=given.get("sockets", "doubles"),
        users=given.get("users", DEFAULT_USERS),
        socket_port=given.get("socket_port", 0),
        example_db=given.get("example_db"),
        clauses=given.get("clauses"),
    )


def _check(
    model: Contract,
    targets: Sequence[tuple[str, Any, tuple[str, str] | None]],
    options: Options,
    reference: tuple[str, Any, tuple[str, str] | None] | None = None,
    abandon: Callable[[Report], None] | None = None,
) -> Report:
    """One contract against its targets: in this process, or with ``--isolate`` in a child process.

    ``abandon`` hears the report so far when a call in this process cannot be stopped (see ``run_check``)."""
    judged: dict[str, Any] = {"reference": reference} if reference is not None else {}
    if options.isolate:
        from interlock.properties._isolate import run_isolated

        # the command's own process: what a target's processes leave behind (even in a session of their own) is ended
        return run_isolated(model, targets, **judged, progress=_LINE[0], reap_orphans=True, **options.run_options())
    from interlock.properties._engine import run_check

    return run_check(model, targets, **judged, abandon=abandon, progress=_LINE[0], **options.run_options())


def _on_path(folder: str) -> None:
    if folder not in sys.path:
        sys.path.insert(0, folder)


def _config(args: argparse.Namespace) -> Config:
    from interlock._config import Config, load

    if args.no_config:
        if args.config is not None:
            raise UsageError("--config and --no-config contradict each other; give one")
        return Config()
    config = load(args.config)
    if config.folder is not None:
        _on_path(str(config.folder))
    return config


def _run(args: argparse.Namespace, out: TextIO) -> int:
    if args.command == "demo" and args.example == "catalog":
        return _catalog_demo(args, out)
    _on_path(os.getcwd())
    if args.command == "scan":
        from interlock._scan import run_scan

        return run_scan(args.packages, args.contracts, _config(args), out, as_json=args.json)
    if args.command == "check":
        return _check_command(args, out)
    args.contract = "interlock.examples.greeter:Greeter"
    from interlock.examples import greeter

    args.junit = _junit_path(args.junit)
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        from interlock._project import contract_model, target_entry

        model = contract_model(args.contract)
        targets = [target_entry(f"interlock.examples.greeter:{t.__name__}") for t in greeter.TARGETS]
    _LINE[0].contract(model.name, tuple(label for label, _, _ in targets))
    report = _check(model, targets, _options(args))
    if args.junit:
        from interlock.properties._render import render_junit

        _write(args.junit, render_junit(report))
    _show(out, args.json, report.dumps, report.text)
    for error in report.internal_errors:
        _say(error.line(report.contract))
    return EXIT_INTERNAL if report.internal_errors else EXIT_OK


def _junit_path(path: str | None) -> str | None:
    """``--junit``'s file, checked before anything runs and made absolute (a target that changes the working folder
    cannot move it): an empty name, a folder, or a place that cannot be written is a usage error now, not after
    the whole run."""
    if path is None:
        return None
    if not path.strip():
        raise UsageError("--junit needs a file name (got '')")
    full = os.path.abspath(path)
    if os.path.isdir(full):
        raise UsageError(f"cannot write the JUnit report to {path!r}: it is a folder")
    folder = os.path.dirname(full)
    if not os.path.isdir(folder):
        raise UsageError(f"cannot write the JUnit report to {path!r}: no folder {folder!r}")
    _try_writing(full, path)
    return full


def _try_writing(full: str, path: str) -> None:
    """Open ``full`` for writing as the report will be, and write nothing to it: a file that is there is neither
    truncated nor changed (append mode, an empty write), and one that was not is removed again. Permissions alone do
    not tell (root passes them for ``/proc/version``, whose writes fail): the open and the write do."""
    existed = os.path.lexists(full)
    flags = os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | (0 if existed else os.O_CREAT | os.O_EXCL)
    try:
        fd = os.open(full, flags, 0o666)
    except FileExistsError:  # made in the meantime: tried again as a file that is there
        existed, fd = True, -1
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a named pipe no one reads yet: it will be read when the report is written
            return
        raise UsageError(f"cannot write the JUnit report to {path!r}: {_reason(exc)}") from None
    try:
        if fd == -1:
            fd = os.open(full, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK)
        os.write(fd, b"")
    except OSError as exc:
        if exc.errno != errno.ENXIO:
            raise UsageError(f"cannot write the JUnit report to {path!r}: {_reason(exc)}") from None
    finally:
        if fd != -1:
            os.close(fd)
        if not existed:
            with contextlib.suppress(OSError):
                os.unlink(full)


def _reason(exc: OSError) -> str:
    """An OS error as the end of a message: ``permission denied``, ``input/output error``."""
    text = exc.strerror or str(exc)
    return text[:1].lower() + text[1:]


def _show(out: TextIO, as_json: bool, dumps: Callable[[], str], text: Callable[..., str]) -> None:
    _LINE[0].clear()
    try:
        if as_json:
            out.write(dumps() + "\n")
        else:
            colour = out.isatty() and "NO_COLOR" not in os.environ
            out.write(text(colour=colour) + "\n")
        out.flush()
    except BrokenPipeError:  # the reader went away (| head): the exit status still tells the result
        _silence_stdout(out)


def _shown(path: os.PathLike[str]) -> str:
    """A path as messages and reports show it: relative to the working folder when it lies below it."""
    relative = os.path.relpath(path)
    return os.fspath(path) if relative.startswith("..") else relative


def _check_command(args: argparse.Namespace, out: TextIO) -> int:
    """``interlock check``: one contract and its targets, or with no contract the whole configured project."""
    import time

    from interlock._project import Group, contract_model, project_groups, target_entry

    started = time.perf_counter()
    if args.contract is not None and not args.targets:
        raise UsageError("the following arguments are required: TARGET (see 'interlock check --help')")
    if args.contract is None and args.reference is not None:
        raise UsageError("--reference needs a CONTRACT; for the project, set 'reference' in its [[tool.interlock.checks]] table")
    if args.contract is None and args.clauses is not None:
        raise UsageError("--clause needs a CONTRACT: a clause id belongs to one contract")
    config = _config(args)
    options = _options(args, config)
    select = args.select if args.select is not None else config.select
    ignore = args.ignore if args.ignore is not None else config.ignore
    baseline_file = args.baseline if args.baseline is not None else (_shown(config.baseline) if config.baseline is not None else None)
    update = args.update_baseline
    if update == _FROM_CONFIG:
        if baseline_file is None:
            raise UsageError("--update-baseline needs a FILE: give one, or set 'baseline' in [tool.interlock] or --baseline")
        update = baseline_file
    jobs = args.jobs if args.jobs is not None else (config.jobs or 1)
    args.junit = _junit_path(args.junit)
    if args.contract is not None:  # a module that ends the process at import is named, not a silent exit
        survive_import([args.contract, *args.targets, *([args.reference] if args.reference else [])])
    # The targets are imported before the checker is, as they always were.
    with warnings.catch_warnings():
        warnings.simplefilter("default")
        if args.contract is not None:
            model = contract_model(args.contract)
            targets = tuple(target_entry(path) for path in args.targets)
            from interlock.properties._api import reference_entry
            from interlock.properties._engine import Selection

            Selection.of(model, options.clauses)  # an id the contract does not have: said before anything runs

            groups = [Group(model, targets, reference_entry(model, False if args.no_reference else args.reference))]
        else:
            groups = project_groups(config)
            if args.no_reference:
                groups = [Group(g.model, g.targets, None) for g in groups]
    from interlock import _baseline
    from interlock._jobs import fixed_seed, run_groups
    from interlock._project import project_report

    options, replay = fixed_seed(options)
    kinds = _baseline.Filter(select=select, ignore=ignore)
    baseline = None
    if update is not None:
        old = _baseline.load(update).entries if os.path.exists(update) else frozenset()
    elif args.baseline is None and baseline_file is not None and not os.path.exists(baseline_file):
        # configured, not written yet (before the first --update-baseline): every violation is new
        _say(f"interlock: the baseline {baseline_file} does not exist yet; every violation is new (write it with --update-baseline)")
    elif baseline_file is not None:
        baseline = _baseline.load(baseline_file)

    def abandon(found: Report) -> None:
        """A call no signal stops: the report of what was found so far, then out (from the watchdog thread)."""
        try:
            found = _baseline.apply(found, kinds=kinds, baseline=baseline)
            if args.junit:
                from interlock.properties._render import render_junit

                _write(args.junit, render_junit(found))
            _show(out, args.json, found.dumps, found.text)
            stop = found.stop_signal  # the user stopped the run while the call held on: 130 or 143, not 1
            status = EXIT_SIGNAL_BASE + signal.Signals[stop].value if stop is not None else EXIT_DRIFT
        except BaseException:
            status = EXIT_INTERNAL
        _flush(sys.stderr)
        os._exit(status)

    ran = run_groups(groups, options, jobs=jobs, replay=replay, abandon=abandon if args.contract is not None else None, progress=_LINE[0])
    reports = [_baseline.apply(r, kinds=kinds, baseline=baseline) for r in ran]
    if update is not None:
        entries = _baseline.updated(old, reports, kinds=kinds, whole_project=args.contract is None)
        _baseline.write(update, entries)
        baseline = _baseline.Baseline(update, frozenset(entries))
        reports = [_baseline.apply(r, baseline=baseline) for r in reports]
        _say(f"interlock: wrote {len(entries)} baseline entr{'ies' if len(entries) != 1 else 'y'} to {update}")
    if args.contract is not None:
        report = reports[0]
        if args.junit:
            from interlock.properties._render import render_junit

            _write(args.junit, render_junit(report))
        _show(out, args.json, report.dumps, report.text)
        errors = [(report.contract, e) for e in report.internal_errors]
        failed = bool(report.new_violations)
    else:
        project = project_report(reports, seed=int(options.seed or 0), started=started, kinds=kinds, baseline=baseline)
        if args.junit:
            _write(args.junit, project.junit())
        _show(out, args.json, project.dumps, project.text)
        errors = project.internal_errors
        failed = project.new_violations > 0
    for contract, error in errors:
        _say(error.line(contract))
    stop = next((r.stop_signal for r in reports if r.stop_signal is not None), None)
    if stop is not None:  # stopped by the user: the shell's convention, 128 + the signal's number
        _say(f"interlock: interrupted by {stop}; the report holds what was found until then")
        return EXIT_SIGNAL_BASE + signal.Signals[stop].value
    if errors:
        return EXIT_INTERNAL
    if update is not None:
        return EXIT_OK
    return EXIT_DRIFT if failed else EXIT_OK


def _catalog_demo(args: argparse.Namespace, out: TextIO) -> int:
    """The conformance matrix: every built-in contract against its reference and drifting implementations."""
    from interlock.contracts._declare import get_contract
    from interlock.examples import CATALOG_DEMO

    options = _options(args)
    args.junit = _junit_path(args.junit)
    reports = []
    for index, (contract_path, target_paths) in enumerate(CATALOG_DEMO):
        model = get_contract(resolve(contract_path)[0])
        targets = [(path, *resolve(path)) for path in target_paths]
        _LINE[0].contract(contract_path, tuple(target_paths), index, len(CATALOG_DEMO))
        reports.append(_check(model, targets, options))
    if args.junit:
        from interlock.properties._render import render_junit

        _write(args.junit, "".join(render_junit(r) for r in reports[:1]) if len(reports) == 1 else _junit_many(reports))
    _LINE[0].clear()
    try:
        if args.json:
            out.write(json.dumps({"interlock": __version__, "reports": [r.to_json() for r in reports]}, indent=2) + "\n")
        else:
            colour = out.isatty() and "NO_COLOR" not in os.environ
            out.write(_matrix(reports, colour=colour) + "\n")
        out.flush()
    except BrokenPipeError:
        _silence_stdout(out)
    return EXIT_OK


def _junit_many(reports: list[Any]) -> str:
    import xml.etree.ElementTree as ET

    from interlock.properties._render import render_junit

    root = ET.Element("testsuites", name="interlock demo")
    for report in reports:
        root.extend(ET.fromstring(render_junit(report).split("?>", 1)[1]))
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write the JUnit report to {path!r}: {exc.strerror or exc}") from None


def _kinds_and_checks(report: Report, target: TargetReport) -> dict[str, list[str]]:
    """A target's violations for the matrix: each kind, in report order, with the checks it fails.

    The checks are named as JUnit's test cases name them (``member:NAME``, ``clause:ID``, ...), in the
    contract's order, by the one rule of ``interlock.properties._checks``.
    """
    from interlock.properties._checks import check_name, check_names

    order = check_names(report.members, report.clauses, targets=len(report.targets), reference=report.reference is not None)
    found: dict[str, set[str]] = {}
    for v in target.violations:
        found.setdefault(v.kind, set()).add(check_name(v, members=report.members, clauses=report.clauses))
    return {kind: sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n)) for kind, names in found.items()}


def _matrix(reports: list[Any], *, colour: bool) -> str:
    green, red, dim, reset = ("\x1b[32m", "\x1b[31m", "\x1b[2m", "\x1b[0m") if colour else ("", "", "", "")
    lines = ["interlock demo: the built-in contracts, each against its reference implementation and drifting variants", ""]
    for report in reports:
        lines.append(report.contract)
        width = max(len(t.target.split(":")[1]) for t in report.targets)
        for t in report.targets:
            name = t.target.split(":")[1].ljust(width)
            if t.conforms:
                lines.append(f"  {name}  {green}conforms{reset}")
                continue
            kinds = "; ".join(f"{kind} {dim}({', '.join(checks)}){reset}" for kind, checks in _kinds_and_checks(report, t).items())
            lines.append(f"  {name}  {red}{kinds}{reset}")
        lines.append("")
    first = reports[0]
    drifting = next((t.target for t in first.targets if not t.conforms), first.targets[0].target)
    lines.append("Every drift above is a violation with a message, the place it is defined and a reproducer. See them in full with:")
    lines.append(f"  interlock check {first.contract} {drifting}")
    lines.append("  interlock demo greeter")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = _wants_json(argv)
    with _stops_recorded():
        try:
            parser = _parser()
            wants_json = _wants_json(argv, parser)
            return _main(parser, argv, wants_json)
        except KeyboardInterrupt as exc:
            return _interrupted(exc, wants_json)


def _main(parser: argparse.ArgumentParser, argv: list[str], wants_json: bool) -> int:
    _STREAMS[:] = [sys.stdout, sys.stderr]
    _LINE[0] = Progress(None)
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError("no command given; try 'interlock demo' or 'interlock check CONTRACT TARGET'")
        _LINE[0] = Progress.for_run(_STREAMS[1], quiet=getattr(args, "quiet", True), as_json=args.json)
        with _targets_print_to_stderr() as out:
            return _run(args, out)
    except (UsageError, ContractDefinitionError, InterlockError) as exc:
        return _fail(str(exc), wants_json)
    except Exception as exc:  # an interlock bug: still one line, the traceback in a file
        if os.environ.get("INTERLOCK_DEBUG"):
            raise
        from interlock.properties._internal import internal_error

        found = internal_error(exc, None, None, None)
        kept = f" (traceback in {found.traceback})" if found.traceback else ""
        return _fail(f"internal error: {found.error}{kept}", wants_json, status=EXIT_INTERNAL)


def _wants_json(argv: Sequence[str], parser: argparse.ArgumentParser | None = None) -> bool:
    """Whether argparse would read ``--json`` in ``argv`` (``--json`` or ``--json=...``, before a ``--``): then a
    usage error is also a JSON object on standard output, even one about ``--json`` itself. ``check`` and ``demo``
    take no abbreviations; ``scan`` does, so there ``--js`` is ``--json`` too (given the ``parser`` to ask)."""
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    sub = _subparser(parser, command) if parser is not None and command is not None else None
    for arg in argv:
        if arg == "--":
            return False
        name = arg.partition("=")[0]
        if name == "--json":
            return True
        options = sub._option_string_actions if sub is not None and sub.allow_abbrev and name.startswith("--") else {}
        if len(name) > 2 and [option for option in options if option.startswith(name)] == ["--json"]:
            return True
    return False


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser | None:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found = action.choices.get(command)
            return found if isinstance(found, argparse.ArgumentParser) else None
    return None


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _stops_recorded() -> Iterator[None]:
    """Outside the run, ``SIGINT`` and ``SIGTERM`` raise ``KeyboardInterrupt`` and are noted (``record_stop``): a stop
    before the run has started is the exit status 130 or 143 with one line, never a traceback or a silent death.
    The run takes them over while it goes on (``interruptible``). The handlers before are put back at the end."""
    try:
        previous = {s: signal.signal(s, record_stop) for s in _STOP_SIGNALS}
    except ValueError:  # not the main thread: signals are not this thread's to handle
        yield
        return
    STOPPED_BY_USER.clear()
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _interrupted(exc: KeyboardInterrupt, wants_json: bool) -> int:
    """The user stopped the command outside the run: one line, the JSON error with ``--json``, 128 + the signal."""
    with contextlib.suppress(ValueError):
        for s in _STOP_SIGNALS:  # a second Ctrl-C while this is said is noted, not a traceback
            signal.signal(s, _note_stop)
    signum = _signal_of(exc)
    return _fail(f"interrupted by {signal.Signals(signum).name}", wants_json, status=EXIT_SIGNAL_BASE + signum)


def _note_stop(signum: int, frame: Any) -> None:
    STOPPED_BY_USER.append(signum)


def _signal_of(exc: KeyboardInterrupt) -> int:
    """The stop signal behind a ``KeyboardInterrupt``: the first one noted, else the one it names (a run that was
    stopped says which), else ``SIGINT``."""
    if STOPPED_BY_USER:
        return STOPPED_BY_USER[0]
    named = str(exc).split(" ", 1)[0]
    return signal.Signals[named].value if named in {s.name for s in _STOP_SIGNALS} else signal.SIGINT.value


def _keep_hypothesis_out_of_the_folder() -> None:
    """Hypothesis's own files go where its settings say, or to the user cache: never a new ``.hypothesis/`` in
    the folder the user stands in (see ``interlock._storage``)."""
    from interlock._storage import use_cache_home

    try:
        use_cache_home()
    except OSError:  # no working folder (deleted under us): Hypothesis's own default stands
        pass


def _silence_stdout(out: TextIO) -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, out.fileno())
    finally:
        os.close(devnull)


def _fail(message: str, wants_json: bool, status: int = EXIT_USAGE) -> int:
    message = " ".join(message.split())
    _say(f"interlock: error: {message}")
    if wants_json:
        _put(_STREAMS[0], 1, json.dumps({"interlock": __version__, "error": message}) + "\n")
    return status


_STREAMS: list[Any] = [sys.stdout, sys.stderr]
"""The standard streams as the command found them (``main`` keeps them before any target runs)."""

_LINE: list[Progress] = [Progress(None)]
"""The run's progress line (``main`` sets it): taken away before anything else is written."""


def _say(line: str) -> None:
    """A line on standard error, as the command found it: a target that replaced ``sys.stderr`` cannot divert it,
    and one that closed it cannot lose it (it goes to file descriptor 2 itself) or turn it into a traceback."""
    _LINE[0].clear()
    _put(_STREAMS[1], 2, line + "\n")


def _put(stream: Any, fd: int, text: str) -> None:
    try:
        if not stream.closed:
            stream.write(text)
            stream.flush()
            return
    except Exception:
        pass
    _write_fd(fd, text)


def _write_fd(fd: int, text: str) -> None:
    data = text.encode("utf-8", "backslashreplace")
    try:
        while data:
            data = data[os.write(fd, data) :]
    except OSError:  # the reader went away; the exit status still tells the result
        pass


def entry(held: Iterable[int] | None = None) -> NoReturn:
    """The console script: the report written, the process ends with its status.

    It ends at once (``os._exit``), after flushing what interlock wrote: a target's non-daemon thread that never
    ends cannot keep it alive, and a target's ``atexit`` handler or late-flushed buffer cannot write after the
    report on standard output.

    A stop signal is handled from its first line (``_stops_recorded``): before the run it is the exit status 130 or
    143 with one line; once the status is known, it ends the process at once with 128 + the signal's number.
    ``held`` is the signal mask to put back once the handlers are in place (``interlock._console`` blocks the stop
    signals while the command is imported): a stop that arrived meanwhile is handled then.

    The process is the command's own, so it also decides where Hypothesis keeps its files (``main`` called from
    Python leaves the caller's Hypothesis as it is)."""
    argv = sys.argv[1:]
    try:
        for s in _STOP_SIGNALS:
            signal.signal(s, record_stop)
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        _keep_hypothesis_out_of_the_folder()
        status = main(argv)
    except KeyboardInterrupt as exc:  # a stop before main listens for it
        status = _interrupted(exc, _wants_json(argv))
    for s in _STOP_SIGNALS:
        signal.signal(s, _end_now)
    _flush(sys.stdout)
    _flush(sys.stderr)
    os._exit(status)


def _end_now(signum: int, frame: Any) -> None:
    os._exit(EXIT_SIGNAL_BASE + signum)
