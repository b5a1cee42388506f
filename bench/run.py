"""`make bench`: build a synthetic portfolio and write the figures to docs/benchmarks.md.

Each build runs the real command line in a fresh process, as an officer would. Wall time
is what the officer waits; CPU time of the in-process brief loop is the per-brief cost.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.synthetic import country_csv, portfolio
from pipeline import __version__, config

PROJECT = Path(__file__).resolve().parents[1]
COMMAND = "make bench"

#: The same bench on the same 2-core machine just before issue #14 (main at 324e2c1 with the
#: three earlier #14 commits reverted, 2026-11-29 12:50 UTC): the baseline of its targets.
BEFORE = {
    "full": 53.50,  # s, full build, all cores
    "serial": 87.51,  # s, full build, --jobs 1
    "one": 7.78,  # s, one country changed
    "noop": 0.38,  # s
    "brief": 1.55,  # CPU s per 20-territory brief
}


@dataclass(frozen=True)
class Target:
    """One measurement, its target and whether it was met."""

    name: str
    value: float
    unit: str
    target: str
    met: bool
    before: float | None = None  #: the same measurement before issue #14 (BEFORE)


def _cli(raw: Path, out: Path, *extra: str) -> float:
    """Wall seconds of one `python -m pipeline report` run in a fresh process."""
    command = [sys.executable, "-m", "pipeline", "report", "--raw", str(raw)]
    command += ["--processed", str(out / "processed"), "--reports", str(out / "reports"), *extra]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: the build failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def _cluster(raw: Path, out: Path) -> float | None:
    """Wall seconds of a full build on `--scheduler local` (None without the dask extra):
    the cluster's start, its workers' imports and every brief, as an officer waits for them."""
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        print("bench: the dask extra is not installed (make dask): no cluster row", flush=True)
        return None
    return _cli(raw, out, "--scheduler", "local")


def _cluster_targets(cluster: float | None, pool: float, identical: bool) -> list[Target]:
    """The cluster's rows: its full build against the pool's, and the same bytes."""
    if cluster is None:
        return []
    return [
        Target(
            "Full build on --scheduler local (Dask, one worker per core)",
            cluster,
            "s",
            f"≤ 1.15 × {pool:.1f} s (the pool)",
            cluster <= 1.15 * pool,
        ),
        Target(
            "Bytes: --scheduler local and the pool (= --jobs 1) builds are identical",
            float(identical),
            "(1 = yes)",
            "byte-identical",
            identical,
        ),
    ]


#: The stage of the web edition (issue #24): its page, its fonts, its CSV links.
WEB_STAGE = "web edition: page, fonts, CSV links (#24)"


def _per_brief_cpu(
    raw: Path, out: Path, count: int
) -> tuple[float, float, dict[str, float], float]:
    """CPU seconds per brief, the one-off import cost, where a brief's time goes, and the web
    edition's cost in the first brief of a process (its fonts are subset then, once)."""
    start = time.process_time()
    import weasyprint

    import pipeline.present.brief
    import pipeline.present.brief_context
    import pipeline.run.build
    from pipeline.config import Dirs
    from pipeline.run.inputs import shared_inputs

    imports = time.process_time() - start
    gc.freeze()  # as each worker does after its imports (pipeline/run/parallel.py)
    stages: dict[str, float] = {}

    def timed(owner: object, name: str, stage: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            begin = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                stages[stage] = stages.get(stage, 0.0) + time.process_time() - begin

        setattr(owner, name, wrapper)

    # Bench-only instrumentation: the pipeline itself carries no timers.
    timed(pipeline.run.build, "validated_country", "read and validate")
    timed(pipeline.present.brief_context, "charts", "build chart figures (matplotlib)")
    timed(pipeline.present.brief_context, "figure_svg", "render charts to SVG (matplotlib)")
    timed(weasyprint.HTML, "render", "lay out pages (WeasyPrint)")
    timed(weasyprint.Document, "write_pdf", "write PDF, subset fonts (WeasyPrint)")
    timed(pipeline.present.brief, "web_page", WEB_STAGE)
    timed(pipeline.run.build, "figure_lineage", "lineage: figures to input cells")
    timed(pipeline.run.build, "lineage_records", "lineage: table rows and CSV")
    timed(pipeline.present.brief_context, "appendix_entries", "lineage: appendix entries")
    # The rows are a generator: consumed inside the timer, not later by csv_bytes.
    rows = pipeline.run.build.lineage_records
    pipeline.run.build.lineage_records = lambda *a, **k: list(rows(*a, **k))  # type: ignore[assignment]
    dirs = Dirs(raw, out / "processed", out / "reports")
    shared, _ = shared_inputs(dirs)
    files = sorted(raw.glob("*.csv"))[: count + 1]
    count = len(files) - 1  # a small --countries run has fewer
    pipeline.run.build.build_country(files[0], dirs, shared)  # warm caches: fonts, catalogs
    web_first = stages.get(WEB_STAGE, 0.0)
    stages.clear()
    start = time.process_time()
    for path in files[1:]:
        pipeline.run.build.build_country(path, dirs, shared)
    per_brief = (time.process_time() - start) / count
    # The same briefs without their lineage (no table, no appendix pages): what it adds.
    kept = dict(stages)
    real = pipeline.run.build.figure_lineage
    pipeline.run.build.figure_lineage = lambda *a, **k: []  # type: ignore[assignment]
    start = time.process_time()
    for path in files[1:]:
        pipeline.run.build.build_country(path, dirs, shared)
    kept["without lineage (whole brief)"] = time.process_time() - start
    pipeline.run.build.figure_lineage = real
    stages = kept
    return per_brief, imports, {k: v / count for k, v in stages.items()}, web_first


def _import_floor() -> float:
    """CPU seconds of importing pandas, pandera, matplotlib and WeasyPrint in a fresh process:
    the machine's own floor, to scale these figures to another machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    imports = "import pandas, pandera, matplotlib, weasyprint"
    subprocess.run([sys.executable, "-W", "ignore", "-c", imports], check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        kib = int(meminfo.read_text().split()[1])
        memory = f", {kib / 1024**2:.0f} GiB RAM"
    return f"{model or platform.processor()}, {cores} cores{memory}; {platform.platform()}"


def measure(countries: int, territories: int, large: int) -> tuple[list[Target], str]:
    """Run every measurement on a fresh synthetic portfolio; return targets and notes."""
    with tempfile.TemporaryDirectory(prefix="impact-bench-") as tmp:
        root = Path(tmp)
        raw = root / "raw"
        raw.mkdir()
        for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
            shutil.copy(config.RAW_DIR / name, raw / name)
        paths = portfolio(raw, countries, territories, large)
        total = len(paths)
        print(f"bench: {total} countries in {raw}", flush=True)

        serial = _cli(raw, root / "serial", "--jobs", "1")
        print(f"bench: cold full build, --jobs 1: {serial:.1f} s", flush=True)
        parallel = _cli(raw, root / "parallel")
        print(f"bench: cold full build, all cores: {parallel:.1f} s", flush=True)
        # Same inputs, one worker against all: the outputs must be the same bytes.
        identical = _tree(root / "serial") == _tree(root / "parallel")
        # Median of five: a run this short is at the mercy of whatever else the machine does.
        noop = sorted(_cli(raw, root / "parallel") for _ in range(5))[2]
        print(f"bench: no-op rebuild: {noop:.2f} s", flush=True)
        paths[0].write_text(country_csv(territories, seed=10_000), encoding="utf-8")
        one = _cli(raw, root / "parallel")
        print(f"bench: one country changed: {one:.1f} s", flush=True)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        # After the peak: the client of a local cluster also hosts its scheduler and nannies.
        cluster, identical_cluster = _cluster(raw, root / "cluster"), False
        if cluster is not None:
            print(f"bench: cold full build, --scheduler local: {cluster:.1f} s", flush=True)
            # The same inputs as the pool's last build (one country has changed since the
            # --jobs 1 build, whose bytes the pool's matched).
            identical_cluster = _tree(root / "parallel") == _tree(root / "cluster")
        per_brief, imports, stages, web_first = _per_brief_cpu(raw, root / "inprocess", count=10)
        print(f"bench: per-brief CPU: {per_brief:.2f} s", flush=True)
        floor = _import_floor()

    ratio = serial / parallel
    without = stages.pop("without lineage (whole brief)")
    # Every stage of a brief without its lineage ran again in the run above: not counted twice.
    lineage = per_brief - without
    targets = [
        Target(
            "20-territory brief, CPU per brief",
            per_brief,
            "s",
            f"≤ 0.75 × {BEFORE['brief']:.2f} s",
            per_brief <= 0.75 * BEFORE["brief"],
            BEFORE["brief"],
        ),
        Target(
            "Lineage table and appendix (#25), CPU added per brief",
            lineage,
            "s",
            f"≤ 10% of the brief's ({0.1 * without:.2f} s)",
            lineage <= 0.1 * without,
        ),
        Target(
            f"Full build of the {total} countries (all cores)",
            parallel,
            "s",
            f"≤ 0.75 × {BEFORE['full']:.1f} s",
            parallel <= 0.75 * BEFORE["full"],
            BEFORE["full"],
        ),
        Target(
            "One country changed",
            one,
            "s",
            f"≤ 0.6 × {BEFORE['one']:.2f} s",
            one <= 0.6 * BEFORE["one"],
            BEFORE["one"],
        ),
        Target("No-op rebuild", noop, "s", "< 0.3 s", noop < 0.3, BEFORE["noop"]),
        Target(
            "Web edition of a brief, CPU per brief (#24)",
            stages.get(WEB_STAGE, 0.0),
            "s",
            "≤ 10% of the brief's CPU",
            stages.get(WEB_STAGE, 0.0) <= 0.1 * per_brief,
        ),
        Target(
            "Bytes: --jobs 1 and all-cores builds are identical",
            float(identical),
            "(1 = yes)",
            "byte-identical",
            identical,
        ),
        Target("Full build with --jobs 1", serial, "s", "–", True, BEFORE["serial"]),
        *_cluster_targets(cluster, parallel, cluster is not None and identical_cluster),
        Target("All cores against --jobs 1", ratio, "×", "–", True),
        Target(
            "Peak memory of the main process (fork-server workers not seen)",
            peak_mib,
            "MiB",
            "–",
            True,
        ),
        Target(
            "Import floor (pandas, pandera, matplotlib, WeasyPrint)", floor, "s CPU", "–", True
        ),
    ]
    accounted = sum(stages.values())
    lines = [f"| {stage} | {seconds:.2f} s |" for stage, seconds in stages.items()]
    lines.append(f"| other (context, HTML, CSV, files) | {per_brief - accounted:.2f} s |")
    notes = (
        "Where one brief's CPU time goes (20 territories, mean of 10):\n\n"
        "| Stage | CPU |\n|---|---|\n" + "\n".join(lines) + "\n\n"
        f"One-off import cost of pandas, pandera, matplotlib and WeasyPrint (CPU): "
        f"{imports:.2f} s, paid once per run in the worker pool's fork server.\n\n"
        f"The web edition's first page in a process costs {web_first:.2f} s CPU: its fonts are "
        "subset then (Latin-1, Latin Extended-A and punctuation), and every later page of the "
        "process that needs no other letter reuses them."
    )
    return targets, notes


def report(targets: list[Target], notes: str, countries: int, territories: int, large: int) -> str:
    """docs/benchmarks.md: the figures, the machine, the date and the command."""
    rows = "\n".join(
        f"| {t.name} | {'–' if t.before is None else f'{t.before:.2f} {t.unit}'} "
        f"| {t.value:.2f} {t.unit} | {t.target} | {'met' if t.met else '**not met**'} |"
        for t in targets
    )
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"""# Benchmarks

Measured with `{COMMAND}` on {now}, Impact Briefs {__version__}.

- **Machine:** {_machine()}
- **Python:** {platform.python_version()}
- **Portfolio:** {countries} synthetic countries of {territories} territories each, plus one of
  {large} territories, generated by `bench/synthetic.py` in a temporary folder.
- **Method:** each build is `python -m pipeline report` in a fresh process (wall time). The
  per-brief cost is CPU time per country in one warm process, validation, charts and PDF
  together, averaged over 10 countries. Peak memory is the command's own largest resident set
  (`getrusage`, children): the workers fork from a fork server and are not seen. "Before #14" is this same bench on the same
  machine just before the performance work of issue #14 (`BEFORE` in `bench/run.py`).

| Measurement | Before #14 | Now | Target | |
|---|---|---|---|---|
{rows}

{notes}

Targets are benchmark targets, not test assertions: `make test` checks behaviour only.
"""


def main() -> None:
    """Measure, print, and write docs/benchmarks.md."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Build a synthetic portfolio and record speed and memory.",
        epilog="Example:\n  make bench\n  python -m bench.run --countries 10 --no-write",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--countries", type=int, default=50)
    parser.add_argument("--territories", type=int, default=20)
    parser.add_argument("--large", type=int, default=2000, help="territories of the large country")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    targets, notes = measure(args.countries, args.territories, args.large)
    text = report(targets, notes, args.countries, args.territories, args.large)
    print(text)
    if not args.no_write:
        out = PROJECT / "docs" / "benchmarks.md"
        out.parent.mkdir(exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"bench: wrote {out.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
