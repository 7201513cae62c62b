"""The year's letter template page under /staff/<year>/template/ (thin: parse, check the role,
call ``yearstart.edit_template``, render a page built by ``templatepages``).

GET shows the template and one council's letter (``?council=GSS``); POST with
``action=preview`` shows the letter with the changes typed, saving nothing; POST with
``action=save`` saves them and returns to the year's task list.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from councilperf.distribution import roles, templatepages, yearstart
from councilperf.distribution.lifecycle import CycleError
from councilperf.distribution.views import staff
from councilperf.letters import services
from councilperf.letters.models import LetterTemplate
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear

PAGE = "distribution/template.html"


@require_http_methods(["GET", "HEAD", "POST"])
@staff("preview_letters")
def template(request: HttpRequest, year: ReportingYear) -> HttpResponse:
    review_year = get_object_or_404(ReviewYear, year=year.label)
    current = services.template_candidate(review_year)
    code = (request.POST if request.method == "POST" else request.GET).get("council", "")
    if request.method != "POST":
        form = templatepages.form_for(current)
        return render(request, PAGE, _page(review_year, current, form, code, request))
    form = templatepages.TemplateForm(request.POST)
    if not form.is_valid():
        return render(request, PAGE, _page(review_year, current, form, code, request), status=400)
    if request.POST.get("action") == "preview":
        draft = templatepages.with_changes(current, form.changes())
        context = _page(review_year, current, form, code, request, previewing=draft)
        return render(request, PAGE, context)
    try:
        saved = yearstart.edit_template(
            year=year, user=request.user, changes=form.changes(), based_on=form.based_on()
        )
    except ValidationError as invalid:
        form.add_model_errors(invalid)
    except (CycleError, roles.NotAllowed) as refused:
        if isinstance(refused, yearstart.TemplateChanged):
            # Kept as typed, now based on the version saved meanwhile: saving again is a choice.
            current = services.template_candidate(review_year)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = templatepages.TemplateForm(data)
            form.is_valid()
        form.add_error(None, str(refused))
    else:
        messages.success(request, _saved_message(year, current.version, saved.version))
        return redirect("distribution:year", year=year)
    return render(request, PAGE, _page(review_year, current, form, code, request), status=400)


def _page(
    review_year: ReviewYear,
    current: LetterTemplate,
    form: templatepages.TemplateForm,
    code: str,
    request: HttpRequest,
    previewing: LetterTemplate | None = None,
) -> dict[str, object]:
    return templatepages.page(
        review_year=review_year,
        template=current,
        form=form,
        code=code,
        user=request.user,
        previewing=previewing,
    )


def _saved_message(year: ReportingYear, before: int, after: int) -> str:
    if before == after:
        return f"{year} letter template unchanged (version {after})."
    return (
        f"{year} letter template saved as version {after}. Its letters are out of date: "
        "generate them again; a publisher reviews the template again (and approves again if "
        "the year was approved)."
    )
