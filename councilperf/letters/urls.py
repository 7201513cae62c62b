"""Staff-only letter pages. Included by the project under ``staff/letters/``."""

from django.urls import path

import councilperf.converters  # noqa: F401  (registers the converters)
from councilperf.letters import views

app_name = "letters"
urlpatterns = [
    path("<year:year>/", views.year_index, name="year"),
    path("<year:year>/<gss:code>/", views.preview, name="preview"),
    path("<year:year>/<gss:code>.pdf", views.download_pdf, name="pdf"),
]
