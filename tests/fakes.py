"""Stand-ins injected into runs whose subject is orchestration, not the PDF itself."""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from pathlib import Path

from pipeline.config import Dirs
from pipeline.core.outcomes import CountryResult
from pipeline.present.render import EmbeddedFile, Pdf
from pipeline.run.build import build_country
from pipeline.run.tasks import Shared

#: Every stand-in PDF starts with this, so a test can tell it from a real one.
FAKE_PDF_HEADER = b"%PDF-stand-in (tests only: WeasyPrint was not run)\n"


def fake_pdf(
    html: str,
    css: str,
    max_pages: int,
    files: Sequence[EmbeddedFile] = (),
    date: datetime | None = None,
) -> Pdf:
    """A deterministic 'PDF' of everything WeasyPrint would have been given, in milliseconds."""
    digest = hashlib.sha256(css.encode())
    for f in files:
        digest.update(f.name.encode() + b"\0" + f.data)
    stamp = date.isoformat() if date else ""
    body = f"{digest.hexdigest()} {stamp}\n{html}".encode()
    return Pdf(FAKE_PDF_HEADER + body, 1)


#: A country build with the stand-in renderer: validation, indicators, charts and HTML are real.
fast_build = partial(build_country, render=fake_pdf)


def _crash_on(stem: str, path: Path, dirs: Dirs, shared: Shared) -> CountryResult:
    if path.stem == stem:
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer or a crashing library would
    return fast_build(path, dirs, shared)


def crashing_build(stem: str) -> partial[CountryResult]:
    """A country task whose worker dies, as if killed, while building the file named `stem`."""
    return partial(_crash_on, stem)
