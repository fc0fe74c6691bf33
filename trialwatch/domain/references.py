"""What was published: the record's references (with PubMed links) and see-also links.

A registry's reference list is what the sponsor (or the registry's PubMed matching) added; it is
incomplete, and a reference typed BACKGROUND does not report this study.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from trialwatch.domain.results.read import obj, objs, text

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
REFERENCE_ORDER = ("RESULT", "DERIVED", "BACKGROUND")


@dataclass(frozen=True)
class Reference:
    citation: str | None
    type: str | None  # RESULT, BACKGROUND or DERIVED
    pmid: str | None
    pubmed_url: str | None  # only for a PMID that is all digits
    retracted_by: tuple[str, ...] = ()  # PMIDs of retraction notices the registry lists


@dataclass(frozen=True)
class SeeAlsoLink:
    label: str | None
    url: str


def _pubmed(pmid: str | None) -> str | None:
    return PUBMED_URL.format(pmid=pmid) if pmid and pmid.isdigit() else None


def parse_references(record: Any) -> tuple[Reference, ...]:
    """References in the registry's order (results first is the page's job, not ours)."""
    module = obj(record, "protocolSection", "referencesModule")
    return tuple(
        Reference(
            citation=text(r, "citation"),
            type=text(r, "type"),
            pmid=(pmid := text(r, "pmid")),
            pubmed_url=_pubmed(pmid),
            retracted_by=tuple(p for x in objs(r, "retractions") if (p := text(x, "pmid"))),
        )
        for r in objs(module, "references")
    )


def safe_link(url: str | None) -> str | None:
    """The URL if it is an http(s) link with a host; None for anything else (javascript:...)."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(c.isspace() or ord(c) < 32 for c in url):
        return None
    return url


def parse_see_also(record: Any) -> tuple[SeeAlsoLink, ...]:
    """The record's see-also links, http and https only (others are left out)."""
    module = obj(record, "protocolSection", "referencesModule")
    return tuple(
        SeeAlsoLink(text(link, "label"), url)
        for link in objs(module, "seeAlsoLinks")
        if (url := safe_link(text(link, "url")))
    )
