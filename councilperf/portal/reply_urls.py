"""Routes of the right of reply: the council's page (and its check-and-submit page) under
/council/, the publisher's list and decision pages under /staff/."""

from django.urls import URLPattern, path

import councilperf.converters  # noqa: F401  (registers the converters)
from councilperf.portal import replyviews

urlpatterns: list[URLPattern] = [
    path("<slug:slug>/<year:year>/reply/", replyviews.reply, name="reply"),
    path("<slug:slug>/<year:year>/reply/submit/", replyviews.submit, name="reply_submit"),
]
staff_urlpatterns: list[URLPattern] = [
    path("<year:year>/replies/", replyviews.staff_list, name="replies"),
    path("<year:year>/replies/<slug:slug>/", replyviews.decision, name="reply_decision"),
]
