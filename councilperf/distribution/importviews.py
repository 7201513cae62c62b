"""The staff import pages under /staff/import/ (thin: parse, call ``importing``, render a
page built by ``importpages``). Every step checks the analyst's role on the server."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from councilperf.distribution import importing, importpages, jobs
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.views import staff

UPLOAD = "distribution/import.html"


def _back_to_upload(token: object) -> HttpResponse:
    query = f"?{urlencode({'upload': str(token)})}" if token else ""
    return redirect(reverse("distribution:import") + query)


@require_http_methods(["GET", "HEAD", "POST"])
@staff(importing.ACTION)
def upload(request: HttpRequest) -> HttpResponse:
    """Choose the dataset and files; POST stages them and shows the preview or the
    problems (the files stay staged for the retry)."""
    if request.method != "POST":
        staged = importing.staged_for(
            token=importpages.token(request.GET.get("upload")), user=request.user
        )
        form = importpages.CheckForm(initial={"dataset": staged.dataset if staged else ""})
        return render(request, UPLOAD, importpages.upload_page(form=form, staged=staged))
    form = importpages.CheckForm(request.POST, request.FILES)
    previous = importing.staged_for(
        token=importpages.token(request.POST.get("upload")), user=request.user
    )
    if not form.is_valid():
        kept = importing.keep_files(
            user=request.user, files=form.chosen_files(), token=previous.token if previous else None
        )
        page = importpages.upload_page(form=form, staged=kept)
        return render(request, UPLOAD, page, status=400)
    try:
        checked = importing.check_files(
            user=request.user,
            dataset=form.cleaned_data["dataset"],
            files=form.chosen_files(),
            token=previous.token if previous else None,
        )
    except importing.ImportRefused as refused:
        page = importpages.upload_page(form=form, staged=previous, refusal=str(refused))
        return render(request, UPLOAD, page, status=400)
    if checked.error is not None:
        page = importpages.upload_page(form=form, staged=checked.staged, error=checked.error)
        return render(request, UPLOAD, page, status=400)
    return render(request, "distribution/import_preview.html", importpages.preview_page(checked))


@require_POST
@staff(importing.ACTION)
def remove(request: HttpRequest) -> HttpResponse:
    form = importpages.RemoveForm(request.POST)
    if not form.is_valid():
        return _back_to_upload(None)
    staged = importing.remove_file(
        user=request.user, token=form.cleaned_data["upload"], index=form.cleaned_data["index"]
    )
    return _back_to_upload(staged.token if staged else None)


@require_POST
@staff(importing.ACTION)
def confirm(request: HttpRequest) -> HttpResponse:
    """Check the confirmation is of the preview, then queue the import (a job)."""
    form = importpages.ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That confirmation is not of a preview: upload the files again.")
        return _back_to_upload(None)
    token = form.cleaned_data["upload"]
    try:
        job = jobs.enqueue_import(
            user=request.user,
            token=token,
            dataset=form.cleaned_data["dataset"],
            fingerprint=form.cleaned_data["fingerprint"],
        )
    except importing.ImportRefused as refused:
        messages.error(request, str(refused))
        return _back_to_upload(None)
    except CycleError as unqueued:
        messages.error(request, str(unqueued))
        return _back_to_upload(token)
    return redirect("distribution:job", pk=job.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@staff(importing.ACTION)
def add_dataset(request: HttpRequest) -> HttpResponse:
    form = importpages.DatasetForm(request.POST or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            found = importing.add_dataset(
                slug=form.cleaned_data["slug"], title=form.cleaned_data["title"], user=request.user
            )
        except importing.ImportRefused as refused:
            refusal = str(refused)
        else:
            messages.success(request, f"Dataset “{found.name}” ({found.slug}) added.")
            return redirect("distribution:import")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "distribution/import_dataset.html",
        {"form": form, "refusal": refusal},
        status=status,
    )
