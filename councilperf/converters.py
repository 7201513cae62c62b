"""Every path converter of the site's addresses, registered once (importing this module).

``year`` is the one reporting-year converter (``2019-20``) for every address that names a year:
the public pages, the API's downloads, the staff pages and the letters' previews.
"""

from __future__ import annotations

from django.urls import register_converter

from councilperf.groups import GROUP_CODES, TIERS, url_pattern


class _Text:
    """A converter whose value stays the text of the address."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return str(value)


class YearConverter(_Text):
    regex = r"\d{4}-\d{2}"


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


CONVERTERS = {
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
