"""The project's routes plus one that fails, to see the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from councilperf.urls import urlpatterns as project


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project]
