from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from councilperf.letters import rendering, services
from councilperf.letters.models import Letter, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["review_year", "title", "letter_date", "version", "updated_at"]
    readonly_fields = ["version", "content_hash", "updated_at"]
    actions = ["start_following_year"]
    fieldsets = [
        (None, {"fields": ["review_year", "version", "content_hash", "updated_at"]}),
        (
            "Letter",
            {
                "fields": [
                    "letterhead",
                    "letter_date",
                    "publication_date",
                    "copies",
                    "delivery_line",
                    "title",
                    "body",
                    "sign_off",
                    "signatory",
                    "map_url",
                    "guidance_url",
                ]
            },
        ),
        (
            "Statistics page",
            {
                "fields": [
                    "show_upheld",
                    "show_compliance",
                    "show_remedies",
                    "show_upheld_per_100k",
                    "show_late_remedies",
                    "show_categories",
                ]
            },
        ),
    ]

    @admin.action(description="Start the following year's template as a copy of this one")
    def start_following_year(
        self, request: HttpRequest, queryset: QuerySet[LetterTemplate]
    ) -> None:
        for template in queryset.select_related("review_year"):
            following = services.following_review_year(template.review_year)
            try:
                copy = services.copy_template(template, to=following)
            except rendering.LetterError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                self.message_user(request, f"Created {copy}.", messages.SUCCESS)


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = [
        "authority",
        "review_year",
        "statistics_revision",
        "template_version",
        "synthetic",
        "generated_at",
    ]
    list_filter = ["review_year", "synthetic"]
    search_fields = ["authority__official_name", "authority__gss_code"]
    readonly_fields = [field.name for field in Letter._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
