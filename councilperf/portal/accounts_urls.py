"""Routes of the accounts part of the portal (joined in ``portal.urls`` and
``portal.staff_urls``): council people's sign-in, two-factor and invitations under /council/;
the staff's pages about councils' people and the access log under /staff/."""

from django.urls import URLPattern, path

from councilperf.portal import accountpages, accountviews

urlpatterns: list[URLPattern] = [
    path("sign-in/", accountviews.SignIn.as_view(), name="sign_in"),
    path("sign-out/", accountviews.SignOut.as_view(), name="sign_out"),
    path("two-factor/", accountviews.two_factor, name="two_factor"),
    path("two-factor/verify/", accountviews.verify, name="verify"),
    path("invitation/<str:token>/", accountviews.invitation, name="invitation"),
]
staff_urlpatterns: list[URLPattern] = [
    path("councils/", accountpages.councils, name="councils"),
    path("councils/<slug:slug>/", accountpages.council_people, name="council_people"),
    path(
        "councils/<slug:slug>/members/<int:pk>/end/",
        accountpages.end_membership,
        name="end_membership",
    ),
    path(
        "councils/<slug:slug>/invitations/<int:pk>/withdraw/",
        accountpages.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("councils/<slug:slug>/transfer/", accountpages.transfer, name="transfer"),
    path("access-log/", accountpages.access_log, name="access_log"),
]
