"""URL routes: the admin, then each app's own routes."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/letters/", include("councilperf.letters.urls")),
    path("api/", include("councilperf.api.urls")),
    path("embed/", include("councilperf.api.embed_urls")),
    path("", include("councilperf.distribution.urls")),
    path("", include("councilperf.public.urls")),
    path("downloads/", include("councilperf.api.download_urls")),
]

handler404 = "councilperf.public.errors.not_found"
handler500 = "councilperf.public.errors.server_error"
