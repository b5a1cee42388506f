"""Briefs a donor can trust: hostile text stays text, PDFs are archival, builds are reproducible."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from bench.synthetic import country_csv
from pipeline import config
from pipeline.config import Dirs
from pipeline.core.outcomes import Status
from pipeline.read.programme import ContentError, build_timestamp, read_programme
from pipeline.run.manifest import file_sha256
from pipeline.run.runner import run

from . import goldens
from .conftest import SEED
from .fakes import fake_pdf, fake_text

PROJECT = Path(__file__).resolve().parents[1]


class _Recorder(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[tuple[int, list[str]]]:
    """A local HTTP server that records every request it receives."""
    _Recorder.requests = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Recorder.requests
    server.shutdown()
    server.server_close()


def _hostile_strings(port: int) -> list[str]:
    return [
        '<a rel="attachment" href="file:///etc/passwd">x</a>',
        "</table>",
        "{{ 7*7 }}",
        "Man_1 ^ $x_$",
        '=HYPERLINK("http://evil.example","click")',
        "@SUM(A1:A2)",
        f'<img src="http://127.0.0.1:{port}/x">',
        "</style><style>body{display:none}</style>",
        f"url(http://127.0.0.1:{port}/css)",
    ]


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _text(pdf: Path) -> str:
    return goldens.pdf_text(pdf)


@pytest.mark.slow
def test_hostile_text_is_printed_literally_and_fetches_nothing(
    dirs: Dirs, http_server: tuple[int, list[str]]
) -> None:
    port, requests = http_server
    hostile = _hostile_strings(port)
    rows = [
        f"{_csv_cell(text)},1000,{_csv_cell(f'maize ({text})')},4,100,10,5000" for text in hostile
    ]
    header = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
    (dirs.raw / "uganda.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    (dirs.raw / "uganda.md").write_text(
        "\n\n".join(hostile) + f"\n\n![x](http://127.0.0.1:{port}/md)\n", encoding="utf-8"
    )

    (result,) = run(dirs).countries

    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    assert requests == []
    pdf = dirs.reports / "uganda.pdf"
    reader = PdfReader(pdf)
    assert sorted(reader.attachments) == [
        "uganda-lineage.csv",
        "uganda-validation.csv",
        "uganda.csv",
    ]
    # Text extraction may break lines at any space: compare without whitespace.
    text = "".join(_text(pdf).split())
    for needle in hostile:
        assert "".join(needle.split()) in text, needle


@pytest.mark.slow
def test_pdf_is_tagged_pdf_a_3a_and_carries_its_data(dirs: Dirs) -> None:
    (dirs.raw / "kenya.csv").write_bytes((SEED / "kenya.csv").read_bytes())
    run(dirs)
    reader = PdfReader(dirs.reports / "kenya.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-KE"  # the edition's locale: CLDR's English of Kenya
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    info = reader.metadata
    assert info["/Title"].startswith("Kenya: impact brief")
    assert info["/Author"] and info["/Subject"] and info["/Keywords"]
    attachments = reader.attachments
    assert attachments["kenya.csv"] == [(dirs.processed / "kenya.csv").read_bytes()]
    assert attachments["kenya-validation.csv"] == [
        (dirs.processed / "validation" / "kenya.csv").read_bytes()
    ]
    lineage = config.lineage_csv(dirs.reports, "kenya").read_bytes()
    assert attachments["kenya-lineage.csv"] == [lineage]
    relationships = {
        str(spec.get_object()["/F"]): str(spec.get_object()["/AFRelationship"])
        for spec in root["/AF"]
    }
    assert relationships["kenya-lineage.csv"] == "/Supplement"
    assert_links_are_tagged_and_land_on_their_entries(reader)


def _kids(element: DictionaryObject) -> list[object]:
    kids = element.get("/K", [])
    return [k.get_object() for k in (kids if isinstance(kids, list) else [kids])]


def _elements(element: DictionaryObject) -> Iterator[DictionaryObject]:
    """Every structure element under `element`, depth first."""
    for kid in _kids(element):
        if isinstance(kid, DictionaryObject) and "/S" in kid:
            yield kid
            yield from _elements(kid)


def assert_links_are_tagged_and_land_on_their_entries(reader: PdfReader) -> None:
    """Each headline figure's link is a Link structure element under its parent, holding its
    annotation (whose /StructParent leads back to it), and its destination is the figure's
    appendix entry, on a page after the body."""
    root = reader.trailer["/Root"]
    tree = root["/StructTreeRoot"].get_object()
    parents = tree["/ParentTree"].get_object()["/Nums"]
    parent_of = {parents[i]: parents[i + 1] for i in range(0, len(parents), 2)}
    links = [e for e in _elements(tree) if e["/S"] == "/Link"]
    assert len(links) >= 6  # the six headline tiles at least
    destinations = reader.named_destinations
    appendix = reader.get_destination_page_number(destinations["appendix"])
    targets = set()
    for link in links:
        assert any(kid is link for kid in _kids(link["/P"].get_object()))  # under its parent
        (objr,) = [
            k for k in _kids(link) if isinstance(k, DictionaryObject) and k.get("/Type") == "/OBJR"
        ]
        annotation = objr["/Obj"].get_object()
        assert annotation["/Subtype"] == "/Link"
        assert parent_of[annotation["/StructParent"]].get_object() is link
        target = str(annotation["/Dest"])
        assert target.startswith("how-") and target in destinations
        assert reader.get_destination_page_number(destinations[target]) >= appendix
        targets.add(target)
    assert "how-KEN.value_usd.total.all" in targets


def test_manifest_lists_every_output_with_its_input_hashes(dirs: Dirs) -> None:
    (dirs.raw / "kenya.csv").write_bytes((SEED / "kenya.csv").read_bytes())
    run(dirs, render=fake_pdf)
    manifest = json.loads(config.manifest(dirs.reports).read_text(encoding="utf-8"))
    entry = manifest["countries"]["kenya.csv"]
    assert entry["inputs"]["kenya.csv"] == file_sha256(dirs.raw / "kenya.csv")
    assert manifest["shared_inputs"]["programme.yaml"] == file_sha256(dirs.raw / "programme.yaml")
    for rel, sha in [*entry["outputs"].items(), *manifest["reports"].items()]:
        assert file_sha256(dirs.reports / rel) == sha, rel
    assert "kenya.pdf" in entry["outputs"]
    assert "../processed/kenya.csv" in entry["outputs"]


def _build_in_subprocess(dirs: Dirs, env: dict[str, str] | None = None) -> None:
    command = [sys.executable, "-m", "pipeline", "report", "--raw", str(dirs.raw)]
    command += ["--processed", str(dirs.processed), "--reports", str(dirs.reports)]
    subprocess.run(command, cwd=PROJECT, check=True, capture_output=True, env=env)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.slow
def test_builds_are_byte_identical_across_processes(tmp_path: Path) -> None:
    """The same inputs give the same bytes in any process and any folder: here, a warm
    process that has just built another country (French, other glyphs) against a fresh one."""
    other = Dirs(tmp_path / "other-raw", tmp_path / "other-p", tmp_path / "other-r")
    other.raw.mkdir()
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
        shutil.copy(SEED / name, other.raw / name)
    (other.raw / "burundi.csv").write_text(country_csv(12, 6), encoding="utf-8")
    assert run(other, jobs=1).ok
    warm = Dirs(SEED, tmp_path / "warm" / "processed", tmp_path / "warm" / "reports")
    assert run(warm, jobs=1).ok
    fresh = Dirs(SEED, tmp_path / "fresh" / "processed", tmp_path / "fresh" / "reports")
    _build_in_subprocess(fresh)
    first = _tree(warm.processed), _tree(warm.reports)
    second = _tree(fresh.processed), _tree(fresh.reports)
    assert "kenya.pdf" in first[1] and "manifest.json" in first[1]
    assert first == second


@pytest.mark.slow
def test_source_date_epoch_sets_the_pdf_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dirs = Dirs(SEED, tmp_path / "p", tmp_path / "r")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1100000000")
    run(dirs, only=["kenya"])
    reader = PdfReader(dirs.reports / "kenya.pdf")
    assert reader.metadata["/CreationDate"] == "D:20041109113320Z"


_KILL_ON_PDF_FSYNC = """
import os, signal, sys
real_fsync = os.fsync
def fsync(fd):
    # Die the moment the new brief's bytes are on disk but not yet renamed into place.
    if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp") and ".kenya.pdf." in os.readlink(
        f"/proc/self/fd/{fd}"
    ):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_fsync(fd)
