"""Reproducible in any process (#13): a brief's bytes do not depend on what the process built
before it, and an upgrade of a dependency rebuilds every brief. The PDF is the subject here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from bench.synthetic import country_csv
from pipeline import config
from pipeline.config import Dirs
from pipeline.run import manifest
from pipeline.run.runner import run

PROJECT = Path(__file__).resolve().parents[1]


def _dirs(root: Path, countries: dict[str, str]) -> Dirs:
    (root / "raw").mkdir(parents=True)
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
        shutil.copy(config.RAW_DIR / name, root / "raw" / name)
    for name, text in countries.items():
        (root / "raw" / f"{name}.csv").write_text(text, encoding="utf-8")
    return Dirs(root / "raw", root / "processed", root / "reports")


def test_a_brief_built_after_others_equals_one_built_in_a_fresh_process(tmp_path: Path) -> None:
    uganda = country_csv(5, 1)
    # Warm: this process writes Burundi's brief (French, other glyphs), then Uganda's.
    warm = _dirs(tmp_path / "warm", {"burundi": country_csv(12, 6), "uganda": uganda})
    assert run(warm, jobs=1).ok
    # Fresh: a new process writes Uganda's brief alone.
    fresh = _dirs(tmp_path / "fresh", {"uganda": uganda})
    command = [sys.executable, "-m", "pipeline", "report", "--raw", str(fresh.raw)]
    command += ["--processed", str(fresh.processed), "--reports", str(fresh.reports)]
    subprocess.run([*command, "--jobs", "1"], cwd=PROJECT, check=True, capture_output=True)

    built = config.brief_pdf(warm.reports, "uganda").read_bytes()
    assert built == config.brief_pdf(fresh.reports, "uganda").read_bytes()


def test_the_code_fingerprint_follows_the_installed_dependencies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    versions = manifest.dependency_versions()
    for name in ("weasyprint", "fonttools", "pandas", "matplotlib", "pydyf", "pillow"):
        assert versions[name] == metadata.version(name)
    assert "pytest" not in versions and "ruff" not in versions  # dev tools build no brief
    before = manifest.code_sha256()
    monkeypatch.setattr(manifest, "dependency_versions", lambda: {**versions, "weasyprint": "99"})
    assert manifest.code_sha256() != before
