"""The validation report for all countries, as self-contained HTML."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import config
from pipeline.core.findings import errors, warnings
from pipeline.present.templating import environment
from pipeline.read.raw import encoding_label

if TYPE_CHECKING:
    from pipeline.config import Dirs
    from pipeline.core.outcomes import RunResult


def validation_html(outcome: RunResult, dirs: Dirs) -> bytes:
    """Each country's status at the top, then every finding with its fix."""
    read, accepted, rejected, refused = outcome.invariant()
    countries = [
        {
            "name": c.name,
            "file": c.file,
            "status": str(c.status),
            "errors": errors(c.findings),
            "warnings": warnings(c.findings),
            "rows_read": c.rows_read,
            "rows_accepted": c.rows_accepted,
            "rows_rejected": c.rows_rejected,
            "encoding": encoding_label(c.encoding),
            "pdf": next((p.name for p in c.outputs if p.suffix == ".pdf"), ""),
            # Relative to this report, so that the folders can move (and the report's bytes
            # do not depend on where they are).
            "findings_file": (
                Path(
                    os.path.relpath(
                        config.validation_csv(dirs.processed, c.country.slug), dirs.reports
                    )
                ).as_posix()
                if c.country
                else ""
            ),
        }
        for c in outcome.countries
    ]
    html = (
        environment(dirs.templates)
        .get_template("validation.html.j2")
        .render(
            countries=countries,
            content_error=outcome.content_error,
            input_findings=outcome.input_findings,
            unused_files=outcome.unused_files,
            rows={"read": read, "accepted": accepted, "rejected": rejected, "refused": refused},
            suggestions=sum(1 for c in outcome.countries for f in c.findings if f.suggested),
        )
    )
    return html.encode("utf-8")
