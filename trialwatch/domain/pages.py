"""Where each page of the evidence report lives: shared by the report, the feed and the e-mail.

A cited study has its own page; a study found by a related search is listed on that search's page;
anything else is summarised on the index. Kept free of heavy imports: alerts need the names on
every refresh without loading the report's pandas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

REGISTRY_URL = "https://clinicaltrials.gov/study/{nct}"
INDEX_PAGE = "index.html"
STUDY_PAGE = "study-{nct}.html"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "search"


def search_page_names(names: Iterable[str]) -> dict[str, str]:
    """Search name -> its report page ("search-<slug>.html"), unique in the order given."""
    used: set[str] = set()
    pages: dict[str, str] = {}
    for search_name in names:
        name = slug(search_name)
        while name in used:
            name += "-x"
        used.add(name)
        pages[search_name] = f"search-{name}.html"
    return pages
