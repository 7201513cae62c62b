"""Figures' companions in words: comparisons with similar authorities, plurals. Pure."""

from __future__ import annotations

from councilperf.groups import GROUP_PLURAL

COMPARISON_WORDS = {
    "lower": "lower than",
    "similar": "similar to",
    "higher": "higher than",
}


def comparison_words(label: str | None, group: str) -> str:
    """ "Similar to district councils"; "" when the engine gave no comparison."""
    group_name = GROUP_PLURAL.get(group, "similar authorities").lower()
    if label in COMPARISON_WORDS:
        return f"{COMPARISON_WORDS[label].capitalize()} {group_name}"
    if label == "not_compared":
        return "Not compared: too few cases to compare fairly"
    return ""


def plural(n: int, word: str) -> str:
    """ "1 upheld decision", "2 upheld decisions"."""
    return f"{n} {word}{'' if n == 1 else 's'}"
