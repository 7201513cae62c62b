"""A council's reply as plain text: its words counted, its limits checked, its paragraphs.

Pure: no Django, no I/O; plain functions on strings.

- A *word* is a whitespace-separated token (whitespace as ``str.isspace`` knows it, so line
  breaks, tabs and non-breaking spaces separate words). Punctuation belongs to the token it
  touches: ``co-operate``, ``don't``, ``3.5%`` and ``(see`` are one word each; a dash with
  spaces on both sides (``well – done``) is a token and counts, as in a word processor.
- A reply is plain text: nothing in it is read as HTML or Markdown. Paragraphs are separated
  by blank lines; a single line break stays a line break. Whoever shows it escapes it.
- Limits: at most :data:`MAX_WORDS` words and :data:`MAX_CHARACTERS` characters (the second
  only stops one enormous "word"); an empty reply cannot be saved.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_WORDS = 500
MAX_CHARACTERS = 8000

EMPTY = "empty"
TOO_MANY_WORDS = "too_many_words"
TOO_MANY_CHARACTERS = "too_many_characters"

_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
_KEPT_CONTROLS = {"\n", "\t"}


@dataclass(frozen=True)
class Problem:
    """Why a reply cannot be saved: a stable code (for tests and logs) and the message."""

    code: str
    message: str


def word_count(text: str) -> int:
    """The number of whitespace-separated tokens in ``text``."""
    return len(text.split())


def words_label(count: int) -> str:
    """ "312 of 500 words" (or "1 of 500 words")."""
    return f"{count:,} of {MAX_WORDS} words"


def normalise(text: str) -> str:
    """The text as kept: line breaks as ``\\n``, control characters (but tab and line break)
    and spaces at line ends removed, no blank lines at either end, Unicode in NFC form."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(
        c for c in text if c in _KEPT_CONTROLS or unicodedata.category(c) not in ("Cc", "Cs")
    )
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def problems(text: str) -> list[Problem]:
    """What stops ``text`` (already normalised) being saved or submitted; none if it may."""
    count = word_count(text)
    if count == 0:
        return [Problem(EMPTY, "Enter your reply")]
    found = []
    if count > MAX_WORDS:
        found.append(
            Problem(
                TOO_MANY_WORDS,
                f"Your reply must be {MAX_WORDS} words or fewer – it has {count:,} words",
            )
        )
    if len(text) > MAX_CHARACTERS:
        found.append(
            Problem(
                TOO_MANY_CHARACTERS,
                f"Your reply must be {MAX_CHARACTERS:,} characters or fewer "
                f"– it has {len(text):,} characters",
            )
        )
    return found


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text``: separated by one or more blank lines (lines of nothing
    but spaces count as blank), each without surrounding blank space; single line breaks
    inside a paragraph kept."""
    parts = _BLANK_LINES.split(normalise(text))
    return [part.strip() for part in parts if part.strip()]
