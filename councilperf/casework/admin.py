"""Casework in the admin: cases, the record of imports, and uploading files to import."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join

from councilperf.writelock import WriterBusy

from .forms import ConfirmForm, UploadForm
from .models import Case, ComplianceOutcome, Dataset, ImportRun, Recommendation
from .problems import CaseworkValidationError
from .services import dataset_for, import_files
from .uploads import StagedUpload, find, stage


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "synthetic"]


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class ComplianceInline(admin.StackedInline):
    model = ComplianceOutcome
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "authority", "received_date", "decision_date", "outcome"]
    list_filter = ["dataset", "outcome", "service_area"]
    search_fields = ["reference", "authority__official_name", "authority__gss_code"]
    raw_id_fields = ["authority"]
    date_hierarchy = "decision_date"
    list_select_related = ["authority"]
    inlines = [RecommendationInline, ComplianceInline]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Import runs are made by imports only: shown, never added or edited by hand."""

    list_display = ["started_at", "dataset", "source", "user", "file_names", "cases_summary"]
    list_filter = ["dataset", "source"]
    readonly_fields = [f.name for f in ImportRun._meta.fields if f.name != "files"] + ["file_table"]
    exclude = ["files"]
    change_list_template = "admin/casework/importrun/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="files")
    def file_names(self, run: ImportRun) -> str:
        return ", ".join(str(entry.get("name", "")) for entry in run.files)

    @admin.display(description="cases")
    def cases_summary(self, run: ImportRun) -> str:
        return (
            f"{run.cases_added:,} added, {run.cases_changed:,} changed, "
            f"{run.cases_unchanged:,} unchanged"
        )

    @admin.display(description="files read")
    def file_table(self, run: ImportRun) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            (
                (entry.get("name"), entry.get("kind"), entry.get("rows"), entry.get("sha256"))
                for entry in run.files
            ),
        )
        return format_html(
            "<table><tr><th>name</th><th>kind</th><th>rows</th><th>SHA-256</th></tr>{}</table>",
            rows,
        )

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "upload/",
            self.admin_site.admin_view(self.upload_view),
            name="casework_importrun_upload",
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → check and preview (a dry run) → confirm → import. Same service as the
        import command, so the same checks and messages."""
        if not request.user.has_perm("casework.add_case"):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload casework files",
        }
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, context)
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            slug = form.cleaned_data["dataset"]
            staged = stage(form.cleaned_data["casework_files"], dataset=slug)
            dataset = dataset_for(slug=slug, create=False)
            try:
                summary = import_files(
                    paths=staged.paths, names=staged.names, dataset=dataset, dry_run=True
                )
            except CaseworkValidationError as error:
                staged.discard()
                context["error"] = error
            else:
                context["summary"] = summary
                context["names"] = staged.names
                context["confirm"] = ConfirmForm(initial={"token": staged.token, "dataset": slug})
        context["form"] = form
        return render(request, "admin/casework/importrun/upload.html", context)

    def _confirm(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        confirm = ConfirmForm(request.POST)
        staged = find(confirm.cleaned_data["token"]) if confirm.is_valid() else None
        if staged is None:
            messages.error(
                request, "That upload has expired or was already imported: upload again."
            )
            return HttpResponseRedirect(reverse("admin:casework_importrun_upload"))
        refusal = _not_as_previewed(staged, confirm.cleaned_data.get("dataset") or "")
        if refusal:
            staged.discard()
            messages.error(request, f"{refusal} Nothing was imported: upload the files again.")
            return HttpResponseRedirect(reverse("admin:casework_importrun_upload"))
        # The dataset previewed; a new one is made in the import's transaction, none if refused.
        dataset = dataset_for(slug=staged.dataset, create=False)
        try:
            summary = import_files(
                paths=staged.paths,
                names=staged.names,
                dataset=dataset,
                label="admin upload",
                user=request.user.get_username(),
            )
        except CaseworkValidationError as error:
            # The database changed since the preview.
            context.update(error=error, form=UploadForm())
            return render(request, "admin/casework/importrun/upload.html", context)
        except WriterBusy as busy:
            messages.error(request, f"{busy} Nothing was imported: upload the files again.")
            return HttpResponseRedirect(reverse("admin:casework_importrun_upload"))
        finally:
            staged.discard()
        messages.success(request, "Imported. " + " ".join(summary.lines()))
        return HttpResponseRedirect(
            reverse("admin:casework_importrun_change", args=[summary.import_run_id])
        )


def _not_as_previewed(staged: StagedUpload, dataset: str) -> str:
    """Why the confirmation is not of what was previewed ("" when it is)."""
    if dataset and dataset != staged.dataset:
        return f"The preview was for the dataset “{staged.dataset}”, not “{dataset}”."
    changed = staged.changed()
    if changed:
        return f"Changed since the preview: {', '.join(changed)}."
    return ""
