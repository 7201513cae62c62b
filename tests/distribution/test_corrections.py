"""Corrections say what they do: before a corrected revision is sent, the send page lists
each council whose letter changes, why (its own figures, or its group's averages), and the
figures before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils.html import escape

from councilperf.distribution import corrections, sending
from councilperf.letters import batch
from councilperf.statistics.services import correct_statistics
from councilperf.years import ReportingYear
from tests.distribution.conftest import approve, authorities
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_send_page_lists_each_changed_council_why_and_its_figures(year, users, sink):
    approve(year, users["publisher"])
    sending.send_letters(year=ReportingYear(2019), user=None)
    changed, moved, unitary = authorities()
    make_case(authority=changed, decision_date=dt.date(2019, 7, 1), outcome="upheld")
    correct_statistics(year=ReportingYear(2019), reason="a decision was missed")
    batch.generate_letters(year=ReportingYear(2019), processes=1)
    approve(year, users["publisher"])
    found = {c.code: c for c in corrections.changes(year=ReportingYear(2019), old=1, new=2)}
    assert set(found) == {changed.gss_code, moved.gss_code}  # the unitary's letter stands
    assert found[changed.gss_code].why == corrections.OWN_FIGURES
    assert found[moved.gss_code].why == corrections.GROUP_MOVED
    upheld = dict((f, (b, a)) for f, b, a in found[changed.gss_code].differences)["Upheld"]
    assert int(upheld[1]) == int(upheld[0]) + 1
    assert all(f.startswith("Group average") for f, _, _ in found[moved.gss_code].differences)
    client = Client()
    client.force_login(users["publisher"])
    page = client.get("/staff/2019-20/send/").content.decode()
    assert 'id="changes"' in page and "2 councils will get a letter marked" in page
    assert changed.official_name in page and moved.official_name in page
    assert unitary.official_name not in page.split('id="changes"')[1].split("</table>")[0]
    assert escape(corrections.OWN_FIGURES) in page and escape(corrections.GROUP_MOVED) in page


def test_a_first_send_lists_no_correction(year, users):
    approve(year, users["publisher"])
    page_client = Client()
    page_client.force_login(users["publisher"])
    assert 'id="changes"' not in page_client.get("/staff/2019-20/send/").content.decode()
