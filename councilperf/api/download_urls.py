"""``/downloads/<year>/…``: the built open data files (the statistics CSV and XLSX of the latest
revision are the public site's own routes, which come first)."""

from __future__ import annotations

from django.urls import path, register_converter

from councilperf.api import views
from councilperf.public.urls import YearConverter


class FileConverter(YearConverter):
    regex = r"[a-z-]+\.(?:csv|xlsx|json)|council-performance-\d{4}-\d{2}\.zip"


class RevisionConverter(YearConverter):
    regex = r"[1-9]\d{0,3}"


register_converter(FileConverter, "open_file")
register_converter(RevisionConverter, "revision")

app_name = "opendata"

urlpatterns = [
    path("<year:year>/<open_file:name>", views.download, name="file"),
    path(
        "<year:year>/revisions/<revision:revision>/<open_file:name>",
        views.download,
        name="revision_file",
    ),
]
