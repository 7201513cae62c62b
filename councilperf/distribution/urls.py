"""Staff pages (under ``staff/``) and the councils' preview links (under ``preview/``)."""

from django.urls import path, register_converter

from councilperf.distribution import views


class YearConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(YearConverter, "cycleyear")

app_name = "distribution"
urlpatterns = [
    path("staff/", views.index, name="index"),
    path("staff/compute/", views.compute_new, name="compute_new"),
    path("staff/<cycleyear:year>/", views.year, name="year"),
    path("staff/<cycleyear:year>/compute/", views.compute, name="compute"),
    path("staff/<cycleyear:year>/freeze/", views.freeze, name="freeze"),
    path("staff/<cycleyear:year>/approve/", views.approve, name="approve"),
    path("staff/<cycleyear:year>/correct/", views.correct, name="correct"),
    path("staff/<cycleyear:year>/generate/", views.generate, name="generate"),
    path("staff/<cycleyear:year>/send/", views.send_page, name="send"),
    path("staff/<cycleyear:year>/send/confirm/", views.send, name="send_confirm"),
    path("staff/<cycleyear:year>/deliveries/", views.deliveries, name="deliveries"),
    path("staff/deliveries/<int:pk>/again/", views.send_again, name="send_again"),
    path("staff/jobs/<int:pk>/", views.job, name="job"),
    path("staff/jobs/<int:pk>/resume/", views.resume, name="resume"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("preview/<str:token>/letter.pdf", views.preview_pdf, name="preview_pdf"),
]
