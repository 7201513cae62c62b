"""The project's addresses with a stand-in sign-in page, for the returns' tests run before
the accounts part (which owns ``portal:sign_in``) is merged."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from councilperf.portal import urls as portal_urls
from councilperf.urls import urlpatterns as project


def _sign_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Sign in")


_portal = [path("sign-in/", _sign_in, name="sign_in"), *portal_urls.urlpatterns]
urlpatterns: list[URLPattern | URLResolver] = [
    path("council/", include((_portal, "portal"))),
    *(p for p in project if str(p.pattern) != "council/"),
]
