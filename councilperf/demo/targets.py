"""The national figures the demo data is calibrated to, each with where it came from.

Figures are from ``../shared/reference/national-figures.md`` (LGSCO, councils in England).
Where a year's figure was not published, the target is interpolated, carried from a
neighbouring year or derived, and its ``source`` says so; the calibration report prints it.
Pure: no Django, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class Target:
    """One figure to calibrate to. ``value`` is a count, or a percentage for rates."""

    value: float
    source: str = PUBLISHED

    @property
    def published(self) -> bool:
        return self.source == PUBLISHED


@dataclass(frozen=True, slots=True)
class YearTargets:
    year: str
    received: Target
    detailed_investigations: Target
    upheld_pct: Target
    compliance_pct: Target
    remedy_pct: Target
    service_improvements: Target
    public_reports: Target
    # Recommendations to put things right for the complainant (not service improvements).
    personal_recommendations: Target | None = None
    upheld_per_100k: Target | None = None
    # Pooled upheld rate of one comparison group, e.g. {"district": 45 %} in 2019-20.
    group_upheld_pct: tuple[tuple[str, Target], ...] = ()
    # Remedies completed late: % of compliance outcomes that were "complied late".
    late_pct: Target = Target(18, "assumed: as 2021-22")


def _t(value: float, source: str = PUBLISHED) -> Target:
    return Target(value, source)


# Service improvements per upheld decision in 2019-20: 1,629 / (61 % of ≈4,000).
_SI_PER_UPHELD = 1629 / (0.61 * 4000)

NATIONAL_TARGETS: dict[str, YearTargets] = {
    t.year: t
    for t in (
        YearTargets(
            year="2018-19",
            received=_t(16_899),
            detailed_investigations=_t(4_000, "assumed: about 4,000 a year (4,020 in 2017-18)"),
            upheld_pct=_t(58),
            compliance_pct=_t(99.4),
            remedy_pct=_t(11),
            service_improvements=_t(1_454, "derived: 2019-20's 1,629 was up 12 %"),
            public_reports=_t(63, "assumed: as 2019-20"),
            late_pct=_t(15, "assumed: below 2021-22's 18 %"),
        ),
        YearTargets(
            year="2019-20",
            received=_t(16_900, "assumed: 2018-19 level (not published)"),
            detailed_investigations=_t(4_000, "assumed: about 4,000 a year"),
            upheld_pct=_t(61),
            compliance_pct=_t(99.4),
            remedy_pct=_t(13),
            service_improvements=_t(1_629),
            public_reports=_t(63),
            group_upheld_pct=(("district", _t(45, "reference letter: district average")),),
            late_pct=_t(16, "assumed: below 2021-22's 18 %"),
        ),
        YearTargets(
            year="2020-21",
            received=_t(11_830),
            detailed_investigations=_t(
                2_800, "derived: 4,000 × 11,830 / 16,899 (closed to new complaints)"
            ),
            upheld_pct=_t(67),
            compliance_pct=_t(99.5),
            remedy_pct=_t(13, "carried forward from 2019-20"),
            service_improvements=_t(1_488),
            public_reports=_t(55, "interpolated 2019-20 → 2022-23"),
            personal_recommendations=_t(3_104),
            late_pct=_t(17, "assumed: below 2021-22's 18 %"),
        ),
        YearTargets(
            year="2021-22",
            received=_t(15_500, "assumed: near 2022-23 (not published)"),
            detailed_investigations=_t(4_000, "assumed: about 4,000 a year"),
            upheld_pct=_t(70.5, "interpolated 2020-21 → 2022-23"),
            compliance_pct=_t(99.7),
            remedy_pct=_t(13, "carried forward from 2019-20"),
            service_improvements=_t(1_848),
            public_reports=_t(46, "interpolated 2019-20 → 2022-23"),
            late_pct=_t(18),
        ),
        YearTargets(
            year="2022-23",
            received=_t(15_488),
            detailed_investigations=_t(4_090, "derived: sum of service-area rows"),
            upheld_pct=_t(74),
            compliance_pct=_t(99.6, "interpolated 2021-22 → 2023-24"),
            remedy_pct=_t(13, "carried forward from 2019-20"),
            service_improvements=_t(round(_SI_PER_UPHELD * 0.74 * 4_090), "derived: 2019-20 ratio"),
            public_reports=_t(38),
            late_pct=_t(19.4, "interpolated 2021-22 → 2023-24"),
        ),
        YearTargets(
            year="2023-24",
            received=_t(17_937),
            detailed_investigations=_t(4_003),
            upheld_pct=_t(80),
            compliance_pct=_t(99.5),
            remedy_pct=_t(13, "carried forward from 2019-20"),
            service_improvements=_t(round(_SI_PER_UPHELD * 0.80 * 4_003), "derived: 2019-20 ratio"),
            public_reports=_t(27),
            late_pct=_t(20.8),
        ),
        YearTargets(
            year="2024-25",
            received=_t(20_300, "assumed: “exceeding 20,000”"),
            # 6.2 × 586.2 (England, ONS mid-2024, in 100,000s) ÷ 0.83
            detailed_investigations=_t(4_380, "derived: 6.2 upheld per 100k at 83 %"),
            upheld_pct=_t(83),
            compliance_pct=_t(99.7),
            remedy_pct=_t(13, "carried forward from 2019-20"),
            service_improvements=_t(round(_SI_PER_UPHELD * 0.83 * 4_380), "derived: 2019-20 ratio"),
            public_reports=_t(27, "carried forward from 2023-24"),
            upheld_per_100k=_t(6.2),
            late_pct=_t(21, "assumed: “over one in five” as 2023-24"),
        ),
    )
}


def targets_for(year: str) -> YearTargets:
    try:
        return NATIONAL_TARGETS[year]
    except KeyError:
        known = ", ".join(NATIONAL_TARGETS)
        raise ValueError(f"no national figures for {year}: demo years are {known}") from None
