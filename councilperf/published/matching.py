"""Forgiving council-name matching for the search page, the type-ahead and the 404 page (pure).

A query matches a council when every word of it matches a word of one of the council's names
(short or official): the same word, the start of a word (for the type-ahead: "derb"), or, for
words of four letters or more, a close spelling with the same first letter ("Derbyshre",
"Leds", "Bradfrod": difflib's similarity ratio at least ``CLOSE``). Common abbreviations are
read both ways: "NE" is "north east", "N" and "Nth" are "north", "Sth" is "south", "St" and
"St." are "saint", "Gt" is "great" (and the start of "greater"), "Upr" and "Lwr" are "upper"
and "lower", "Lincs" and "Derbys" are "Lincolnshire" and "Derbyshire"; each is also read as
typed, so that a word being typed still finds the names it starts. Words that name no place
("council", "the", "of", "and") are ignored. Better matches come first: exact words before
starts before close spellings, then a name that begins with the query, then councils that
still exist, then shorter names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import product
from typing import Generic, TypeVar

T = TypeVar("T")

CLOSE = 0.8  # the least similarity ratio of a close spelling
FUZZY_FROM = 4  # words shorter than this only match exactly or as the start of a word
READINGS = 8  # the most ways a query is read (each abbreviation written out or as typed)

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "n": ("north",),
    "s": ("south",),
    "e": ("east",),
    "w": ("west",),
    "ne": ("north", "east"),
    "nw": ("north", "west"),
    "se": ("south", "east"),
    "sw": ("south", "west"),
    "nth": ("north",),
    "nrth": ("north",),
    "sth": ("south",),
    "st": ("saint",),
    "gt": ("great",),  # also the start of "greater"
    "gtr": ("greater",),
    "upr": ("upper",),
    "lwr": ("lower",),
    "lr": ("lower",),
    "mt": ("mount",),
    "pk": ("park",),
    "cnty": ("county",),
    "iow": ("isle", "wight"),
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
    "salop": ("shropshire",),
    "soton": ("southampton",),
    "bham": ("birmingham",),
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
    return readings(text, limit=1)[0]


def readings(text: str, *, limit: int = READINGS) -> list[tuple[str, ...]]:
    """The ways to read a query, at most ``limit``: first with every abbreviation written
    out (:func:`words`), then with some kept as typed, so that a word being typed that looks
    like an abbreviation still finds the names it starts ("St" finds St Albans first, then
    Stockport; "Herts" Hertfordshire, then Hertsmere).

    >>> readings("St Albans")
    [('saint', 'albans'), ('st', 'albans')]
    """
    folded = text.lower().replace("&", " and ").replace("'", "").replace("\u2019", "")
    options: list[tuple[tuple[str, ...], ...]] = []
    for word in _WORD.findall(folded):
        if word in IGNORED:
            continue
        expanded = ABBREVIATIONS.get(word)
        options.append(((word,),) if expanded is None else (expanded, (word,)))
    found = [tuple(w for part in combo for w in part) for combo in product(*options)]
    return found[:limit] or [()]


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
    wanted = [r for r in readings(query) if r]
    if not wanted:
        return []
    ranked: list[tuple[float, bool, bool, int, str, T]] = []
    for candidate in candidates:
        names = [words(name) for name in candidate.names]
        label = words(candidate.label)
        found, starts = max(
            (
                (score(reading, name), " ".join(label).startswith(" ".join(reading)))
                for reading in wanted
                for name in names
            ),
            default=(0.0, False),
        )
        if found == 0.0:
            continue
        ranked.append(
            (-found, not starts, candidate.ended, len(label), candidate.label, candidate.item)
        )
    ranked.sort(key=lambda r: r[:5])
    return [r[5] for r in ranked[:limit]]
