"""Registry text made safe for a terminal: escape sequences removed, controls made visible."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trialwatch.domain.text import terminal_safe

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (f"{ESC}]0;you were hacked{BEL}Ketamine", "Ketamine"),  # OSC 0 retitles the window
        (f"{ESC}]8;;https://evil.example{ST}click{ESC}]8;;{ST}", "click"),  # OSC 8 hyperlink
        (f"{ESC}]52;c;cm0gLXJmIH4={BEL}x", "x"),  # OSC 52 writes the clipboard
        (f"{ESC}[31mred{ESC}[0m {ESC}[2J{ESC}[1;1H", "red "),  # CSI colour, clear, move
        (f"a{ESC}Pq#0;2;0;0;0{ST}b", "ab"),  # DCS
        (f"a{ESC}cb{ESC}(Bc", "abc"),  # RIS (reset) and a charset switch
        ("a\x9b2Jb\x9d0;t\x9cc", "a<U+009B>2Jb<U+009D>0;t<U+009C>c"),  # 8-bit CSI, OSC: shown
        ("doses\u202e01 gm\u202c", "doses<U+202E>01 gm<U+202C>"),  # bidi override shown
        ("iso\u2066late\u2069", "iso<U+2066>late<U+2069>"),
        (
            "bell\x07 back\x08 cr\r nul\x00 del\x7f c1\x85",
            "bell<U+0007> back<U+0008> cr<U+000D> nul<U+0000> del<U+007F> c1<U+0085>",
        ),  # fmt: skip
        (f"{ESC}]0;never ended", "0;never ended"),  # an unended string: its ESC is dropped
        ("Müller – Zürich ≥ 10 mg/m²; 日本", "Müller – Zürich ≥ 10 mg/m²; 日本"),
    ],
)
def test_escape_sequences_are_removed_and_controls_shown(raw: str, shown: str) -> None:
    assert terminal_safe(raw) == shown


def test_layout_characters_kept_only_when_asked() -> None:
    assert terminal_safe("a\tb\nc") == "a<U+0009>b<U+000A>c"
    assert terminal_safe("a\tb\nc\r", keep="\n\t") == "a\tb\nc<U+000D>"


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_nothing_a_terminal_acts_on_survives(text: str) -> None:
    safe = terminal_safe(text, keep="\n\t")
    assert not any((ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F for ch in safe)
    assert not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in safe)
    assert terminal_safe(safe, keep="\n\t") == safe  # idempotent: already safe text is kept
