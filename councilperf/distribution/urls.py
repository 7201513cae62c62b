"""Staff pages (under ``staff/``) and the councils' preview links (under ``preview/``)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

import councilperf.converters  # noqa: F401  (registers the converters)
from councilperf.distribution import importviews, jobviews, templateviews, views

app_name = "distribution"
urlpatterns = [
    path("staff/", views.index, name="index"),
    path("staff/compute/", jobviews.compute_new, name="compute_new"),
    path("staff/start/", views.start_year, name="start_year"),
    path("staff/import/", importviews.upload, name="import"),
    path("staff/import/remove/", importviews.remove, name="import_remove"),
    path("staff/import/confirm/", importviews.confirm, name="import_confirm"),
    path("staff/import/dataset/", importviews.add_dataset, name="import_dataset"),
    path("staff/<year:year>/", views.year, name="year"),
    path("staff/<year:year>/compute/", jobviews.compute, name="compute"),
    path("staff/<year:year>/freeze/", jobviews.freeze, name="freeze"),
    path("staff/<year:year>/dates/", views.set_dates, name="dates"),
    path("staff/<year:year>/template/", templateviews.template, name="template"),
    path("staff/<year:year>/template/review/", views.review_template, name="review_template"),
    path("staff/sign-out/", LogoutView.as_view(next_page="distribution:index"), name="sign_out"),
    path("staff/<year:year>/figures/", views.figures, name="figures"),
    path("staff/<year:year>/approve/check/", views.approve_check, name="approve_check"),
    path("staff/<year:year>/approve/", jobviews.approve, name="approve"),
    path("staff/<year:year>/correct/", views.correct, name="correct"),
    path("staff/<year:year>/generate/", jobviews.generate, name="generate"),
    path("staff/<year:year>/publish/", jobviews.publish, name="publish"),
    path("staff/<year:year>/send/", views.send_page, name="send"),
    path("staff/<year:year>/send/confirm/", jobviews.send, name="send_confirm"),
    path("staff/<year:year>/send/options/", views.send_options, name="send_options"),
    path("staff/<year:year>/send/resume/", jobviews.resume_send, name="resume_send"),
    path("staff/<year:year>/deliveries/", views.deliveries, name="deliveries"),
    path(
        "staff/<year:year>/deliveries/again/",
        views.send_again_selected,
        name="send_again_selected",
    ),
    path("staff/deliveries/<int:pk>/again/", views.send_again, name="send_again"),
    path("staff/jobs/<int:pk>/", jobviews.job, name="job"),
    path("staff/jobs/<int:pk>/resume/", jobviews.resume, name="resume"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("preview/<str:token>/letter.pdf", views.preview_pdf, name="preview_pdf"),
]
