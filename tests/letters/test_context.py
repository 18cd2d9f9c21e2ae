"""What a template can read: plain records of text for the client's language, never models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from offboard.config import Config
from offboard.domain.models import (
    Archetype,
    Category,
    Channel,
    Client,
    Contract,
    Conversation,
    Decision,
    DecisionRecord,
    Deliverable,
    HandoverItem,
    HandoverKind,
    HandoverStatus,
    Invoice,
    Payment,
    RedFlag,
    RepairAttempt,
    Stage,
)
from offboard.letters.context import (
    WHERE_CONVERSATION,
    WHERE_INVOICES,
    WHERE_SENDER,
    Missing,
    Record,
    build_context,
)
from offboard.letters.render import TemplateError, render_source

TODAY = dt.date(2026, 11, 22)
NB = "\u00a0"


def make_client(locale: str = "en", currency: str = "EUR") -> Client:
    return Client(
        name="Sam Client",
        email="sam@client.example",
        company="Client Ltd",
        locale=locale,
        currency=currency,
        archetype=Archetype.NON_PAYER,
        stage=Stage.NOTICE,
        contract=Contract(
            notice_period="30 days",
            termination_clause="§7",
            contract_end=dt.date(2027, 1, 31),
            payment_terms_days=10,
        ),
        decision=DecisionRecord(Decision.OFFBOARD, "Invoices are always late.", TODAY),
        conversation=Conversation(TODAY, Channel.PHONE, "30 days", dt.date(2026, 12, 4)),
        deliverables=[
            Deliverable("Logo files", dt.date(2026, 12, 1)),
            Deliverable("Style guide"),
            Deliverable("Site", dt.date(2026, 10, 1), done=True),
        ],
        handover=[
            HandoverItem(HandoverKind.FILE, "Source files", HandoverStatus.HANDED_OVER, TODAY),
            HandoverItem(
                HandoverKind.CREDENTIAL, "Hosting login", HandoverStatus.HANDED_OVER, TODAY
            ),
            HandoverItem(HandoverKind.CREDENTIAL, "DNS account"),
            HandoverItem(HandoverKind.CREDENTIAL, "Old FTP", HandoverStatus.REVOKED, TODAY),
            HandoverItem(HandoverKind.DOCUMENT, "Brand notes"),
        ],
        invoices=[
            Invoice(
                "A-1",
                Decimal("1950.50"),
                dt.date(2026, 9, 1),
                dt.date(2026, 10, 1),
                payments=[Payment(Decimal("950.50"), dt.date(2026, 10, 5))],
            ),
            Invoice("A-2", Decimal("500.00"), dt.date(2026, 11, 1), dt.date(2026, 12, 1)),
            Invoice(
                "A-3",
                Decimal("300.00"),
                dt.date(2026, 8, 1),
                dt.date(2026, 8, 15),
                payments=[Payment(Decimal("300.00"), dt.date(2026, 8, 10))],
            ),
            Invoice(
                "A-4", Decimal("99.00"), dt.date(2026, 7, 1), dt.date(2026, 7, 15), written_off=True
            ),
            Invoice(
                "A-9", Decimal("700.00"), dt.date(2026, 11, 20), dt.date(2026, 12, 4), final=True
            ),
        ],
        flags=[
            RedFlag(Category.PAYMENT, "Paid late again", dt.date(2026, 10, 20)),
            RedFlag(Category.PAYMENT, "Paid late", dt.date(2026, 9, 20)),
        ],
        repairs=[
            RepairAttempt("Reminders", dt.date(2026, 8, 1), dt.date(2026, 9, 1)),
            RepairAttempt("Deposit first", dt.date(2026, 10, 1), dt.date(2026, 11, 1), notes="n"),
        ],
    )


CONFIG = Config(
    sender_name="Alex",
    sender_email="alex@studio.example",
    signature="Studio\nLondon",
    referrals=("Pinewood Digital", "Birch Works"),
)


# --- Missing ------------------------------------------------------------------------------------


def test_missing_behaviour() -> None:
    m = Missing("last working day", WHERE_CONVERSATION)
    assert not m
    assert list(m) == [] and len(m) == 0
    assert m.anything.deeper is m and m["key"] is m
    assert str(m) == "[[last working day]]"
    assert m == Missing("last working day", "elsewhere") and m != Missing("other", "")
    with pytest.raises(AttributeError):
        _ = m._private


def test_missing_in_templates_and_records_itself() -> None:
    ctx = {
        "notice": Record("notice", last_day=Missing("last working day", WHERE_CONVERSATION)),
        "invoices": Record("invoices", final=Missing("final invoice", WHERE_INVOICES)),
    }
    source = (
        "{% if notice.last_day %}yes{% else %}no{% endif %}|"
        "{% for x in notice.last_day %}loop{% endfor %}|"
        "{{ invoices.final.number.deeper }}|{{ notice.last_day }}|{{ notice.last_day }}"
    )
    out = render_source(source, ctx)
    assert out.text == "no||[[final invoice]]|[[last working day]]|[[last working day]]"
    assert out.missing == {"final invoice": WHERE_INVOICES, "last working day": WHERE_CONVERSATION}
    # a guarded Missing is never printed, so it is not reported
    guarded = render_source("{% if notice.last_day %}{{ notice.last_day }}{% endif %}", ctx)
    assert guarded.text == "" and guarded.missing == {}
    # outside a render it prints without recording anywhere
    assert str(ctx["notice"]["last_day"]) == "[[last working day]]"


def test_record_names_itself_for_unknown_fields() -> None:
    with pytest.raises(TemplateError) as caught:
        render_source("{{ invoices.outstandig }}", build_context(make_client(), CONFIG, TODAY))
    text = caught.value.one_line()
    assert "invoices has no field 'outstandig'; did you mean invoices.outstanding?" in text


# --- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "outstanding", "last_day", "pay_by"),
    [
        ("en", "€2,200.00", "December 4, 2026", "December 2, 2026"),
        ("tr", "€2.200,00", "4 Aralık 2026", "2 Aralık 2026"),
        ("fi", f"2{NB}200,00{NB}€", "4. joulukuuta 2026", "2. joulukuuta 2026"),
        ("cs", f"2{NB}200,00{NB}€", "4. prosince 2026", "2. prosince 2026"),
    ],
)
def test_money_and_dates_per_locale(
    locale: str, outstanding: str, last_day: str, pay_by: str
) -> None:
    ctx = build_context(make_client(locale), CONFIG, TODAY)
    assert ctx["client"]["locale"] == locale
    assert ctx["invoices"]["outstanding"] == outstanding
    assert ctx["notice"]["last_day"] == last_day
    assert ctx["invoices"]["pay_by"] == pay_by  # today + the contract's 10 days
    assert render_source("{{ notice.last_day }}", ctx).text == last_day


def test_locale_argument_wins_and_czech_crowns() -> None:
    client = make_client("en", "CZK")
    ctx = build_context(client, CONFIG, TODAY, "cs")
    assert ctx["invoices"]["outstanding"] == f"2{NB}200,00{NB}Kč"
    assert ctx["today"] == "22. listopadu 2026"
    assert build_context(client, CONFIG, TODAY)["invoices"]["outstanding"] == "CZK2,200.00"


def test_open_invoices_outstanding_and_dates() -> None:
    ctx = build_context(make_client(), CONFIG, TODAY)
    inv = ctx["invoices"]
    assert [i["number"] for i in inv["open"]] == ["A-1", "A-2", "A-9"]  # paid, written off: no
    first = inv["open"][0]
    assert first == {
        "number": "A-1",
        "issued": "September 1, 2026",
        "due": "October 1, 2026",
        "amount": "€1,950.50",
        "outstanding": "€1,000.00",
        "overdue_days": 52,
    }
    assert inv["open"][1]["overdue_days"] == 0  # not due yet
    assert inv["outstanding"] == "€2,200.00"
    assert inv["due"] == "December 4, 2026"  # the latest due date among the open ones
    assert inv["final"]["number"] == "A-9" and inv["final"]["amount"] == "€700.00"


def test_no_invoices_are_missing_values_and_terms_from_config() -> None:
    client = make_client()
    client.invoices = []
    client.contract.payment_terms_days = None
    ctx = build_context(client, Config(payment_terms_days=30), TODAY)
    inv = ctx["invoices"]
    assert inv["open"] == []
    assert isinstance(inv["outstanding"], Missing) and inv["outstanding"].where == WHERE_INVOICES
    assert isinstance(inv["due"], Missing) and isinstance(inv["final"], Missing)
    assert inv["pay_by"] == "December 22, 2026"


def test_credentials_expose_only_label_status_and_day() -> None:
    ctx = build_context(make_client(), CONFIG, TODAY)
    creds = ctx["handover"]["credentials"]
    assert creds == [
        {"label": "Hosting login", "status": "handed-over", "on": "November 22, 2026"},
        {"label": "DNS account", "status": "pending", "on": ""},
        {"label": "Old FTP", "status": "revoked", "on": "November 22, 2026"},
    ]
    assert all(set(c) == {"label", "status", "on"} for c in creds)
    assert all(type(c) is Record for c in creds)
    with pytest.raises(TemplateError, match="credential has no field 'id'"):
        render_source("{{ handover.credentials[0].id }}", ctx)
    delivered = ctx["handover"]["delivered"]
    assert [d["label"] for d in delivered] == ["Source files", "Hosting login"]
    assert [p["label"] for p in ctx["handover"]["pending"]] == ["DNS account", "Brand notes"]


def test_plain_fields_and_no_model_objects() -> None:
    client = make_client()
    ctx = build_context(client, CONFIG, TODAY)
    assert ctx["client"] == {
        "name": "Sam Client",
        "company": "Client Ltd",
        "email": "sam@client.example",
        "archetype": "non-payer",
        "stage": "notice",
        "locale": "en",
        "currency": "EUR",
    }
    assert ctx["reason"] == "Invoices are always late."
    assert ctx["notice"]["period"] == "30 days" and ctx["notice"]["channel"] == "phone"
    assert ctx["contract"] == {"end": "January 31, 2027", "clause": "§7"}
    assert ctx["deliverables"]["remaining"] == [
        {"title": "Logo files", "due": "December 1, 2026", "done_on": ""},
        {"title": "Style guide", "due": "", "done_on": ""},
    ]
    assert ctx["repair"]["strategy"] == "Deposit first" and ctx["repair"]["notes"] == "n"
    assert [f["description"] for f in ctx["flags"]["payment"]] == ["Paid late", "Paid late again"]
    assert ctx["flags"]["abuse"] == []
    assert ctx["sender"]["signature"] == "Studio\nLondon"

    def walk(value: object) -> None:
        assert isinstance(value, str | int | list | dict | Missing), type(value)
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(ctx)


def test_bare_client_has_missing_values_with_where() -> None:
    ctx = build_context(Client(name="Bare"), Config(), TODAY)
    assert ctx["client"]["company"] == "Bare"
    assert isinstance(ctx["client"]["email"], Missing)
    assert isinstance(ctx["reason"], Missing)
    assert ctx["sender"]["name"].where == WHERE_SENDER
    assert ctx["notice"]["period"] == Missing("notice period", "")
    out = render_source("{{ sender.name }} {{ sender.email }} {{ reason }}", ctx)
    assert out.text == "[[your name]] [[your email]] [[the reason]]"
    assert list(out.missing) == ["your name", "your email", "the reason"]


def test_decision_to_keep_gives_no_reason() -> None:
    client = make_client()
    client.decision = DecisionRecord(Decision.KEEP, "It works now.", TODAY)
    assert isinstance(build_context(client, CONFIG, TODAY)["reason"], Missing)


def test_referrals_come_from_config() -> None:
    ctx = build_context(make_client(), CONFIG, TODAY)
    assert ctx["referrals"] == ["Pinewood Digital", "Birch Works"]
    out = render_source("{% for r in referrals %}- {{ r }}\n{% endfor %}", ctx)
    assert out.text == "- Pinewood Digital\n- Birch Works\n"
    assert build_context(make_client(), Config(), TODAY)["referrals"] == []
