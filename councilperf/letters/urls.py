"""Staff-only letter pages. Included by the project under ``staff/letters/``."""

from django.urls import path, register_converter

from councilperf.letters import views


class YearConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class GssConverter:
    regex = r"[EWSN]\d{8}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(YearConverter, "letteryear")
register_converter(GssConverter, "gss")

app_name = "letters"
urlpatterns = [
    path("<letteryear:year>/", views.year_index, name="year"),
    path("<letteryear:year>/<gss:code>/", views.preview, name="preview"),
    path("<letteryear:year>/<gss:code>.pdf", views.download_pdf, name="pdf"),
]
