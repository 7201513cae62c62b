"""The alert pages: subscribe (GET the form, POST asks), confirm (GET shows a button, POST
confirms) and unsubscribe (GET shows a button, POST unsubscribes; the same address takes the
RFC 8058 one-click POST, so it alone is CSRF-exempt: its unguessable token is the authority).
A GET never writes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from councilperf.alerts import subscriptions
from councilperf.alerts.forms import SubscribeForm
from councilperf.authorities.models import Authority


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        slug = request.GET.get("council", "")
        known = Authority.objects.filter(slug=slug).exists()
        form = SubscribeForm(initial={"council": slug if known else ""})
        return render(request, "alerts/subscribe.html", {"form": form})
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/subscribe.html", {"form": form}, status=400)
    try:
        asked = subscriptions.subscribe(
            email=form.cleaned_data["email"], authority=form.authority()
        )
    except subscriptions.NotSent:
        return render(
            request, "alerts/subscribe.html", {"form": form, "not_sent": True}, status=503
        )
    context = {"asked": asked.value, "email": subscriptions.normalise(form.cleaned_data["email"])}
    return render(request, "alerts/asked.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        row = subscriptions.pending(token=token)
        shown = {"row": row, "followed": subscriptions.followed(row) if row else ""}
        return render(request, "alerts/confirm.html", shown, status=200 if row else 404)
    row = subscriptions.confirm(token=token)
    if row is None:
        return render(request, "alerts/confirm.html", {"row": None}, status=404)
    done = {"row": row, "followed": subscriptions.followed(row), "done": True}
    return render(request, "alerts/confirm.html", done)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method != "POST":
        row = subscriptions.by_unsubscribe_token(token=token)
        context = {"row": row, "followed": subscriptions.followed(row) if row else ""}
        return render(request, "alerts/unsubscribe.html", context, status=200 if row else 404)
    gone = subscriptions.unsubscribe(token=token)
    # The one-click POST (RFC 8058) and the button alike: done, nothing more to do.
    return render(request, "alerts/unsubscribe.html", {"done": True, "gone": gone})
