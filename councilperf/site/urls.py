"""Public site routes ("Your council's performance").

The list of public addresses is saved in tests/site/public_urls.txt: a test fails when one
disappears, so a removal is always on purpose.
"""

from django.urls import path

import councilperf.converters  # noqa: F401  (registers the converters)

from . import dataviews, infoviews, views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("councils.json", views.councils_json, name="councils_json"),
    path("councils/", views.councils_a_to_z, name="councils"),
    path("councils/<slug:slug>/", views.council, name="council"),
    path("councils/<slug:slug>/<year:year>/", views.council, name="council_year"),
    path("councils/<slug:slug>/<year:year>/letter/", views.letter, name="letter"),
    path("councils/<slug:slug>/<year:year>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("about/", views.methods, name="methods"),
    path("map-data/<year:year>/figures.json", views.map_figures, name="map_figures"),
    path(
        "map-data/<year:year>/<tier:tier>-<slug:digest>.json",
        views.map_shapes,
        name="map_shapes",
    ),
    path("compare/", views.side_by_side, name="side_by_side"),
    path("compare/<year:year>/<group:group>/", views.compare, name="compare"),
    path("review/", views.review_latest, name="review_latest"),
    path("review/<year:year>/", views.review_page, name="review"),
    path("review/<year:year>/review.pdf", views.review_pdf, name="review_pdf"),
    path("review/<year:year>/revisions/<int:number>/", views.revision, name="revision"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("releases/", infoviews.releases, name="releases"),
    path("releases.ics", infoviews.releases_ics, name="releases_ics"),
    path("releases.atom", infoviews.releases_atom, name="releases_atom"),
    path("accessibility/", infoviews.accessibility, name="accessibility"),
    path("robots.txt", infoviews.robots, name="robots"),
    # Sharing and every chart as data (dataviews): link cards, each chart's CSV and SVG.
    path("card.png", dataviews.site_card, name="site_card"),
    path("councils/<slug:slug>/<year:year>/card.png", dataviews.council_card, name="council_card"),
    path(
        "councils/<slug:slug>/<year:year>/chart.<slug:fmt>",
        dataviews.council_chart,
        name="council_chart",
    ),
    path(
        "compare/<year:year>/<group:group>/funnel-<slug:metric>.<slug:fmt>",
        dataviews.compare_chart,
        name="compare_chart",
    ),
    path(
        "map-data/<year:year>/map-<tier:tier>-<slug:metric>.<slug:fmt>",
        dataviews.map_chart,
        name="map_chart",
    ),
    path(
        "compare/chart-<slug:measure>.<slug:fmt>",
        dataviews.side_by_side_chart,
        name="side_by_side_chart",
    ),
    path(
        "review/<year:year>/chart-<slug:chart>.<slug:fmt>",
        dataviews.review_chart,
        name="review_chart",
    ),
    path("healthz", views.healthz, name="healthz"),
]
