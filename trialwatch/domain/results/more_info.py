"""The results' "more information": limitations and caveats, and the publication agreement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trialwatch.domain.results.read import RESULTS, AsDict, flag, obj, text

# What each restriction type means (the registry's own definitions, shortened).
RESTRICTION_WORDS = {
    "LTE60": "the sponsor can review results communications before publication and can delay "
    "them by up to 60 days",
    "GT60": "the sponsor can review results communications before publication and can delay "
    "them by more than 60 days",
    "OTHER": "another restriction, described by the sponsor",
}


@dataclass(frozen=True)
class MoreInfo(AsDict):
    limitations: str | None
    pi_sponsor_employee: bool | None
    restrictive_agreement: bool | None
    restriction_type: str | None
    agreement_details: str | None

    @property
    def agreement_words(self) -> str:
        """The publication agreement in plain words, from the registered flags and type."""
        if self.pi_sponsor_employee:
            return "The principal investigators are employees of the sponsor."
        if self.restrictive_agreement is None:
            return "The registry gives no publication agreement."
        if not self.restrictive_agreement:
            return (
                "No restrictive agreement: the investigators may discuss or publish the results "
                "without the sponsor's approval."
            )
        kind = RESTRICTION_WORDS.get(
            self.restriction_type or "", "a restriction of an unstated kind"
        )
        return f"A restrictive agreement: {kind}."


def parse_more_info(record: Any) -> MoreInfo | None:
    module = obj(record, RESULTS, "moreInfoModule")
    if not module:
        return None
    agreement = obj(module, "certainAgreement")
    return MoreInfo(
        limitations=text(obj(module, "limitationsAndCaveats"), "description"),
        pi_sponsor_employee=flag(agreement, "piSponsorEmployee"),
        restrictive_agreement=flag(agreement, "restrictiveAgreement"),
        restriction_type=text(agreement, "restrictionType"),
        agreement_details=text(agreement, "otherDetails"),
    )
