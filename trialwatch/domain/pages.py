"""Where each page of the evidence report lives: shared by the report, the feed and the e-mail.

A cited study has its own page; a study found by a related search is listed on that search's page;
anything else is summarised on the index. Kept free of heavy imports: alerts need the names on
every refresh without loading the report's pandas.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trialwatch.config import Config

REGISTRY_URL = "https://clinicaltrials.gov/study/{nct}"
INDEX_PAGE = "index.html"
STUDY_PAGE = "study-{nct}.html"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "search"


def search_page_names(config: Config) -> dict[str, str]:
    """Search name -> its report page ("search-<slug>.html"), unique in config order."""
    used: set[str] = set()
    pages: dict[str, str] = {}
    for search in config.searches:
        name = slug(search.name)
        while name in used:
            name += "-x"
        used.add(name)
        pages[search.name] = f"search-{name}.html"
    return pages
