"""Command line: `python -m pipeline report|validate`. Thin: parse, run, print, exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__, config
from pipeline.i18n import LANGUAGES

if TYPE_CHECKING:
    from pipeline.tasks import CountryResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _dirs_arguments(parser: argparse.ArgumentParser, reports: bool) -> None:
    parser.add_argument(
        "--raw",
        type=Path,
        default=config.RAW_DIR,
        metavar="DIR",
        help="folder of country CSVs and programme.yaml (default: data/raw)",
    )
    parser.add_argument(
        "--processed",
        type=Path,
        default=config.PROCESSED_DIR,
        metavar="DIR",
        help="folder for processed tables and findings (default: data/processed)",
    )
    if reports:
        parser.add_argument(
            "--reports",
            type=Path,
            default=config.REPORTS_DIR,
            metavar="DIR",
            help="folder for the PDF briefs and validation report (default: reports)",
        )


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
    _dirs_arguments(report, reports=True)
    report.add_argument(
        "--country",
        action="append",
        metavar="NAME",
        help="build only this country (file stem, name or ISO code); repeatable",
    )
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
    _dirs_arguments(validate, reports=True)
    return main


def _print_country(result: CountryResult) -> None:
    from pipeline.findings import errors, warnings
    from pipeline.tasks import Status

    n_err, n_warn = len(errors(result.findings)), len(warnings(result.findings))
    plural = "" if n_warn == 1 else "s"
    if result.status is Status.BUILT:
        what = f"built {result.outputs[-1].name} ({result.pages} pages), {n_warn} warning{plural}"
    elif result.status is Status.VALIDATED:
        what = f"valid, {n_warn} warning{plural}"
    else:
        what = (
            f"{result.status}: {n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{plural}"
        )
    print(f"  {result.name:<24} {what}", flush=True)
    for finding in errors(result.findings)[:3]:
        print(f"      {finding.as_text()}", flush=True)
    if n_err > 3:
        print(f"      … and {n_err - 3} more in the validation report", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run a command and return its exit code: 0 all built, 1 any country failed, 2 usage."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    if not args.raw.is_dir():
        print(f"error: the raw data folder {args.raw} does not exist.", file=sys.stderr)
        return EXIT_USAGE
    from pipeline.runner import run  # after parsing, so --help stays instant
    from pipeline.tasks import Dirs

    dirs = Dirs(
        raw=args.raw.resolve(), processed=args.processed.resolve(), reports=args.reports.resolve()
    )
    brief = args.command == "report"
    names = getattr(args, "country", None)
    print(f"{'Building briefs' if brief else 'Validating'} from {args.raw}", flush=True)
    outcome = run(
        dirs, names, brief=brief, on_done=_print_country, lang=getattr(args, "lang", None)
    )
    if outcome.content_error:
        print(f"error: {outcome.content_error}", file=sys.stderr)
    if outcome.overview_error:
        print(f"error: {outcome.overview_error}", file=sys.stderr)
    elif brief and config.overview_pdf(dirs.reports).is_file():
        print(f"  {'Overview':<24} built {config.overview_pdf(dirs.reports).name}", flush=True)
    if names and not outcome.countries:
        print(f"error: no country file in {args.raw} matches {', '.join(names)}.", file=sys.stderr)
        return EXIT_USAGE
    read, accepted, rejected, refused = outcome.invariant()
    print(
        f"Rows: {read} read = {accepted} accepted + {rejected} rejected + {refused} in refused "
        f"files. Report: {config.validation_report(dirs.reports)}",
        flush=True,
    )
    return EXIT_OK if outcome.ok else EXIT_FAILED
