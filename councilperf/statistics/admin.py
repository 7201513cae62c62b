from django.contrib import admin

from councilperf.statistics.models import MethodNote


@admin.register(MethodNote)
class MethodNoteAdmin(admin.ModelAdmin):
    list_display = ["year", "measure", "group", "text", "created_at"]
    list_filter = ["year"]
    search_fields = ["text"]
