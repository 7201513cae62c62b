"""Subscribing: the form, double opt-in through a single-use expiring link, duplicates
refused politely, unsubscribing (a button, and RFC 8058's one-click POST), and no GET ever
writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from councilperf.alerts import subscriptions
from councilperf.alerts.models import Subscription
from councilperf.distribution.sink import Sink
from tests.alerts.conftest import NoWrites, ask, link, text_of, to
from tests.site.conftest import World


def test_the_form_works_without_javascript_and_says_addresses_are_deleted(world: World) -> None:
    with NoWrites():
        page = Client().get(f"/alerts/?council={world.north.slug}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert f'<option value="{world.north.slug}" selected>' in html
    assert "Every release (all councils)" in html
    assert "only while you are subscribed" in html and "your address is deleted" in html
    assert "Demonstration data" in html  # the demo world's pages say so
    assert page["Cache-Control"].startswith("max-age=0")


def test_a_bad_address_is_an_error_on_the_form_and_nothing_is_stored(world: World) -> None:
    page = ask(Client(), "not an address")
    assert page.status_code == 400
    assert "Enter an email address in the correct format" in page.content.decode()
    assert not Subscription.objects.exists()


def test_asking_stores_a_pending_subscription_and_sends_one_confirmation_link(
    world: World, sink: Sink
) -> None:
    page = ask(Client(), "Reader@Example.org", world.north.slug)
    assert "Check your email" in page.content.decode()
    row = Subscription.objects.get()
    assert (row.email, row.authority, row.confirmed) == ("reader@example.org", world.north, False)
    (message,) = to(sink.received, "reader@example.org")
    path = link(message, "confirm")
    token = path.split("/")[3]
    assert row.confirm_hash == subscriptions.digest(token) and token not in row.confirm_hash
    assert "North Borsetshire" in text_of(message)
    assert "List-Unsubscribe" not in message  # a confirmation is no alert


def test_the_link_shows_a_button_then_confirms_once(world: World, sink: Sink) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/alerts/")
    token = client.cookies["csrftoken"].value
    client.post("/alerts/", {"email": "a@example.org", "council": "", "csrfmiddlewaretoken": token})
    path = link(to(sink.received, "a@example.org")[0], "confirm")
    with NoWrites():
        shown = client.get(path)
    assert shown.status_code == 200 and "Confirm alerts" in shown.content.decode()
    assert not Subscription.objects.get().confirmed
    assert client.post(path).status_code == 403  # no CSRF token: refused
    done = client.post(path, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert "Alerts confirmed" in done.content.decode()
    assert Subscription.objects.get().confirmed
    again = client.post(path, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert again.status_code == 404 and "expired or has been used" in again.content.decode()
    assert len(sink.received) == 1  # confirming sends nothing


def test_an_expired_link_confirms_nothing(world: World, sink: Sink) -> None:
    ask(Client(), "late@example.org")
    path = link(to(sink.received, "late@example.org")[0], "confirm")
    Subscription.objects.update(confirm_expires=timezone.now() - dt.timedelta(seconds=1))
    assert Client().post(path).status_code == 404
    assert not Subscription.objects.get().confirmed
    assert subscriptions.forget_expired() == 1
    assert not Subscription.objects.exists()  # the address is gone


def test_asking_twice_is_refused_politely_and_sends_nothing_more(world: World, sink: Sink) -> None:
    ask(Client(), "twice@example.org")
    second = ask(Client(), "twice@example.org")
    assert second.status_code == 200
    assert "We have already sent you a link" in second.content.decode()
    assert len(sink.received) == 1
    Client().post(link(sink.received[0].message, "confirm"))
    third = ask(Client(), "twice@example.org")
    assert "Check your email" in third.content.decode()  # says nothing of who subscribes
    assert len(sink.received) == 1 and Subscription.objects.count() == 1
    # After the wait, an unconfirmed address may ask again (the old link stops working).
    ask(Client(), "again@example.org")
    Subscription.objects.filter(email="again@example.org").update(
        confirm_sent_at=timezone.now() - dt.timedelta(minutes=subscriptions.RESEND_MINUTES + 1)
    )
    ask(Client(), "again@example.org")
    first, second_link = to(sink.received, "again@example.org")
    assert Client().post(link(first, "confirm")).status_code == 404
    assert Client().post(link(second_link, "confirm")).status_code == 200


def test_a_mail_server_that_is_down_is_said_and_the_reader_may_ask_again(
    world: World, settings: Any
) -> None:
    from councilperf.distribution.sink import free_port

    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    page = ask(Client(), "down@example.org")
    assert page.status_code == 503
    assert "could not send the confirmation email" in page.content.decode()
    assert Subscription.objects.get().confirm_sent_at is None


def confirmed(sink: Sink, email: str) -> Subscription:
    ask(Client(), email)
    Client().post(link(to(sink.received, email)[0], "confirm"))
    row = Subscription.objects.get(email=email)
    assert row.confirmed
    return row


def test_the_unsubscribe_link_shows_a_button_and_its_post_deletes_the_address(
    world: World, sink: Sink
) -> None:
    row = confirmed(sink, "leaving@example.org")
    path = f"/alerts/unsubscribe/{row.unsubscribe_token}/"
    with NoWrites():
        page = Client().get(path)
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert Subscription.objects.filter(pk=row.pk).exists()
    done = Client().post(path)
    assert "You are unsubscribed" in done.content.decode()
    assert "your email address has been deleted" in done.content.decode()
    assert not Subscription.objects.filter(email="leaving@example.org").exists()


def test_one_click_unsubscribe_needs_no_csrf_token_and_no_further_step(
    world: World, sink: Sink
) -> None:
    row = confirmed(sink, "oneclick@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/alerts/unsubscribe/{row.unsubscribe_token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()
    # A retry of the same POST (a mail client may send it twice) is still a success.
    assert client.post(f"/alerts/unsubscribe/{row.unsubscribe_token}/").status_code == 200
    # The subscribe form is not exempt: without a token it is refused.
    assert client.post("/alerts/", {"email": "x@example.org"}).status_code == 403


@pytest.mark.parametrize("path", ["/alerts/confirm/nonsense/", "/alerts/unsubscribe/nonsense/"])
def test_an_unknown_token_is_a_404_page(world: World, path: str) -> None:
    with NoWrites():
        assert Client().get(path).status_code == 404
