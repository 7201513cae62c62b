"""The generator's codes, model parameters, calibration bands and pinned authority-years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from councilperf import schemes
from councilperf.groups import GROUP_CODES

# Codes (DOMAIN.md). The tests check they match the casework models' choices.

SERVICE_AREAS = (
    "adult_care",
    "benefits_and_tax",
    "corporate_and_other",
    "education_and_childrens",
    "environment_and_regulation",
    "highways_and_transport",
    "housing",
    "planning_and_development",
)
OUTCOMES = schemes.OUTCOMES  # the casework's outcome codes, in the order of the indexes below
INVALID, ADVICE, REFERRED, CLOSED, NOT_UPHELD, UPHELD = range(6)
GROUPS = GROUP_CODES
PERSONAL_KINDS = ("apology", "financial_redress", "records_correction", "other")
IMPROVEMENT_KINDS = ("procedure_change", "training")
COMPLIED, COMPLIED_LATE, NOT_COMPLIED = "complied", "complied_late", "not_complied"

STATEMENT_BASE = "https://example.org/decisions"
DEFAULT_YEARS = "2018-19:2024-25"

# ----------------------------------------------------------------------------------------------
# Model parameters.

# Covid-19: closed to new complaints from 19 March 2020, open again from Monday 29 June 2020;
# all casework paused from the end of March.
RECEIPT_PAUSE = (dt.date(2020, 3, 19).toordinal(), dt.date(2020, 6, 28).toordinal())
DECISION_PAUSE = (dt.date(2020, 3, 26).toordinal(), dt.date(2020, 6, 28).toordinal())
WEEKEND_RECEIPTS = 0.35  # a weekend day's share of a weekday's complaints

# National share of complaints received by service area, 2018-19 and 2024-25 (interpolated
# between): education & children's rising to 27 %, housing to 17 %, planning falling to 9 %.
MIX_FIRST = (0.17, 0.09, 0.09, 0.20, 0.11, 0.09, 0.12, 0.13)
MIX_LAST = (0.13, 0.08, 0.08, 0.27, 0.10, 0.08, 0.17, 0.09)
MIX_YEARS = (2018, 2024)

# In two-tier areas, the share of each service's complaints that is the county's (the rest are
# the district's). Unitary, metropolitan and London councils provide every service.
UPPER_TIER_SHARE = (1.0, 0.0, 0.4, 1.0, 0.3, 0.9, 0.0, 0.15)
# Complaints per resident relative to a unitary council (London highest).
GROUP_VOLUME = {
    "county": 0.95,
    "district": 0.95,
    "metropolitan": 1.05,
    "unitary": 1.0,
    "london": 1.2,
}
VOLUME_SHAPE = 6.0  # gamma shape of the per-authority volume effect (CV ≈ 0.41)
VOLUME_YEARLY_SD = 0.10

# How much more likely than average a complaint in each area is to be investigated in detail.
DI_PROPENSITY = (1.3, 0.8, 0.7, 1.4, 0.7, 0.8, 1.0, 0.9)
# The rest: incomplete/invalid, advice given, referred back, closed after initial enquiries,
# with the shortest and mean extra days to their decision (exponential).
OTHER_OUTCOMES = (0.08, 0.05, 0.52, 0.35)
LAG_MIN = (1, 2, 1, 10)
LAG_MEAN = (6.0, 10.0, 7.0, 40.0)

# Logit effects on being upheld (from 2022-23 area rates against 74 % nationally).
AREA_UPHELD = (-0.05, 0.28, -0.20, 0.61, 0.0, -0.51, 0.22, -1.13)
GROUP_UPHELD = {
    "county": 0.10,
    "district": -0.30,  # districts' upheld average: 45 % in 2019-20, about 59 % in 2022-23
    "metropolitan": 0.0,
    "unitary": 0.0,
    "london": 0.0,
}
AUTHORITY_UPHELD_SD = 0.35
YEARLY_UPHELD_SD = 0.15
OUTLIER_SHARE = 0.05  # authorities with a genuinely different upheld rate
OUTLIER_SHIFT = (0.9, 1.4)
AUTHORITY_REMEDY_SD = 0.5

NO_RECOMMENDATION_SHARE = 0.08  # upheld: fault, but no injustice needing a remedy
PERSONAL_PROBABILITY = {
    "apology": 0.75,
    "financial_redress": 0.55,
    "records_correction": 0.15,
    "other": 0.25,
}
DUE_DAYS = {
    "apology": 30,
    "financial_redress": 30,
    "records_correction": 30,
    "other": 60,
    "procedure_change": 90,
    "training": 90,
}
LONGEST_DUE = max(DUE_DAYS.values())
LONGEST_LATE = 120
REPORT_WEIGHT = (2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.5, 1.0)

# Calibration bands: how close to each target the calibration steps bring the data.
COUNT_BAND = 0.01  # ± 1 % of a count
UPHELD_BAND = 0.25  # ± percentage points
GROUP_BAND = 0.3
REMEDY_BAND = 0.3
COMPLIANCE_BAND = 0.1
LATE_BAND = 0.3  # points either side of the year's late-remedy share


@dataclass(frozen=True, slots=True)
class Pin:
    """Facts of one authority-year that must hold exactly (from the reference letter)."""

    gss_code: str
    year: str
    detailed_investigations: int
    upheld: int
    no_compliance: bool = True


PINS = (Pin("E07000038", "2019-20", detailed_investigations=2, upheld=0),)
