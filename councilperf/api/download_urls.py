"""``/downloads/<year>/…``: the built open data files (the statistics CSV and XLSX of the latest
revision are the public site's own routes, which come first)."""

from __future__ import annotations

from django.urls import re_path

from councilperf.api import views

NAME = r"(?P<name>[a-z-]+\.(csv|xlsx|json)|council-performance-\d{4}-\d{2}\.zip)"
YEAR = r"(?P<year>\d{4}-\d{2})"

app_name = "opendata"

urlpatterns = [
    re_path(rf"^{YEAR}/{NAME}$", views.download, name="file"),
    re_path(
        rf"^{YEAR}/revisions/(?P<revision>[1-9]\d{{0,3}})/{NAME}$",
        views.download,
        name="revision_file",
    ),
]
