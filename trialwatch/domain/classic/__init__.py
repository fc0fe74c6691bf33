"""Pure: a record in the registry's classic XML format (`<clinical_study>`, public.xsd, the
AllPublicXML bulk download served until June 2024) as an API v2-shaped record.

The result has v2's keys and codes, so the v2 parsers (records, results, protocol) and the diff
read it unchanged. docs/classic-xml.md maps every element; an element with no v2 counterpart is
named in `problems`, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from trialwatch.domain.classic import vocabulary as v
from trialwatch.domain.classic.common import compact, plain_date
from trialwatch.domain.classic.protocol import protocol_section
from trialwatch.domain.classic.results import results_section
from trialwatch.domain.classic.tree import ClassicXmlError, Node, Seen, iso_date, parse_document
from trialwatch.domain.ids import CANONICAL

__all__ = ["ClassicRecord", "ClassicXmlError", "read_classic_xml"]

_PROCESSED = re.compile(r"processed this data on (.+?)\s*$")


@dataclass(frozen=True)
class ClassicRecord:
    record: dict[str, Any]  # v2-shaped: protocolSection, resultsSection, derivedSection, hasResults
    snapshot_date: str | None  # from <download_date>, ISO (`2018-05-29`); None if unreadable
    nct_id: str
    problems: tuple[str, ...]  # what has no v2 counterpart or could not be read, by path


def read_classic_xml(data: bytes) -> ClassicRecord:
    """Map one `<clinical_study>` document. Raises ClassicXmlError when the bytes are not XML,
    not a `<clinical_study>`, or carry no valid NCT id; anything else odd is a problem."""
    element = parse_document(data)
    seen = Seen()
    root = Node(element, element.tag, seen)
    snapshot = _snapshot_date(root)
    protocol = protocol_section(root)
    nct_id = protocol.get("identificationModule", {}).get("nctId")
    if not isinstance(nct_id, str) or not CANONICAL.match(nct_id):
        raise ClassicXmlError(f"classic XML record without a valid <nct_id>: {nct_id!r:.40}")
    record: dict[str, Any] = {"protocolSection": protocol}
    results = results_section(root)
    if results:
        record["resultsSection"] = results
    documents = _documents(root)
    if documents:
        record["documentSection"] = documents
    record["derivedSection"] = _derived(root, snapshot)
    record["hasResults"] = bool(results)
    problems = seen.problems + [f"{path}: no v2 counterpart, not carried"
                                for path in seen.unread(element)]  # fmt: skip
    return ClassicRecord(record, snapshot, nct_id, tuple(dict.fromkeys(problems)))


def _snapshot_date(root: Node) -> str | None:
    header = root.child("required_header")
    written = header.text("download_date") if header is not None else None
    match = _PROCESSED.search(written or "")
    date = iso_date(match.group(1)) if match else None
    if date is None:
        root.problem(f"{root.path}/required_header/download_date: no date in {written!r:.80}")
    return date


def _derived(root: Node, snapshot: str | None) -> dict[str, Any]:
    """Registry-derived data: the snapshot's date as the version date, MeSH terms (classic gives
    the terms without their ids), countries removed from the locations."""
    return compact(
        miscInfoModule=compact(
            versionHolder=snapshot,
            removedCountries=[
                c for n in root.children("removed_countries") for c in n.texts("country")
            ],
        ),  # fmt: skip
        conditionBrowseModule=_meshes(root, "condition_browse"),
        interventionBrowseModule=_meshes(root, "intervention_browse"),
    )


def _meshes(root: Node, tag: str) -> dict[str, Any] | None:
    node = root.child(tag)
    if node is None:
        return None
    return compact(meshes=[{"term": term} for term in node.texts("mesh_term")])


def _documents(root: Node) -> dict[str, Any]:
    """Provided documents; v2's file name is the last part of the classic document URL."""
    docs = []
    for doc in root.walk("provided_document_section", "provided_document"):
        url = doc.text("document_url")
        docs.append(compact(
            label=doc.text("document_type"),
            hasProtocol=v.flag(doc, "document_has_protocol"),
            hasSap=v.flag(doc, "document_has_sap"),
            hasIcf=v.flag(doc, "document_has_icf"),
            date=plain_date(doc, "document_date"),
            filename=url.rstrip("/").rsplit("/", 1)[-1] if url else None,
        ))  # fmt: skip
    return compact(largeDocumentModule=compact(largeDocs=docs))
