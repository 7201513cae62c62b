"""Is a year's letter its own? Pure: no Django, no I/O.

A year's body may not be approved while it is identical to the previous year's, or while it
still holds a paragraph that last year's template marked ``<!-- this year only -->`` (the
marker goes inside the paragraph, or on a line of its own right after it). Staff see a word
diff of the body against last year's.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

THIS_YEAR_ONLY = "<!-- this year only -->"
_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text.replace(THIS_YEAR_ONLY, " ")).strip()


def paragraphs(body: str) -> list[str]:
    """The body's blocks (separated by blank lines), as written."""
    return [block.strip() for block in re.split(r"\n\s*\n", body) if block.strip()]


def marked_paragraphs(body: str) -> list[str]:
    """The paragraphs of ``body`` marked "this year only", whitespace normalised."""
    marked: list[str] = []
    blocks = paragraphs(body)
    for index, block in enumerate(blocks):
        if THIS_YEAR_ONLY not in block:
            continue
        text = _normal(block)
        if text:
            marked.append(text)
        elif index > 0 and _normal(blocks[index - 1]):
            marked.append(_normal(blocks[index - 1]))
    return marked


def _excerpt(text: str, words: int = 12) -> str:
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def approval_problems(*, body: str, previous_body: str | None, previous_year: str) -> list[str]:
    """Why this year's ``body`` is not yet its own (empty: it is)."""
    if previous_body is None:
        return []
    if _normal(body) == _normal(previous_body):
        return [f"the body is the same as {previous_year}'s: write this year's letter"]
    kept = {_normal(block) for block in paragraphs(body)}
    return [
        f"a paragraph {previous_year} marked “this year only” is still here: "
        f"“{_excerpt(paragraph)}”"
        for paragraph in marked_paragraphs(previous_body)
        if paragraph in kept
    ]


@dataclass(frozen=True, slots=True)
class Piece:
    kind: str  # "same", "removed" or "added"
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    """``after`` against ``before`` word by word: runs of kept, removed and added words."""
    old, new = before.split(), after.split()
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(Piece("removed", " ".join(old[a1:a2])))
        if b2 > b1:
            pieces.append(Piece("added", " ".join(new[b1:b2])))
    return pieces
