"""`make mutation`: mutation-test the modules that read, check, compute and state figures.

mutmut (configured in pyproject.toml, [tool.mutmut]) copies pipeline/ into mutants/, makes
small deliberate bugs (mutants) in the modules named there, and runs for each mutant only the
fast tests that reach its function. A mutant some test fails on is killed; one every test
passes on survived. This command runs one module at a time (the machine is shared: each chunk
is short, niced, and a stopped run resumes at the module it was in), then writes
docs/mutation.md: the score per module and overall, and every survivor.

A survivor can be equivalent: a change no input can tell apart (a cache size, a message's
wording where no rule reads it). Such a survivor counts only with its one-line reason in
tests/mutation_equivalents.toml, keyed by its function and the changed lines, so the key
stays put when other code in the module moves.

    python -m tests.mutation                      every module, then the report
    python -m tests.mutation pipeline/check/totals.py pipeline.read.cells
    python -m tests.mutation --report             the report from the results kept in mutants/
    python -m tests.mutation --fresh ...          test every mutant again, killed ones too

A module tested before runs again only the mutants not yet killed. A mutant judged equivalent
(its function and changed lines listed with a reason) is never tested again: it counts as
equivalent, tested or not.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
REPORT = ROOT / "docs" / "mutation.md"
EQUIVALENTS = Path(__file__).parent / "mutation_equivalents.toml"
#: mutmut's exit codes of a test run, as it reads them (mutmut.stats.status_by_exit_code).
KILLED = {1, 3, 37, -24, 24, 152, 255, 36}  # a failing test, a type error, or a timeout
SURVIVED = {0}
NO_TESTS = {5, 33}
#: Each chunk leaves the other users of the machine their share.
NICE = ["nice", "-n", "10"]


def scope() -> list[str]:
    """The files mutated, from [tool.mutmut] only_mutate, in a stable order."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = settings["tool"]["mutmut"]["only_mutate"]
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pipeline").rglob("*.py"))
    return [
        f
        for f in files
        if any(fnmatch.fnmatch(f, p) for p in patterns) and not f.endswith("__init__.py")
    ]


def module_of(path: str) -> str:
    """pipeline/check/totals.py -> pipeline.check.totals"""
    return path.removesuffix(".py").replace("/", ".")


def path_of(name: str) -> str:
    """A module given as a path or a dotted name -> its path."""
    return name if name.endswith(".py") else name.replace(".", "/") + ".py"


def results(path: str) -> dict[str, int | None]:
    """Each mutant of a file -> the exit code of its test run (None: not run yet)."""
    meta = MUTANTS / (path + ".meta")
    if not meta.exists():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    return codes


