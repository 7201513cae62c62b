"""The council page shows the council's own complaint handling and its reply once the year
is published: labelled as the council's, "Not reported" when it did not report, the reply
escaped, dated and marked as its own words, and fresh through the page cache."""

from __future__ import annotations

import pytest
from django.test import Client

from councilperf.portal import replies
from councilperf.portal.models import ComplaintReturn, ReplyVersion
from tests.distribution.conftest import make_user
from tests.portal.factories_public import make_reply, make_return, open_returns
from tests.site.conftest import Page, World

pytestmark = pytest.mark.django_db
NOT_VERIFIED = "Reported by the council; not verified by the ombudsman"
ACCEPTED, SUBMITTED = ReplyVersion.Status.ACCEPTED, ReplyVersion.Status.SUBMITTED


def page(client: Client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, url
    return Page(response.content.decode())


def test_a_signed_off_return_is_shown_labelled(client: Client, world: World) -> None:
    make_return(
        world.unitary,
        ratings={"remedies": ("does_not", "Remedies are not yet tracked.")},
        self_assessment_url="https://www.example.org/self-assessment",
    )
    html = client.get(f"/councils/{world.unitary.slug}/2019-20/").content.decode()
    text = Page(html).text
    assert NOT_VERIFIED in text
    assert "Complaints per 10,000 residents 20.0 2.7" in text  # 300 and 40 of 150,000
    assert "Answered within the Code's limit" in text and "80% 75%" in text  # 232/290, 30/40
    assert "Upheld by the council (of those answered) 30% 25%" in text
    assert "6 (15% of stage 2 complaints answered)" in text
    assert "Putting things right Does not meet Remedies are not yet tracked." in text
    assert 'href="https://www.example.org/self-assessment"' in html
    assert "Not reported" not in text


@pytest.mark.parametrize("status", [None, ComplaintReturn.Status.DRAFT])
def test_no_return_or_a_draft_is_not_reported_never_zero(
    client: Client, world: World, status: str | None
) -> None:
    open_returns()
    if status:
        make_return(world.unitary, status=status, stage1_received=0)
    html = client.get(f"/councils/{world.unitary.slug}/2019-20/").content.decode()
    assert "Not reported." in Page(html).text
    assert 'id="complaint-handling-table"' not in html


def test_a_year_never_opened_for_returns_has_no_section(client: Client, world: World) -> None:
    html = client.get(f"/councils/{world.unitary.slug}/2019-20/").content.decode()
    assert 'id="complaint-handling"' not in html and "Not reported" not in html


def test_zero_counts_show_as_zero_when_reported(client: Client, world: World) -> None:
    make_return(world.unitary, counts=dict.fromkeys(("stage1_received", "stage2_received"), 0))
    text = page(client, f"/councils/{world.unitary.slug}/2019-20/").text
    assert "Complaints received 0 0" in text and "Not reported" not in text


def test_nothing_of_an_embargoed_year_on_any_page(client: Client, world: World) -> None:
    make_return(world.north, "2020-21", stage1_received=777)
    make_reply(world.north, "2020-21", ("Embargoed reply words", ACCEPTED))
    assert client.get(f"/councils/{world.north.slug}/2020-21/").status_code == 404
    for url in (f"/councils/{world.north.slug}/", f"/councils/{world.north.slug}/2019-20/"):
        text = page(client, url).text
        assert "Embargoed reply words" not in text and "777" not in text


def test_the_reply_is_escaped_dated_and_the_councils_own_words(
    client: Client, world: World
) -> None:
    make_reply(
        world.south,
        "2019-20",
        ("An earlier answer.", ACCEPTED),
        ('We <script>alert("x")</script> disagree.\n\nSecond & last.', ACCEPTED),
        ("A newer one waiting.", SUBMITTED),
    )
    html = client.get(f"/councils/{world.south.slug}/").content.decode()
    assert "<script>alert" not in html
    assert "We &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; disagree.</p>" in html
    assert '<p class="govuk-body">Second &amp; last.</p>' in html
    text = Page(html).text
    assert "The council's own words Accepted for publication 3 August 2020" in text
    assert "Version 1, accepted 2 August 2020 An earlier answer." in text
    assert "A newer one waiting." not in text


def test_a_newly_accepted_reply_shows_on_the_next_request(client: Client, world: World) -> None:
    url = f"/councils/{world.south.slug}/2019-20/"
    reply = make_reply(world.south, "2019-20", ("Fresh words.", SUBMITTED))
    assert "Fresh words." not in client.get(url).content.decode()
    cached = client.get(url)
    assert cached["X-Page-Cache"] == "hit"
    version = reply.versions.get()
    # As a publisher accepts it: the service's conditional UPDATE, not a model save.
    replies.decide(
        user=make_user("publisher", username="decider"),
        authority=world.south,
        review_year=reply.review_year,
        number=version.number,
        accept=True,
        reason="",
    )
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert "Fresh words." in fresh.content.decode()


def test_a_newly_signed_off_return_shows_on_the_next_request(client: Client, world: World) -> None:
    url = f"/councils/{world.unitary.slug}/2019-20/"
    open_returns()
    found = make_return(world.unitary, status=ComplaintReturn.Status.READY)
    assert "Not reported." in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    found.status = ComplaintReturn.Status.SUBMITTED
    found.save()
    assert "Not reported." not in client.get(url).content.decode()


def test_demonstration_words_are_labelled_as_such(client: Client, world: World) -> None:
    url = f"/councils/{world.south.slug}/"
    assert 'id="demo-data-label"' not in client.get(url).content.decode()
    make_reply(world.south, "2019-20", ("Made-up words.", ACCEPTED), synthetic=True)
    html = client.get(url).content.decode()
    assert 'id="demo-data-label"' in html and "demonstration data" in Page(html).text


def test_reading_the_councils_words_writes_nothing(client: Client, world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_return(world.south, ratings={"staff": ("meets", "")})
    make_reply(world.south, "2019-20", ("Words.", ACCEPTED))
    urls = [
        f"/councils/{world.south.slug}/",
        "/compare/2019-20/district/",
        f"/compare/?councils={world.south.slug},{world.north.slug}",
        "/api/v1/years/2019-20/complaint-handling",
        "/api/v1/years/2019-20/replies",
    ]
    with CaptureQueriesContext(connection) as queries:
        for url in urls:
            assert client.get(url).status_code == 200, url
    written = [q["sql"] for q in queries if q["sql"].split()[0].upper() != "SELECT"]
    assert [q for q in written if not q.upper().startswith(("SAVEPOINT", "RELEASE"))] == []
