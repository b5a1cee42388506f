"""What a run prints: one line per country, live progress on a terminal (rich), plain in logs."""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TextIO

from pipeline.core.findings import errors, warnings
from pipeline.core.outcomes import CountryResult, Status


def country_line(result: CountryResult) -> list[str]:
    """The lines that tell an officer what became of one country."""
    n_err, n_warn = len(errors(result.findings)), len(warnings(result.findings))
    warns = f"{n_warn} warning{'' if n_warn == 1 else 's'}"
    if result.status is Status.BUILT:
        what = f"built {_written(result)}, {warns}"
    elif result.status is Status.VALIDATED:
        what = f"valid, {warns}"
    else:
        what = f"{result.status}: {n_err} error{'' if n_err == 1 else 's'}, {warns}"
    lines = [f"  {result.name:<24} {what}"]
    lines += [f"      {f.as_text()}" for f in errors(result.findings)[:3]]
    if n_err > 3:
        lines.append(f"      … and {n_err - 3} more in the validation report")
    return lines


def _written(result: CountryResult) -> str:
    """The editions this run wrote, each PDF with its pages and its web page:
    "kenya.pdf (5 pages) and kenya.html", "kenya.fr.pdf (5 pages) and kenya.fr.html"."""
    written = result.written
    if not written:  # recalled from elsewhere (an older worker): the main edition
        pdf = next((p.name for p in result.outputs if p.suffix == ".pdf"), "")
        written = {pdf: result.pages} if pdf else {}
    names = {p.name for p in result.outputs}
    parts = []
    for pdf, pages in written.items():
        web = pdf.removesuffix(".pdf") + ".html"
        part = f"{pdf} ({pages} page{'' if pages == 1 else 's'})"
        parts.append(f"{part} and {web}" if web in names else part)
    return "; ".join(parts)


class Progress:
    """Reports countries as they start and finish; unchanged good ones are only counted."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout  # looked up now: tests and callers may swap it
        self.unchanged = 0
        self.live: Any = None
        self.task: Any = None
        self.running: list[str] = []

    def __enter__(self) -> Self:
        if self.stream.isatty():
            # rich only on a terminal: CI logs and files get plain, stable lines.
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, SpinnerColumn, TextColumn
            from rich.progress import Progress as Bar

            self.live = Bar(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self.live.__enter__()
            self.task = self.live.add_task("building", total=None)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.live is not None:
            self.live.__exit__(kind, value, traceback)
        if self.unchanged:
            plural = "country" if self.unchanged == 1 else "countries"
            self._print(f"  {self.unchanged} {plural} unchanged since the last build")

    def _print(self, line: str) -> None:
        if self.live is not None:
            self.live.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def _describe(self) -> None:
        if self.live is not None:
            shown = ", ".join(self.running[:4]) + (" …" if len(self.running) > 4 else "")
            self.live.update(self.task, description=f"building {shown}")

    def started(self, path: Path) -> None:
        """A country was handed to a worker."""
        self.running.append(path.stem)
        if self.live is not None:
            total = (self.live.tasks[0].total or 0) + 1
            self.live.update(self.task, total=total)
        self._describe()

    def done(self, result: CountryResult) -> None:
        """A country finished, or was found unchanged."""
        stem = Path(result.file).stem
        if stem in self.running:
            self.running.remove(stem)
            if self.live is not None:
                self.live.advance(self.task)
            self._describe()
        if result.unchanged and result.status.succeeded:
            self.unchanged += 1
            return
        for line in country_line(result):
            self._print(line)
