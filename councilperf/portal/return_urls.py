"""Routes of the complaint-handling returns (joined in ``portal.urls`` and
``portal.staff_urls``): the council's form, upload, check and sign-off; staff's list of
councils and statuses, reminders and reopening a submitted return."""

from django.urls import URLPattern, path

import councilperf.converters  # noqa: F401  (registers the converters)
from councilperf.portal import returnviews

urlpatterns: list[URLPattern] = [
    path("<slug:slug>/<year:year>/return/", returnviews.return_form, name="return"),
    path("<slug:slug>/<year:year>/return/upload/", returnviews.upload, name="return_upload"),
    path("<slug:slug>/<year:year>/return/check/", returnviews.check, name="return_check"),
    path("<slug:slug>/<year:year>/return/sign-off/", returnviews.sign_off, name="return_sign_off"),
]
staff_urlpatterns: list[URLPattern] = [
    path("<year:year>/returns/", returnviews.staff_returns, name="returns"),
    path("<year:year>/returns/remind/", returnviews.remind, name="remind"),
    path("<year:year>/returns/<slug:slug>/", returnviews.staff_return, name="staff_return"),
    path("<year:year>/returns/<slug:slug>/reopen/", returnviews.reopen, name="return_reopen"),
]
