"""``/downloads/``: the downloads page, the statistics CSV and XLSX of a year's latest revision
(made on request, filtered by place) and the built open data files (after them: their pattern
would also match ``statistics.csv``)."""

from __future__ import annotations

from django.urls import path

import councilperf.converters  # noqa: F401  (registers the converters)
from councilperf.api import views

app_name = "opendata"

urlpatterns = [
    path("", views.downloads_page, name="downloads"),
    path("all-years/<open_file:name>", views.all_years_download, name="all_years_file"),
    path("<year:year>/statistics.<format:fmt>", views.statistics_download, name="statistics"),
    path("<year:year>/<open_file:name>", views.download, name="file"),
    path(
        "<year:year>/revisions/<revision:revision>/<open_file:name>",
        views.download,
        name="revision_file",
    ),
]
