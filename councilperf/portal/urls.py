"""The councils' portal, under /council/ (every address needs a council account)."""

from django.urls import path  # noqa: F401

app_name = "portal"

urlpatterns: list[object] = []
