"""Build the map's boundary files: one simplified, quantised file per year and tier.

    manage.py build_map_data                 every year that has authorities
    manage.py build_map_data --year 2019-20  one year

Files go to BUILD_DIR/map (ignored by git) with a manifest the home page reads; the site
serves them with a content hash in the address, so browsers may keep them for a year.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from councilperf.authorities.models import AuthorityYear
from councilperf.site import mapdata
from councilperf.years import ReportingYear


class Command(BaseCommand):
    help = "Simplify and quantise each year's boundaries per map tier into BUILD_DIR/map."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", action="append", help="Reporting year, e.g. 2019-20")

    def handle(self, *args: Any, **options: Any) -> None:
        given = options["year"] or sorted(set(AuthorityYear.objects.values_list("year", flat=True)))
        years = [ReportingYear.parse(label) for label in given]
        manifest = mapdata.read_manifest()
        folder = mapdata.map_dir()
        for year in years:
            for tier in ("upper", "lower"):
                data = mapdata.build(year, tier)
                if data is None:
                    manifest.get(year.label, {}).pop(tier, None)
                    self.stdout.write(f"{year} {tier}: no boundaries, skipped")
                    continue
                entry = mapdata.write(data, folder)
                manifest.setdefault(year.label, {})[tier] = entry
                self.stdout.write(
                    f"{year} {tier}: {entry['shapes']} shapes, "
                    f"{entry['gzip_bytes'] / 1024:.0f} KB gzip ({entry['bytes'] / 1024:.0f} KB)"
                )
        mapdata.write_manifest({y: t for y, t in manifest.items() if t})
        self.stdout.write(self.style.SUCCESS(f"Map data written to {folder}"))
