"""Who gets a council's letter, and the email itself (one copy per recipient).

One email per authority: addressed to the chief executive, copied to the link officer, the
leader, the chair of scrutiny and, when the year asks for it, the monitoring officer. Every
copy is the same email; each recipient's copy is its own SMTP transaction (its own delivery
row) with its own ``Message-ID``, made from the letter revision and the recipient, so a
resend can be told apart and a server can drop a duplicate. The email is composed once per
letter (with :data:`MESSAGE_ID_SLOT` where the ``Message-ID`` goes) and kept as sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage

from councilperf.authorities.models import Authority, ContactRole
from councilperf.letters import wording
from councilperf.years import ReportingYear

MESSAGE_ID_SLOT = "<message-id-of-this-copy@councilperf.invalid>"

COPIED_ROLES = (
    ContactRole.LINK_OFFICER,
    ContactRole.LEADER,
    ContactRole.SCRUTINY_CHAIR,
)


@dataclass(frozen=True)
class Recipient:
    role: str
    name: str
    email: str
    copy: bool


def recipients(*, authority: Authority, monitoring_officer: bool) -> list[Recipient]:
    """The chief executive first, then each copied contact that has an email address."""
    contacts = {c.role: c for c in authority.contacts.all() if c.email}
    wanted = [ContactRole.CHIEF_EXECUTIVE, *COPIED_ROLES]
    if monitoring_officer:
        wanted.append(ContactRole.MONITORING_OFFICER)
    found: list[Recipient] = []
    seen: set[str] = set()
    for role in wanted:
        contact = contacts.get(role)
        if contact is None or contact.email.lower() in seen:
            continue
        seen.add(contact.email.lower())
        copy = role != ContactRole.CHIEF_EXECUTIVE
        found.append(Recipient(role.value, contact.name, contact.email, copy))
    return found


def message_id(*, year: ReportingYear, code: str, revision: int, email: str, attempt: int) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "councilperf.invalid"
    return f"<letter.{year}.{code}.r{revision}.{digest}.{attempt}@{domain}>"


@dataclass(frozen=True)
class Letter:
    """What the email says about one letter."""

    authority_name: str
    authority_code: str
    year: ReportingYear
    revision: int
    corrected: bool
    synthetic: bool
    publication_date: str
    public_url: str
    preview_url: str
    publication_time: str = ""  # "09:30" (UK time), with a date
    # The council's portal page of the year; "" when the case-level spreadsheet is attached
    # instead (the year's ``YearCycle.attach_case_spreadsheet``).
    portal_url: str = ""


def subject(letter: Letter) -> str:
    end = letter.year.end_year
    prefix = "Corrected: " if letter.corrected else ""
    demo = " [DEMONSTRATION DATA]" if letter.synthetic else ""
    return f"{prefix}Annual review letter {end}, {letter.authority_name}{demo}"


def body(letter: Letter, *, name: str) -> str:
    greeting = f"Dear {name}," if name else "Dear colleague,"
    lines = [greeting, ""]
    if letter.synthetic:
        lines += [wording.DEMO_LABEL, ""]
    if letter.corrected:
        lines += [
            f"This corrected letter replaces the annual review letter for {letter.year} we "
            f"sent earlier: the statistics were revised (revision {letter.revision}).",
            "",
        ]
    lines += _enclosures(letter)
    lines += [
        f"The figures and this letter will be published on {letter.publication_date}"
        + (f" at {letter.publication_time} (UK time)" if letter.publication_time else "")
        + " at",
        letter.public_url,
        "",
        ("Without a portal account, until then" if letter.portal_url else "Until then")
        + " you can see the council's page privately at the address below. Please "
        "do not share it: it stops working when the figures are published.",
        letter.preview_url,
        "",
        "Yours sincerely,",
        "The Ombudsman's annual review team",
    ]
    return "\n".join(lines) + "\n"


def _enclosures(letter: Letter) -> list[str]:
    """What comes with the letter: the case-level spreadsheet attached, or (by default) a
    link to the council's portal, where it is downloaded by named people and each download
    is logged."""
    if not letter.portal_url:
        return [
            f"Please find attached the Ombudsman's annual review letter for {letter.year} to "
            f"{letter.authority_name} (PDF), and a spreadsheet of the council's complaints "
            "received, decided and compliance outcomes in the year. The spreadsheet is private "
            "to the council and will not be published.",
            "",
        ]
    return [
        f"Please find attached the Ombudsman's annual review letter for {letter.year} to "
        f"{letter.authority_name} (PDF).",
        "",
        "The council's figures and letter for the year and its case-level data (complaints "
        "received and decided and compliance outcomes recorded in the year, private to the "
        "council) are in the council portal, for the council's named users to sign in to. "
        "Each download is recorded. The council's year in the portal:",
        letter.portal_url,
        "",
    ]


def build(
    *, letter: Letter, everyone: list[Recipient], pdf: bytes, xlsx: bytes | None
) -> EmailMessage:
    """The email every recipient gets a copy of (addressed to the chief executive); the
    case-level spreadsheet attached only when ``xlsx`` is given."""
    to = [r.email for r in everyone if not r.copy]
    cc = [r.email for r in everyone if r.copy]
    chief = next((r for r in everyone if not r.copy), None)
    end = letter.year.end_year
    message = EmailMessage(
        subject=subject(letter),
        body=body(letter, name=chief.name if chief else ""),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=cc,
        headers={"Message-ID": MESSAGE_ID_SLOT},
    )
    stem = f"annual-review-letter-{end}-{letter.authority_code}"
    message.attach(f"{stem}.pdf", pdf, "application/pdf")
    if xlsx is not None:
        message.attach(
            f"complaints-{letter.year}-{letter.authority_code}.xlsx",
            xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return message
