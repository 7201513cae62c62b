"""Reporting years (1 April to 31 March), written ``2019-20``. Pure: no Django, no I/O."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class ReportingYear:
    """The year that starts on 1 April of ``start_year`` and ends on 31 March after it."""

    start_year: int

    @classmethod
    def parse(cls, label: str) -> ReportingYear:
        """``"2019-20"`` → ReportingYear(2019); raises ValueError with a plain message."""
        match = _LABEL.match(label.strip())
        if not match:
            raise ValueError(f"{label!r} is not a reporting year: write it like 2019-20")
        start = int(match.group(1))
        if int(match.group(2)) != (start + 1) % 100:
            raise ValueError(f"{label!r} is not a reporting year: 2019-20 follows 2019 with 20")
        return cls(start)

    @classmethod
    def containing(cls, day: dt.date) -> ReportingYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def span(cls, spec: str) -> list[ReportingYear]:
        """``"2018-19:2024-25"`` (inclusive) or a single ``"2019-20"``."""
        first, _, last = spec.partition(":")
        start = cls.parse(first)
        end = cls.parse(last) if last else start
        if end < start:
            raise ValueError(f"{spec!r}: the last year comes before the first")
        return [cls(y) for y in range(start.start_year, end.start_year + 1)]

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, 3, 31)

    @property
    def end_year(self) -> int:
        return self.start_year + 1

    @property
    def previous(self) -> ReportingYear:
        return ReportingYear(self.start_year - 1)

    @property
    def next(self) -> ReportingYear:
        return ReportingYear(self.start_year + 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def days(self) -> Iterator[dt.date]:
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)

    def __str__(self) -> str:
        return self.label


def labels(years: Iterable[ReportingYear]) -> list[str]:
    """The years' labels, as the database columns and the files keep them."""
    return [year.label for year in years]
