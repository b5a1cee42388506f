"""Command line: `python -m pipeline report|validate|fix|template`. Thin: parse, run, print,
exit code."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__, config
from pipeline.core.i18n import LANGUAGES

if TYPE_CHECKING:
    from pipeline.config import Dirs

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
INTERRUPTED = "Interrupted: finished briefs were kept, nothing half-written was left."
#: The environment variable that names a Dask scheduler when --scheduler is not given.
SCHEDULER_VARIABLE = "IMPACT_BRIEFS_SCHEDULER"


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
        "  python -m pipeline report --country kenya --lang fr   (adds reports/kenya.fr.pdf)",
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
        type=_edition_language,
        metavar="{" + ",".join(LANGUAGES) + "}",
        help="add an edition in this language (reports/<country>.<lang>.pdf) beside the ones "
        "data/raw/settings.yaml lists; it is kept and rebuilt until you delete it. A region "
        "may follow: es-GT",
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
    fix = commands.add_parser(
        "fix",
        help="write corrected copies of the files from a fixes list",
        description="Read a fixes list (reports/fixes.csv, as a run wrote it) in which you marked\n"
        "the rows to take with x in the apply column, and write a corrected copy of each file\n"
        "it names into <reports>/fixes/: each marked cell replaced by its suggested value,\n"
        "every other byte kept. Nothing is written into the raw data folder: check the copies,\n"
        "then move them there yourself. A row whose file changed since the list was made,\n"
        "or whose cell no longer holds what was found, is refused and named.",
        epilog="Example:\n  python -m pipeline fix reports/fixes.csv\n"
        "  python -m pipeline fix ~/Desktop/kenya-fixes.csv --raw data/raw --reports reports",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fix.add_argument("fixes", type=Path, metavar="FIXES.csv", help="the marked fixes list")
    fix.add_argument(
        "--raw", type=Path, default=config.RAW_DIR, metavar="DIR", help=_FOLDERS[0][2]
    )
    fix.add_argument(
        "--reports",
        type=Path,
        default=config.REPORTS_DIR,
        metavar="DIR",
        help="folder whose fixes/ gets the corrected copies (default: reports)",
    )
    template = commands.add_parser(
        "template",
        help="write a blank workbook for a country, with the checks built in",
        description="Write <country>-template.xlsx: the country's sheet with the headers in your\n"
        "language, Excel's own checks on every column (whole numbers for counts, decimals for\n"
        "volume and value, lists for currency and period), no formulas, and an Instructions\n"
        "sheet. Fill it in, then save it as <country>.xlsx in the raw data folder.",
        epilog="Examples:\n  python -m pipeline template kenya\n"
        "  python -m pipeline template Rwanda --lang fr --periods 2004 2005-H1 --out ~/Desktop",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    template.add_argument("country", metavar="COUNTRY", help="country name or ISO code")
    template.add_argument(
        "--periods",
        nargs="+",
        metavar="PERIOD",
        help="reporting periods to offer in a Period column (2004, 2003-2004, 2005-Q2, 2005-H1)",
    )
    template.add_argument(
        "--lang", choices=LANGUAGES, default="en", help="language of the headers and instructions"
    )
    template.add_argument(
        "--out",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="folder to write it in (default: .)",
    )
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
    parser.add_argument(
        "--scheduler",
        default=os.environ.get(SCHEDULER_VARIABLE) or None,
        metavar="ADDRESS",
        help="build the countries on a Dask cluster: tcp://host:8786, tls://host:8786, or "
        f"local for one on this machine (default: ${SCHEDULER_VARIABLE}; needs make dask)",
    )
    parser.add_argument(
        "--scheduler-security",
        type=Path,
        metavar="FILE",
        help="YAML file of distributed's TLS settings (distributed: comm: tls: …) for tls://",
    )


def main(argv: list[str] | None = None) -> int:
    """Run a command and return its exit code: 0 all built, 1 not, 2 usage, 130 interrupted."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    if args.command == "template":
        return _guarded(_template, args, None, argv)
    if not args.raw.is_dir():
        print(f"error: the raw data folder {args.raw} does not exist.", file=sys.stderr)
        return EXIT_USAGE
    if getattr(args, "jobs", 0) < 0:
        print("error: --jobs must be 1 or more (0 means one per core).", file=sys.stderr)
        return EXIT_USAGE
    if problem := _scheduler_problem(args):
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    from pipeline.config import Dirs

    if args.command == "fix":
        dirs = Dirs(raw=args.raw.resolve(), reports=args.reports.resolve())
        return _guarded(_fix, args, dirs, argv)
    dirs = Dirs(
        raw=args.raw.resolve(), processed=args.processed.resolve(), reports=args.reports.resolve()
    )
    return _guarded(_command, args, dirs, argv)