def run_module(path: str, jobs: int, fresh: bool) -> float | None:
    """Run mutmut over one module; the seconds it took, None when nothing was left to run.

    A module tested before runs again only its mutants not yet killed (tests are added, so a
    killed mutant stays killed; mutmut makes new mutants of any function that changed).
    """
    codes = results(path)
    if fresh or not codes:
        names = [f"{module_of(path)}.*"]
    else:
        # Neither a killed mutant nor one judged equivalent is tested again, nor tested at all
        # when mutmut made it anew (its judgement is kept by its function and changed lines).
        known = equivalents()
        names = sorted(
            name
            for name, code in codes.items()
            if code not in KILLED and change_of(name, path) not in known
        )
        if not names:
            return None
    MUTANTS.mkdir(exist_ok=True)
    log = MUTANTS / f"{module_of(path)}.log"
    start = time.monotonic()
    command = [*NICE, sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)]
    with log.open("w") as out:
        done = subprocess.run(
            [*command, *names],
            check=False,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        sys.exit(f"mutmut failed on {path} (log: {log}):\n{tail}")
    return time.monotonic() - start


@dataclass
class Tally:
    """One module's mutants, by outcome."""

    path: str
    total: int = 0
    killed: int = 0
    equivalent: int = 0
    no_tests: int = 0
    unchecked: int = 0
    other: int = 0
    survivors: list[tuple[str, str, str | None]] = field(default_factory=list)

    @property
    def counted(self) -> int:
        """Mutants the score is over: all those tested, less the equivalent ones."""
        return self.total - self.unchecked - self.equivalent

    @property
    def score(self) -> float | None:
        return self.killed / self.counted if self.counted else None


def change_of(mutant: str, path: str) -> tuple[str, str]:
    """A mutant's function and its changed lines (the stable key of an equivalent)."""
    # mutmut's own diff of a mutant (what `mutmut show` prints), read in this process: one
    # `mutmut show` per survivor would start a Python each time.
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        diff = get_diff_for_mutant(mutant, path=path)
    finally:
        os.chdir(cwd)
    lines = [
        f"{line[0]} {line[1:].strip()}"
        for line in diff.splitlines()[2:]
        if line[:1] in "-+" and line[1:].strip()
    ]
    # pipeline.check.totals.x_words__mutmut_3, or xǁClassǁmethod for a method.
    function = re.sub(r"\.xǁ|\.x_", ".", re.sub(r"__mutmut_\d+$", "", mutant), count=1)
    function = function.replace("ǁ", ".")
    return function, " | ".join(lines)


def equivalents() -> dict[tuple[str, str], str]:
    """(function, change) -> why no input can tell the mutant from the original."""
    if not EQUIVALENTS.exists():
        return {}
    entries = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8")).get("equivalent", [])
    return {(e["function"], e["change"]): e["reason"] for e in entries}


def tally(path: str, reasons: dict[tuple[str, str], str]) -> Tally:
    t = Tally(path)
    # Only a module with equivalents listed can have one left untested (run_module skips them).
    judged = any(function.startswith(module_of(path) + ".") for function, _ in reasons)
    for mutant, code in sorted(results(path).items(), key=lambda kv: _natural(kv[0])):
        t.total += 1
        if code is None and judged and (reason := reasons.get(change_of(mutant, path))):
            t.equivalent += 1
            t.survivors.append((*change_of(mutant, path), reason))
        elif code is None:
            t.unchecked += 1
        elif code in KILLED:
            t.killed += 1
        elif code in SURVIVED or code in NO_TESTS:
            function, change = change_of(mutant, path)
            reason = reasons.get((function, change))
            if reason:
                t.equivalent += 1
            elif code in NO_TESTS:
                t.no_tests += 1
            t.survivors.append(
                (function, change + (" (no test reaches it)" * (code != 0)), reason)
            )
        else:
            t.other += 1  # suspicious or segfault: neither killed nor a survivor
    return t


def _natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else 0


def percent(score: float | None) -> str:
    return "–" if score is None else f"{100 * score:.1f}%"


def report(tallies: list[Tally], seconds: float | None) -> str:
    """docs/mutation.md."""
    tested = [t for t in tallies if t.counted]
    killed = sum(t.killed for t in tested)
    counted = sum(t.counted for t in tested)
    lines = [
        "# Mutation testing",
        "",
        "Written by `make mutation` (tests/mutation.py; mutmut, configured in pyproject.toml).",
        "Score: killed / (tested − equivalent). A mutant no test reaches counts as a survivor;",
        "an equivalent one counts only with its reason in tests/mutation_equivalents.toml.",
        "",
        f"**Overall: {percent(killed / counted if counted else None)}** "
        f"({killed} of {counted} killed, over the {len(tested)} of {len(tallies)} modules "
        f"tested: {sum(t.total - t.unchecked for t in tallies):,} of "
        f"{sum(t.total for t in tallies):,} mutants in scope"
        + (f"; this run took {seconds / 60:.0f} min" if seconds else "")
        + ").",
        "",
        "| module | mutants | killed | survived | equivalent | no test | not run | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in tallies:
        survived = len(t.survivors) - t.equivalent
        lines.append(
            f"| {t.path} | {t.total} | {t.killed} | {survived} | {t.equivalent} | "
            f"{t.no_tests} | {t.unchecked} | {percent(t.score)} |"
        )
    lines += ["", "## Equivalent mutants", ""]
    lines += [
        f"- `{function}`: `{change}` — {reason}"
        for t in tallies
        for function, change, reason in t.survivors
        if reason
    ] or ["None."]
    lines += ["", "## Survivors", ""]
    for t in tallies:
        left = [(f, c) for f, c, reason in t.survivors if not reason]
        if left:
            lines += [f"### {t.path} ({len(left)})", ""]
            lines += [f"- `{function}`: `{change}`" for function, change in left]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="paths or dotted names (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument("--fresh", action="store_true", help="test killed mutants again too")
    parser.add_argument("--report", action="store_true", help="only write the report")
    args = parser.parse_args(argv)
    everything = scope()
    chosen = [path_of(m) for m in args.modules] or everything
    unknown = sorted(set(chosen) - set(everything))
    if unknown:
        parser.error(f"not in [tool.mutmut] only_mutate: {', '.join(unknown)}")
    start = time.monotonic()
    if not args.report:
        for path in chosen:
            took = run_module(path, args.jobs, args.fresh)
            codes = list(results(path).values())
            killed = sum(code in KILLED for code in codes)
            note = "kept" if took is None else f"{took:.0f} s"
            print(f"{path}: {killed} of {len(codes)} killed ({note})", flush=True)
    reasons = equivalents()
    tallies = [tally(path, reasons) for path in everything]
    REPORT.write_text(report(tallies, None if args.report else time.monotonic() - start))
    tested = [t for t in tallies if t.counted]
    counted = sum(t.counted for t in tested)
    overall = sum(t.killed for t in tested) / counted if counted else None
    print(f"Overall {percent(overall)} killed; report in {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
