"""Letter statistics from one row of the statistics export (a dict of column → value, as
``statistics.selectors.export_rows`` gives or a CSV reads back): the tests' way of writing
a letter's figures by hand. The project builds them from the stored figures
(``LetterStatistics.from_figures``)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from councilperf.letters.wording import LetterStatistics


def exact(value: Any) -> Fraction | None:
    """A rate from the statistics export as an exact fraction (None or blank → None).

    Fractions and integers are exact already; a float or a decimal string is read as the
    decimal it prints as (0.445 → 89/200), so display rounding does not depend on binary
    representation error.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise TypeError("a rate cannot be a boolean")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, float | Decimal | str):
        return Fraction(str(value))
    raise TypeError(f"cannot read {value!r} as a rate")


def _count(row: Mapping[str, Any], key: str) -> int:
    value = row.get(key)
    return 0 if value in (None, "") else int(value)


def from_row(row: Mapping[str, Any]) -> LetterStatistics:
    """From one row of the statistics export (``statistics.selectors.export_rows``)."""
    outcomes = _count(row, "compliance_outcomes")
    population = row.get("population")
    revision = row.get("revision")
    return LetterStatistics(
        year=str(row["year"]),
        authority_code=str(row["authority_code"]),
        authority_name=str(row["authority_name"]),
        comparison_group=str(row.get("comparison_group") or ""),
        detailed_investigations=_count(row, "detailed_investigations"),
        upheld=_count(row, "upheld"),
        upheld_with_satisfactory_remedy=_count(row, "upheld_with_satisfactory_remedy"),
        compliance_outcomes=outcomes,
        not_complied=_count(row, "not_complied"),
        peer_upheld_rate=exact(row.get("peer_upheld_rate")),
        peer_satisfactory_remedy_rate=exact(row.get("peer_satisfactory_remedy_rate")),
        peer_compliance_rate=exact(row.get("peer_compliance_rate")),
        population=None if population in (None, "") else int(population),
        upheld_per_100k=exact(row.get("upheld_per_100k")),
        peer_upheld_per_100k=exact(row.get("peer_upheld_per_100k")),
        peer_method=str(row.get("peer_method") or ""),
        revision=None if revision in (None, "") else int(revision),
        synthetic=bool(row.get("synthetic", False)),
    )
