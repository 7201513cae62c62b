"""``/embed/councils/<slug>/[<year>/]``: the embeddable council card."""

from __future__ import annotations

from django.urls import path

import councilperf.converters  # noqa: F401  (registers the converters)
from councilperf.api import embed

app_name = "embed"

urlpatterns = [
    path("councils/<slug:slug>/", embed.card, name="card"),
    path("councils/<slug:slug>/<year:year>/", embed.card, name="card_year"),
]
