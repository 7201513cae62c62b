"""Routes of one part of the portal (joined in ``portal.urls`` and ``portal.staff_urls``)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
staff_urlpatterns: list[URLPattern] = []
