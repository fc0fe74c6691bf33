"""Registry text cannot drive the terminal: show, history and changes print it defanged; --json
keeps it exact."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import API, ids_matcher, page, reset_api, study
from tests.staff_store import run
from trialwatch.config import load_config
from trialwatch.services import pipeline as services

NCT = "NCT02552212"
RETITLE = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;https://evil.example\x1b\\"
CLIP = "\x1b]52;c;cm0gLXJmIH4=\x07"
TITLE = f"{RETITLE}Esketamine {LINK}nasal{LINK} \x1b[2Jspray{CLIP} \u202eLIBOMED\u202c"
SPONSOR = "Janssen\x9b2J \u2066Research\u2069\r"


def hostile(record: dict[str, Any]) -> dict[str, Any]:
    """SYNTHETIC variant of the real NCT02552212: escape sequences and bidi overrides in the
    title and the sponsor's name, a later update date."""
    ident = record["protocolSection"]["identificationModule"]
    ident["briefTitle"] = TITLE
    record["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] = SPONSOR
    record["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2026-11-20"
    return record


def store_hostile_record(ctgov: Any, make_config: Any) -> Any:
    path = make_config(studies=[NCT])
    config = load_config(path)
    for record in (study(NCT), hostile(study(NCT))):
        reset_api(ctgov)
        ctgov.get(f"{API}/studies", json=page(record), match=[ids_matcher(NCT)])
        services.refresh(config, full=True)
    reset_api(ctgov)
    return path


def assert_terminal_safe(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text and "\r" not in text
    assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_show_history_changes_print_no_escape_sequence(ctgov, make_config):
    config = store_hostile_record(ctgov, make_config)
    for args in (("show", NCT), ("history", NCT), ("changes", "--since", "3650d")):
        result = run(config, *args)
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.stdout)
        assert_terminal_safe(result.stderr)
    show = run(config, "show", NCT).stdout
    assert "Esketamine nasal spray <U+202E>LIBOMED<U+202C>" in show  # text kept, overrides shown
    assert "Janssen<U+009B>2J <U+2066>Research<U+2069>" in show  # the \r collapses to a space
    changes = run(config, "changes", "--since", "3650d").stdout
    assert "<U+202E>LIBOMED" in changes


def test_json_keeps_registry_text_exact(ctgov, make_config):
    config = store_hostile_record(ctgov, make_config)
    result = run(config, "show", NCT, "--json")
    assert "\x1b" not in result.stdout  # JSON escapes every control character...
    detail = json.loads(result.stdout)
    assert detail["brief_title"] == TITLE  # ...and decodes to the registry's text exactly
    assert detail["lead_sponsor"] == SPONSOR
