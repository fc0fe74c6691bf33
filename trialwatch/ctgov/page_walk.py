"""One walk through the pages of a /studies answer: each page's studies, and a guard against
pages that never end."""

from __future__ import annotations

from typing import Any

from trialwatch.errors import ApiError


class PageWalk:
    """Guards a walk through pages against a registry (or a proxy) whose pages never end.

    A token seen before, a page that adds no study not seen on an earlier page, or more pages
    than `totalCount` allows ends the walk with an ApiError instead of looping for ever.
    """

    def __init__(self) -> None:
        self.pages = 0
        self.total: int | None = None
        self.tokens: set[str] = set()
        self.ids: set[str] = set()

    def next_token(self, page: dict[str, Any], studies: list[dict[str, Any]]) -> str | None:
        """The page's nextPageToken, once the page is checked to move the walk forward."""
        self.pages += 1
        if self.pages == 1 and isinstance(page.get("totalCount"), int):
            self.total = page["totalCount"]
        token = page.get("nextPageToken")
        if token is not None and not isinstance(token, str):
            self._refuse(f"has a nextPageToken that is not text ({type(token).__name__})")
        ids = {i for s in studies if isinstance(i := ident_of(s).get("nctId"), str)}
        if studies and ids and ids <= self.ids and self.pages > 1:
            self._refuse("adds no study that an earlier page did not already have")
        self.ids |= ids
        # every page but a last empty one adds a study: more pages than studies cannot be
        if self.total is not None and self.pages > max(self.total, 0) + 1:
            self._refuse(f"is more than a totalCount of {self.total} allows")
        if token is not None and token in self.tokens:
            self._refuse(f"repeats the page token {token[:40]!r}")
        if token:
            self.tokens.add(token)
        return token

    def _refuse(self, why: str) -> None:
        raise ApiError(
            f"The registry's pages do not end: page {self.pages} {why}. The walk was stopped "
            "so that it cannot loop for ever; nothing was changed, try again later."
        )


def ident_of(record: Any) -> dict[str, Any]:
    if isinstance(record, dict):
        proto = record.get("protocolSection")
        if isinstance(proto, dict) and isinstance(proto.get("identificationModule"), dict):
            return proto["identificationModule"]  # type: ignore[no-any-return]
    return {}


def studies_of(page: Any) -> list[dict[str, Any]]:
    if not isinstance(page, dict):
        raise ApiError("The registry answered with JSON that is not a page of studies")
    studies = page.get("studies", [])
    if not isinstance(studies, list):
        raise ApiError("The registry's page has a 'studies' value that is not a list")
    return [s for s in studies if isinstance(s, dict)]
