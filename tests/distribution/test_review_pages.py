"""Check before freeze and approve (issue 26, points 3 and 9's page parts): the figures
review page and its CSV, the check-your-answers page before approving, the year's task list
and signing out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from django.test import Client

from councilperf.authorities.models import Authority, AuthorityYear, Contact, ContactRole
from councilperf.casework.models import Case
from councilperf.distribution import checkanswers, lifecycle
from councilperf.distribution.models import QueueJob, YearCycle
from councilperf.letters.models import LetterTemplate
from councilperf.statistics.models import ReviewYear
from councilperf.statistics.services import compute_statistics, freeze_statistics
from councilperf.text import neutralise
from councilperf.years import ReportingYear
from tests.distribution.conftest import make_user, run_worker
from tests.factories import make_authority, make_case, make_contact, make_review_year

pytestmark = pytest.mark.django_db

ROLES = (None, "analyst", "publisher", "administrator")
# name, group, (upheld, not upheld) in 2018-19 and in 2019-20
COUNCILS = (
    ("Ambridge", "district", (5, 5), (9, 1)),  # 50% → 90%
    ("Borchester", "district", (2, 8), (3, 7)),  # 20% → 30%
    ("Hollerton", "unitary", (6, 4), (1, 9)),  # 60% → 10%
    ("Penny Hassett", "district", (0, 2), (2, 0)),  # 0% → 100%, but too few cases
    ("Edgeley", "unitary", (3, 3), (3, 3)),  # no population, no contact
)


def client_for(role: str | None) -> Client:
    client = Client()
    if role:
        client.force_login(make_user(role, username=f"{role}-client"))
    return client


def _cases(authority: Authority, label: str, upheld: int, not_upheld: int) -> None:
    start = ReportingYear.parse(label).start
    for n in range(upheld + not_upheld):
        make_case(
            authority=authority,
            received_date=start,
            decision_date=start + dt.timedelta(days=60),
            outcome="upheld" if n < upheld else "not_upheld",
        )


@pytest.fixture
def two_years(files) -> None:
    """2018-19 frozen and 2019-20 a draft, five councils in both."""
    for label in ("2018-19", "2019-20"):
        make_review_year(year=label, letter_date=None, publication_date=None)
    for name, group, before, now in COUNCILS:
        authority = make_authority(name=name, group=group, years=("2018-19", "2019-20"))
        if name == "Edgeley":
            AuthorityYear.objects.filter(authority=authority).update(
                population=None, population_estimate=None
            )
        else:
            make_contact(authority=authority)
        _cases(authority, "2018-19", *before)
        _cases(authority, "2019-20", *now)
    compute_statistics(year=ReportingYear.parse("2018-19"))
    freeze_statistics(year=ReportingYear.parse("2018-19"))
    compute_statistics(year=ReportingYear.parse("2019-20"))


class Tables(HTMLParser):
    """Each <table id=…> of a page as its rows of cell texts (the header row first), and
    its caption."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.captions: dict[str, str] = {}
        self.current = ""
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.current = dict(attrs).get("id") or ""
            self.tables[self.current] = []
        elif tag == "tr" and self.current:
            self.tables[self.current].append([])
        elif tag in ("td", "th", "caption") and self.current:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "caption" and self.cell is not None:
            self.captions[self.current] = "".join(self.cell).strip()
            self.cell = None
        elif tag == "table":
            self.current = ""

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    return _parsed(html).tables


