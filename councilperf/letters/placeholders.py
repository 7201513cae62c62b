"""Named placeholders in a letter template's text: ``{publication_date}``. Pure.

A template is edited by staff in the admin, so it is filled by plain substitution of known
names (never a template language): ``{{`` and ``}}`` write literal braces, and an unknown
name is an error that the admin shows before the template is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDERS: dict[str, str] = {
    "authority_name": "The authority's official name, e.g. North East Derbyshire District Council",
    "year": "The reporting year, e.g. 2019-20",
    "letter_year": "The year of the letter, e.g. 2020",
    "year_start": "First day of the reporting year, e.g. 1 April 2019",
    "year_end": "Last day of the reporting year, e.g. 31 March 2020",
    "letter_date": "The letter's date, e.g. 22 July 2020",
    "publication_date": "When figures and letter are published, e.g. 29 July 2020",
    "map_url": "Address of the interactive map, Your council's performance",
    "guidance_url": "Address of the guidance on interpreting the statistics",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def unknown_placeholders(text: str) -> list[str]:
    """Names in ``{...}`` that are not placeholders, in order of first appearance."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is not None and name not in PLACEHOLDERS and name not in found:
            found.append(name)
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by ``values[name]``."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name not in values:
            raise KeyError(f"unknown placeholder {{{name}}}")
        return values[name]

    return _TOKEN.sub(replace, text)
