"""``/embed/councils/<slug>/[<year>/]``: the embeddable council card."""

from __future__ import annotations

from django.urls import path, register_converter

from councilperf.api import embed
from councilperf.public.urls import YearConverter

register_converter(YearConverter, "embed_year")

app_name = "embed"

urlpatterns = [
    path("councils/<slug:slug>/", embed.card, name="card"),
    path("councils/<slug:slug>/<embed_year:year>/", embed.card, name="card_year"),
]
