"""Pure parsing of a record's `resultsSection`, one module per topic.

`outcomes` (measures and their denominators), `analyses`, `flow` (participant flow), `baseline`,
`adverse` (adverse events), over the shared defensive readers in `read`. Like
`trialwatch.domain.records`, nothing here raises on a strange record: a missing or wrongly shaped
piece is skipped. Registered values stay verbatim strings ("NA", "NR", "<0.001", "7.0"), so a
value the registry could not estimate is never turned into a number, a blank or "not reached".
Every arm of a measure is kept, whatever its value. Adverse events stay per arm: nothing is pooled.

The names below are the package's public API (and what `trialwatch.domain.results` offered as
one module).
"""

from trialwatch.domain.results.adverse import (
    AdverseEvent,
    AdverseEvents,
    EventGroup,
    EventStat,
    most_frequent_events,
    parse_adverse_events,
)
from trialwatch.domain.results.analyses import Analysis, parse_analysis
from trialwatch.domain.results.baseline import Baseline, BaselineMeasure, parse_baseline
from trialwatch.domain.results.flow import (
    FlowPeriod,
    Milestone,
    ParticipantFlow,
    parse_participant_flow,
)
from trialwatch.domain.results.more_info import MoreInfo, parse_more_info
from trialwatch.domain.results.outcomes import (
    ClassDenoms,
    Measurement,
    OutcomeMeasure,
    parse_outcome,
    parse_outcomes,
)
from trialwatch.domain.results.read import RESULTS, Denom, Group, GroupValue

__all__ = [
    "RESULTS",
    "AdverseEvent",
    "AdverseEvents",
    "Analysis",
    "Baseline",
    "BaselineMeasure",
    "ClassDenoms",
    "Denom",
    "EventGroup",
    "EventStat",
    "FlowPeriod",
    "Group",
    "GroupValue",
    "Measurement",
    "Milestone",
    "MoreInfo",
    "OutcomeMeasure",
    "ParticipantFlow",
    "most_frequent_events",
    "parse_adverse_events",
    "parse_analysis",
    "parse_baseline",
    "parse_more_info",
    "parse_outcome",
    "parse_outcomes",
    "parse_participant_flow",
]
