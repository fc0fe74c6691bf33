"""The Atom feed of changes: written after refreshes, parsed back with feedparser, validated.

Changes come from SYNTHETIC edits of the real record NCT02552212 (see test_alerts_email.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import feedparser
import responses

from tests.conftest import API, page, study
from tests.synthetic_edits import XSS, XSS_TITLE, terminated
from trialwatch.config import load_config
from trialwatch.services import pipeline as services

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _refresh_with(ctgov, cfg, *records):
    ctgov.replace(responses.GET, f"{API}/studies", json=page(*records))
    return services.refresh(cfg, full=True)


def _with_status(status: str) -> dict:
    """SYNTHETIC variant of the real NCT02552212 with another overall status."""
    record = study("NCT02552212")
    record["protocolSection"]["statusModule"]["overallStatus"] = status
    return record


def validate_atom(xml: bytes) -> ET.Element:
    """Structural checks RFC 4287 makes: namespace, ids, titles, RFC 3339 times, links."""
    root = ET.fromstring(xml)  # well-formed, or this raises
    assert root.tag == f"{ATOM}feed"
    for element in [root, *root.findall(f"{ATOM}entry")]:
        for name in ("id", "title", "updated"):
            found = element.findall(f"{ATOM}{name}")
            assert len(found) == 1 and (found[0].text or "").strip(), f"{element.tag} {name}"
        assert RFC3339.match(element.findtext(f"{ATOM}updated") or "")
        assert re.match(r"^(urn:uuid:[0-9a-f-]{36}|tag:)", element.findtext(f"{ATOM}id") or "")
        for link in element.findall(f"{ATOM}link"):
            assert link.get("href")
    assert (
        root.find(f"{ATOM}author/{ATOM}name") is not None
    )  # feed-level author (entries have none)
    for entry in root.findall(f"{ATOM}entry"):
        content = entry.find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        assert len(content) == 0  # escaped HTML is text, never child elements
        alternate = [x for x in entry.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
        assert len(alternate) == 1
    ids = [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    return root


def test_feed_after_changes_parses_and_validates(ctgov, make_config, db_url):
    cfg = load_config(make_config())
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    path = cfg.report_dir / "feed.xml"
    assert path.is_file()  # a first run writes an empty feed, so readers can subscribe
    assert feedparser.parse(path.read_bytes()).entries == []
    _refresh_with(ctgov, cfg, terminated())

    data = path.read_bytes()
    validate_atom(data)
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Clinical trial evidence summary: changes"
    assert [e.title for e in parsed.entries] == ["NCT02552212 (critical): terminated; Why stopped"]
    entry = parsed.entries[0]
    assert entry.id.startswith("urn:uuid:")
    links = {link.rel: link.href for link in entry.links}
    assert links == {
        "alternate": "study-NCT02552212.html",
        "related": "https://clinicaltrials.gov/study/NCT02552212",
    }
    assert [t.term for t in entry.tags] == ["critical"]
    html = entry.content[0].value
    assert "Overall status: Completed → Terminated (stopped early)" in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;funding" in html
    assert 'Certolizumab &lt;img src=x onerror="alert(1)"&gt; study' in html
    # feedparser sanitises what it hands out, so check the HTML exactly as any reader gets it
    raw_html = validate_atom(data).findtext(f"{ATOM}entry/{ATOM}content") or ""
    assert "<script" not in raw_html and "<img" not in raw_html and "<b>funding" not in raw_html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;funding" in raw_html
    assert "Certolizumab &lt;img src=x onerror=&#34;alert(1)&#34;&gt; study" in raw_html
    assert XSS not in data.decode() and XSS_TITLE not in data.decode()
    assert "brief title" not in entry.title  # minor: below the threshold
    updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
    assert abs((datetime.now(UTC) - updated).total_seconds()) < 120
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_entry_ids_are_stable_and_the_feed_keeps_the_newest_entries(ctgov, make_config, db_url):
    cfg = load_config(make_config(extra="[alerts]\nfeed_entries = 2\n"))
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    path = cfg.report_dir / "feed.xml"
    _refresh_with(ctgov, cfg, _with_status("SUSPENDED"))
    first = feedparser.parse(path.read_bytes()).entries
    _refresh_with(ctgov, cfg, _with_status("RECRUITING"))
    second = feedparser.parse(path.read_bytes()).entries
    assert second[1].id == first[0].id  # the same run and study keep their id
    assert second[1].title == first[0].title == "NCT02552212 (critical): suspended"
    _refresh_with(ctgov, cfg, _with_status("TERMINATED"))
    third = feedparser.parse(path.read_bytes())
    assert third.bozo == 0
    assert [e.title for e in third.entries] == [
        "NCT02552212 (critical): terminated",  # RECRUITING -> TERMINATED
        "NCT02552212 (notable): Overall status",  # SUSPENDED -> RECRUITING
    ]  # the oldest (COMPLETED -> SUSPENDED) fell off: feed_entries = 2
    assert [e.id for e in third.entries] == [third.entries[0].id, second[0].id]
    assert "Recruiting → Terminated (stopped early)" in third.entries[0].content[0].value
    assert third.feed.updated == third.entries[0].updated


def test_feed_rewritten_only_when_it_would_read_differently(ctgov, make_config, db_url):
    path = make_config()
    cfg = load_config(path)
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    _refresh_with(ctgov, cfg, terminated())
    feed = cfg.report_dir / "feed.xml"
    before, stamp = feed.read_bytes(), feed.stat().st_mtime_ns
    assert _refresh_with(ctgov, cfg, terminated()).changes == 0
    assert feed.read_bytes() == before and feed.stat().st_mtime_ns == stamp  # untouched
    # a new report_url changes every link: the next run rewrites the feed, with no new change
    path.write_text(path.read_text() + '[alerts]\nreport_url = "https://tw.clinic.example/"\n')
    cfg = load_config(path)
    assert _refresh_with(ctgov, cfg, terminated()).changes == 0
    links = feedparser.parse(feed.read_bytes()).entries[0].links
    assert "https://tw.clinic.example/study-NCT02552212.html" in [x.href for x in links]
    # a feed reverted on disk (say, by a report render carrying over an old copy) is repaired
    feed.write_bytes(before)
    assert _refresh_with(ctgov, cfg, terminated()).changes == 0
    assert feed.read_bytes() != before and b"https://tw.clinic.example/" in feed.read_bytes()


def test_absolute_links_and_self_link_with_report_url(ctgov, make_config, db_url):
    extra = '[alerts]\nreport_url = "https://intranet.clinic.example/trialwatch/"\n'
    cfg = load_config(make_config(extra=extra))
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    _refresh_with(ctgov, cfg, terminated())
    parsed = feedparser.parse((cfg.report_dir / "feed.xml").read_bytes())
    assert parsed.bozo == 0
    feed_links = {link.rel: link.href for link in parsed.feed.links}
    assert feed_links == {
        "alternate": "https://intranet.clinic.example/trialwatch/index.html",
        "self": "https://intranet.clinic.example/trialwatch/feed.xml",
    }
    entry_links = {link.rel: link.href for link in parsed.entries[0].links}
    assert entry_links["alternate"] == (
        "https://intranet.clinic.example/trialwatch/study-NCT02552212.html"
    )


def test_feed_can_be_switched_off(ctgov, make_config, db_url):
    cfg = load_config(make_config(extra="[alerts]\nfeed = false\n"))
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    _refresh_with(ctgov, cfg, terminated())
    assert not (cfg.report_dir / "feed.xml").exists()


def test_control_characters_from_the_registry_do_not_break_the_xml(ctgov, make_config, db_url):
    cfg = load_config(make_config())
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")))
    services.refresh(cfg, full=True)
    record = _with_status("WITHDRAWN")  # SYNTHETIC: a why-stopped text with control characters
    record["protocolSection"]["statusModule"]["whyStopped"] = "Sponsor\x0b decision\x1b"
    _refresh_with(ctgov, cfg, record)
    data = (cfg.report_dir / "feed.xml").read_bytes()
    validate_atom(data)
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0
    assert "Why stopped: Sponsor decision" in parsed.entries[0].content[0].value


def test_entries_link_to_pages_the_report_really_has(ctgov, make_config, db_url):
    """A cited study links to its own page, a study that entered a search to that search's page;
    both files exist once the report is rendered, and rendering keeps the feed."""
    from tests.conftest import param_matcher, reset_api
    from tests.synthetic_edits import summary as _summary

    searches = {"Ketamine / depression": {"query.cond": "x"}}
    cfg = load_config(make_config(studies=["NCT02552212"], searches=searches))
    cited, search = (
        param_matcher(**{"filter.ids": "NCT02552212"}),
        param_matcher(**{"query.cond": "x"}),
    )
    ctgov.get(f"{API}/studies", json=page(study("NCT02552212")), match=[cited])
    ctgov.get(f"{API}/studies", json=page(_summary("NCT03418623"), total=1), match=[search])
    services.refresh(cfg, full=True)
    reset_api(ctgov).get(f"{API}/studies", json=page(terminated()), match=[cited])
    ctgov.get(
        f"{API}/studies",
        json=page(_summary("NCT03418623"), _summary("NCT06171568"), total=2),
        match=[search],
    )
    services.refresh(cfg, full=True)
    services.render_report(cfg)
    data = (cfg.report_dir / "feed.xml").read_bytes()
    validate_atom(data)
    entries = feedparser.parse(data).entries
    alternate = {
        e.title: next(link.href for link in e.links if link.rel == "alternate") for e in entries
    }
    assert alternate == {
        "NCT02552212 (critical): terminated; Why stopped": "study-NCT02552212.html",
        "NCT06171568 (notable): Related search": "search-ketamine-depression.html",
    }
    for href in alternate.values():
        assert (cfg.report_dir / href).is_file(), href


def test_one_run_with_more_studies_than_feed_entries(ctgov, make_config, db_url):
    from tests.synthetic_edits import enrollment_doubled

    ids = ["NCT02552212", "NCT00763412", "NCT00973089"]
    cfg = load_config(make_config(studies=ids, extra="[alerts]\nfeed_entries = 2\n"))
    ctgov.get(f"{API}/studies", json=page(*(study(n) for n in ids)))
    services.refresh(cfg, full=True)
    withdrawn = study("NCT00973089")  # SYNTHETIC: the real record with its status changed
    withdrawn["protocolSection"]["statusModule"]["overallStatus"] = "WITHDRAWN"
    _refresh_with(ctgov, cfg, terminated(), enrollment_doubled(), withdrawn)
    parsed = feedparser.parse((cfg.report_dir / "feed.xml").read_bytes())
    assert parsed.bozo == 0 and len(parsed.entries) == 2
    assert len({e.id for e in parsed.entries}) == 2
    assert {e.title.split()[0] for e in parsed.entries} < set(ids)
