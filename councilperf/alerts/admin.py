"""The alerts in the admin, read-only: what was sent, refused or is in doubt (an operator
sends those again with ``send_alerts --send-again``), and how many follow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from councilperf.alerts.models import Alert, Subscription


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(_ReadOnly):
    list_display = ["year", "revision", "attempt", "status", "tries", "finished_at", "last_error"]
    list_filter = ["status", "year", "revision"]


@admin.register(Subscription)
class SubscriptionAdmin(_ReadOnly):
    list_display = ["scope", "created_at", "confirmed_at"]
    list_filter = ["scope"]
