"""The project's routes for the portal-year tests, with a stand-in sign-in page while the
accounts part's ``portal:sign_in`` is not in this branch (none is added once it is)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from councilperf import urls as project
from councilperf.portal import urls as portal_urls


def _sign_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Sign in")


portal: list[URLPattern | URLResolver] = list(portal_urls.urlpatterns)
if not any(getattr(p, "name", None) == "sign_in" for p in portal):
    portal.insert(0, path("sign-in/", _sign_in, name="sign_in"))

urlpatterns = [
    path("council/", include((portal, "portal"))),
    *(p for p in project.urlpatterns if str(p.pattern) != "council/"),
]
handler404 = project.handler404
handler500 = project.handler500
