"""Reproducible across upgrades (#13): an upgrade of a dependency rebuilds every brief.

That a brief's bytes do not depend on what its process built before is
tests/test_trust.py::test_builds_are_byte_identical_across_processes."""

from __future__ import annotations

import shutil
from importlib import metadata
from pathlib import Path

import pytest

from pipeline import config
from pipeline.config import Dirs
from pipeline.run import manifest

from .conftest import SEED

PROJECT = Path(__file__).resolve().parents[1]


def _dirs(root: Path, countries: dict[str, str]) -> Dirs:
    (root / "raw").mkdir(parents=True)
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
        shutil.copy(SEED / name, root / "raw" / name)
    for name, text in countries.items():
        (root / "raw" / f"{name}.csv").write_text(text, encoding="utf-8")
    return Dirs(root / "raw", root / "processed", root / "reports")


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
