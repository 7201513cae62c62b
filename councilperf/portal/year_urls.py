"""Routes of one part of the portal (joined in ``portal.urls``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
