"""How to cite a page's figures, as plain text and as BibTeX. Pure: no Django, no I/O.

A citation names the page's title, the revision of the figures it shows, the date they were
published, the page's stable address and the date the reader looked at it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

AUTHOR = "The ombudsman"
SITE_NAME = "Your council's performance"

# BibTeX's special characters and what stands for each inside a braced field.
_BIBTEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX))


@dataclass(frozen=True, slots=True)
class Citation:
    plain: str
    bibtex: str


def bibtex_text(value: str) -> str:
    """``value`` safe inside a BibTeX field's braces (``&`` becomes ``\\&`` and so on)."""
    return _SPECIAL.sub(lambda m: _BIBTEX[m.group(0)], value)


def citation_key(*parts: str) -> str:
    """A BibTeX key of letters, digits and hyphens from ``parts`` (``cp-leeds-2019-20``)."""
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "cp"


def cite(
    *,
    title: str,
    revision: int | None,
    published: dt.date | None,
    url: str,
    accessed: dt.date,
    key: str,
) -> Citation:
    """The citation of one page; ``revision`` and ``published`` left out when unknown."""
    version = f"revision {revision}" if revision else ""
    when = f"published {published.day} {published:%B %Y}" if published else ""
    details = ", ".join(p for p in (version, when) if p)
    plain = (
        f"{AUTHOR}. {title}. {SITE_NAME}"
        + (f", {details}" if details else "")
        + f". {url} (accessed {accessed.day} {accessed:%B %Y})."
    )
    fields = [
        ("author", "{{" + bibtex_text(AUTHOR) + "}}"),  # a body, not a person: kept whole
        ("title", "{{" + bibtex_text(title) + "}}"),
        ("howpublished", "{" + bibtex_text(SITE_NAME) + "}"),
    ]
    if published:
        fields += [("year", str(published.year)), ("month", f"{published:%b}".lower())]
        fields.append(("date", "{" + published.isoformat() + "}"))
    if revision:
        fields.append(("version", "{" + str(revision) + "}"))
    fields += [("url", "{" + url + "}"), ("urldate", "{" + accessed.isoformat() + "}")]
    if details:
        fields.append(("note", "{" + bibtex_text(details[0].upper() + details[1:]) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return Citation(plain=plain, bibtex=f"@misc{{{key},\n{body}\n}}\n")
