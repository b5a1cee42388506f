"""Fingerprints of a build's inputs and the manifest of its outputs (light imports: it must be fast).

A country is rebuilt when its fingerprint changes. The fingerprint hashes everything its
outputs are made from: its data file and narrative, the shared inputs (programme, exchange
rates, settings), the templates, the translations, the pipeline's own code and version, and
the installed version of every package it runs on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import fields
from functools import cache
from importlib import metadata
from pathlib import Path, PurePath
from typing import Annotated, Literal, get_type_hints

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
    model_validator,
)

from pipeline import __version__
from pipeline.core.countries import resolve_country
from pipeline.core.findings import Finding
from pipeline.core.outcomes import CountryResult

#: 2: outputs listed once per country, beside its result; 3: each country's editions
MANIFEST_VERSION: Literal[3] = 3
_CHUNK = 1 << 20
#: A manifest larger than this is not read: it cannot be one this pipeline wrote.
MAX_MANIFEST_BYTES = 64 << 20
#: The installed distribution whose requirements are the pipeline's dependencies.
DISTRIBUTION = "impact-briefs"


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
    """The pipeline's code, catalogs, version and dependencies: a change to any rebuilds all."""
    return _combine(code_parts())


def code_parts() -> dict[str, object]:
    """What `code_sha256` hashes: the version, the code's own hash, each package's version."""
    return {"version": __version__, "code": _own_code(), "packages": dependency_versions()}


@cache
def _own_code() -> str:
    """The hash of the pipeline's modules and catalogs, once per process: a process runs the
    code it started with, and each run used to hash every file again."""
    return tree_sha256(Path(__file__).resolve().parents[1], (".py", ".mo"))


def code_difference(here: Mapping[str, object], there: Mapping[str, object]) -> str:
    """What differs between two `code_parts`, in words ("" when nothing does)."""
    differences = []
    if here.get("version") != there.get("version"):
        differences.append(
            f"Impact Briefs {there.get('version')} there, {here.get('version')} here"
        )
    elif here.get("code") != there.get("code"):
        differences.append("the pipeline's code differs")
    ours, theirs = here.get("packages"), there.get("packages")
    ours = ours if isinstance(ours, dict) else {}
    theirs = theirs if isinstance(theirs, dict) else {}
    for name in sorted(set(ours) | set(theirs)):
        if ours.get(name) != theirs.get(name):
            there_, here_ = theirs.get(name, "not installed"), ours.get(name, "not installed")
            differences.append(f"{name} {there_} there, {here_} here")
    return "; ".join(differences)


@cache
def dependency_versions() -> dict[str, str]:
    """The installed version of every package the pipeline runs on, its own included.

    Upgrading WeasyPrint, fontTools or pandas can change a brief's bytes, so it rebuilds them.
    The walk follows each package's requirements (extras left out) from `DISTRIBUTION`.
    """
    versions: dict[str, str] = {}
    todo = [DISTRIBUTION]
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in versions:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed
        versions[name] = dist.version
        for requirement in dist.requires or []:
            if not re.search(r"\bextra\s*==", requirement):
                todo.append(re.split(r"[^A-Za-z0-9._-]", requirement.strip(), maxsplit=1)[0])
    return dict(sorted(versions.items()))


def _combine(parts: Mapping[str, object]) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def fingerprint(shared: Mapping[str, str], own: Mapping[str, str], options: object) -> str:
    """The fingerprint of one country's build: shared inputs, its own inputs and run options."""
    return _combine({"shared": shared, "own": own, "options": repr(options)})


def _relative(path: str) -> str:
    if not path or "\0" in path or PurePath(path).is_absolute():
        raise ValueError("expected a path relative to the reports folder")
    return path


def _resolvable(alpha_3: str | None) -> str | None:
    if alpha_3 is not None:
        resolve_country(alpha_3)  # UnknownCountry is a ValueError: the record is refused
    return alpha_3


Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
RelativePath = Annotated[str, AfterValidator(_relative)]
_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)