def _parsed(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    return parser


def _whole_percent(numerator: int, denominator: int) -> str:
    return f"{(Fraction(numerator * 100, denominator) + Fraction(1, 2)).__floor__()}%"


@pytest.mark.parametrize("role", ROLES)
def test_figures_page_by_role(two_years, role):
    response = client_for(role).get("/staff/2019-20/figures/")
    if role is None:
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 200


def test_figures_totals_equal_the_casework(two_years):
    """England's totals on the page are the casework counted here, not the statistics."""
    start, end = ReportingYear.parse("2019-20").start, ReportingYear.parse("2019-20").end
    decided = Case.objects.filter(decision_date__range=(start, end))
    upheld = decided.filter(outcome="upheld").count()
    investigated = upheld + decided.filter(outcome="not_upheld").count()
    received = Case.objects.filter(received_date__range=(start, end)).count()
    html = client_for("analyst").get("/staff/2019-20/figures/").content.decode()
    rows = {row[0]: row[1:] for row in page_tables(html)["national"][1:]}
    assert rows["Complaints received"][0] == f"{received:,}"
    assert rows["Detailed investigations"][0] == f"{investigated:,}"
    assert rows["Upheld"][0] == f"{upheld:,}"
    upheld_rate = rows["Complaints upheld (% of detailed investigations)"]
    assert upheld_rate[0] == _whole_percent(upheld, investigated)  # 18 of 38 → 47%
    assert upheld_rate[1] == _whole_percent(16, 38)  # last year's, frozen
    assert "the draft" in html and "2018-19, revision 1" in html


def test_moved_most_leaves_small_number_councils_out(two_years):
    html = client_for("publisher").get("/staff/2019-20/figures/").content.decode()
    tables = page_tables(html)
    label = "Complaints upheld (% of detailed investigations)"
    ranked = [row[1].split(" Council")[0] for row in tables["moved"][1:] if row[0] == label]
    assert ranked == ["Hollerton", "Ambridge", "Borchester", "Edgeley"]  # biggest change first
    apart = [row[1] for row in tables["moved-small"][1:] if row[0] == label]
    assert len(apart) == 1 and apart[0].startswith("Penny Hassett")
    changes = [row[4] for row in tables["moved"][1:] if row[0] == label]
    assert changes[:2] == ["-50.0 points", "+40.0 points"]
    small = [row[0] for row in tables["small"][1:]]
    assert small == ["Penny Hassett Council"]
    assert [row[0] for row in tables["no-population"][1:]] == ["Edgeley Council"]
    assert [row[0] for row in tables["no-contact"][1:]] == ["Edgeley Council"]


def test_figures_csv_is_the_pages_tables(two_years):
    client = client_for("analyst")
    html = client.get("/staff/2019-20/figures/").content.decode()
    response = client.get("/staff/2019-20/figures/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["table", "row", "column", "value"]
    from_csv: dict[tuple[str, str], dict[str, str]] = {}
    for table, row, column, value in rows[1:]:
        from_csv.setdefault((table, row), {})[column] = value
    page = _parsed(html)
    shown = {}
    for key, (header, *body) in page.tables.items():
        for index, cells in enumerate(body, start=1):
            if cells != ["None."]:  # an empty table's line, not a row
                written = [str(neutralise(cell)) for cell in cells]
                shown[(page.captions[key], str(index))] = dict(zip(header, written, strict=True))
    assert len(page.tables) == 7 and len(shown) > 40
    assert from_csv == shown
    assert any(value.startswith("'+") for *_, value in rows[1:])  # no formula in a cell


def test_figures_page_of_a_year_with_no_earlier_one(two_years):
    html = client_for("analyst").get("/staff/2018-19/figures/").content.decode()
    assert "2017-18 has no statistics" in html and "revision 1" in html


# --- Check your answers, then approve ----------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_approve_check_page_by_role(year, role):
    response = client_for(role).get("/staff/2019-20/approve/check/")
    if role is None:
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif role in ("publisher", "administrator"):
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_approving_from_the_check_page(year, queue):
    review_year = ReviewYear.objects.get(year="2019-20")
    client = client_for("publisher")
    html = client.get("/staff/2019-20/approve/check/").content.decode()
    answers = dict(_answers(html))
    for key, day in (
        ("Letter date", review_year.letter_date),
        ("Publication date", review_year.publication_date),
    ):
        assert day is not None and answers[key] == f"{day.day} {day:%B} {day.year}"
    template = LetterTemplate.objects.get(review_year=review_year)
    roles = {ContactRole.CHIEF_EXECUTIVE.value, *template.copy_roles}
    emails = sum(Contact.objects.filter(role=role).exclude(email="").count() for role in roles)
    assert answers["Councils"] == "3" and answers["Emails to send"] == str(emails)
    assert answers["Signed by"] == template.signatory.splitlines()[0]
    assert answers["Readiness"] == "Ready"
    assert html.count(">Change<") == 4 and html.count(">View<") == 4  # dates, template; figures
    assert "England: Complaints upheld (% of detailed investigations)" in answers
    assert 'action="/staff/2019-20/approve/"' in html
    assert html.count('href="/staff/2019-20/#dates"') == 2  # Change: the letters are unsent
    response = client.post("/staff/2019-20/approve/")
    job = QueueJob.objects.get(kind=QueueJob.Kind.APPROVE)
    assert response.status_code == 302 and response["Location"] == f"/staff/jobs/{job.pk}/"
    assert lifecycle.stage(review_year) is lifecycle.Stage.FROZEN  # the worker approves
    run_worker(queue)
    cycle = YearCycle.objects.get(review_year=review_year)
    assert cycle.approved_by is not None and cycle.approved_by.username == "publisher-client"
    assert lifecycle.stage(review_year) is lifecycle.Stage.APPROVED
    # Approved: the check page sends the publisher back to the dashboard.
    assert client.get("/staff/2019-20/approve/check/").status_code == 302


def _answers(html: str) -> list[tuple[str, str]]:
    import re

    keys = re.findall(r'summary-list__key">([^<]+)<', html)
    values = re.findall(r'summary-list__value">([^<]+)<', html)
    return list(zip(keys, values, strict=True))


def test_dashboard_links_the_check_pages_not_a_one_click_approve(year):
    html = client_for("publisher").get("/staff/2019-20/").content.decode()
    assert 'href="/staff/2019-20/approve/check/"' in html
    assert 'action="/staff/2019-20/approve/"' not in html
    assert html.index('href="/staff/2019-20/figures/"') < html.index("/approve/check/")


# --- The task list and signing out -------------------------------------------------------


def test_task_list_follows_the_year(year):
    def statuses() -> dict[str, str]:
        found = ReviewYear.objects.get(year="2019-20")
        stage = lifecycle.stage(found)
        report = lifecycle.readiness(review_year=found)
        tasks = checkanswers.tasks(review_year=found, stage=stage, report=report)
        return {task.name: task.status for task in tasks}

    before = statuses()
    assert before["Freeze the statistics"] == "Completed"
    assert before["Review the letter template"] == "Completed"
    assert before["Approve"] == "Not started"
    assert before["Send the letters"] == "Cannot start yet"
    lifecycle.approve_year(year=ReportingYear.parse("2019-20"), user=make_user("publisher"))
    after = statuses()
    assert after["Approve"] == "Completed" and after["Send the letters"] == "Not started"
    html = client_for("analyst").get("/staff/2019-20/").content.decode()
    assert 'class="govuk-task-list"' in html


def test_draft_year_tasks(two_years):
    found = ReviewYear.objects.get(year="2019-20")
    tasks = checkanswers.tasks(review_year=found, stage=lifecycle.Stage.DRAFT, report=None)
    status = {task.name: task.status for task in tasks}
    assert status["Compute the statistics"] == "Completed"
    assert status["Check the figures"] == "Not started"
    assert status["Approve"] == status["Publish"] == "Cannot start yet"
    html = client_for("analyst").get("/staff/2019-20/").content.decode()
    assert html.index('href="/staff/2019-20/figures/"', html.index("Actions")) < html.index(
        "Freeze 2019-20"
    )
    upload = 'govuk-task-list__link" href="/admin/casework/importrun/upload/"'
    assert upload in html  # an analyst's task: linked
    assert upload not in client_for("publisher").get("/staff/2019-20/").content.decode()


def test_sign_out_on_every_staff_page_logs_out(year):
    client = client_for("publisher")
    for address in ("/staff/", "/staff/2019-20/", "/staff/2019-20/approve/check/"):
        assert 'action="/staff/sign-out/"' in client.get(address).content.decode()
    refused = client_for("analyst").get("/staff/2019-20/approve/check/")
    assert refused.status_code == 403
    assert 'action="/staff/sign-out/"' in refused.content.decode()
    assert 'class="govuk-back-link"' in refused.content.decode()
    response = client.post("/staff/sign-out/")
    assert response.status_code == 302
    after = client.get("/staff/2019-20/")
    assert after.status_code == 302 and "/login/" in after["Location"]
