"""Command line: `python -m pipeline report|validate`. Thin: parse, run, print, exit code."""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__, config
from pipeline.core.i18n import LANGUAGES

if TYPE_CHECKING:
    from pipeline.config import Dirs

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
INTERRUPTED = "Interrupted: finished briefs were kept, nothing half-written was left."


#: Where a run reads and writes: flag, default folder, what it holds.
_FOLDERS = (
    ("--raw", config.RAW_DIR, "folder of country CSVs and programme.yaml (default: data/raw)"),
    (
        "--processed",
        config.PROCESSED_DIR,
        "folder for processed tables and findings (default: data/processed)",
    ),
    (
        "--reports",
        config.REPORTS_DIR,
        "folder for the PDF briefs and validation report (default: reports)",
    ),
)


def _dirs_arguments(parser: argparse.ArgumentParser) -> None:
    for flag, default, text in _FOLDERS:
        parser.add_argument(flag, type=Path, default=default, metavar="DIR", help=text)


def parser() -> argparse.ArgumentParser:
    """The argument parser, with an example in every command's help."""
    main = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Validate programme monitoring data and build one PDF impact brief per "
        "country.",
        epilog="Example:\n  python -m pipeline report --country kenya",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    main.add_argument("--version", action="version", version=f"Impact Briefs {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    report = commands.add_parser(
        "report",
        help="validate and build the briefs",
        description="Validate every country file in --raw and build reports/<country>.pdf for "
        "each valid one, plus reports/validation.html.",
        epilog="Examples:\n  python -m pipeline report\n"
        "  python -m pipeline report --country kenya --reports /tmp/briefs\n"
        "  python -m pipeline report --country rwanda --lang en",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _dirs_arguments(report)
    report.add_argument(
        "--country",
        action="append",
        metavar="NAME",
        help="build only this country (file stem, name or ISO code); repeatable",
    )
    _run_arguments(report)
    report.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="write every brief in this language, overriding data/raw/settings.yaml",
    )
    validate = commands.add_parser(
        "validate",
        help="check the data without building briefs",
        description="Validate every country file in --raw; write findings to "
        "<processed>/validation/ and reports/validation.html.",
        epilog="Example:\n  python -m pipeline validate --raw data/raw",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _dirs_arguments(validate)
    _run_arguments(validate)
    return main


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="countries built at once (default: one per core)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="rebuild every country, even those whose inputs did not change",
    )


def main(argv: list[str] | None = None) -> int:
    """Run a command and return its exit code: 0 all built, 1 not, 2 usage, 130 interrupted."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    if not args.raw.is_dir():
        print(f"error: the raw data folder {args.raw} does not exist.", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs < 0:
        print("error: --jobs must be 1 or more (0 means one per core).", file=sys.stderr)
        return EXIT_USAGE
    from pipeline.config import Dirs

    dirs = Dirs(
        raw=args.raw.resolve(), processed=args.processed.resolve(), reports=args.reports.resolve()
    )
    try:
        return _command(args, dirs)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"error: {io_message(exc, dirs)}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 (a bug: its traceback goes to a log, not here)
        from pipeline.run.folders import BuildLocked
        from pipeline.run.outputs import log_bug

        if isinstance(exc, BuildLocked):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        log = log_bug(dirs.reports, "python -m pipeline " + " ".join(argv or sys.argv[1:]))
        print(
            f"error: the run stopped on a bug ({type(exc).__name__}). Report it to the "
            f"maintainers with {log}.",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _command(args: argparse.Namespace, dirs: Dirs) -> int:
    from pipeline.run.progress import Progress
    from pipeline.run.runner import run  # after parsing, so --help stays instant

    brief = args.command == "report"
    names = getattr(args, "country", None)
    print(f"{'Building briefs' if brief else 'Validating'} from {args.raw}", flush=True)
    with Progress() as progress:
        outcome = run(
            dirs,
            names,
            brief=brief,
            on_done=progress.done,
            on_start=progress.started,
            lang=getattr(args, "lang", None),
            jobs=args.jobs,  # 0: one per core
            force=args.force,
            isolate=True,  # a country that crashes its process fails alone, --jobs 1 too
        )
    for note in outcome.notes:
        print(f"  {note}", flush=True)
    for unused in outcome.unused_files:
        print(f"  {'Not read':<24} {unused.message} {unused.fix}", flush=True)
    if outcome.content_error:
        print(f"error: {outcome.content_error}", file=sys.stderr)
    if outcome.overview_error:
        print(f"error: {outcome.overview_error}", file=sys.stderr)
    elif outcome.overview is not None and outcome.overview.is_file():
        print(f"  {'Overview':<24} built {outcome.overview.name}", flush=True)
    if outcome.open_data_notice:
        print(f"  {'Open data':<24} {outcome.open_data_notice}", flush=True)
    if names and not outcome.countries:
        print(f"error: no country file in {args.raw} matches {', '.join(names)}.", file=sys.stderr)
        return EXIT_USAGE
    read, accepted, rejected, refused = outcome.invariant()
    if outcome.up_to_date:
        print("Nothing changed since the last build (--force rebuilds everything).", flush=True)
    elif names:
        print("Overview and validation report not rebuilt: they follow full runs.", flush=True)
    print(
        f"Rows: {read} read = {accepted} accepted + {rejected} rejected + {refused} in refused "
        f"files. Report: {config.validation_report(dirs.reports)}",
        flush=True,
    )
    return EXIT_OK if outcome.ok else EXIT_FAILED


#: What an officer can do about each kind of I/O error.
_FIXES = {
    errno.EACCES: "permission denied: give your user write access to it",
    errno.EPERM: "permission denied: give your user write access to it",
    errno.EROFS: "the file system is read-only: make it writable",
    errno.EEXIST: "a file stands where a folder is needed: move that file away",
    errno.ENOTDIR: "a file stands where a folder is needed: move that file away",
    errno.EISDIR: "a folder stands where a file is needed: move that folder away",
    errno.ENOSPC: "the disk is full: free some space",
    errno.EDQUOT: "the disk quota is used up: free some space",
}


def io_message(exc: OSError, dirs: Dirs) -> str:
    """An I/O error as one line for an officer: the path, the cause, and the fix."""
    path = Path(exc.filename) if exc.filename else None
    flag = next(
        (
            f
            for f, folder in (("--reports", dirs.reports), ("--processed", dirs.processed))
            if path is not None and (path == folder or folder in path.parents)
        ),
        "--raw" if path is not None and dirs.raw in (path, *path.parents) else "",
    )
    cause = _FIXES.get(exc.errno or 0, exc.strerror or str(exc))
    other = f", or choose another folder with {flag}" if flag else ""
    if path is not None and path.name.startswith("."):
        path = path.parent  # our lock or temporary file: the folder is what the officer knows
    where = str(path) if path is not None else "a file"
    return (
        f"{where}: {cause}{other}, then run again. Finished briefs were kept and nothing "
        "half-written was left."
    )
