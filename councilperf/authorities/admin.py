from django.contrib import admin

from .models import Authority, AuthoritySlug, AuthorityYear, Contact


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class AuthorityYearInline(admin.TabularInline):
    model = AuthorityYear
    extra = 0
    fields = ("year", "group", "population", "population_estimate", "population_source")
    readonly_fields = fields
    can_delete = False


class FormerSlugInline(admin.TabularInline):
    """Addresses from names the register used before (load_reference_data records them)."""

    model = AuthoritySlug
    extra = 0
    fields = ("slug", "name", "replaced_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["official_name", "gss_code", "group", "region", "start_date", "end_date"]
    list_filter = ["group", "region"]
    search_fields = ["official_name", "short_name", "gss_code"]
    readonly_fields = ["successors"]
    inlines = [ContactInline, AuthorityYearInline, FormerSlugInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["authority", "role", "name", "job_title", "email"]
    list_filter = ["role"]
    search_fields = ["authority__official_name", "name", "email"]
