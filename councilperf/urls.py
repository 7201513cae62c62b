"""URL routes: the admin, then each app's own routes."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/letters/", include("councilperf.letters.urls")),
    path("api/", include("councilperf.api.urls")),
    path("embed/", include("councilperf.api.embed_urls")),
    path("alerts/", include("councilperf.alerts.urls")),
    path("council/", include("councilperf.portal.urls")),
    path("staff/", include("councilperf.portal.staff_urls")),
    path("", include("councilperf.distribution.urls")),
    path("", include("councilperf.site.urls")),
    path("downloads/", include("councilperf.api.download_urls")),
]

handler404 = "councilperf.site.errors.not_found"
handler500 = "councilperf.site.errors.server_error"
