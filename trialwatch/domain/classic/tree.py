"""Reading a `<clinical_study>` tree while keeping count of what was read.

Every element and attribute the mapping reads is marked; whatever is left unread at the end has no
v2 counterpart and is named in the parse problems, so nothing in an archived record is dropped
silently.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from trialwatch.errors import UsageError

_MONTHS = {
    name: i
    for i, name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
}  # fmt: skip
_DAY_DATE = re.compile(r"^([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})$")
_MONTH_DATE = re.compile(r"^([A-Za-z]+)\s+(\d{4})$")
_LIST_ITEM = re.compile(r"^(?:[-*+•o]|\d{1,3}[.)]|[a-zA-Z][.)]|\([0-9a-zA-Z]{1,3}\))\s+")


class ClassicXmlError(UsageError):
    """Bytes that are not a readable `<clinical_study>` document."""


@dataclass
class Seen:
    """What of the document has been read: elements, their text, their attributes."""

    elements: set[int] = field(default_factory=set)
    attributes: set[tuple[int, str]] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    def unread(self, root: ET.Element) -> list[str]:
        """Paths of elements and attributes never read (an unread element's children are
        covered by naming the element)."""
        out: list[str] = []

        def walk(elem: ET.Element, path: str) -> None:
            if elem.attrib:
                key = id(elem)
                out.extend(f"{path}@{a}" for a in elem.attrib if (key, a) not in self.attributes)
            for child in elem:  # the parser leaves comments out of the tree
                child_path = f"{path}/{child.tag}"
                if id(child) in self.elements:
                    walk(child, child_path)
                else:
                    out.append(child_path)

        walk(root, root.tag)
        return list(dict.fromkeys(out))


class Node:
    """One element of the document; reading through it marks what was read."""

    def __init__(self, elem: ET.Element, path: str, seen: Seen) -> None:
        self.elem, self.path, self.seen = elem, path, seen
        seen.elements.add(id(elem))

    def problem(self, message: str) -> None:
        self.seen.problems.append(message)

    def children(self, tag: str) -> list[Node]:
        return [Node(c, f"{self.path}/{tag}", self.seen) for c in self.elem.findall(tag)]

    def child(self, tag: str) -> Node | None:
        found = self.elem.find(tag)
        return Node(found, f"{self.path}/{tag}", self.seen) if found is not None else None

    def walk(self, *tags: str) -> Iterator[Node]:
        """Every element at the nested path `tags` (list wrappers marked as read)."""
        if not tags:
            yield self
            return
        for child in self.children(tags[0]):
            yield from child.walk(*tags[1:])

    def own_text(self) -> str | None:
        """This element's text, whitespace-normalised line by line; None when blank."""
        return line_text(self.elem.text)

    def text(self, tag: str) -> str | None:
        node = self.child(tag)
        return node.own_text() if node is not None else None

    def texts(self, tag: str) -> list[str]:
        return [t for n in self.children(tag) if (t := n.own_text()) is not None]

    def block(self, tag: str) -> str | None:
        """A `<tag><textblock>` wrapped and indented block, unwrapped."""
        node = self.child(tag)
        if node is None:
            return None
        inner = node.child("textblock")
        return block_text((inner or node).elem.text)

    def attr(self, name: str) -> str | None:
        value = self.elem.get(name)
        if value is None:
            return None
        self.seen.attributes.add((id(self.elem), name))
        value = " ".join(value.split())
        return value or None


def parse_document(data: bytes) -> ET.Element:
    """The root `<clinical_study>` element, parsed without entity expansion or external
    resources (defusedxml): archived files are untrusted."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        root = SafeET.fromstring(data)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise ClassicXmlError(f"not a readable classic XML record: {exc}") from None
    if root.tag != "clinical_study":
        raise ClassicXmlError(f"not a classic XML record: root element <{root.tag}>")
    return root  # type: ignore[no-any-return]


def line_text(raw: str | None) -> str | None:
    """Text with each line stripped and runs of spaces collapsed; line breaks kept."""
    if raw is None:
        return None
    if "\n" not in raw:  # most values are one line
        return " ".join(raw.split()) or None
    lines = [" ".join(line.split()) for line in raw.strip().splitlines()]
    text = "\n".join(lines).strip()
    return text or None


def block_text(raw: str | None) -> str | None:
    """A wrapped, indented text block as paragraphs: wrapped lines are joined, list items and
    paragraphs keep their own lines (v2's text has the same content, wrapped differently).

    A line is a new list item when it starts with a marker (`-`, `1.`, `a)`) and is not at the
    indent of the plain line before it: the registry wraps an inline "... 2) ..." so that it
    can start a line at the paragraph's indent, while its lists are indented deeper.
    """
    if raw is None:
        return None
    paragraphs: list[list[str]] = [[]]
    previous: tuple[int, bool] | None = None  # (indent, was a list item) of the line before
    for line in raw.splitlines():
        stripped = " ".join(line.split())
        if not stripped:
            if paragraphs[-1]:
                paragraphs.append([])
            previous = None
            continue
        indent = len(line) - len(line.lstrip())
        lines = paragraphs[-1]
        is_item = bool(_LIST_ITEM.match(stripped)) and not (
            previous is not None and not previous[1] and indent == previous[0]
        )
        if is_item or not lines or (previous is not None and indent < previous[0]):
            lines.append(stripped)
        else:
            lines[-1] += " " + stripped
        previous = (indent, is_item)
    text = "\n\n".join("\n".join(p) for p in paragraphs if p)
    return text or None


def iso_date(text: str | None) -> str | None:
    """`July 26, 2004` -> `2004-07-26`, `May 2015` -> `2015-05`, `2015` -> `2015`; None if
    the text is not such a date."""
    if not text:
        return None
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    if m := _DAY_DATE.match(text):
        month = _MONTHS.get(m.group(1).lower())
        return f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}" if month else None
    if m := _MONTH_DATE.match(text):
        month = _MONTHS.get(m.group(1).lower())
        return f"{m.group(2)}-{month:02d}" if month else None
    return None
