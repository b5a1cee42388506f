"""The run-wide reports: the overview brief and its table, and the validation report."""

from __future__ import annotations

from pathlib import Path

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.outcomes import CountryResult, RunResult
from pipeline.run.open_data import run_open_data
from pipeline.run.outputs import frame_csv, log_bug, remove, write_atomic
from pipeline.run.tasks import PdfRenderer, Shared


def run_outputs(dirs: Dirs, brief: bool) -> list[Path]:
    """The run-wide outputs: validation report, and with briefs the overview and its table."""
    outputs = [config.validation_report(dirs.reports)]
    if brief:
        outputs += [config.overview_pdf(dirs.reports), config.overview_csv(dirs.processed)]
        outputs += run_open_data(dirs)
    return outputs


def build_overview(
    results: list[CountryResult], shared: Shared, dirs: Dirs, render: PdfRenderer | None = None
) -> tuple[str, Path | None]:
    """Write reports/overview.pdf and its table: ("", its path), or (what went wrong, None).

    With no valid country there is nothing to compare: ("", None), and the caller says so.
    """
    if not any(r.status.succeeded and r.summary for r in results):
        return "", None
    from pipeline.core.formatting import Formatter
    from pipeline.present.overview import country_frame, overview_pdf
    from pipeline.present.render import RenderError

    lang = shared.lang or shared.settings.default_language
    fmt = Formatter(lang)
    try:
        table = frame_csv(country_frame(results, fmt).set_index("territory"))
        pdf = overview_pdf(
            results, shared.programmes[lang], fmt, shared.stamp, dirs.templates, table, render
        )
    except Exception as exc:  # noqa: BLE001 (the country briefs stand without it)
        remove([config.overview_pdf(dirs.reports), config.overview_csv(dirs.processed)])
        if isinstance(exc, RenderError):
            return f"The overview could not be rendered: {exc}", None
        log = log_bug(dirs.reports, "building the overview")
        return f"A bug stopped the overview ({type(exc).__name__}); details: {log}", None
    write_atomic(config.overview_csv(dirs.processed), table)
    write_atomic(config.overview_pdf(dirs.reports), pdf)
    return "", config.overview_pdf(dirs.reports)


def write_validation_report(outcome: RunResult, dirs: Dirs) -> None:
    """Write reports/validation.html: every country's status, then every finding."""
    from pipeline.present.validation_report import validation_html

    write_atomic(config.validation_report(dirs.reports), validation_html(outcome, dirs))
