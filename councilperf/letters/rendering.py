"""One authority's letter: its content in words and its HTML (reads only: the templates' writes
are in ``services``)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import markdown
from django.template.loader import render_to_string

from councilperf.authorities.models import Authority, Contact, ContactRole
from councilperf.letters import safety, wording
from councilperf.letters.categories import categories_block
from councilperf.letters.late import late_block
from councilperf.letters.models import LetterTemplate
from councilperf.letters.placeholders import fill
from councilperf.letters.sources import Correction
from councilperf.letters.stylesheet import screen_stylesheet_text, stylesheet_text
from councilperf.years import ReportingYear

TEMPLATES = Path(__file__).resolve().parent / "templates" / "letters"
LETTER_TEMPLATES = ("letter.html", "_sentence.html", "_closing.html")

# Part of every letter's content hash, with the templates and stylesheet themselves: bump it
# when a change elsewhere (the rendering code) changes letters, so a re-run regenerates them.
LAYOUT_VERSION = "2"  # 2: page furniture marked as PDF artifacts

# A line of its own in a template body: what follows starts a new page. Letters share the
# pages after it (the same words for every authority of a year), so they are laid out once.
PAGE_BREAK = "<!-- new page -->"


class LetterError(Exception):
    """A letter cannot be made (no letter date, no statistics...): the message says why."""


# --- One letter's content ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    job_title: str
    organisation: str

    @property
    def salutation(self) -> str:
        return f"Dear {self.name or self.job_title}"

    @property
    def lines(self) -> tuple[str, ...]:
        """The address block; a role-based contact ("Chief Executive", "Chief Executive")
        is written once."""
        lines: list[str] = []
        for line in (self.name, self.job_title, self.organisation):
            if line and line not in lines:
                lines.append(line)
        return tuple(lines)


@dataclass(frozen=True, slots=True)
class LetterContent:
    """Everything printed in one letter, already in words."""

    authority_code: str
    authority_name: str
    year: str
    title: str
    letterhead: tuple[str, ...]
    letter_date: dt.date
    delivery_line: str
    recipient: Recipient
    body_html: str
    continuation_html: str
    sign_off: str
    signatory: tuple[str, ...]
    blocks: tuple[wording.Block, ...]
    synthetic: bool
    statistics_revision: int | None
    correction: Correction | None = None

    @property
    def letter_date_text(self) -> str:
        return wording.long_date(self.letter_date)

    @property
    def correction_date_text(self) -> str:
        return wording.long_date(self.correction.date) if self.correction else ""

    @property
    def author(self) -> str:
        return ", ".join(self.signatory[:2])

    @property
    def document_title(self) -> str:
        return f"{self.title}: {self.authority_name}"


def recipient_for(authority: Authority, contacts: list[Contact] | None = None) -> Recipient:
    """The chief executive's contact, or a role-based address when none is recorded."""
    if contacts is None:
        contacts = list(authority.contacts.all())
    chief = next((c for c in contacts if c.role == ContactRole.CHIEF_EXECUTIVE), None)
    if chief is None:
        return Recipient("", "Chief Executive", authority.official_name)
    return Recipient(chief.name, chief.job_title, authority.official_name)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


@functools.lru_cache(maxsize=64)
def markdown_to_html(text: str) -> str:
    """A template body in HTML cut to the allow-list of :mod:`letters.safety` (cached: every
    letter of a year has the same body). The page break is kept between the cleaned parts."""
    raw = markdown.markdown(text, output_format="html")
    return PAGE_BREAK.join(safety.clean_body(part) for part in raw.split(PAGE_BREAK))


