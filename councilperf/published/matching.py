"""Forgiving council-name matching for the search page, the type-ahead and the 404 page (pure).

A query matches a council when every word of it matches a word of one of the council's names
(short or official): the same word, the start of a word (for the type-ahead: "derb"), or, for
words of four letters or more, a close spelling with the same first letter ("Derbyshre",
"Leds", "Bradfrod": difflib's similarity ratio at least ``CLOSE``). Common abbreviations are
read both ways: "NE" is "north east", "N" is "north", "St" and "St." are "saint", "Lincs" is
"Lincolnshire". Words that name no place ("council", "the", "of", "and") are ignored. Better
matches come first: exact words before starts before close spellings, then a name that begins
with the query, then councils that still exist, then shorter names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, TypeVar

T = TypeVar("T")

CLOSE = 0.8  # the least similarity ratio of a close spelling
FUZZY_FROM = 4  # words shorter than this only match exactly or as the start of a word

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "n": ("north",),
    "s": ("south",),
    "e": ("east",),
    "w": ("west",),
    "ne": ("north", "east"),
    "nw": ("north", "west"),
    "se": ("south", "east"),
    "sw": ("south", "west"),
    "st": ("saint",),
    "gt": ("great",),
    "mbc": ("metropolitan", "borough"),
    "bc": ("borough",),
    "dc": ("district",),
    "cc": ("county",),
    # Counties as people shorten them.
    "beds": ("bedfordshire",),
    "berks": ("berkshire",),
    "bucks": ("buckinghamshire",),
    "cambs": ("cambridgeshire",),
    "derbys": ("derbyshire",),
    "glos": ("gloucestershire",),
    "hants": ("hampshire",),
    "herts": ("hertfordshire",),
    "lancs": ("lancashire",),
    "leics": ("leicestershire",),
    "lincs": ("lincolnshire",),
    "northants": ("northamptonshire",),
    "notts": ("nottinghamshire",),
    "oxon": ("oxfordshire",),
    "staffs": ("staffordshire",),
    "warks": ("warwickshire",),
    "wilts": ("wiltshire",),
    "worcs": ("worcestershire",),
    "yorks": ("yorkshire",),
}
IGNORED = frozenset({"council", "the", "of", "and", "upon", "on"})
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> tuple[str, ...]:
    """The words of a name or query, lower-case, abbreviations written out, filler dropped.

    >>> words("St. Helens Council")
    ('saint', 'helens')
    >>> words("NE Derbyshire")
    ('north', 'east', 'derbyshire')
    """
    folded = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    out: list[str] = []
    for word in _WORD.findall(folded):
        if word in IGNORED:
            continue
        out.extend(ABBREVIATIONS.get(word, (word,)))
    return tuple(out)


def word_score(query_word: str, name_word: str) -> float:
    """How well one query word matches one word of a name: 1 the same, 0.9 its start, the
    similarity ratio for a close spelling, 0 otherwise."""
    if query_word == name_word:
        return 1.0
    if name_word.startswith(query_word):
        return 0.9
    if len(query_word) < FUZZY_FROM or query_word[0] != name_word[0]:
        return 0.0
    ratio = SequenceMatcher(None, query_word, name_word).ratio()
    return ratio if ratio >= CLOSE else 0.0


def score(query: Sequence[str], name: Sequence[str]) -> float:
    """The mean of each query word's best match in the name; 0 when any query word has none."""
    if not query or not name:
        return 0.0
    total = 0.0
    for q in query:
        best = max(word_score(q, n) for n in name)
        if best == 0.0:
            return 0.0
        total += best
    return total / len(query)


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """Something to find (a council), under its names; ``ended`` sorts it after the living."""

    item: T
    names: tuple[str, ...]
    label: str
    ended: bool = False


def best_matches(query: str, candidates: Iterable[Candidate[T]], *, limit: int = 20) -> list[T]:
    """The candidates matching the query, best first, at most ``limit``."""
    wanted = words(query)
    if not wanted:
        return []
    phrase = " ".join(wanted)
    ranked: list[tuple[float, bool, bool, int, str, T]] = []
    for candidate in candidates:
        found = max((score(wanted, words(name)) for name in candidate.names), default=0.0)
        if found == 0.0:
            continue
        label = words(candidate.label)
        starts = " ".join(label).startswith(phrase)
        ranked.append(
            (-found, not starts, candidate.ended, len(label), candidate.label, candidate.item)
        )
    ranked.sort(key=lambda r: r[:5])
    return [r[5] for r in ranked[:limit]]
