"""Staff pages: only staff see letters; preview as HTML, download the PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings
from django.urls import include, path, reverse

from councilperf import urls as project_urls
from councilperf.authorities.models import Authority
from councilperf.letters import pdf
from councilperf.statistics.models import ReviewYear
from councilperf.years import ReportingYear
from tests.letters.conftest import reference_statistics

# The project's routes; until its urls.py includes the letters routes, the tests add them at
# the place the project will (staff/letters/).
urlpatterns = list(project_urls.urlpatterns)
if not any(getattr(route, "namespace", None) == "letters" for route in urlpatterns):
    urlpatterns.append(path("staff/letters/", include("councilperf.letters.urls")))
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def staff_client(db: None) -> Client:
    client = Client()
    clerk = User.objects.create_user("clerk", is_staff=True)
    clerk.groups.add(Group.objects.get(name="analyst"))  # a role that may preview letters
    client.force_login(clerk)
    return client


@pytest.fixture
def letter_data(
    review_year: ReviewYear,
    north_east_derbyshire: Authority,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Path:
    statistics = {"E07000038": reference_statistics()}
    monkeypatch.setattr("councilperf.letters.sources.load_statistics", lambda year: statistics)

    class StandIn:
        def render_letter(self, **parts: str) -> bytes:
            return b"%PDF-1.7 stand-in"

    monkeypatch.setattr(pdf, "shared_renderer", StandIn)
    return tmp_path


def test_anonymous_is_sent_to_log_in_and_a_user_without_a_role_refused(
    letter_data: Path,
) -> None:
    url = reverse("letters:preview", args=["2019-20", "E07000038"])
    response = Client().get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client = Client()
    client.force_login(User.objects.create_user("resident", is_staff=True))
    assert client.get(url).status_code == 403


def test_preview_is_the_letter_as_html(staff_client: Client, letter_data: Path) -> None:
    response = staff_client.get(reverse("letters:preview", args=["2019-20", "E07000038"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-GB">' in page
    assert '<h1 id="letter-title">Annual Review letter 2020</h1>' in page
    assert "Dear Mr Hickin" in page
    assert '<a href="https://www.lgo.org.uk/your-councils-performance">' in page
    assert "Demonstration data — not real ombudsman decisions" in page


def test_pdf_is_generated_on_first_request_then_served(
    staff_client: Client, letter_data: Path
) -> None:
    with override_settings(LETTERS_DIR=letter_data):
        response = staff_client.get(reverse("letters:pdf", args=["2019-20", "E07000038"]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert (letter_data / "2019-20" / "E07000038.pdf").is_file()


def test_year_index_lists_letters(staff_client: Client, letter_data: Path) -> None:
    response = staff_client.get(reverse("letters:year", args=["2019-20"]))
    assert response.status_code == 200
    assert b"North East Derbyshire District Council" in response.content


def test_unknown_authority_or_year_is_404(staff_client: Client, letter_data: Path) -> None:
    assert staff_client.get("/staff/letters/2019-20/E07999999/").status_code == 404
    assert staff_client.get("/staff/letters/2030-31/E07000038/").status_code == 404


def test_a_staff_look_never_rewrites_a_published_years_public_letter(
    staff_client: Client, letter_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from councilperf.letters import views
    from councilperf.letters.batch import ensure_letter
    from councilperf.letters.models import Letter
    from councilperf.statistics.selectors import PublishedYear

    class Rendering:
        def render_letter(self, whole: str, **parts: str) -> bytes:
            return b"%PDF-1.7 " + hashlib.sha256(whole.encode()).hexdigest().encode()

    monkeypatch.setattr(pdf, "shared_renderer", Rendering)
    url = reverse("letters:pdf", args=["2019-20", "E07000038"])
    with override_settings(LETTERS_DIR=letter_data):
        stored = Path(
            ensure_letter(authority=Authority.objects.get(), year=ReportingYear(2019)).pdf_path
        )
        public = stored.read_bytes()
        hashes = list(Letter.objects.values_list("content_hash", flat=True))
        # The year is published; then a correction changes its figures (not yet approved).
        year = PublishedYear(ReportingYear(2019), 1, None, dt.date(2020, 7, 29), True)
        monkeypatch.setattr(views, "frozen_dated_years", lambda now: [year], raising=False)
        corrected = {"E07000038": reference_statistics(upheld=1, revision=2)}
        monkeypatch.setattr("councilperf.letters.sources.load_statistics", lambda y: corrected)
        response = staff_client.get(url)
        shown = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200 and shown.startswith(b"%PDF")
    assert shown != public  # the letter as it would be made now
    assert stored.read_bytes() == public  # the public file untouched
    assert list(Letter.objects.values_list("content_hash", flat=True)) == hashes
    assert [p.name for p in stored.parent.iterdir()] == ["E07000038.html", "E07000038.pdf"]
