"""The cycle's records in the admin: the year's options editable, the records read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from councilperf.distribution.models import Delivery, QueueJob, SentLetter, YearCycle


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(YearCycle)
class YearCycleAdmin(admin.ModelAdmin):
    list_display = ["review_year", "approved_revision", "approved_by", "issued_at"]
    fields = [
        "review_year",
        "copy_monitoring_officer",
        "attach_case_spreadsheet",
        "approved_revision",
        "approved_by",
        "approved_at",
        "issued_revision",
        "issued_at",
    ]
    readonly_fields = [
        "review_year",
        "approved_revision",
        "approved_by",
        "approved_at",
        "issued_revision",
        "issued_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SentLetter)
class SentLetterAdmin(ReadOnly):
    list_display = ["authority", "review_year", "statistics_revision", "corrected", "pdf_sha256"]
    list_filter = ["review_year", "corrected"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ["letter", "email", "copy", "attempt", "status", "finished_at"]
    list_filter = ["status", "letter__review_year"]
    search_fields = ["email", "letter__authority__official_name"]


@admin.register(QueueJob)
class QueueJobAdmin(ReadOnly):
    list_display = ["kind", "review_year", "status", "done", "total", "failures", "created_at"]
