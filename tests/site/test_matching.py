"""The forgiving council-name match (pure): close spellings, starts of words, abbreviations."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.conf import settings

from councilperf.published.matching import (
    ABBREVIATIONS,
    READINGS,
    Candidate,
    best_matches,
    readings,
    score,
    word_score,
    words,
)

# Names as the register writes them (short name, official name), a few ended.
COUNCILS = [
    ("Derbyshire", "Derbyshire County Council", False),
    ("Derbyshire Dales", "Derbyshire Dales District Council", False),
    ("North East Derbyshire", "North East Derbyshire District Council", False),
    ("South Derbyshire", "South Derbyshire District Council", False),
    ("Derby", "Derby City Council", False),
    ("Leeds", "Leeds City Council", False),
    ("Lewes", "Lewes District Council", False),
    ("Bradford", "City of Bradford Metropolitan District Council", False),
    ("North East Lincolnshire", "North East Lincolnshire Council", False),
    ("North Somerset", "North Somerset Council", False),
    ("St Albans", "St Albans City and District Council", False),
    ("St. Helens", "St Helens Council", False),
    ("St Edmundsbury", "St Edmundsbury Borough Council", True),
    ("Kingston upon Thames", "Royal Borough of Kingston upon Thames", False),
    ("Oadby and Wigston", "Oadby and Wigston Borough Council", False),
    ("Newcastle upon Tyne", "Newcastle upon Tyne City Council", False),
    ("Castle Point", "Castle Point Borough Council", False),
    ("Manchester", "Manchester City Council", False),
    ("Greater Manchester", "Greater Manchester Combined Authority", False),
    ("Great Yarmouth", "Great Yarmouth Borough Council", False),
    ("Upper Borsetshire", "Upper Borsetshire District Council", False),
    ("Lower Borsetshire", "Lower Borsetshire District Council", False),
    ("Isle of Wight", "Isle of Wight Council", False),
    ("Southampton", "Southampton City Council", False),
    ("Birmingham", "Birmingham City Council", False),
    ("Shropshire", "Shropshire Council", False),
    ("Stockport", "Stockport Metropolitan Borough Council", False),
    ("Hertfordshire", "Hertfordshire County Council", False),
    ("Hertsmere", "Hertsmere Borough Council", False),
    ("Newcastle-under-Lyme", "Newcastle-under-Lyme Borough Council", False),
]
CANDIDATES = [
    Candidate(item=short, names=(short, official), label=short, ended=ended)
    for short, official, ended in COUNCILS
]


def find(query: str, limit: int = 20) -> list[str]:
    return best_matches(query, CANDIDATES, limit=limit)


def test_a_misspelt_county_lists_every_council_of_that_name() -> None:
    found = find("Derbyshre")
    assert {"North East Derbyshire", "Derbyshire Dales", "Derbyshire"} <= set(found)
    assert "Derby" not in found  # "derbyshre" is not close to "derby"
    assert found[0] == "Derbyshire"  # the shortest name first among equals


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Leds", "Leeds"),
        ("leeds", "Leeds"),
        ("Bradfrod", "Bradford"),
        ("NE Derbyshire", "North East Derbyshire"),
        ("N.E. Derbyshire", "North East Derbyshire"),
        ("north east derb", "North East Derbyshire"),
        ("ne lincs", "North East Lincolnshire"),
        ("N Somerset", "North Somerset"),
        ("Saint Albans", "St Albans"),
        ("St Helens", "St. Helens"),
        ("Saint Helens Council", "St. Helens"),
        ("the city of bradford", "Bradford"),
        ("Manchestr", "Manchester"),
        ("Nth E Derbys", "North East Derbyshire"),
        ("nth. e. derbys.", "North East Derbyshire"),
        ("NTH EAST DERBYSHIRE", "North East Derbyshire"),
        ("Nrth E Derbys", "North East Derbyshire"),
        ("Sth Derbys", "South Derbyshire"),
        ("Gt Yarmouth", "Great Yarmouth"),
        ("Gt Manchester", "Greater Manchester"),
        ("Gtr Manchester", "Greater Manchester"),
        ("St Albans", "St Albans"),
        ("Upr Borsetshire", "Upper Borsetshire"),
        ("Lwr Borsetshire", "Lower Borsetshire"),
        ("Lr Borsetshire", "Lower Borsetshire"),
        ("IoW", "Isle of Wight"),
        ("Soton", "Southampton"),
        ("Bham", "Birmingham"),
        ("Salop", "Shropshire"),
        ("Herts", "Hertfordshire"),
    ],
)
def test_forgiving_queries_find_the_council_first(query: str, first: str) -> None:
    assert find(query)[:1] == [first]


def test_abbreviations_narrow_rather_than_widen() -> None:
    assert find("NE Derbyshire") == ["North East Derbyshire"]
    assert find("Leds") == ["Leeds"]  # not Lewes: "leds" and "lewes" are not close


def test_close_spellings_keep_the_first_letter() -> None:
    assert "Oadby and Wigston" not in find("Kingston")  # "wigston" is near "kingston"
    assert "Castle Point" not in find("Newcastle")
    assert find("Kingston") == ["Kingston upon Thames"]


def test_short_words_only_match_whole_or_as_a_start() -> None:
    assert word_score("der", "derbyshire") == 0.9
    assert word_score("dre", "derbyshire") == 0.0
    assert word_score("lees", "leeds") > 0.8  # four letters: a close spelling


def test_ended_councils_come_after_living_ones() -> None:
    found = find("St")
    saints = {"St Albans", "St. Helens", "St Edmundsbury"}
    assert found[2] == "St Edmundsbury"  # after the living saints...
    assert set(found[:3]) == saints
    assert found[3:] == ["Stockport"]  # ...and before a name that only starts "St"


def test_words_drop_filler_and_write_out_abbreviations() -> None:
    assert words("St. Helens Council") == ("saint", "helens")
    assert words("NE Derbyshire") == ("north", "east", "derbyshire")
    assert words("Barking & Dagenham") == ("barking", "dagenham")
    assert words("Council of the") == ()
    assert words("King’s Lynn") == ("kings", "lynn")


def test_empty_or_unmatched_queries_find_nothing() -> None:
    assert find("") == []
    assert find("council") == []
    assert find("Zzzzzz") == []
    assert score((), ("leeds",)) == 0.0
    assert score(("leeds",), ()) == 0.0


def test_every_word_of_the_query_must_match() -> None:
    assert find("Derbyshire Dales") == ["Derbyshire Dales"]
    assert find("Derbyshire Nowhere") == []


def test_limit() -> None:
    assert len(find("Derbyshire", limit=2)) == 2


# ── abbreviations, every one ─────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("short", "long"), sorted(ABBREVIATIONS.items()))
def test_every_abbreviation_is_written_out_however_it_is_typed(
    short: str, long: tuple[str, ...]
) -> None:
    for typed in (short, short.upper(), short.capitalize(), short.capitalize() + "."):
        assert words(typed) == long, typed
        assert words(f"{typed} Borsetshire") == (*long, "borsetshire"), typed
        # ...and it is also read as typed, for a word that only starts a name.
        assert readings(typed) == [long, (short,)]
    # Written out, it finds a name in full; as typed it never finds nothing of its own.
    name = " ".join(w.capitalize() for w in long) + " Borsetshire"
    found = best_matches(f"{short} Borsetshire", [Candidate(item=name, names=(name,), label=name)])
    assert found == [name]


def test_a_word_that_looks_like_an_abbreviation_still_finds_what_it_starts() -> None:
    """The type-ahead: "St" is Saint first, then the names that start with "St"."""
    assert find("St") == ["St Albans", "St. Helens", "St Edmundsbury", "Stockport"]
    assert find("Herts") == ["Hertfordshire", "Hertsmere"]
    found = find("Ne")
    assert set(found[:2]) == {"North East Derbyshire", "North East Lincolnshire"}
    assert {"Newcastle upon Tyne", "Newcastle-under-Lyme"} <= set(found[2:])


def test_readings_are_bounded() -> None:
    many = " ".join(["N"] * 10)
    assert len(readings(many)) == READINGS
    assert readings(many)[0] == ("north",) * 10
    assert readings("") == [()]
    assert readings("the council") == [()]


def register_names() -> set[str]:
    path = Path(settings.REFERENCE_DATA_DIR) / "la_register" / "uk_local_authorities_current.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["nation"] == "England"]
    return {r["official-name"] for r in rows} | {r["nice-name"] for r in rows}


def test_every_real_council_is_found_by_its_own_abbreviated_name() -> None:
    """Each English council of the register, its name's words abbreviated wherever the table
    has an abbreviation for them, is found first (or ties with a council of the same words)."""
    names = sorted(register_names())
    candidates = [Candidate(item=n, names=(n,), label=n) for n in names]
    short = {long: key for key, long in ABBREVIATIONS.items() if len(long) == 1}
    tried = 0
    for name in names:
        typed = [short.get((w.lower(),), w) for w in re.findall(r"[A-Za-z]+", name)]
        if typed == re.findall(r"[A-Za-z]+", name):
            continue
        tried += 1
        found = best_matches(" ".join(typed), candidates, limit=3)
        assert found and words(found[0]) == words(name), (name, typed, found)
    assert tried >= 30
