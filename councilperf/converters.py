"""Every path converter of the site's addresses, registered once (importing this module).

``year`` is the one reporting-year converter (``2019-20``) for every address that names a year:
the public pages, the API's downloads, the staff pages and the letters' previews.
"""

from __future__ import annotations

from django.urls import register_converter

from councilperf.groups import GROUP_CODES, TIERS, url_pattern
from councilperf.years import ReportingYear


class _Text:
    """A converter whose value stays the text of the address."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


class YearConverter:
    """``2019-20`` ↔ ``ReportingYear(2019)``: the year is typed from the address on.

    An address such as ``2019-21`` matches the pattern but is no reporting year: ``ValueError``
    makes Django try the next pattern, and in the end answer 404.
    """

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> ReportingYear:
        return ReportingYear.parse(value)

    def to_url(self, value: ReportingYear | str) -> str:
        if isinstance(value, ReportingYear):
            return value.label
        return ReportingYear.parse(value).label


class TierConverter(_Text):
    regex = url_pattern(list(TIERS))


class GroupConverter(_Text):
    regex = url_pattern(GROUP_CODES)


class FormatConverter(_Text):
    regex = r"csv|xlsx"


class OpenFileConverter(_Text):
    regex = r"[a-z-]+\.(?:csv|xlsx|json)|council-performance-\d{4}-\d{2}\.zip"


class RevisionConverter(_Text):
    regex = r"[1-9]\d{0,3}"


class GssConverter(_Text):
    regex = r"[EWSN]\d{8}"


CONVERTERS: dict[str, type[_Text] | type[YearConverter]] = {
    "year": YearConverter,
    "tier": TierConverter,
    "group": GroupConverter,
    "format": FormatConverter,
    "open_file": OpenFileConverter,
    "revision": RevisionConverter,
    "gss": GssConverter,
}

for _name, _converter in CONVERTERS.items():
    register_converter(_converter, _name)