def build_letter(
    *,
    template: LetterTemplate,
    authority: Authority,
    statistics: wording.LetterStatistics,
    contacts: list[Contact] | None = None,
    correction: Correction | None = None,
) -> LetterContent:
    """One authority's letter in words; ``correction`` (for statistics revision 2 or
    later, from :func:`sources.correction_for`) puts the "Corrected" notice on page 1."""
    review_year = template.review_year
    if statistics.year != review_year.year:
        raise LetterError(f"statistics for {statistics.year}, template for {review_year.year}")
    year = ReportingYear.parse(review_year.year)
    # The dates are the review year's alone: one source for letters, emails and pages.
    letter_date = review_year.letter_date
    if letter_date is None:
        raise LetterError(f"{review_year.year} has no letter date: set the year's dates")
    publication = review_year.publication_date
    values = {
        "authority_name": authority.official_name,
        "year": year.label,
        "letter_year": str(year.end_year),
        "year_start": wording.long_date(year.start),
        "year_end": wording.long_date(year.end),
        "letter_date": wording.long_date(letter_date),
        "publication_date": wording.long_date(publication) if publication else "a date to come",
        "map_url": template.map_url,
        "guidance_url": template.guidance_url,
    }
    escaped = {name: html.escape(value, quote=True) for name, value in values.items()}
    body_html, _, continuation_html = markdown_to_html(fill(template.body, escaped)).partition(
        PAGE_BREAK
    )
    return LetterContent(
        authority_code=authority.gss_code,
        authority_name=authority.official_name,
        year=year.label,
        title=fill(template.title, values),
        letterhead=_lines(template.letterhead),
        letter_date=letter_date,
        delivery_line=template.delivery_line,
        recipient=recipient_for(authority, contacts),
        body_html=body_html,
        continuation_html=continuation_html,
        sign_off=template.sign_off,
        signatory=_lines(template.signatory),
        blocks=wording.statistics_blocks(
            statistics, year_start=year.start, year_end=year.end, blocks=template.blocks
        )
        + _year_blocks(template, statistics, year),
        synthetic=statistics.synthetic,
        statistics_revision=statistics.revision,
        correction=correction,
    )


def _year_blocks(
    template: LetterTemplate, statistics: wording.LetterStatistics, year: ReportingYear
) -> tuple[wording.Block, ...]:
    """The blocks after the classic four that the year's template asks for."""
    blocks = []
    if template.show_late_remedies:
        blocks.append(late_block(statistics, year_start=year.start, year_end=year.end))
    if template.show_categories:
        blocks.append(categories_block(statistics, year=year))
    return tuple(blocks)


# --- HTML --------------------------------------------------------------------------------


Part = Literal["all", "first", "continuation"]


def render_html(content: LetterContent, *, inline_css: bool = True, part: Part = "all") -> str:
    """The letter as one HTML document; with ``inline_css`` it carries its own stylesheet
    (the file written beside the PDF). The PDF renderer passes a pre-parsed stylesheet
    instead, so it asks for the HTML without it.

    ``part``: the whole letter, or (for the PDF renderer, when the body has a page break)
    its ``first`` part — head, body up to the break, statistics — or its ``continuation``:
    the body after the break and the signature, the same for every authority of a year.
    """
    page = render_to_string(
        "letters/letter.html",
        {"letter": content, "demo_label": wording.DEMO_LABEL, "part": part},
    )
    return with_stylesheet(page) if inline_css else page


def with_stylesheet(page: str) -> str:
    """``page`` with the letter stylesheet in a ``<style>`` element at the end of its head
    (without the PDF's page rules)."""
    head_end = page.index("</head>")
    return f"{page[:head_end]}<style>\n{screen_stylesheet_text()}</style>\n{page[head_end:]}"


@functools.cache
def layout_fingerprint() -> str:
    """What the look of a letter depends on besides its content: the HTML templates, the
    stylesheet, the PDF options and the WeasyPrint version."""
    from councilperf.letters.pdf import PDF_OPTIONS, weasyprint_version

    digest = hashlib.sha256(LAYOUT_VERSION.encode())
    for name in LETTER_TEMPLATES:
        digest.update((TEMPLATES / name).read_bytes())
    digest.update(stylesheet_text().encode())
    digest.update(repr(sorted(PDF_OPTIONS.items())).encode())
    digest.update(weasyprint_version().encode())
    return digest.hexdigest()


def content_hash(content: LetterContent) -> str:
    """SHA-256 of everything a letter's files are made from: its words and figures (the
    statistics, template and contact) and the layout. Unchanged means no need to render."""
    return hashlib.sha256(f"{layout_fingerprint()}\n{content!r}".encode()).hexdigest()
