"""Registry text made safe to carry: pure helpers (escaping stays the template's job)."""

from __future__ import annotations

import re

# Characters XML 1.0 forbids; registry text is untrusted and must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: str | None) -> str:
    """Registry text without the control characters XML cannot carry (escaping is the
    template's job, not this function's)."""
    return _NOT_XML.sub("", value or "")


# Terminal escape sequences that start with ESC (ECMA-48), removed whole. Strings first (OSC,
# DCS, SOS, PM, APC), ended by BEL or ST: OSC 0/2 retitles the window, OSC 8 makes hyperlinks,
# OSC 52 writes the clipboard. Then CSI (colours, cursor moves, screen clears), then any other
# ESC sequence. An 8-bit introducer (U+009B CSI, U+009D OSC...) is shown as <U+XXXX> instead:
# once it is replaced nothing after it is a sequence, and no registry text beside it is lost.
_TERMINAL_STRING = re.compile(r"\x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c)", re.S)
_CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
_OTHER_ESCAPE = re.compile(r"\x1b[ -/]*[0-~]")
# What is left: C0 controls, DEL, C1 controls, and the bidi embeddings, overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) that make text read in a different order than it is stored.
_UNSAFE_CHAR = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(value: str | None, *, keep: str = "") -> str:
    """Registry text that a terminal prints as text: escape sequences removed, every other
    control or bidi override shown as `<U+XXXX>` (so the reader sees something was there).
    `keep` lists layout characters to leave alone (e.g. "\\n\\t" for a whole report)."""
    text = value or ""
    if text.isprintable() and not _UNSAFE_CHAR.search(text):
        return text  # the common case: nothing to do
    text = _OTHER_ESCAPE.sub("", _CSI.sub("", _TERMINAL_STRING.sub("", text)))
    return _UNSAFE_CHAR.sub(lambda m: m[0] if m[0] in keep else f"<U+{ord(m[0]):04X}>", text)


# What a spreadsheet may read as the start of a formula (OWASP "CSV injection"), including the
# full-width forms some spreadsheet programs accept.
FORMULA_START = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def spreadsheet_safe(value: str) -> str:
    """`value` as a cell a spreadsheet shows as text, never runs: a leading `'` when it starts
    like a formula (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`). A plain number (`-1.5`) is kept."""
    if value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
