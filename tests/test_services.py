"""Use cases on the real TinyDB file with a fixed clock.

Every change is checked on disk by reading the file through a NEW repository, so a change that
only lived in memory would fail. Refused changes must leave the file byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from offboard.checklists import load_checklists
from offboard.config import Config
from offboard.domain.clock import FixedClock
from offboard.domain.errors import (
    Ambiguous,
    GateBlocked,
    InvalidInput,
    NeedsConfirmation,
    NotFound,
    NothingToUndo,
    StaleEdit,
)
from offboard.domain.models import (
    Archetype,
    Category,
    Channel,
    Client,
    Decision,
    HandoverStatus,
    Outcome,
    RepairOutcome,
    Stage,
)
from offboard.domain.notice import ACCEPTED_FORMS
from offboard.services import EXPORT_FORMAT, Services
from offboard.storage.tinyfile import TinyRepository

D = dt.date.fromisoformat
ID_A = "aaaa1111-0000-4000-8000-000000000001"
ID_B = "aaaa2222-0000-4000-8000-000000000002"
ID_C = "c0ffee00-0000-4000-8000-000000000003"


# --- helpers -------------------------------------------------------------------------------------


def on_disk(db_path: Path, ref: str | None = None) -> Client | list[Client]:
    """Read through a brand-new repository: only what reached the file is seen."""
    fresh = TinyRepository(db_path)
    try:
        if ref is None:
            return sorted(fresh.clients(), key=lambda c: c.name)
        return fresh.get(ref)
    finally:
        fresh.close()


def snapshot(db_path: Path) -> tuple[bytes, int, int]:
    st = os.stat(db_path)
    return db_path.read_bytes(), st.st_ino, st.st_mtime_ns


@pytest.fixture
def unchanged(db_path: Path) -> Iterator[Callable[[], None]]:
    """Call the returned function to assert the file is exactly as when it was first called."""
    state: dict[str, Any] = {}

    def check() -> None:
        if "before" not in state:
            state["before"] = snapshot(db_path)
        else:
            assert snapshot(db_path) == state["before"], "a refused change touched the file"

    yield check


@pytest.fixture
def ana(services: Services) -> Client:
    return services.add_client("Ana Lima", email="ana@example.com", notice_period="2 weeks")


def changed(
    services: Services, db_path: Path, client_id: str, call: Callable[[], Any], action: str
) -> tuple[Client, Client, Any]:
    """Run one use case; check it reached the disk with exactly one new history event."""
    before = on_disk(db_path, client_id)
    result = call()
    after = on_disk(db_path, client_id)
    assert after.rev == before.rev + 1
    assert len(after.history) == len(before.history) + 1
    assert after.history[:-1] == before.history
    event = after.history[-1]
    assert event.action == action
    assert event.actor == services.actor
    assert event.summary.strip()
    assert event.at.tzinfo is not None
    assert event.at > before.history[-1].at
    returned = result.client if hasattr(result, "overridden") else result
    if isinstance(returned, Client):
        assert returned.to_dict() == after.to_dict(), "what the caller got is not what was saved"
    return before, after, event


def seed(repo: TinyRepository, *clients: Client) -> None:
    with repo.transaction() as tx:
        for client in clients:
            tx.put(client, None)


def to_notice(services: Services, ref: str) -> None:
    services.decide(ref, "offboard", "the account loses money")
    services.assess(ref, revenue="4000", hours="160", financial="below the target rate")
    services.move(ref, "preparation")
    services.record_conversation(ref, D("2026-11-02"), "phone")
    services.record_letter(ref, "notice", "Notice", "Dear Ana", "email", sent_on=D("2026-11-02"))
    services.move(ref, "notice")


def to_settlement(services: Services, ref: str) -> None:
    to_notice(services, ref)
    services.move(ref, "handover", force=True)
    services.move(ref, "settlement", force=True)


# --- adding clients ------------------------------------------------------------------------------


def test_add_client_is_stored_with_one_create_event(services, db_path, today):
    added = services.add_client(
        "  Ana Lima ",
        email="ana@example.com",
        company="Lima Design",
        notice_period="2  WEEKS",
        archetype="Non Payer",
        currency="usd",
        locale="de",
    )
    stored = on_disk(db_path, added.id)
    assert stored.to_dict() == added.to_dict()
    assert stored.name == "Ana Lima"
    assert stored.email == "ana@example.com"
    assert stored.company == "Lima Design"
    assert stored.contract.notice_period == "2 weeks"
    assert stored.archetype is Archetype.NON_PAYER
    assert stored.currency == "USD"
    assert stored.locale == "de"
    assert stored.created == today
    assert stored.stage is Stage.ASSESSMENT and stored.outcome is None
    assert stored.rev == 1
    (event,) = stored.history
    assert (event.action, event.old, event.new) == ("create", None, "assessment")
    assert event.summary == "added Ana Lima"
    assert event.actor == services.actor
    assert event.at == dt.datetime(2026, 11, 22, 9, tzinfo=dt.UTC)


def test_add_client_takes_defaults_from_config(repo, clock, db_path):
    config = Config(default_notice="1 month", currency="GBP", locale="fr")
    added = Services(repo, clock, config).add_client("Bo")
    stored = on_disk(db_path, added.id)
    assert (stored.contract.notice_period, stored.currency, stored.locale) == (
        "1 month",
        "GBP",
        "fr",
    )


@pytest.mark.parametrize(
    ("kwargs", "message", "hint"),
    [
        ({"name": ""}, "a client needs a name", None),
        ({"name": "   "}, "a client needs a name", None),
        ({"email": "ana"}, "'ana' is not an email address", "ana@example.com"),
        ({"email": "ana @example.com"}, "is not an email address", "ana@example.com"),
        ({"email": "a@b.com, c@d.com"}, "is not an email address", "ana@example.com"),
        ({"email": "a@b.com\r\nBcc: x@y.z"}, "is not an email address", "ana@example.com"),
        ({"currency": "euro"}, "currency 'euro' is not a three-letter code", "EUR, USD, GBP"),
        ({"currency": "E1R"}, "is not a three-letter code", "EUR"),
        (
            {"notice_period": "a fortnight"},
            "notice period 'a fortnight' is not understood",
            ACCEPTED_FORMS,
        ),
        ({"notice_period": "9999 months"}, "longer than this app allows", "120 months"),
        (
            {"archetype": "vampire"},
            "unknown archetype 'vampire'",
            "choose one of: " + ", ".join(a.value for a in Archetype),
        ),
        ({"stage": "limbo"}, "unknown stage 'limbo'", "choose one of: assessment"),
    ],
)
def test_add_client_refuses_bad_input_and_writes_nothing(services, db_path, kwargs, message, hint):
    args = {"name": "Ana", **kwargs}
    with pytest.raises(InvalidInput) as err:
        services.add_client(args.pop("name"), **args)
    assert message in err.value.message
    if hint is not None:
        assert hint in (err.value.hint or "")
    assert not db_path.exists()


@pytest.mark.parametrize("stage", ["repair", "preparation", "notice", "handover", "closed"])
def test_add_client_in_a_later_stage_respects_hard_gates(services, db_path, stage):
    with pytest.raises(GateBlocked) as err:
        services.add_client("Ana", stage=stage, force=True)
    assert err.value.missing
    assert f"cannot enter {stage}" in err.value.message
    assert not db_path.exists()


def test_add_client_in_preparation_says_what_is_missing(services):
    with pytest.raises(GateBlocked) as err:
        services.add_client("Ana", stage="preparation")
    assert err.value.missing == ["a recorded decision to offboard, with one reason"]


def test_add_client_explicitly_in_assessment(services, db_path):
    added = services.add_client("Ana", stage="assessment")
    assert on_disk(db_path, added.id).stage is Stage.ASSESSMENT


# --- finding clients -----------------------------------------------------------------------------


@pytest.fixture
def crowd(repo):
    seed(
        repo,
        Client("Acme Corp", id=ID_A),
        Client("Acme Labs", id=ID_B),
        Client("Bolt", id=ID_C),
        Client("Bolt Industries", id="0d0d0d0d-0000-4000-8000-000000000004"),
    )


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (ID_C, ID_C),
        (ID_C.upper(), ID_C),
        ("c0ff", ID_C),
        ("c0ffee00-00", ID_C),
        ("aaaa1", ID_A),
        ("BOLT", ID_C),  # exact name beats the longer name that contains it
        ("acme labs", ID_B),
        ("labs", ID_B),
        ("  industries ", "0d0d0d0d-0000-4000-8000-000000000004"),
    ],
)
def test_resolve(services, crowd, ref, expected):
    assert services.resolve(ref).id == expected


def test_resolve_ambiguous_name_lists_candidates(services, crowd):
    with pytest.raises(Ambiguous) as err:
        services.resolve("acme")
    assert err.value.candidates == ["Acme Corp (aaaa1111)", "Acme Labs (aaaa2222)"]
    assert "Acme Corp (aaaa1111), Acme Labs (aaaa2222)" in err.value.message


def test_resolve_ambiguous_id_prefix(services, crowd):
    with pytest.raises(Ambiguous) as err:
        services.resolve("aaaa")
    assert len(err.value.candidates) == 2


def test_resolve_short_prefix_is_not_an_id(services, crowd):
    with pytest.raises(NotFound):
        services.resolve("c0f")


@pytest.mark.parametrize("ref", ["zebra", "acme corp ltd"])
def test_resolve_not_found(services, crowd, ref):
    with pytest.raises(NotFound) as err:
        services.resolve(ref)
    assert repr(ref) in err.value.message


def test_resolve_empty(services, crowd):
    with pytest.raises(InvalidInput):
        services.resolve("  ")


def test_use_cases_accept_any_reference(services, db_path, crowd):
    services.log_flag("bolt", "time", "late to every meeting")
    services.log_flag("c0ff", "time", "late again")
    assert len(on_disk(db_path, ID_C).flags) == 2
    with pytest.raises(Ambiguous):
        services.log_flag("acme", "time", "x")


# --- each use case: stored, one event ------------------------------------------------------------


def test_edit_client(services, db_path, ana):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.edit_client(
            "ana",
            name="Ana L. Lima",
            currency="chf",
            archetype="micromanager",
            notice_period="1 month",
            payment_terms_days="30",
            hourly_rate="95.5",
        ),
        "edit",
    )
    assert after.name == "Ana L. Lima"
    assert after.currency == "CHF"
    assert after.archetype is Archetype.MICROMANAGER
    assert after.contract.notice_period == "1 month"
    assert after.contract.payment_terms_days == 30
    assert after.contract.hourly_rate == Decimal("95.50")
    assert event.old == {
        "name": "Ana Lima",
        "currency": "EUR",
        "archetype": None,
        "notice_period": "2 weeks",
        "payment_terms_days": None,
        "hourly_rate": None,
    }
    assert event.new["name"] == "Ana L. Lima" and event.new["hourly_rate"] == "95.50"


@pytest.mark.parametrize("value", ["2027-01-31", D("2027-01-31")])
def test_edit_contract_end(services, db_path, ana, value):
    _, after, event = changed(
        services, db_path, ana.id, lambda: services.edit_client("ana", contract_end=value), "edit"
    )
    assert after.contract.contract_end == D("2027-01-31")
    assert event.new == {"contract_end": "2027-01-31"}


@pytest.mark.parametrize(
    "fields",
    [
        {"name": " "},
        {"email": "nope"},
        {"contract_end": "31/01/2027"},
        {"payment_terms_days": "a week"},
        {"payment_terms_days": 400},
        {"hourly_rate": "-5"},
        {"favourite_colour": "blue"},
    ],
)
def test_edit_client_refuses_bad_values(services, db_path, ana, unchanged, fields):
    unchanged()
    with pytest.raises(InvalidInput):
        services.edit_client("ana", **fields)
    unchanged()


def test_delete_client(services, db_path, ana):
    services.add_client("Bo")
    services.delete_client("ana")
    assert [c.name for c in on_disk(db_path)] == ["Bo"]
    with pytest.raises(NotFound):
        services.resolve("ana")


def test_log_flag(services, db_path, ana, today):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.log_flag(
            "ana", "Payment", "  paid 40 days late  ", severity=3, evidence="INV-7"
        ),
        "flag",
    )
    (flag,) = after.flags
    assert (flag.category, flag.severity, flag.on) == (Category.PAYMENT, 3, today)
    assert (flag.description, flag.evidence) == ("paid 40 days late", "INV-7")
    assert event.old is None and event.new == flag.to_dict()
    assert event.summary == "red flag (payment): paid 40 days late"


def test_log_flag_on_a_past_date(services, db_path, ana):
    services.log_flag("ana", "scope", "asked for extra pages", on=D("2026-10-01"))
    assert on_disk(db_path, ana.id).flags[0].on == D("2026-10-01")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"on": D("2026-11-23")}, "flag date 2026-11-23 is in the future"),
        ({"severity": 0}, "severity 0 is outside 1-3"),
        ({"severity": 4}, "severity 4 is outside 1-3"),
        ({"category": "rudeness"}, "unknown flag category 'rudeness'"),
        ({"description": "  "}, "needs a short description"),
    ],
)
def test_log_flag_refusals(services, ana, unchanged, kwargs, message):
    unchanged()
    args = {"category": "payment", "description": "late", **kwargs}
    with pytest.raises(InvalidInput) as err:
        services.log_flag("ana", args.pop("category"), args.pop("description"), **args)
    assert message in err.value.message
    unchanged()


def test_bad_category_lists_categories(services, ana):
    with pytest.raises(InvalidInput) as err:
        services.log_flag("ana", "rude", "x")
    assert err.value.hint == "choose one of: " + ", ".join(c.value for c in Category)


def test_assess(services, db_path, ana, today):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.assess(
            "ana",
            revenue="4,000.00",
            hours="160",
            operational="calls at night",
            recommendation="offboard",
        ),
        "assess",
    )
    a = after.assessment
    assert (a.revenue, a.hours, a.effective_rate()) == (
        Decimal("4000.00"),
        Decimal("160.00"),
        Decimal("25.00"),
    )
    assert a.operational == "calls at night" and a.recommendation is Decision.OFFBOARD
    assert a.on == today
    assert event.old["revenue"] is None and event.new["revenue"] == "4000.00"


def test_assess_refuses_unknown_fields_and_bad_numbers(services, ana, unchanged):
    unchanged()
    with pytest.raises(InvalidInput):
        services.assess("ana", mood="bad")
    with pytest.raises(InvalidInput):
        services.assess("ana", revenue="lots")
    unchanged()


def test_add_repair(services, db_path, ana, today):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.add_repair("ana", "weekly check-in call", D("2026-12-06")),
        "repair",
    )
    (attempt,) = after.repairs
    assert (attempt.started, attempt.review, attempt.outcome) == (today, D("2026-12-06"), None)
    assert event.new == attempt.to_dict()


def test_add_repair_review_on_the_start_day_is_refused(services, ana, today, unchanged):
    # The CLI used to take it and the form refused it; the stricter rule now holds for both.
    unchanged()
    with pytest.raises(InvalidInput, match="is not after the start"):
        services.add_repair("ana", "call", today)
    unchanged()


def test_add_repair_refuses_review_before_start(services, ana, unchanged):
    unchanged()
    with pytest.raises(InvalidInput, match="review date 2026-11-01 is not after the start"):
        services.add_repair("ana", "call", D("2026-11-01"), started=D("2026-11-10"))
    with pytest.raises(InvalidInput, match="needs a strategy"):
        services.add_repair("ana", " ", D("2026-12-01"))
    unchanged()


def test_record_repair_outcome(services, db_path, ana):
    services.add_repair("ana", "weekly check-in call", D("2026-12-06"))
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.record_repair_outcome("ana", "weekly", "no change", notes="same"),
        "repair-outcome",
    )
    assert after.repairs[0].outcome is RepairOutcome.NO_CHANGE
    assert after.repairs[0].notes == "same"
    assert (event.old, event.new) == (None, "no-change")


def test_decide_offboard(services, db_path, ana, today):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.decide("ana", "offboard", "  scope keeps   growing "),
        "decide",
    )
    assert after.decision.decision is Decision.OFFBOARD
    assert after.decision.reason == "scope keeps growing"
    assert after.decision.on == today
    assert after.stage is Stage.ASSESSMENT
    assert event.old is None and event.new == after.decision.to_dict()


def test_decide_needs_a_reason(services, ana, unchanged):
    unchanged()
    with pytest.raises(InvalidInput, match="one clear reason"):
        services.decide("ana", "offboard", "   ")
    unchanged()


def test_decide_keep_retains_the_client_in_closed(services, db_path, ana):
    services.add_repair("ana", "call", D("2026-12-01"))
    services.move("ana", "repair")
    _, after, event = changed(
        services, db_path, ana.id, lambda: services.decide("ana", "keep", "it worked"), "decide"
    )
    assert after.stage is Stage.CLOSED
    assert after.outcome is Outcome.RETAINED
    assert "retained, was in repair" in event.summary


def test_record_conversation(services, db_path, ana):
    # 2 weeks from Friday 6 November end on Friday 20 November
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.record_conversation("ana", D("2026-11-06"), "Phone"),
        "conversation",
    )
    conv = after.conversation
    assert (conv.on, conv.channel, conv.period, conv.last_day) == (
        D("2026-11-06"),
        Channel.PHONE,
        "2 weeks",
        D("2026-11-20"),
    )
    assert event.old is None and event.new == conv.to_dict()
    assert "last working day 2026-11-20" in event.summary


def test_record_conversation_falls_back_to_config_notice(repo, clock, db_path):
    services = Services(repo, clock, Config(default_notice="end of month"))
    client = services.add_client("Bo", notice_period="")
    services.record_conversation("bo", D("2026-11-10"), "video")
    # the month ends on Monday 30 November
    assert on_disk(db_path, client.id).conversation.last_day == D("2026-11-30")


def test_record_conversation_period_given_wins_and_steps_back_over_a_weekend(
    services, db_path, ana
):
    services.record_conversation("ana", D("2026-11-02"), "email", period="26 days")
    # 2 + 26 days = Saturday 28 November -> Friday 27 November
    conv = on_disk(db_path, ana.id).conversation
    assert (conv.period, conv.last_day) == ("26 days", D("2026-11-27"))


def test_record_conversation_honours_holidays_from_config(repo, clock, db_path):
    plain = Services(repo, clock)
    client = plain.add_client("Bo", notice_period="10 business days")
    plain.record_conversation("bo", D("2026-11-02"), "phone")
    assert on_disk(db_path, client.id).conversation.last_day == D("2026-11-16")
    with_holiday = Services(repo, clock, Config(holidays=frozenset({D("2026-11-11")})))
    with_holiday.record_conversation("bo", D("2026-11-02"), "phone")
    assert on_disk(db_path, client.id).conversation.last_day == D("2026-11-17")


@pytest.mark.parametrize("channel", ["text-message", "text message", "social_media"])
def test_record_conversation_refuses_forbidden_channels(services, ana, unchanged, channel):
    unchanged()
    with pytest.raises(InvalidInput) as err:
        services.record_conversation("ana", D("2026-11-02"), channel)
    assert "notice must not be given by" in err.value.message
    assert "phone" in err.value.hint
    unchanged()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((D("2026-11-23"), "phone"), "conversation date 2026-11-23 is in the future"),
        ((D("2026-11-02"), "carrier pigeon"), "unknown channel"),
        ((D("2026-11-02"), "phone", "soonish"), "is not understood"),
        ((D("2026-11-02"), "phone", "until 2026-10-01"), "is before the conversation date"),
    ],
)
def test_record_conversation_refusals(services, ana, unchanged, args, message):
    unchanged()
    with pytest.raises(InvalidInput) as err:
        services.record_conversation("ana", *args)
    assert message in err.value.message
    unchanged()


# --- moving --------------------------------------------------------------------------------------


def test_move_forward(services, db_path, ana):
    services.decide("ana", "offboard", "money")
    services.assess("ana", financial="below rate")
    _, after, event = changed(
        services, db_path, ana.id, lambda: services.move("ana", "preparation"), "move"
    )
    assert after.stage is Stage.PREPARATION
    assert (event.old, event.new) == ("assessment", "preparation")
    assert event.summary == "moved from assessment to preparation"


def test_move_blocked_lists_missing_and_leaves_the_file_alone(services, ana, unchanged):
    services.log_flag("ana", "abuse", "shouted at the team")
    unchanged()
    with pytest.raises(GateBlocked) as err:
        services.move("ana", "notice")
    assert err.value.missing == [
        "a recorded decision to offboard, with one reason",
        "the conversation: its date, channel and notice period",
    ]
    assert "Ana Lima cannot enter notice yet" in err.value.one_line()
    unchanged()


def test_move_with_soft_gate_needs_confirmation(services, db_path, ana, unchanged):
    services.decide("ana", "offboard", "money")
    unchanged()
    with pytest.raises(NeedsConfirmation) as err:
        services.move("ana", "preparation")
    assert err.value.warnings == ["the cost-benefit assessment is not filled in"]
    assert not err.value.needs_reason
    unchanged()
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.move("ana", "preparation", force=True),
        "move",
    )
    assert after.stage is Stage.PREPARATION
    assert "overriding: the cost-benefit assessment is not filled in" in event.summary


def test_forced_move_reports_what_was_overridden(services, ana):
    services.decide("ana", "offboard", "money")
    result = services.move("ana", "preparation", force=True)
    assert result.overridden == ["the cost-benefit assessment is not filled in"]
    assert result.client.stage is Stage.PREPARATION


def test_move_handover_soft_gate_uses_the_shipped_checklist(services, db_path, ana):
    to_notice(services, "ana")
    with pytest.raises(NeedsConfirmation) as err:
        services.move("ana", "handover")
    total = len(services.checklists[Stage.PREPARATION].items)
    assert err.value.warnings == [f"{total} preparation checklist items still open"]
    for item in services.checklists[Stage.PREPARATION].items:
        services.set_checklist_item("ana", "preparation", item.id, "done")
    assert services.move("ana", "handover").overridden == []


def test_move_to_the_same_stage_is_refused(services, ana, unchanged):
    unchanged()
    with pytest.raises(InvalidInput, match="already in assessment"):
        services.move("ana", "assessment")
    unchanged()


def test_move_back_from_notice_needs_a_reason(services, db_path, ana, unchanged):
    to_notice(services, "ana")
    unchanged()
    for reason in (None, "   "):
        with pytest.raises(NeedsConfirmation) as err:
            services.move("ana", "preparation", reason=reason, force=True)
        assert err.value.needs_reason
    unchanged()
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.move("ana", "preparation", reason="client  accepted new terms"),
        "move",
    )
    assert after.stage is Stage.PREPARATION
    assert (event.old, event.new) == ("notice", "preparation")
    assert "because: client accepted new terms" in event.summary


def test_move_back_before_notice_needs_no_reason(services, db_path, ana):
    services.decide("ana", "offboard", "money")
    services.move("ana", "preparation", force=True)
    services.move("ana", "assessment")
    assert on_disk(db_path, ana.id).stage is Stage.ASSESSMENT


def test_closing_sets_offboarded_and_reopening_clears_it(services, db_path, ana):
    to_settlement(services, "ana")
    services.add_invoice("ana", "F-9", "500")
    with pytest.raises(GateBlocked) as err:
        services.move("ana", "closed", force=True)
    assert err.value.missing == ["the final balance paid or written off (500.00 EUR open)"]
    services.record_payment("ana", "F-9")
    services.add_lesson("ana", "payment-terms", "ask for a deposit")
    services.move("ana", "closed")
    closed = on_disk(db_path, ana.id)
    assert (closed.stage, closed.outcome) == (Stage.CLOSED, Outcome.OFFBOARDED)
    services.move("ana", "settlement", reason="a last invoice was disputed")
    reopened = on_disk(db_path, ana.id)
    assert (reopened.stage, reopened.outcome) == (Stage.SETTLEMENT, None)


def test_written_off_balance_allows_closing(services, db_path, ana):
    to_settlement(services, "ana")
    services.add_invoice("ana", "F-9", "500")
    services.write_off("ana", "F-9")
    services.move("ana", "closed", force=True)
    assert on_disk(db_path, ana.id).outcome is Outcome.OFFBOARDED


def test_move_to_unknown_stage(services, ana):
    with pytest.raises(InvalidInput, match="unknown stage 'limbo'"):
        services.move("ana", "limbo")


# --- checklists ----------------------------------------------------------------------------------


def test_checklist_set_and_clear(services, db_path, ana):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.set_checklist_item("ana", "preparation", "timing", "done"),
        "checklist",
    )
    assert after.checklist["preparation"]["timing"] == "done"
    assert (event.old, event.new) == (None, "done")
    services.set_checklist_item("ana", "preparation", "referrals", "waived")
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.set_checklist_item("ana", "preparation", "timing", None),
        "checklist",
    )
    assert after.checklist["preparation"] == {"referrals": "waived"}
    assert (event.old, event.new) == ("done", None)


def test_checklist_unknown_item_names_the_known_ones(services, ana, unchanged):
    unchanged()
    with pytest.raises(InvalidInput) as err:
        services.set_checklist_item("ana", "preparation", "nope", "done")
    assert err.value.message == "the preparation checklist has no item 'nope'"
    ids = [i.id for i in services.checklists[Stage.PREPARATION].items]
    assert err.value.hint == "items are: " + ", ".join(ids)
    with pytest.raises(InvalidInput, match="unknown"):
        services.set_checklist_item("ana", "preparation", "timing", "half")
    with pytest.raises(InvalidInput, match="unknown stage"):
        services.set_checklist_item("ana", "later", "timing", "done")
    unchanged()


# --- deliverables and handover -------------------------------------------------------------------


def test_deliverables(services, db_path, ana):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.add_deliverable("ana", "Style guide", D("2026-12-01")),
        "deliverable",
    )
    (item,) = after.deliverables
    assert (item.title, item.due, item.done) == ("Style guide", D("2026-12-01"), False)
    assert event.summary == "deliverable: Style guide, due 2026-12-01"
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.set_deliverable_done("ana", "style"),
        "deliverable-done",
    )
    assert after.deliverables[0].done
    assert (event.old, event.new) == (False, True)
    with pytest.raises(NotFound):
        services.set_deliverable_done("ana", "brochure")
    with pytest.raises(InvalidInput):
        services.add_deliverable("ana", "  ")


def test_handover_items_record_only_a_label(services, db_path, ana, today):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.add_handover_item("ana", "credential", "CMS admin login"),
        "handover",
    )
    (item,) = after.handover
    assert item.to_dict() == {
        "id": item.id,
        "kind": "credential",
        "label": "CMS admin login",
        "status": "pending",
        "on": None,
    }
    with pytest.raises(TypeError):
        services.add_handover_item("ana", "credential", "FTP", password="hunter2")  # type: ignore[call-arg]
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.set_handover_status("ana", "cms", "handed over"),
        "handover-status",
    )
    assert after.handover[0].status is HandoverStatus.HANDED_OVER
    assert after.handover[0].on == today
    assert (event.old, event.new) == ("pending", "handed-over")


def test_handover_item_added_as_done_is_dated(services, db_path, ana, today):
    services.add_handover_item("ana", "file", "source files", status="waived")
    assert on_disk(db_path, ana.id).handover[0].on == today


def test_handover_item_refusals(services, ana, unchanged):
    unchanged()
    with pytest.raises(InvalidInput, match="needs a label"):
        services.add_handover_item("ana", "credential", " ")
    with pytest.raises(InvalidInput, match="unknown handover kind"):
        services.add_handover_item("ana", "password", "root")
    unchanged()


# --- invoices and payments -----------------------------------------------------------------------


def test_invoice_due_from_config_payment_terms(services, db_path, ana, today):
    _, after, event = changed(
        services, db_path, ana.id, lambda: services.add_invoice("ana", "F-1", "1,250.5"), "invoice"
    )
    (inv,) = after.invoices
    assert (inv.number, inv.amount, inv.issued, inv.due) == (
        "F-1",
        Decimal("1250.50"),
        today,
        today + dt.timedelta(days=14),
    )
    assert event.new == inv.to_dict()


def test_invoice_due_from_contract_payment_terms(services, db_path, ana):
    services.edit_client("ana", payment_terms_days=30)
    services.add_invoice("ana", "F-1", "100", issued=D("2026-11-01"))
    assert on_disk(db_path, ana.id).invoices[0].due == D("2026-12-01")


def test_invoice_explicit_due_and_final_flag(services, db_path, ana):
    services.add_invoice("ana", "F-1", "100", due=D("2026-12-24"), final=True)
    inv = on_disk(db_path, ana.id).invoices[0]
    assert inv.due == D("2026-12-24") and inv.final


@pytest.mark.parametrize(
    ("number", "amount", "kwargs", "message"),
    [
        ("F-1", "200", {}, "already has an invoice F-1"),
        (" ", "200", {}, "needs a number"),
        ("F-2", "0", {}, "more than zero"),
        ("F-2", "-10", {}, "negative"),
        ("F-2", "12,5", {}, "not a number"),
        ("F-2", "10.001", {}, "more than two decimals"),
        ("F-2", "10", {"due": D("2026-11-01")}, "is before the invoice date"),
    ],
)
def test_invoice_refusals(services, ana, unchanged, number, amount, kwargs, message):
    services.add_invoice("ana", "F-1", "100")
    unchanged()
    with pytest.raises(InvalidInput) as err:
        services.add_invoice("ana", number, amount, **kwargs)
    assert message in err.value.message
    unchanged()


def test_partial_then_full_payment(services, db_path, ana, today):
    services.add_invoice("ana", "F-1", "1000")
    _, after, event = changed(
        services, db_path, ana.id, lambda: services.record_payment("ana", "F-1", "400"), "payment"
    )
    inv = after.invoices[0]
    assert inv.outstanding == Decimal("600.00") and not inv.settled
    assert inv.payments[0].on == today
    assert (event.old, event.new) == ("1000.00", "600.00")
    _, after, event = changed(
        services, db_path, ana.id, lambda: services.record_payment("ana", "F-1"), "payment"
    )
    assert after.invoices[0].settled
    assert [p.amount for p in after.invoices[0].payments] == [Decimal("400.00"), Decimal("600.00")]
    assert (event.old, event.new) == ("600.00", "0.00")


def test_payment_refusals(services, ana, unchanged):
    services.add_invoice("ana", "F-1", "1000")
    services.record_payment("ana", "F-1", "400")
    unchanged()
    with pytest.raises(InvalidInput) as err:
        services.record_payment("ana", "F-1", "600.01")
    assert err.value.hint == "600.00 is open"
    with pytest.raises(InvalidInput):
        services.record_payment("ana", "F-1", "0")
    with pytest.raises(InvalidInput):
        services.record_payment("ana", "F-1", "lots")
    with pytest.raises(NotFound):
        services.record_payment("ana", "F-404", "10")
    unchanged()
    services.record_payment("ana", "F-1")
    with pytest.raises(InvalidInput, match="already settled"):
        services.record_payment("ana", "F-1", "1")


def test_write_off(services, db_path, ana):
    services.add_invoice("ana", "F-1", "1000")
    services.record_payment("ana", "F-1", "250")
    _, after, event = changed(
        services, db_path, ana.id, lambda: services.write_off("ana", "F-1"), "write-off"
    )
    inv = after.invoices[0]
    assert inv.written_off and inv.outstanding == 0 and inv.paid == Decimal("250.00")
    assert after.outstanding() == 0
    assert (event.old, event.new) == ("750.00", "0.00")
    with pytest.raises(InvalidInput, match="nothing open"):
        services.write_off("ana", "F-1")


# --- letters and lessons -------------------------------------------------------------------------


def test_record_letter(services, db_path, ana, today):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.record_letter("ana", "notice", "Our agreement", "Dear Ana", "email"),
        "letter",
    )
    (letter,) = after.letters
    assert (letter.template, letter.subject, letter.body, letter.channel, letter.sent_on) == (
        "notice",
        "Our agreement",
        "Dear Ana",
        Channel.EMAIL,
        today,
    )
    assert event.new == {"id": letter.id, "template": "notice", "channel": "email"}


@pytest.mark.parametrize("channel", ["text-message", "social-media"])
def test_record_letter_refuses_text_and_social(services, ana, unchanged, channel):
    unchanged()
    with pytest.raises(InvalidInput, match=f"never sent by {channel}"):
        services.record_letter("ana", "notice", "s", "b", channel)
    unchanged()


def test_add_lesson(services, db_path, ana, today):
    _, after, event = changed(
        services,
        db_path,
        ana.id,
        lambda: services.add_lesson("ana", "payment terms", " ask for a deposit "),
        "lesson",
    )
    (lesson,) = after.lessons
    assert (lesson.category.value, lesson.text, lesson.on) == (
        "payment-terms",
        "ask for a deposit",
        today,
    )
    assert (event.old, event.new) == (None, lesson.to_dict())


# --- stale edits ---------------------------------------------------------------------------------


def test_stale_expected_rev_is_refused_and_nothing_changes(services, ana, unchanged):
    opened = services.resolve("ana")
    services.log_flag("ana", "time", "late", expected_rev=opened.rev)  # current: fine
    unchanged()
    with pytest.raises(StaleEdit):
        services.log_flag("ana", "time", "late again", expected_rev=opened.rev)
    with pytest.raises(StaleEdit):
        services.move("ana", "repair", expected_rev=opened.rev)
    with pytest.raises(StaleEdit):
        services.edit_client("ana", expected_rev=opened.rev, name="Ana B")
    unchanged()


# --- undo ----------------------------------------------------------------------------------------


def test_undo_with_an_empty_journal(services):
    with pytest.raises(NothingToUndo):
        services.undo()


def test_undo_creation_removes_the_client(services, db_path, ana):
    assert services.undo() == "added Ana Lima"
    assert on_disk(db_path) == []
    with pytest.raises(NothingToUndo):
        services.undo()


def test_undo_flag(services, db_path, ana):
    services.log_flag("ana", "payment", "late")
    assert services.undo() == "Ana Lima: red flag (payment): late"
    restored = on_disk(db_path, ana.id)
    assert restored.flags == []
    assert restored.history[-1].action == "undo"
    assert restored.history[-1].summary == "undid: Ana Lima: red flag (payment): late"


def test_undo_stage_move(services, db_path, ana):
    services.decide("ana", "offboard", "money")
    services.move("ana", "preparation", force=True)
    services.undo()
    assert on_disk(db_path, ana.id).stage is Stage.ASSESSMENT


def test_undo_a_chain_of_changes_one_by_one(services, db_path, ana):
    services.log_flag("ana", "payment", "late")
    services.log_flag("ana", "scope", "extra pages")
    services.decide("ana", "offboard", "money")
    services.undo()
    assert on_disk(db_path, ana.id).decision is None
    services.undo()
    assert [f.description for f in on_disk(db_path, ana.id).flags] == ["late"]
    services.undo()
    assert on_disk(db_path, ana.id).flags == []
    services.undo()
    assert on_disk(db_path) == []


def test_undo_delete_brings_the_client_back(services, db_path, ana):
    services.log_flag("ana", "payment", "late")
    before = on_disk(db_path, ana.id)
    services.delete_client("ana")
    assert services.undo() == "deleted Ana Lima"
    back = on_disk(db_path, ana.id)
    assert back.flags == before.flags and back.name == "Ana Lima"
    assert back.rev > before.rev  # a revision number never returns with other content
    assert services.resolve("ana").id == ana.id
    # and the change before the delete can still be undone
    services.undo()
    assert on_disk(db_path, ana.id).flags == []


def test_undo_import_removes_every_imported_client(services, db_path, repo, clock, tmp_path):
    source = Services(TinyRepository(tmp_path / "other.json"), clock)
    source.add_client("Bo")
    source.add_client("Cy")
    services.add_client("Ana")
    services.import_data(source.export_data())
    assert len(on_disk(db_path)) == 3
    assert services.undo() == "imported 2 clients"
    assert [c.name for c in on_disk(db_path)] == ["Ana"]


def test_undo_refuses_when_a_later_change_touched_the_client(repo, clock, db_path, ana):
    mine = Services(repo, clock, session="mine", actor="me (tui)")
    theirs = Services(repo, clock, session="theirs", actor="them (cli)")
    mine.log_flag("ana", "payment", "late")
    theirs.log_flag("ana", "scope", "extra pages")
    before = snapshot(db_path)
    with pytest.raises(StaleEdit, match="changed again"):
        mine.undo(this_session_only=True)
    assert snapshot(db_path) == before  # the journal entry is kept, nothing changed
    theirs.undo(this_session_only=True)
    assert [f.description for f in on_disk(db_path, ana.id).flags] == ["late"]
    mine.undo(this_session_only=True)
    assert on_disk(db_path, ana.id).flags == []


def test_undo_this_session_only(repo, clock, db_path):
    mine = Services(repo, clock, session="mine")
    theirs = Services(repo, clock, session="theirs")
    a = mine.add_client("Ana")
    b = theirs.add_client("Bo")
    mine.log_flag("ana", "payment", "late")
    theirs.log_flag("bo", "payment", "later")
    assert mine.undo(this_session_only=True) == "Ana: red flag (payment): late"
    assert on_disk(db_path, a.id).flags == []
    assert len(on_disk(db_path, b.id).flags) == 1
    mine.undo(this_session_only=True)
    assert [c.name for c in on_disk(db_path)] == ["Bo"]
    with pytest.raises(NothingToUndo):
        mine.undo(this_session_only=True)
    # without the restriction, the newest change of anyone is undone
    theirs.undo()
    assert on_disk(db_path, b.id).flags == []


# --- export and import ---------------------------------------------------------------------------


@pytest.fixture
def busy(services, ana):
    """A database with clients in several stages and every kind of record."""
    to_settlement(services, "ana")
    services.log_flag("ana", "payment", "late", severity=3, evidence="INV-1")
    services.add_repair("ana", "call", D("2026-12-01"))
    services.add_deliverable("ana", "site", D("2026-12-01"))
    services.add_handover_item("ana", "credential", "CMS login")
    services.add_invoice("ana", "F-1", "1000")
    services.record_payment("ana", "F-1", "100.10")
    services.set_checklist_item("ana", "handover", "files", "done")
    services.add_client("Bo", archetype="abusive")
    services.add_client("Cy", currency="USD")
    return services


def test_export_import_round_trip_into_a_fresh_database(busy, clock, tmp_path):
    data = json.loads(json.dumps(busy.export_data()))
    assert data["format"] == EXPORT_FORMAT
    assert data["exported"] == "2026-11-22"
    target_path = tmp_path / "fresh.json"
    target = Services(TinyRepository(target_path), clock)
    imported = target.import_data(data)
    assert [c.name for c in imported] == [c["name"] for c in data["clients"]]
    again = {c.id: c for c in on_disk(target_path)}
    for original in data["clients"]:
        copy = again[original["id"]].to_dict()
        assert copy["history"][:-1] == original["history"]
        assert copy["history"][-1]["action"] == "import"
        for key in ("history", "rev"):
            copy.pop(key)
            original.pop(key)
        assert copy == original


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "clients",
        {"clients": []},
        {"format": "something-else", "version": 1, "clients": []},
        {"format": EXPORT_FORMAT, "version": 2, "clients": []},
        {"format": EXPORT_FORMAT, "version": 1, "clients": {"a": 1}},
    ],
)
def test_import_refuses_what_is_not_an_export(services, ana, unchanged, data):
    unchanged()
    with pytest.raises(InvalidInput):
        services.import_data(data)
    unchanged()


def test_import_refuses_duplicate_ids(busy, unchanged, clock, tmp_path):
    data = busy.export_data()
    data["clients"].append(dict(data["clients"][0]))
    target = Services(TinyRepository(tmp_path / "fresh.json"), clock)
    with pytest.raises(InvalidInput, match="same client id twice"):
        target.import_data(data)
    assert not (tmp_path / "fresh.json").exists()


def test_import_refuses_existing_ids_unless_replace(busy, db_path, unchanged):
    data = json.loads(json.dumps(busy.export_data()))
    unchanged()
    with pytest.raises(InvalidInput) as err:
        busy.import_data(data)
    assert "3 clients already exist" in err.value.message
    assert "--replace" in err.value.hint
    unchanged()
    bo = next(c for c in data["clients"] if c["name"] == "Bo")
    bo["company"] = "Bo & Co"
    busy.import_data(data, replace=True)
    stored = {c.name: c for c in on_disk(db_path)}
    assert stored["Bo"].company == "Bo & Co"
    assert len(stored) == 3
    busy.undo()
    assert {c.name: c for c in on_disk(db_path)}["Bo"].company == ""


@pytest.mark.parametrize(
    ("where", "field", "value"),
    [
        (2, "stage", "limbo"),
        (2, "id", "not-a-uuid"),
        (0, "name", ""),
        (1, "created", "yesterday"),
    ],
)
def test_a_bad_record_anywhere_means_nothing_is_imported(
    busy, clock, tmp_path, where, field, value
):
    data = json.loads(json.dumps(busy.export_data()))
    data["clients"][where][field] = value
    target_path = tmp_path / "fresh.json"
    target = Services(TinyRepository(target_path), clock)
    target.add_client("Existing")
    before = snapshot(target_path)
    with pytest.raises(InvalidInput):
        target.import_data(data)
    assert snapshot(target_path) == before


def test_a_bad_nested_record_means_nothing_is_imported(busy, clock, tmp_path):
    data = json.loads(json.dumps(busy.export_data()))
    ana = next(c for c in data["clients"] if c["name"] == "Ana Lima")
    ana["invoices"][0]["payments"][0]["amount"] = "1,00"
    target_path = tmp_path / "fresh.json"
    target = Services(TinyRepository(target_path), clock)
    target.add_client("Existing")
    before = snapshot(target_path)
    with pytest.raises(InvalidInput, match="payment"):
        target.import_data(data)
    assert snapshot(target_path) == before


# --- reading -------------------------------------------------------------------------------------


def test_clients_are_listed_by_stage_then_name(busy):
    assert [c.name for c in busy.clients()] == ["Bo", "Cy", "Ana Lima"]
    assert [c.name for c in busy.clients(stage="settlement")] == ["Ana Lima"]


def test_timers_come_from_every_client(busy):
    kinds = sorted(d.kind for d in busy.timers())
    assert kinds == ["deliverable", "invoice", "review"]


def test_services_use_the_fixed_clock_for_every_date(repo, tmp_path):
    clock = FixedClock(D("2030-01-15"))
    services = Services(repo, clock, checklists=load_checklists(user_dir=tmp_path / "none"))
    client = services.add_client("Ana")
    services.log_flag("ana", "time", "late")
    stored = on_disk(repo.path, client.id)
    assert stored.created == D("2030-01-15")
    assert stored.flags[0].on == D("2030-01-15")
    assert all(e.at.date() == D("2030-01-15") for e in stored.history)


# --- rules added after review ---------------------------------------------------------------


def test_exact_name_wins_over_an_id_prefix(services: Services) -> None:
    first = services.add_client("Placeholder")
    named = services.add_client(first.id[:4])  # a client whose name is the other's id prefix
    assert services.resolve(first.id[:4]).id == named.id
    assert services.resolve(first.id[:6]).id == first.id


def test_future_payment_and_letter_dates_are_refused(services: Services, today: dt.date) -> None:
    services.add_client("Juniper Works")
    services.add_invoice("juniper", "J-1", "100")
    tomorrow = today + dt.timedelta(days=1)
    with pytest.raises(InvalidInput, match="in the future"):
        services.record_payment("juniper", "J-1", on=tomorrow)
    with pytest.raises(InvalidInput, match="in the future"):
        services.record_letter("juniper", "manual", "Hello", "", "email", sent_on=tomorrow)
    stored = TinyRepository(services.repo.path).get(services.resolve("juniper").id)
    assert stored.invoices[0].payments == [] and stored.letters == []


def test_keeping_a_client_after_notice_needs_confirmation(
    services: Services, today: dt.date
) -> None:
    services.add_client("Spruce Rentals")
    services.decide("spruce", "offboard", "the work no longer fits the business")
    services.move("spruce", "preparation", force=True)
    services.record_conversation("spruce", today, "phone", "14 days")
    services.move("spruce", "notice", force=True)
    with pytest.raises(NeedsConfirmation, match="already been given notice"):
        services.decide("spruce", "keep", "they agreed to a new contract")
    assert services.resolve("spruce").stage is Stage.NOTICE
    kept = services.decide("spruce", "keep", "they agreed to a new contract", force=True)
    assert kept.stage is Stage.CLOSED and kept.outcome is Outcome.RETAINED


def test_undo_journal_keeps_no_history_copies_yet_undo_restores_it(services: Services) -> None:
    client = services.add_client("Linden Audio")
    for n in range(30):
        services.log_flag("linden", "time", f"late reply number {n}")
    raw = json.loads(services.repo.path.read_text())
    entries = [e for e in raw["journal"].values() if e["changes"][0]["before"] is not None]
    assert entries and all("history" not in e["changes"][0]["before"] for e in entries)
    before_undo = services.resolve("linden")
    # The newest entry is about the client minus its history, not the client plus history.
    without_history = {k: v for k, v in before_undo.to_dict().items() if k != "history"}
    newest = max(entries, key=lambda e: e["seq"])
    assert len(json.dumps(newest)) < len(json.dumps(without_history)) + 600
    services.undo()
    after = TinyRepository(services.repo.path).get(client.id)
    assert len(after.flags) == 29
    assert [h.summary for h in after.history[:-1]] == [h.summary for h in before_undo.history[:-1]]
    assert after.history[-1].action == "undo"


def test_add_client_takes_contract_terms_in_one_change(services: Services) -> None:
    client = services.add_client(
        "Willow Print",
        termination_clause="30 days' written notice",
        contract_end=dt.date(2027, 3, 31),
        payment_terms_days="21",
        hourly_rate="80",
    )
    stored = TinyRepository(services.repo.path).get(client.id)
    assert stored.contract.termination_clause == "30 days' written notice"
    assert stored.contract.contract_end == dt.date(2027, 3, 31)
    assert stored.contract.payment_terms_days == 21
    assert stored.contract.hourly_rate == Decimal("80.00")
    assert [h.action for h in stored.history] == ["create"]
    with pytest.raises(InvalidInput):
        services.add_client("Bad Terms", payment_terms_days="soon")


# --- amounts in the client's language -------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "typed", "stored"),
    [
        ("fi", "1 250,50", "1250.50"),
        ("fi", "1250,5", "1250.50"),
        ("cs", "66 500", "66500.00"),
        ("de", "1.250,00", "1250.00"),
        ("en", "1,250.00", "1250.00"),
        ("en", "1250.5", "1250.50"),
        ("tr", "1.250,75", "1250.75"),
    ],
)
def test_amounts_are_read_the_way_the_clients_language_writes_them(
    services, db_path, locale, typed, stored
):
    client = services.add_client("Ana", locale=locale)
    services.add_invoice(client.id, "F-1", typed)
    assert str(on_disk(db_path, client.id).invoices[0].amount) == stored


@pytest.mark.parametrize(
    ("locale", "typed", "words"),
    [
        ("en", "1,50", "commas only between thousands"),  # never silently 150.00
        ("de", "1.250", "ambiguous"),  # 1250 to a German reader, 1.25 to a programmer
        ("fi", "1,250.00", "not a number"),
    ],
)
def test_amounts_that_would_be_misread_are_refused(services, db_path, locale, typed, words):
    client = services.add_client("Ana", locale=locale)
    before = db_path.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        services.add_invoice(client.id, "F-1", typed)
    assert words in refused.value.one_line()
    assert db_path.read_bytes() == before
