"""Council people's own account pages: sign in and out, two-factor set-up and verification,
and accepting an invitation (docs/portal-accounts.md). Staff pages about accounts are in
``accountpages``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.views import LoginView, LogoutView, redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from councilperf.portal import accounts, twofactor
from councilperf.portal.models import CouncilRole

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
GONE = {
    "used": "This invitation has already been used. Sign in instead.",
    "withdrawn": "This invitation was withdrawn by the ombudsman's staff.",
    "expired": "This invitation has expired. Ask the ombudsman's staff to invite you again.",
}


def home_url() -> str:
    """The portal's home page (the two-factor page until the portal's pages exist)."""
    try:
        return reverse("portal:home")
    except NoReverseMatch:
        return reverse("portal:two_factor")


def next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else home_url()


class SignIn(LoginView):
    template_name = "portal/accounts/sign_in.html"

    def get_default_redirect_url(self) -> str:
        return home_url()


class SignOut(LogoutView):
    next_page = "portal:sign_in"


# --- Two-factor ----------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your app",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your app"},
    )


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), "portal:sign_in")
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its secret as text and QR code; a code confirms it."""
    refused = _signed_in(request)
    if refused:
        return refused
    user = request.user
    context: dict[str, Any] = {"next": next_url(request), "required": twofactor.required(user)}
    if twofactor.device_of(user) is not None:
        return render(request, "portal/accounts/two_factor_done.html", context)
    key = request.session.get(twofactor.SESSION_KEY) or twofactor.new_key()
    request.session[twofactor.SESSION_KEY] = key  # the signed session cookie; no row
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.confirm(user=user, key=key, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            del request.session[twofactor.SESSION_KEY]
            messages.success(request, "Two-factor sign-in is set up.")
            return HttpResponseRedirect(context["next"])
        form.add_error("code", "The code is not right: type the code your app shows now")
    url = twofactor.config_url(user, key)
    context.update(form=form, secret=twofactor.secret_text(key), qr=twofactor.qr_svg(url))
    return render(request, "portal/accounts/two_factor.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Type the current code after signing in with a password."""
    refused = _signed_in(request)
    if refused:
        return refused
    target = next_url(request)
    if twofactor.device_of(request.user) is None:
        return HttpResponseRedirect(f"{reverse('portal:two_factor')}?{urlencode({'next': target})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            return HttpResponseRedirect(target)
        form.add_error("code", "The code is not right: type the code your app shows now")
    return render(request, "portal/accounts/verify.html", {"form": form, "next": target})


# --- Invitations ---------------------------------------------------------------------------


class JoinForm(forms.Form):
    username = forms.CharField(max_length=150, error_messages={"required": "Enter a username"})
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        name = str(self.cleaned_data["username"]).strip()
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise ValidationError("That username is taken: choose another")
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same")
        elif first:
            probe = get_user_model()(username=data.get("username", ""), email=self.email)
            try:
                validate_password(first, user=probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: a new account, or (signed in with the invited address) one more
    council for an existing account. Showing the page writes nothing."""
    lookup = accounts.find(token=token)
    if lookup.invitation is None:
        return render(request, "portal/accounts/invitation_gone.html", {}, status=404)
    if lookup.problem:
        gone = {"message": GONE[lookup.problem]}
        return render(request, "portal/accounts/invitation_gone.html", gone, status=410)
    invited = lookup.invitation
    context: dict[str, Any] = {
        "invitation": invited,
        "role": CouncilRole(invited.role).label,
        "sign_in": f"{reverse('portal:sign_in')}?{urlencode({'next': request.path})}",
    }
    existing = get_user_model().objects.filter(email__iexact=invited.email).exists()
    if existing:
        return _join_existing(request, token, context)
    form = JoinForm(request.POST or None, email=invited.email, initial={"username": invited.email})
    if request.method == "POST" and form.is_valid():
        try:
            membership = accounts.join_new(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except accounts.Refused as error:
            return render(
                request, "portal/accounts/invitation_gone.html", {"message": str(error)}, status=410
            )
        login(request, membership.user, backend=MODEL_BACKEND)
        messages.success(
            request,
            f"Welcome: you are a {context['role'].lower()} of {membership.authority.short_name}.",
        )
        return HttpResponseRedirect(home_url())
    context["form"] = form
    return render(request, "portal/accounts/invitation.html", context)


def _join_existing(request: HttpRequest, token: str, context: dict[str, Any]) -> HttpResponse:
    user = request.user
    invited = context["invitation"]
    mine = user.is_authenticated and (user.email or "").lower() == invited.email.lower()
    context.update(existing=True, mine=mine)
    if request.method == "POST" and mine:
        try:
            membership = accounts.join_existing(token=token, user=user)
        except accounts.Refused as error:
            return render(
                request, "portal/accounts/invitation_gone.html", {"message": str(error)}, status=410
            )
        messages.success(request, f"{membership.authority.short_name} is now in your portal.")
        return HttpResponseRedirect(home_url())
    return render(request, "portal/accounts/invitation.html", context)
