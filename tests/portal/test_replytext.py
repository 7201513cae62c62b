"""The reply's text rules, pure: words are whitespace-separated tokens, at most 500 of them
(and 8,000 characters), plain text kept as typed but normalised, paragraphs by blank lines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from councilperf.portal.replytext import (
    EMPTY,
    MAX_CHARACTERS,
    MAX_WORDS,
    TOO_MANY_CHARACTERS,
    TOO_MANY_WORDS,
    normalise,
    paragraphs,
    problems,
    word_count,
    words_label,
)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   ", 0),
        ("\n\n\t \r\n", 0),
        ("one", 1),
        ("one two", 2),
        ("  one   two  ", 2),
        ("one\ntwo", 2),
        ("one\r\ntwo", 2),
        ("one\ttwo", 2),
        ("one\n\n\ntwo", 2),
        ("one\u00a0two", 2),  # a non-breaking space separates words too
        ("one\u2003two", 2),  # an em space
        ("Hello, world!", 2),
        ("(see below).", 2),
        ("co-operate", 1),
        ("well-being and long-term", 3),
        ("don't", 1),
        ("well – done", 3),  # a spaced dash is a token of its own
        ("well—done", 1),
        ("...", 1),
        ("3.5% of 1,000 complaints", 4),
        ("café naïve résumé", 3),
        ("Cyngor Sir Ynys Môn: ŵ ŷ", 6),
        ("北京 上海", 2),
        ("a\u200bb", 1),  # a zero-width space is not whitespace
        ("👍 agreed", 2),
        ("<script>alert(1)</script>", 1),
        ("**bold** _it_", 2),
        ("https://example.org/a?b=c d", 2),
    ],
)
def test_words_are_whitespace_separated_tokens(text: str, count: int) -> None:
    assert word_count(text) == count


@given(st.lists(st.text(min_size=1).filter(lambda w: not any(c.isspace() for c in w))))
def test_joining_tokens_with_any_whitespace_counts_each(tokens: list[str]) -> None:
    for glue in (" ", "\n", "\n\n", "\t", " \r\n "):
        assert word_count(glue.join(tokens)) == len(tokens)


def test_the_label_says_how_many_of_how_many() -> None:
    assert words_label(312) == "312 of 500 words"
    assert words_label(0) == "0 of 500 words"
    assert words_label(1) == "1 of 500 words"
    assert words_label(1234) == "1,234 of 500 words"


def test_an_empty_reply_is_refused() -> None:
    for text in ("", "   ", "\n\n"):
        assert [p.code for p in problems(normalise(text))] == [EMPTY]
    assert problems("")[0].message == "Enter your reply"


def test_500_words_pass_and_501_are_refused_by_name() -> None:
    assert MAX_WORDS == 500
    assert problems(" ".join(["word"] * 500)) == []
    found = problems(" ".join(["word"] * 501))
    assert [p.code for p in found] == [TOO_MANY_WORDS]
    assert found[0].message == "Your reply must be 500 words or fewer – it has 501 words"


def test_one_enormous_word_is_refused_by_its_characters() -> None:
    assert problems("x" * MAX_CHARACTERS) == []
    found = problems("x" * (MAX_CHARACTERS + 1))
    assert [p.code for p in found] == [TOO_MANY_CHARACTERS]
    assert "8,000 characters or fewer" in found[0].message


def test_both_limits_are_reported_together() -> None:
    text = " ".join(["w" * 20] * 501)
    assert {p.code for p in problems(text)} == {TOO_MANY_WORDS, TOO_MANY_CHARACTERS}


def test_normalising_keeps_the_words_and_drops_what_is_invisible() -> None:
    assert normalise("one\r\ntwo\rthree") == "one\ntwo\nthree"
    assert normalise("\n\n  first line  \nsecond\t\n\n") == "  first line\nsecond"
    assert normalise("a\x00b\x07c") == "abc"  # control characters go
    assert normalise("a\tb") == "a\tb"  # a tab stays
    assert normalise("e\u0301") == "\u00e9"  # one form of é (NFC)
    assert normalise("<b>kept</b> as typed") == "<b>kept</b> as typed"


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("one", ["one"]),
        ("one\ntwo", ["one\ntwo"]),  # a single line break stays inside the paragraph
        ("one\n\ntwo", ["one", "two"]),
        ("one\n   \n\n\ntwo", ["one", "two"]),  # lines of spaces are blank
        ("one\r\n\r\ntwo", ["one", "two"]),
        ("\n\none\n\n", ["one"]),
        ("  indented\n\n\tthen", ["indented", "then"]),
        ("<p>not html</p>\n\n# not a heading", ["<p>not html</p>", "# not a heading"]),
    ],
)
def test_paragraphs_are_separated_by_blank_lines(text: str, expected: list[str]) -> None:
    assert paragraphs(text) == expected


@given(st.text())
def test_paragraphs_keep_every_word(text: str) -> None:
    kept = normalise(text)
    assert sum(word_count(p) for p in paragraphs(text)) == word_count(kept)
