"""The run-wide reports: the overview brief and its table, and the validation report."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.i18n import editions
from pipeline.core.outcomes import CountryResult, RunResult, Status
from pipeline.run.outputs import frame_csv, log_bug, remove, write_atomic
from pipeline.run.tasks import PdfRenderer, Shared


def run_outputs(dirs: Dirs, brief: bool, shared: Shared | None = None) -> list[Path]:
    """The run-wide outputs: validation report and fixes list, and with briefs the overview and
    its table."""
    outputs = [config.validation_report(dirs.reports), config.fixes_csv(dirs.reports)]
    if brief:
        outputs += overview_outputs(dirs, shared)
        outputs += config.run_open_data(dirs.reports)
    return outputs


def overview_outputs(dirs: Dirs, shared: Shared | None = None) -> list[Path]:
    """The overview as PDF and web page in each of its languages, and its table: they come
    and go together. Without `shared`, every language edition there is."""
    if shared is None:
        stems = ["overview", *(p.stem for p in config.every_edition(dirs.reports, "overview")[2:])]
    else:
        stems = [e.stem("overview") for e in editions(shared.settings.overview())]
    return [
        *(config.overview_pdf(dirs.reports, stem) for stem in dict.fromkeys(stems)),
        *(config.overview_web(dirs.reports, stem) for stem in dict.fromkeys(stems)),
        config.overview_csv(dirs.processed),
    ]


def build_overview(
    results: list[CountryResult], shared: Shared, dirs: Dirs, render: PdfRenderer | None = None
) -> tuple[str, Path | None]:
    """Write reports/overview.pdf and its table: ("", its path), or (what went wrong, None).

    With no valid country there is nothing to compare: ("", None), and the caller says so.
    """
    if not any(r.status.succeeded and r.summary for r in results):
        return "", None
    from pipeline.core.formatting import Formatter
    from pipeline.present.brief_context import Framing
    from pipeline.present.overview import overview_pdf
    from pipeline.present.overview_figures import country_frame
    from pipeline.present.render import RenderError

    written: dict[Path, bytes] = {}
    try:
        for edition in editions(shared.settings.overview()):
            fmt = Formatter(edition.locale)
            table = frame_csv(country_frame(results, fmt).set_index("territory"))
            if edition.main:
                written[config.overview_csv(dirs.processed)] = table
            framing = Framing(shared.programmes[edition.language], fmt, shared.stamp)
            pdf, web = overview_pdf(results, framing, dirs.templates, table, render)
            written[config.overview_pdf(dirs.reports, edition.stem("overview"))] = pdf
            written[config.overview_web(dirs.reports, edition.stem("overview"))] = web.encode()
    except Exception as exc:  # noqa: BLE001 (the country briefs stand without it)
        remove(overview_outputs(dirs))
        if isinstance(exc, RenderError):
            return f"The overview could not be rendered: {exc}", None
        log = log_bug(dirs.reports, "building the overview")
        return f"A bug stopped the overview ({type(exc).__name__}); details: {log}", None
    for path, data in written.items():
        write_atomic(path, data)
    return "", config.overview_pdf(dirs.reports)


def write_validation_report(outcome: RunResult, dirs: Dirs) -> None:
    """Write reports/validation.html: every country's status, then every finding."""
    from pipeline.present.validation_report import validation_html

    write_atomic(config.validation_report(dirs.reports), validation_html(outcome, dirs))


class EarlyOverview:
    """The overview, started in the pool beside the last briefs once every country validated.

    It needs only validated results: each valid country is counted as built. If a brief then
    fails, or the pool breaks, the overview is built again from the final results.
    """

    def __init__(
        self,
        chosen: list[Path],
        results: dict[Path, CountryResult],
        shared: Shared,
        dirs: Dirs,
        render: PdfRenderer | None,
    ) -> None:
        self.chosen, self.results, self.shared = chosen, results, shared
        self.dirs, self.render = dirs, render
        self.assumed: list[CountryResult] = []
        self.future: Future[tuple[str, Path | None]] | None = None

    def __call__(
        self, validated: dict[Path, CountryResult]
    ) -> tuple[Callable[..., tuple[str, Path | None]], tuple[object, ...]]:
        """The overview job, from the countries already known and those just validated."""
        known = {**self.results, **validated}
        self.assumed = [as_built(known[p], self.shared.brief) for p in self.chosen]
        return build_overview, (self.assumed, self.shared, self.dirs, self.render)

    def outcome(self, final: list[CountryResult]) -> tuple[str, Path | None] | None:
        """What the early overview gave, if it was built from what the run really produced."""
        if self.future is None or self.future.cancelled():
            return None
        try:
            built = self.future.result()
        except Exception:  # noqa: BLE001 (a broken pool: build it again, alone)
            return None
        same = [(r.status, r.findings) for r in self.assumed] == [
            (r.status, r.findings) for r in final
        ]
        return built if same else None


def as_built(result: CountryResult, brief: bool) -> CountryResult:
    """A validated country as it will stand once its brief is written."""
    if brief and result.status is Status.VALIDATED:
        return replace(result, status=Status.BUILT)
    return result


def overview(
    outcome: RunResult, shared: Shared, dirs: Dirs, render: PdfRenderer | None, isolate: bool
) -> tuple[str, Path | None]:
    """Build the overview, in a worker when countries are isolated (imports paid there once)."""
    if not isolate:
        return build_overview(outcome.countries, shared, dirs, render)
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.run.parallel import in_worker

    try:
        return in_worker(build_overview, outcome.countries, shared, dirs, render)
    except BrokenProcessPool:
        remove(overview_outputs(dirs))
        return "The process building the overview stopped (out of memory?).", None


def open_data(outcome: RunResult, shared: Shared, dirs: Dirs, isolate: bool) -> str:
    """Write the run-wide open data, in a worker when countries are isolated: this process
    then never imports pandas or pandera. An invalid IATI file still fails the run, loudly."""
    from pipeline.run.open_data import write_open_data

    args = (outcome.countries, shared, dirs, outcome.overview is not None)
    if not isolate:
        return write_open_data(*args)
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.run.parallel import in_worker

    try:
        return in_worker(write_open_data, *args)
    except BrokenProcessPool:
        return "The process writing the open data stopped (out of memory?); run again."


def no_overview(outcome: RunResult, dirs: Dirs, shared: Shared) -> str:
    """Why there is no overview this run, in words; its outputs are gone with the reason."""
    remove(overview_outputs(dirs))
    if not shared.programmes:
        return f"No overview: {config.PROGRAMME_FILE} could not be read."
    failed = sum(1 for r in outcome.countries if r.status is Status.FAILED)
    why = (
        f"no country has a brief ({failed} validated, but could not be rendered: see above)"
        if failed
        else "no country validated"
    )
    return (
        f"No overview: {why}, so there are no figures to compare. "
        f"{config.overview_pdf(dirs.reports).name}, {config.overview_web(dirs.reports).name} "
        f"and {config.overview_csv(dirs.processed).name} were removed."
    )
