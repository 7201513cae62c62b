"""The portal's pages about a council's years (joined in ``portal.urls``): the person's
councils, a council's years, one year at a glance, its letter as sent and its case-level
spreadsheet (each download logged)."""

from django.urls import URLPattern, path

import councilperf.converters  # noqa: F401  (registers the converters)
from councilperf.portal import yearviews

urlpatterns: list[URLPattern] = [
    path("", yearviews.home, name="home"),
    path("<slug:slug>/", yearviews.council, name="council"),
    path("<slug:slug>/<year:year>/", yearviews.year, name="year"),
    path("<slug:slug>/<year:year>/cases.xlsx", yearviews.cases, name="cases"),
    path("<slug:slug>/<year:year>/letter.pdf", yearviews.letter_pdf, name="letter_pdf"),
]
