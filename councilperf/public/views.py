"""Public views. Thin: each reads through a selector and renders a template."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from councilperf.authorities.models import Authority


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"authority_count": Authority.objects.count()})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "authorities": Authority.objects.count()})
