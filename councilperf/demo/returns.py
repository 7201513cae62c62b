"""Synthetic complaint-handling returns, Code self-assessments and replies for the demo.

``plan_returns`` is pure: from each council's population and its complaints to the ombudsman
that year it makes plausible stage 1 and 2 figures obeying every rule of a return
(within time ≤ responded ≤ received; stage 2 received ≤ stage 1 responded; upheld ≤
responded; escalated ≤ stage 2 responded), a rating and a short comment for each section of the
Code and a placeholder address on an ``.example`` domain. Each council's draw depends only on
the seed, the year and its code, so the plan is deterministic. About 88 % of councils have
submitted, a few have a draft and a few have not started (so "not reported" shows); the
demo's portal councils (``portal.demo``) are left not started, for a visitor to fill in.

``councilperf.demo.returns_writer`` writes the plan into the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from councilperf.portal.code import COUNT_KEYS, NOT_MORE_THAN, SECTION_KEYS
from councilperf.years import ReportingYear

SUBMITTED, DRAFT = "submitted", "draft"
NOT_STARTED_SHARE, DRAFT_SHARE = 0.05, 0.07
REPLIES = 5  # councils with accepted replies (the first with two versions), plus one returned
COUNT_FIELDS = COUNT_KEYS
COMMENTS: dict[str, tuple[str, ...]] = {
    "meets": (
        "Demonstration comment: our policy follows this section and staff are trained on it.",
        "Demonstration comment: checked by internal audit this year; no gaps found.",
        "Demonstration comment: in place since April and reported to members.",
    ),
    "partly": (
        "Demonstration comment: most services comply; two are updating their letters.",
        "Demonstration comment: an action plan is agreed, due by the autumn.",
    ),
    "does_not": ("Demonstration comment: not yet in place; members have asked for a plan.",),
}
REPLY_TEXT = (
    "This is a demonstration reply, written for the demo of this project and not by "
    "{name}. A council would use this space to answer its annual letter in its own words: "
    "what it has learned from the ombudsman's decisions this year, what it has changed, and "
    "how its own complaint figures compare."
)
LATER_TEXT = (
    " Demonstration update: this second version replaces the first, which stays visible as "
    "part of the reply's history."
)
RETURNED_REASON = (
    "Demonstration reason: the reply names a member of the public; please remove the name "
    "and send it again."
)


@dataclass(frozen=True)
class CouncilInput:
    gss_code: str
    slug: str
    population: int
    ombudsman_complaints: int  # complaints to the ombudsman about it in the year


@dataclass(frozen=True)
class PlannedReturn:
    gss_code: str
    status: str  # submitted or draft
    counts: dict[str, int | None]
    assessments: tuple[tuple[str, str, str], ...]  # (section, rating, comment)
    url: str
    assessed_on: dt.date | None


@dataclass(frozen=True)
class PlannedReply:
    gss_code: str
    versions: tuple[tuple[str, str, str], ...]  # (status, text, reason)


@dataclass(frozen=True)
class Plan:
    returns: tuple[PlannedReturn, ...]
    replies: tuple[PlannedReply, ...]
    not_started: tuple[str, ...]


def _rng(seed: int, year: ReportingYear, code: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{year}:{code}".encode()).hexdigest()
    return random.Random(int(digest, 16))


def order_key(seed: int, year: ReportingYear, code: str) -> str:
    return hashlib.sha256(f"order:{seed}:{year}:{code}".encode()).hexdigest()


def _share(rate: float, n: int) -> int:
    """round(rate × n), at least one once there are ten councils to share among."""
    return max(round(rate * n), 1 if n >= 10 else 0)


def plan_counts(rng: random.Random, *, population: int, ombudsman: int) -> dict[str, int]:
    """A year's stage 1 and 2 figures: more residents and more complaints to the ombudsman
    mean more complaints of the council's own; every rule of a return holds."""
    received = round(population * rng.uniform(1.5, 4.0) / 1000 + ombudsman * rng.uniform(6, 12))
    received = max(received, 1)
    responded = received - rng.randint(0, received // 30)
    s2_received = round(responded * rng.uniform(0.08, 0.2))
    s2_responded = s2_received - rng.randint(0, s2_received // 15)
    return {
        "stage1_received": received,
        "stage1_responded": responded,
        "stage1_in_time": round(responded * rng.uniform(0.62, 0.96)),
        "stage1_upheld": round(responded * rng.uniform(0.25, 0.55)),
        "stage2_received": s2_received,
        "stage2_responded": s2_responded,
        "stage2_in_time": round(s2_responded * rng.uniform(0.5, 0.92)),
        "stage2_upheld": round(s2_responded * rng.uniform(0.15, 0.4)),
        "escalated": min(s2_responded, round(ombudsman * rng.uniform(0.3, 0.8))),
    }


def plan_assessments(rng: random.Random) -> tuple[tuple[str, str, str], ...]:
    """Mostly meets, some partly, few does not; a short demonstration comment each."""
    rated = []
    for section in SECTION_KEYS:
        draw = rng.random()
        rating = "meets" if draw < 0.75 else "partly" if draw < 0.95 else "does_not"
        rated.append((section, rating, rng.choice(COMMENTS[rating])))
    return tuple(rated)


def _one_return(
    council: CouncilInput, *, status: str, year: ReportingYear, seed: int
) -> PlannedReturn:
    rng = _rng(seed, year, council.gss_code)
    counts: dict[str, int | None] = dict(
        plan_counts(rng, population=council.population, ombudsman=council.ombudsman_complaints)
    )
    assessments = plan_assessments(rng)
    end_year = year.end.year
    assessed_on = dt.date(end_year, rng.randint(1, 3), rng.randint(1, 28))
    url = f"https://{council.slug}.example/complaints/self-assessment-{year}"
    if status == DRAFT:  # half done: stage 1 only, nothing assessed yet
        counts.update({name: None for name in COUNT_FIELDS if not name.startswith("stage1")})
        return PlannedReturn(council.gss_code, status, counts, (), "", None)
    return PlannedReturn(council.gss_code, status, counts, assessments, url, assessed_on)


def plan_replies(submitted: Sequence[str], *, names: dict[str, str]) -> tuple[PlannedReply, ...]:
    """Accepted replies for the first ``REPLIES`` councils (the first with an earlier accepted
    version too) and one returned with a reason."""
    replies = []
    for index, code in enumerate(submitted[: REPLIES + 1]):
        text = REPLY_TEXT.format(name=names[code])
        versions: tuple[tuple[str, str, str], ...]
        if index == 0:
            versions = (("accepted", text, ""), ("accepted", text + LATER_TEXT, ""))
        elif index == REPLIES:
            versions = (("returned", text, RETURNED_REASON),)
        else:
            versions = (("accepted", text, ""),)
        replies.append(PlannedReply(code, versions))
    return tuple(replies)


def plan_returns(
    councils: Sequence[CouncilInput],
    *,
    year: ReportingYear,
    seed: int = 1,
    left_open: frozenset[str] = frozenset(),
    names: dict[str, str] | None = None,
) -> Plan:
    """Who has submitted, who has a draft, who has not started, and each return's figures;
    ``left_open`` (codes) are never started, for the demo's visitors."""
    ranked = sorted(
        (c for c in councils if c.gss_code not in left_open),
        key=lambda c: order_key(seed, year, c.gss_code),
    )
    kept_open = [c.gss_code for c in councils if c.gss_code in left_open]
    skip = max(_share(NOT_STARTED_SHARE, len(councils)) - len(kept_open), 0)
    drafts = _share(DRAFT_SHARE, len(councils))
    planned = [
        _one_return(c, status=DRAFT if i < drafts else SUBMITTED, year=year, seed=seed)
        for i, c in enumerate(ranked[skip:])
    ]
    submitted = [p.gss_code for p in planned if p.status == SUBMITTED]
    labels = names or {c.gss_code: c.slug for c in councils}
    return Plan(
        returns=tuple(sorted(planned, key=lambda p: p.gss_code)),
        replies=plan_replies(submitted, names=labels),
        not_started=tuple(sorted([c.gss_code for c in ranked[:skip]] + kept_open)),
    )


def check_counts(counts: Mapping[str, int | None]) -> list[str]:
    """Every rule of a return broken by these figures (none for a demo return)."""
    c = {k: v for k, v in counts.items() if v is not None}
    broken = [f"{a} > {b}" for a, b in NOT_MORE_THAN if a in c and b in c and c[a] > c[b]]
    broken += [f"{k} < 0" for k, v in c.items() if v < 0]
    return broken
