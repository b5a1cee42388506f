"""Check an IATI activities file against the standard: the official XSD (vendored), the
codelists of every code we write (the XSD does not check them), and the references between
elements (identifiers, parent and child links, result locations)."""

from __future__ import annotations

from functools import cache

from lxml import etree

from pipeline import config
from pipeline.read.codelists import codelist

#: Where each coded value sits, and the codelist it must come from.
CODED = (
    ("//reporting-org/@type", "OrganisationType"),
    ("//participating-org/@type", "OrganisationType"),
    ("//participating-org/@role", "OrganisationRole"),
    ("//activity-status/@code", "ActivityStatus"),
    ("//activity-date/@type", "ActivityDateType"),
    ("//recipient-country/@code", "Country"),
    ("//document-link/category/@code", "DocumentCategory"),
    ("//related-activity/@type", "RelatedActivityType"),
    ("//result/@type", "ResultType"),
    ("//indicator/@measure", "IndicatorMeasure"),
)


class InvalidIati(AssertionError):
    """An IATI file we built breaks the standard: a bug, never written."""


@cache
def schema() -> etree.XMLSchema:
    """The IATI activities schema, 2.03, from the vendored files (no network)."""
    return etree.XMLSchema(etree.parse(str(config.IATI_SCHEMA)))


def iati_problems(data: bytes) -> list[str]:
    """Everything in `data` that breaks the IATI standard; [] when it is valid."""
    try:
        tree = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    xsd = schema()
    problems = []
    if not xsd.validate(tree):
        problems += [f"line {e.line}: {e.message}" for e in xsd.error_log]
    for path, name in CODED:
        problems += [
            f'"{code}" at {path} is not an IATI {name} code'
            for code in tree.xpath(path)
            if code not in codelist(name)
        ]
    return problems + _reference_problems(tree)


def _reference_problems(tree: etree._Element) -> list[str]:
    """Identifiers unique and prefixed by their publisher; links and locations that resolve."""
    problems = []
    activities = tree.findall("iati-activity")
    ids = [a.findtext("iati-identifier") or "" for a in activities]
    if len(set(ids)) != len(ids):
        problems.append("two activities share an iati-identifier")
    links = set()
    for activity, own in zip(activities, ids, strict=True):
        org = activity.find("reporting-org")
        if org is not None and not own.startswith(f"{org.get('ref')}-"):
            problems.append(f"{own} does not start with its reporting-org {org.get('ref')}-")
        for link in activity.findall("related-activity"):
            links.add((own, link.get("ref"), link.get("type")))
            if link.get("ref") not in ids:
                problems.append(f"{own} links to {link.get('ref')}, which is not in the file")
        places = {loc.get("ref") for loc in activity.findall("location")}
        for ref in activity.xpath("result//location/@ref"):
            if ref not in places:
                problems.append(f"{own}: result location {ref} is not a location of the activity")
    for own, other, kind in links:
        reverse = {"1": "2", "2": "1"}.get(kind or "")
        if reverse and (other, own, reverse) not in links:
            problems.append(f"{own} links to {other}, which does not link back")
    return problems


def check_iati(data: bytes) -> bytes:
    """`data` itself when it is valid IATI; else InvalidIati listing every problem."""
    if problems := iati_problems(data):
        raise InvalidIati(
            "The IATI file built is not valid (a bug; nothing was written):\n  "
            + "\n  ".join(problems)
        )
    return data