os.fsync = fsync
import pipeline.run.runner as runner
from tests.fakes import fake_pdf
real_run = runner.run
# In this process, where fsync is patched (the CLI would build in a worker); any PDF bytes
# will do: the subject is the write, not the layout.
runner.run = lambda *args, **kwargs: real_run(
    *args, **{**kwargs, "isolate": False, "render": fake_pdf}
)
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to find the file")
def test_a_build_killed_mid_write_leaves_the_old_brief_whole(dirs: Dirs) -> None:
    (dirs.raw / "kenya.csv").write_bytes((SEED / "kenya.csv").read_bytes())
    run(dirs, render=fake_pdf)  # the old brief: any bytes will do
    old = (dirs.reports / "kenya.pdf").read_bytes()
    # A change that alters the brief, so the killed run was writing different bytes.
    text = (dirs.raw / "kenya.csv").read_text(encoding="utf-8-sig").replace("Mbeere", "Mbere")
    (dirs.raw / "kenya.csv").write_text(text, encoding="utf-8-sig")
    command = [sys.executable, "-c", _KILL_ON_PDF_FSYNC, "report", "--raw", str(dirs.raw)]
    command += ["--processed", str(dirs.processed), "--reports", str(dirs.reports)]
    killed = subprocess.run(command, cwd=PROJECT, capture_output=True, check=False)

    assert killed.returncode == -signal.SIGKILL
    assert (dirs.reports / "kenya.pdf").read_bytes() == old
    assert list(dirs.reports.glob(".kenya.pdf.*.tmp")), "the kill came before the rename"
    run(dirs, render=fake_pdf)
    assert not list(dirs.reports.glob(".*.tmp"))
    assert "Mbere" in fake_text(dirs.reports / "kenya.pdf")


