"""The forgiving council-name match (pure): close spellings, starts of words, abbreviations."""

from __future__ import annotations

import pytest

from councilperf.published.matching import (
    Candidate,
    best_matches,
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
    assert found[-1] == "St Edmundsbury"
    assert set(found) == {"St Albans", "St. Helens", "St Edmundsbury"}


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
