"""Letters get the small things right: English letters write dates and money the way the
client's own locale does (en-GB: 2 December 2026, £), the handover confirmation says when work
was delivered, and a payment letter with no open invoice has no heading over an empty list."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from offboard.config import Config
from offboard.domain.codec import client_from_stored
from offboard.domain.models import (
    Archetype,
    Channel,
    Client,
    Conversation,
    Deliverable,
    Invoice,
    Payment,
    Stage,
)
from offboard.letters.compose import compose, prepare
from offboard.letters.context import build_context, writing_locale
from offboard.letters.library import Library

TODAY = dt.date(2026, 12, 2)
CONFIG = Config(sender_name="Alex Morgan", sender_email="alex@morgan.example")


def owing(locale: str, currency: str = "GBP") -> Client:
    return Client(
        "Kite & Co",
        locale=locale,
        currency=currency,
        invoices=[Invoice("K-7", Decimal("1950.50"), dt.date(2026, 11, 2), dt.date(2026, 11, 16))],
    )


@pytest.mark.parametrize(
    ("locale", "today", "money"),
    [
        ("en-GB", "2 December 2026", "£1,950.50"),
        ("en_GB", "2 December 2026", "£1,950.50"),
        ("en-US", "December 2, 2026", "£1,950.50"),
        ("en", "December 2, 2026", "£1,950.50"),
    ],
)
def test_an_english_letter_follows_the_clients_own_locale(
    shipped_library: Library, locale: str, today: str, money: str
) -> None:
    req = prepare(shipped_library, owing(locale), "payment-reminder", CONFIG, TODAY)
    assert req.locale == "en"  # the English templates...
    assert req.context["today"] == today  # ...with the client's dates
    assert req.context["invoices"]["outstanding"] == money
    body = compose(req.info, req.context, locale=req.locale).body
    assert f"Invoice K-7, issued {req.context['invoices']['open'][0]['issued']}" in body
    if locale.replace("_", "-") == "en-GB":
        assert "16 November 2026" in body and "November 16" not in body


def test_the_writing_locale_keeps_the_letters_language() -> None:
    assert writing_locale("en", "en-GB") == "en-GB"
    assert writing_locale("en", "fi") == "en"  # an English letter to a Finn: English dates
    assert writing_locale("fi", "en-GB") == "fi"
    assert writing_locale("en-US", "en-GB") == "en-US"  # asked for explicitly
    ctx = build_context(owing("en-GB"), CONFIG, TODAY, "en")
    assert ctx["client"]["locale"] == "en-GB"


def handover_client(*deliverables: Deliverable) -> Client:
    return Client("Saltmarsh", stage=Stage.HANDOVER, deliverables=list(deliverables))


def test_the_handover_letter_says_when_work_was_delivered(shipped_library: Library) -> None:
    delivered = Deliverable(
        "Homepage copy", dt.date(2026, 11, 30), done=True, done_on=dt.date(2026, 11, 12)
    )
    for locale, expected in [
        ("en", "- Homepage copy, delivered on November 12, 2026"),
        ("cs", "- Homepage copy (předáno 12. listopadu 2026)"),
        ("fi", "- Homepage copy, toimitettu 12. marraskuuta 2026"),
        ("tr", "- Homepage copy (12 Kasım 2026 tarihinde teslim edildi)"),
    ]:
        client = handover_client(delivered)
        req = prepare(shipped_library, client, "handover-confirmation", CONFIG, TODAY, locale)
        body = compose(req.info, req.context, locale=locale).body
        assert expected in body.splitlines(), (locale, body)


def test_work_done_before_the_date_was_kept_is_listed_without_one(
    shipped_library: Library,
) -> None:
    # A record written before offboard kept the day: it reads back with no date at all.
    stored = Client("Saltmarsh", stage=Stage.HANDOVER).to_dict()
    stored["deliverables"] = [
        {"id": "4f0c2a1e-7b7d-4a55-9c55-2d7b1f0b8e01", "title": "Logo", "due": "2026-11-30",
         "done": True},
    ]  # fmt: skip
    client = client_from_stored(stored)
    assert client.damage == () and client.deliverables[0].done_on is None
    req = prepare(shipped_library, client, "handover-confirmation", CONFIG, TODAY, "en")
    assert "- Logo\n" in compose(req.info, req.context, locale="en").body  # not its due date


def settled(locale: str) -> Client:
    """A non-payer whose every invoice is paid: a payment letter has no invoice to list."""
    paid = Invoice("F-1", Decimal("100"), dt.date(2026, 11, 1), dt.date(2026, 11, 15), final=True)
    paid.payments.append(Payment(Decimal("100"), dt.date(2026, 11, 10)))
    talk = Conversation(dt.date(2026, 11, 1), Channel.PHONE, "30 days", dt.date(2026, 12, 1))
    return Client(
        "Acme",
        locale=locale,
        stage=Stage.SETTLEMENT,
        archetype=Archetype.NON_PAYER,
        conversation=talk,
        invoices=[paid],
    )


@pytest.mark.parametrize("name", ["payment-reminder", "termination-payment", "confirmation"])
def test_a_payment_letter_without_open_invoices_has_no_empty_heading(
    shipped_library: Library, shipped_locale: str, name: str
) -> None:
    req = prepare(shipped_library, settled(shipped_locale), name, CONFIG, TODAY, shipped_locale)
    body = compose(req.info, req.context, locale=shipped_locale).body
    lines = [*body.splitlines(), ""]
    headings = [
        line for line, after in itertools.pairwise(lines)
        if line.rstrip().endswith(":") and not after.startswith("- ")
    ]  # fmt: skip
    assert not headings, body
    # The other way round: a heading over open invoices still comes with its list.
    open_one = settled(shipped_locale)
    open_one.invoices[0].payments.clear()
    req = prepare(shipped_library, open_one, name, CONFIG, TODAY, shipped_locale)
    assert "- " in compose(req.info, req.context, locale=shipped_locale).body