def _scheduler_problem(args: argparse.Namespace) -> str:
    """What is wrong with --scheduler and --scheduler-security ("" when nothing is)."""
    address = getattr(args, "scheduler", None)
    if not address:
        return ""
    if address != "local" and not address.startswith(("tcp://", "tls://")):
        return (
            f"--scheduler {address}: give a Dask scheduler's address (tcp://host:8786 or "
            "tls://host:8786), or local for a cluster on this machine."
        )
    security = getattr(args, "scheduler_security", None)
    if security is not None and not security.is_file():
        return f"the security file {security} (--scheduler-security) does not exist."
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        return (
            "--scheduler needs Dask, which is not installed: run make dask "
            "(or pip install 'impact-briefs[dask]'), or build without --scheduler."
        )
    return ""


def _guarded(
    command: Callable[[argparse.Namespace, Dirs], int],
    args: argparse.Namespace,
    dirs: Dirs | None,
    argv: list[str] | None,
) -> int:
    """Run a command: Ctrl-C, I/O errors and bugs each end in one line and an exit code."""
    from pipeline.config import Dirs

    dirs = dirs or Dirs()
    try:
        return command(args, dirs)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"error: {io_message(exc, dirs)}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 (a bug: its traceback goes to a log, not here)
        from pipeline.run.folders import BuildLocked
        from pipeline.run.outputs import log_bug
        from pipeline.run.remote import SchedulerUnreachable

        if isinstance(exc, BuildLocked | SchedulerUnreachable):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FAILED
        log = log_bug(dirs.reports, "python -m pipeline " + " ".join(argv or sys.argv[1:]))
        print(
            f"error: the run stopped on a bug ({type(exc).__name__}). Report it to the "
            f"maintainers with {log}.",
            file=sys.stderr,
        )
        return EXIT_FAILED


def _edition_language(text: str) -> str:
    """--lang's value: a language the briefs are written in, with a region CLDR knows."""
    from pipeline.core.i18n import UnknownLanguage, split_tag

    try:
        split_tag(text)
    except UnknownLanguage as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _command(args: argparse.Namespace, dirs: Dirs) -> int:
    from pipeline.run.progress import Progress
    from pipeline.run.runner import run  # after parsing, so --help stays instant

    brief = args.command == "report"
    names = getattr(args, "country", None)
    print(f"{'Building briefs' if brief else 'Validating'} from {args.raw}", flush=True)
    with Progress() as progress:
        outcome = run(
            dirs,
            only=names,
            brief=brief,
            on_done=progress.done,
            on_start=progress.started,
            lang=getattr(args, "lang", None),
            jobs=args.jobs,  # 0: one per core
            force=args.force,
            isolate=True,  # a country that crashes its process fails alone, --jobs 1 too
            scheduler=getattr(args, "scheduler", None),
            scheduler_security=getattr(args, "scheduler_security", None),
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
        web = outcome.overview.with_suffix(".html").name
        print(f"  {'Overview':<24} built {outcome.overview.name} and {web}", flush=True)
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


def _fix(args: argparse.Namespace, dirs: Dirs) -> int:
    """Apply the marked rows of a fixes list: corrected copies in <reports>/fixes/."""
    from pipeline.run.fixes import FixListError, apply_fixes

    if not args.fixes.is_file():
        print(f"error: the fixes list {args.fixes} does not exist.", file=sys.stderr)
        return EXIT_USAGE
    try:
        outcome = apply_fixes(args.fixes, dirs)
    except FixListError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if not outcome.marked:
        print(
            f"No row of {args.fixes} is marked to apply: write x in the apply column of the "
            "rows to take, save the list, and run this again.",
            flush=True,
        )
        return EXIT_FAILED
    for fixed in outcome.fixed:
        cells = f"{fixed.cells} cell{'s' if fixed.cells != 1 else ''} corrected"
        if fixed.errors:
            state = f"it still has {len(fixed.errors)} error(s), first: {fixed.errors[0]}"
        else:
            state = f"it validates: review it, then move it into {dirs.raw} to use it"
        print(f"  {fixed.copy}: {cells}; {state}", flush=True)
    for problem in outcome.refused:
        print(f"  refused: {problem}", flush=True)
    applied = sum(f.cells for f in outcome.fixed)
    print(f"Applied {applied} of {outcome.marked} marked row(s) of {args.fixes}.", flush=True)
    return EXIT_OK if outcome.ok else EXIT_FAILED


def _template(args: argparse.Namespace, dirs: Dirs) -> int:
    """Write <country>-template.xlsx into --out."""
    from pipeline.run.template import TemplateError, write_template

    try:
        path = write_template(args.country, args.periods or [], args.lang, args.out, dirs.raw)
    except TemplateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    final = path.name.removesuffix("-template.xlsx") + ".xlsx"
    print(f"Wrote {path}. Fill it in, then save it as {final} in {dirs.raw}.", flush=True)
    return EXIT_OK


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
