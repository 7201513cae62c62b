"""Rules for text that crosses the project's edges. Pure: no Django, no I/O.

- ``bad_character``: what is wrong with a value read from a file or a request (NUL, C0 and C1
  control characters, bidi overrides, lone surrogates, non-characters; in a one-line value
  also invisible format characters such as a zero-width space), or None.
- ``neutralise`` / ``restore``: the OWASP rule for CSV and XLSX cells. A text value that starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written with a leading
  apostrophe, so that a spreadsheet shows it as text instead of running it as a formula. Plain
  numbers ("-3", "+1.5", "-1e-05") are the documented exception: they are written as they are.
  ``restore`` removes the apostrophe again, so an export read back by the importer is the same.
"""

from __future__ import annotations

import re
import unicodedata

# Characters no value may hold, and their names in messages.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_NEVER = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _BIDI + "\ud800-\udfff\ufffe\uffff"
# Invisible format characters (Unicode category Cf: zero-width space and joiners, direction
# marks, soft hyphen, byte order mark, tags…): a reference or code holding one looks like
# another that does not. Allowed in free text (an emoji sequence needs a joiner).
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
# One-line values (codes, references, dates) may not hold tab, newline or carriage return.
_ONE_LINE = re.compile(f"[{_NEVER}{_FORMAT}\t\n\r]")
# Free text may hold tabs and line breaks.
_FREE_TEXT = re.compile(f"[{_NEVER}]")

_NAMES = {
    "\x00": "a NUL byte",
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
    "\x1b": "an escape character (ANSI colour codes?)",
    "\x07": "a bell character",
}


def _describe(character: str) -> str:
    code = ord(character)
    if character in _NAMES:
        return _NAMES[character]
    if 0xD800 <= code <= 0xDFFF:
        return f"half of a character (a lone surrogate, U+{code:04X})"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        name = unicodedata.name(character, "bidi control").lower()
        return f"a hidden text-direction control (U+{code:04X}, {name})"
    if code in (0xFFFE, 0xFFFF):
        return f"a non-character (U+{code:04X})"
    if unicodedata.category(character) == "Cf":
        name = unicodedata.name(character, "format character").lower()
        return f"an invisible format character (U+{code:04X}, {name})"
    return f"a control character (U+{code:04X})"


def bad_character(text: str, *, free_text: bool = False) -> str | None:
    """Why ``text`` cannot be taken (a sentence naming the first bad character), or None."""
    found = (_FREE_TEXT if free_text else _ONE_LINE).search(text)
    if found is None:
        return None
    where = found.start() + 1
    return (
        f"holds {_describe(found.group())} at character {where:,}: "
        "remove it (it cannot be seen, printed or stored safely)"
    )


def plain(text: str) -> bool:
    """Whether ``text`` (a row's values joined) holds no character ``bad_character`` would
    refuse in any value and no ``'``: nothing to report and nothing to ``restore``."""
    return _ONE_LINE.search(text) is None and PREFIX not in text


def row_flags(texts: list[str]) -> tuple[bool, bool]:
    """(whether none of ``texts`` holds a character ``bad_character`` would refuse in any
    value, whether any holds a ``'``): one scan of a whole row, the fast path for a row with
    nothing to report and nothing to ``restore``."""
    joined = "".join(texts)
    return _ONE_LINE.search(joined) is None, PREFIX in joined


# Exports -------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain number: optional sign, digits, optional decimals and exponent (ASCII only).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
PREFIX = "'"


def needs_prefix(text: str) -> bool:
    if not text.startswith(_FORMULA_START):
        return False
    return _PLAIN_NUMBER.fullmatch(text) is None


def neutralise(value: object) -> object:
    """A cell value safe to write: text that a spreadsheet would run gets a leading ``'``.
    A value that already starts with ``'`` before such a start gets one more, so that
    ``restore`` gives back exactly what was written. Numbers and other types pass unchanged."""
    if not isinstance(value, str):
        return value
    stripped = value.lstrip(PREFIX)
    if needs_prefix(stripped):
        return PREFIX + value
    return value


def restore(text: str) -> str:
    """The value ``neutralise`` was given: one leading ``'`` removed where it added one."""
    if text.startswith(PREFIX) and needs_prefix(text.lstrip(PREFIX)):
        return text[1:]
    return text