@pytest.mark.parametrize(
    ("published", "epoch", "expected"),
    [
        ("published: 2004-10-31\n", None, "2004-10-31T00:00:00+00:00"),
        ("", None, "2004-10-01T00:00:00+00:00"),  # the period's last month
        ("published: 2004-10-31\n", "1100000000", "2004-11-09T11:33:20+00:00"),
    ],
)
def test_build_date_comes_from_the_programme_or_source_date_epoch(
    tmp_path: Path, published: str, epoch: str | None, expected: str
) -> None:
    text = (SEED / "programme.yaml").read_text(encoding="utf-8")
    text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("published:"))
    (tmp_path / "programme.yaml").write_text(text + "\n" + published, encoding="utf-8")
    programme = read_programme(tmp_path / "programme.yaml")
    assert build_timestamp(programme.published, epoch).isoformat() == expected


def test_a_bad_date_names_the_key_and_the_fix(tmp_path: Path) -> None:
    text = (SEED / "programme.yaml").read_text(encoding="utf-8")
    text = text.replace("published: 2004-10-31", "published: 31/10/2004")
    (tmp_path / "programme.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="is not a date. Write published as 2004-10-31"):
        read_programme(tmp_path / "programme.yaml")


def test_a_bad_source_date_epoch_is_named() -> None:
    with pytest.raises(ContentError, match="SOURCE_DATE_EPOCH='yesterday'"):
        build_timestamp(date(2004, 10, 31), "yesterday")


@pytest.mark.slow
def test_charts_are_vector_with_their_text_in_the_documents_own_font(dirs: Dirs) -> None:
    (dirs.raw / "kenya.csv").write_bytes((SEED / "kenya.csv").read_bytes())
    run(dirs, only=["kenya"])
    reader = PdfReader(dirs.reports / "kenya.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    # Chart axis titles and value labels are text a reader can find, not pixels.
    for label in ("Value of sales (US$)", "US$78,175 (56%)", "country average US$412"):
        assert label in text, label
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("+Briefs-" in name for name in fonts), fonts
    rasters = [
        name
        for page in reader.pages
        for name, xobject in page["/Resources"].get("/XObject", {}).items()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert rasters == []  # no chart is a picture