_RESULT_HINTS = get_type_hints(CountryResult)
#: A country's result as `CountryResult.to_json` records it: every field, typed, none other.
ResultRecord: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "ResultRecord",
    __config__=_STRICT,
    country=(Annotated[str | None, AfterValidator(_resolvable)], ...),
    findings=(list[Finding], ...),
    **{
        f.name: (_RESULT_HINTS[f.name], ...)
        for f in fields(CountryResult)
        if f.name not in ("country", "findings", "outputs", "unchanged")  # as to_json skips
    },
)


class Entry(BaseModel):
    """One country in the manifest: what it was built from and what it produced."""

    model_config = _STRICT

    file: str
    fingerprint: Sha256
    inputs: dict[str, str]  #: file name → SHA-256 (or "absent")
    outputs: dict[RelativePath, Sha256]  #: path relative to the manifest → SHA-256
    result: ResultRecord

    def country_result(self, base: Path) -> CountryResult:
        """The recorded result, its outputs resolved against the reports folder `base`."""
        record = self.result.model_dump(mode="json")
        return CountryResult.from_json(record, [(base / p).resolve() for p in self.outputs])


class Manifest(BaseModel):
    """reports/manifest.json: every output of the last run with the hashes of its inputs."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_by_name=True)

    version: Literal[3] = Field(MANIFEST_VERSION, alias="manifest_version")
    generator: str = f"Impact Briefs {__version__}"
    shared: dict[str, str] = Field(default_factory=dict, alias="shared_inputs")
    countries: dict[str, Entry] = Field(default_factory=dict)  #: keyed by input file name
    reports: dict[RelativePath, Sha256] = Field(default_factory=dict)  #: run-wide outputs
    #: of every country's fingerprint: the run-wide outputs' inputs
    fingerprint: str = Field("", alias="reports_fingerprint")
    errors: str = ""  #: run-wide errors of the last full run; a run with errors is redone

    @model_validator(mode="after")
    def _keyed_by_file(self) -> Manifest:
        if any(name != entry.file for name, entry in self.countries.items()):
            raise ValueError("each country must be listed under its own file name")
        return self

    def recorded_outputs(self) -> set[str]:
        """Every output this manifest lists, relative to the reports folder."""
        return {p for e in self.countries.values() for p in e.outputs} | set(self.reports)

    def to_json(self) -> bytes:
        """Stable JSON: sorted keys, no timestamps, so unchanged runs write identical bytes."""
        body = self.model_dump(mode="json", by_alias=True)
        body["generator"] = f"Impact Briefs {__version__}"
        return (json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def read_manifest(path: Path) -> tuple[Manifest, str]:
    """The manifest at `path`, and "" or why it cannot be trusted (then it is empty).

    The manifest is state a user, a tool or a crash may have damaged: it is checked against
    the model above, and anything unexpected means an empty record, so everything rebuilds.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        return Manifest(), ""  # a first build
    except OSError as exc:
        return Manifest(), f"{path} could not be read ({exc.strerror})"
    if len(data) > MAX_MANIFEST_BYTES:
        return Manifest(), f"{path} is larger than {MAX_MANIFEST_BYTES:,} bytes"
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Manifest(), f"{path} is not valid JSON"
    if isinstance(body, dict) and body.get("manifest_version") != MANIFEST_VERSION:
        return Manifest(), f"{path} was written by another version of Impact Briefs"
    try:
        return Manifest.model_validate_json(data, strict=True), ""
    except ValidationError as exc:
        first = exc.errors()[0]
        where = " → ".join(str(part) for part in first["loc"]) or "the top level"
        return Manifest(), f"{path} is damaged ({where}: {first['msg']})"


def outputs_intact(base: Path, outputs: Mapping[str, str]) -> bool:
    """True when every recorded output still exists with the recorded bytes."""
    return all(
        (base / rel).is_file() and file_sha256(base / rel) == sha for rel, sha in outputs.items()
    )
