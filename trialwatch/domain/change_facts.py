"""Pure: the shared machinery of results diffs — arms matched by title, facts compared by key.

A results module is read into *facts*: {key: value}, each key naming what the value is about by
content (an arm's title, a row's class and category), never by list position or registry id. Two
versions' facts are then compared key by key, so a reordered list is not a change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from trialwatch.domain.change import LoggedChange
from trialwatch.domain.raw import objs, text

Key = tuple[str, ...]


@dataclass
class ArmTitles:
    """Each version's group ids as arm titles, with arms renamed between them folded together.

    An id that keeps its place but changes its title, where neither title is in the other
    version, is a renamed arm: the older version's facts are read under the new title, so the
    rename is one change, not every value of that arm removed and added again.
    """

    old: dict[str, str] = field(default_factory=dict)
    new: dict[str, str] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # old title -> new title


def arm_titles(old_groups: list[dict[str, Any]], new_groups: list[dict[str, Any]]) -> ArmTitles:
    def titles(groups: list[dict[str, Any]]) -> dict[str, str]:
        return {
            g["id"]: text(g, "title") or g["id"] for g in groups if isinstance(g.get("id"), str)
        }

    arms = ArmTitles(titles(old_groups), titles(new_groups))
    old_set, new_set = set(arms.old.values()), set(arms.new.values())
    for gid, before in list(arms.old.items()):
        after = arms.new.get(gid)
        if after and after != before and before not in new_set and after not in old_set:
            arms.renamed[before] = after
            arms.old[gid] = after
    return arms


def renames(arms: ArmTitles) -> list[LoggedChange]:
    """A renamed arm, once per results module (the diff keeps one per old and new title)."""
    return [LoggedChange("arm_renamed", a, b, "minor") for a, b in arms.renamed.items()]


def groups_of(module: dict[str, Any], key: str = "groups") -> list[dict[str, Any]]:
    return objs(module, key)


def compare_facts(
    old: dict[Key, str | None],
    new: dict[Key, str | None],
    make: Callable[[Key, str | None, str | None], LoggedChange | None],
) -> list[LoggedChange]:
    """One change per key whose value differs (a key in one version only: from or to nothing)."""
    out: list[LoggedChange] = []
    for key in _ordered(old, new):
        before, after = old.get(key), new.get(key)
        if before != after:
            change = make(key, before, after)
            if change is not None:
                out.append(change)
    return out


def _ordered(old: dict[Key, Any], new: dict[Key, Any]) -> Iterable[Key]:
    """The newer version's order first (as the registry now shows it), then what went."""
    return list(new) + [k for k in old if k not in new]


def count_pair(affected: Any, at_risk: Any) -> str | None:
    """'3 / 97': affected of at risk, as registered; None when neither is given."""
    if affected is None and at_risk is None:
        return None
    return f"{_num(affected)} / {_num(at_risk)}"


def _num(value: Any) -> str:
    if isinstance(value, int | str) and not isinstance(value, bool):
        return str(value)
    return "?"


def affected_rose(before: str | None, after: str | None) -> bool:
    """Whether the affected count ('3 / 97') went up, or appeared."""
    return _first_int(after) > _first_int(before)


def _first_int(value: str | None) -> int:
    head = (value or "").split("/")[0].strip()
    return int(head) if head.isdigit() else 0


def unique_keys(items: Iterable[tuple[Key, Any]]) -> dict[Key, Any]:
    """{key: item}; a key seen again gets a running number, so duplicates are still compared."""
    out: dict[Key, Any] = {}
    for key, item in items:
        final, n = key, 1
        while final in out:
            n += 1
            final = (*key, f"#{n}")
        out[final] = item
    return out
