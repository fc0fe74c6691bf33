"""`trialwatch backfill`: a study's past from the registry's own version history.

For each study: the version list, then each version not yet stored, stored at the registry's
date for it. Each version is committed as it arrives, so an interrupted backfill keeps what it
got and the next one fetches only the rest (versions are matched by the registry's number).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from trialwatch.config import Config
from trialwatch.ctgov.client import CtgovClient
from trialwatch.ctgov.history import version_list, version_record
from trialwatch.domain.version_diff import unescaped
from trialwatch.errors import TrialwatchError
from trialwatch.services.pipeline import make_client, open_sessions
from trialwatch.store.archive import Provenance, add_version, stored_registry_versions
from trialwatch.store.lock import refresh_lock
from trialwatch.store.models import utcnow

Progress = Callable[[str, int, int], None]  # (study, versions done, versions listed)


@dataclass
class BackfillSummary:
    studies: list[str] = field(default_factory=list)
    listed: int = 0  # versions the registry lists
    already: int = 0  # of those, stored before
    new_versions: int = 0
    changes: int = 0
    requests: int = 0

    def summary_line(self) -> str:
        return (
            f"backfill: {len(self.studies)} studies, {self.listed:,} registry versions "
            f"({self.already:,} already stored), {self.new_versions:,} new versions, "
            f"{self.changes:,} changes, {self.requests:,} requests"
        )


def backfill(
    config: Config,
    ids: Sequence[str],
    *,
    client: CtgovClient | None = None,
    progress: Progress | None = None,
) -> BackfillSummary:
    """Fetch and store the registry's versions of each study in `ids` that are not stored."""
    client = client or make_client(config)
    summary = BackfillSummary()
    with open_sessions(config) as (engine, sessions), refresh_lock(engine):
        try:
            for nct in ids:
                entries = version_list(client, nct)
                summary.studies.append(nct)
                summary.listed += len(entries)
                with sessions() as session:
                    have = stored_registry_versions(session, nct)
                for done, entry in enumerate(entries, 1):
                    if progress is not None:
                        progress(nct, done, len(entries))
                    if entry.version in have:
                        summary.already += 1
                        continue
                    received = version_record(client, nct, entry.version)
                    provenance = Provenance(
                        source="history", format="v2-json", observed_date=entry.date,
                        raw_text=json.dumps(received, ensure_ascii=False),
                        registry_version=entry.version,
                    )  # fmt: skip
                    with sessions.begin() as session:
                        added = add_version(session, unescaped(received), provenance, now=utcnow())
                    summary.new_versions += added.stored
                    summary.changes += added.changes
        except TrialwatchError as exc:
            kept = f"{summary.new_versions} new versions were stored before it"
            raise type(exc)(f"{exc} ({kept}; run the backfill again to fetch the rest)") from None
        finally:
            summary.requests = client.stats.requests
    return summary
