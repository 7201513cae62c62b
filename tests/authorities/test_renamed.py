"""A council the register names differently from one load to the next (same GSS code) keeps
its old address as a former one: Folkestone and Hythe was Shepway until 2018, and the real
register still lists "Shepway" among its other names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from councilperf.authorities.models import Authority, AuthoritySlug
from councilperf.authorities.services import load_reference_data
from councilperf.years import ReportingYear

YEARS = ReportingYear.span("2019-20")
REGISTER = Path("la_register/uk_local_authorities_current.csv")
GSS = "E07000112"  # Folkestone and Hythe, register code SHE


def older_register(reference_dir: Path, target: Path) -> Path:
    """The real reference files, with the register as it stood before the rename (a copy in a
    temporary directory; populations and boundaries are the real files, linked)."""
    for child in reference_dir.iterdir():
        if child.name != "la_register":
            (target / child.name).symlink_to(child)
    (target / "la_register").mkdir()
    with (reference_dir / REGISTER).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0].keys() >= {"gss-code", "official-name", "nice-name", "alt-names"}
    shepway = next(r for r in rows if r["gss-code"] == GSS)
    assert "Shepway" in shepway["alt-names"].split(",")  # the register's own record of it
    shepway.update({"official-name": "Shepway District Council", "nice-name": "Shepway"})
    with (target / REGISTER).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


@pytest.mark.django_db
def test_a_renamed_council_keeps_its_former_address(reference_dir: Path, tmp_path: Path) -> None:
    before = older_register(reference_dir, tmp_path)
    load_reference_data(directory=before, years=YEARS)
    council = Authority.objects.get(gss_code=GSS)
    assert council.slug == "shepway" and not AuthoritySlug.objects.exists()

    summary = load_reference_data(directory=reference_dir, years=YEARS)
    council.refresh_from_db()
    assert council.slug == "folkestone-and-hythe"
    assert council.official_name == "Folkestone and Hythe District Council"
    former = AuthoritySlug.objects.get()
    assert (former.slug, former.authority, former.name) == ("shepway", council, "Shepway")
    assert summary.added["former addresses"] == 1

    # Named back: the address is current again, and "folkestone-and-hythe" is the former one.
    load_reference_data(directory=before, years=YEARS)
    assert [(f.slug, f.authority.slug) for f in AuthoritySlug.objects.all()] == [
        ("folkestone-and-hythe", "shepway")
    ]
