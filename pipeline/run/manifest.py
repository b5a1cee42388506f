"""Fingerprints of a build's inputs and the manifest of its outputs (stdlib only: it must be fast).

A country is rebuilt when its fingerprint changes. The fingerprint hashes everything its
outputs are made from: its data file and narrative, the shared inputs (programme, exchange
rates, settings), the templates, the translations, and the pipeline's own code and version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import __version__

MANIFEST_VERSION = 2  #: 2: outputs listed once per country, beside its result
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks so size never matters."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def input_hashes(paths: Iterable[Path]) -> dict[str, str]:
    """File name → SHA-256 for each path that exists; a missing file is recorded as absent."""
    return {p.name: (file_sha256(p) if p.is_file() else "absent") for p in sorted(paths)}


def tree_sha256(folder: Path, suffixes: tuple[str, ...]) -> str:
    """One hash over every file below `folder` with one of `suffixes` (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.suffix in suffixes and p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(file_sha256(path).encode())
    return digest.hexdigest()


def code_sha256() -> str:
    """The pipeline's own code, catalogs and version: a change to any rebuilds every brief."""
    package = Path(__file__).resolve().parents[1]
    return _combine({"version": __version__, "code": tree_sha256(package, (".py", ".mo"))})


def _combine(parts: Mapping[str, object]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def fingerprint(shared: Mapping[str, str], own: Mapping[str, str], options: object) -> str:
    """The fingerprint of one country's build: shared inputs, its own inputs and run options."""
    return _combine({"shared": shared, "own": own, "options": repr(options)})


@dataclass
class Entry:
    """One country in the manifest: what it was built from and what it produced."""

    file: str
    fingerprint: str
    inputs: dict[str, str]  #: file name → SHA-256
    outputs: dict[str, str]  #: path relative to the manifest → SHA-256
    result: dict[str, Any] = field(default_factory=dict)  #: the country's summary, as JSON


@dataclass
class Manifest:
    """reports/manifest.json: every output of the last run with the hashes of its inputs."""

    shared: dict[str, str] = field(default_factory=dict)
    countries: dict[str, Entry] = field(default_factory=dict)  #: keyed by input file name
    reports: dict[str, str] = field(default_factory=dict)  #: run-wide outputs → SHA-256
    fingerprint: str = ""  #: of every country's fingerprint: the run-wide outputs' inputs
    errors: str = ""  #: run-wide errors of the last full run; a run with errors is redone

    def to_json(self) -> bytes:
        """Stable JSON: sorted keys, no timestamps, so unchanged runs write identical bytes."""
        body = {
            "manifest_version": MANIFEST_VERSION,
            "generator": f"Impact Briefs {__version__}",
            "shared_inputs": self.shared,
            "countries": {k: vars(v) for k, v in sorted(self.countries.items())},
            "reports": self.reports,
            "reports_fingerprint": self.fingerprint,
            "errors": self.errors,
        }
        return (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def read_manifest(path: Path) -> Manifest:
    """The manifest at `path`; an empty one if it is missing, unreadable or from another format."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        if body.get("manifest_version") != MANIFEST_VERSION:
            return Manifest()
        return Manifest(
            shared=dict(body["shared_inputs"]),
            countries={k: Entry(**v) for k, v in body["countries"].items()},
            reports=dict(body["reports"]),
            fingerprint=str(body["reports_fingerprint"]),
            errors=str(body["errors"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()  # no trustworthy record: everything is rebuilt


def outputs_intact(base: Path, outputs: Mapping[str, str]) -> bool:
    """True when every recorded output still exists with the recorded bytes."""
    return all(
        (base / rel).is_file() and file_sha256(base / rel) == sha for rel, sha in outputs.items()
    )
