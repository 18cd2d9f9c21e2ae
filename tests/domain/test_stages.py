"""Stage gates (DESIGN.md section 2): hard gates block and list what is missing, soft gates warn."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from offboard.checklists import load_checklists
from offboard.domain.checklists import DONE, WAIVED
from offboard.domain.models import (
    Assessment,
    Category,
    Channel,
    Client,
    Conversation,
    Decision,
    DecisionRecord,
    Deliverable,
    HandoverItem,
    HandoverKind,
    HandoverStatus,
    Invoice,
    Lesson,
    LessonCategory,
    LetterRecord,
    Payment,
    RedFlag,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from offboard.domain.stages import (
    backward_stage,
    check_move,
    forward_stage,
    next_stage,
    previous_stage,
    stages_entered,
)

D = dt.date.fromisoformat
A, R, P, N, H, S, C = (
    Stage.ASSESSMENT,
    Stage.REPAIR,
    Stage.PREPARATION,
    Stage.NOTICE,
    Stage.HANDOVER,
    Stage.SETTLEMENT,
    Stage.CLOSED,
)


@pytest.fixture(scope="module")
def checklists(tmp_path_factory):
    return load_checklists(user_dir=tmp_path_factory.mktemp("no-user-checklists"))


def client_in(stage: Stage, **kwargs) -> Client:
    return Client("Acme", stage=stage, **kwargs)


def lesson(text: str) -> Lesson:
    return Lesson(LessonCategory.OTHER, text, D("2026-11-20"))


def ticked(checklists, stage: Stage, state: str = DONE) -> dict[str, dict[str, str]]:
    return {stage.value: {item.id: state for item in checklists[stage].items}}


def offboard_decision() -> DecisionRecord:
    return DecisionRecord(Decision.OFFBOARD, "the account loses money", D("2026-11-01"))


def conversation(channel: Channel = Channel.PHONE, on: str = "2026-11-02") -> Conversation:
    return Conversation(D(on), channel, "30 days", D("2026-12-02"))


def letter(sent_on: str, channel: Channel = Channel.EMAIL) -> LetterRecord:
    return LetterRecord("notice", "Notice", "Dear Acme", channel, D(sent_on))


def invoice(amount: str, *paid: str, written_off: bool = False) -> Invoice:
    return Invoice(
        "F-1",
        Decimal(amount),
        D("2026-11-01"),
        D("2026-11-15"),
        [Payment(Decimal(p), D("2026-11-10")) for p in paid],
        written_off=written_off,
    )


def ready_client(stage: Stage, checklists) -> Client:
    """A client that passes every gate, hard and soft."""
    return client_in(
        stage,
        assessment=Assessment(revenue=Decimal("1000"), hours=Decimal("50")),
        decision=offboard_decision(),
        repairs=[RepairAttempt("weekly call", D("2026-10-01"), D("2026-10-15"))],
        conversation=conversation(),
        letters=[letter("2026-11-02")],
        checklist={
            **ticked(checklists, P),
            **ticked(checklists, H, WAIVED),
        },
        deliverables=[Deliverable("site", D("2026-11-20"), done=True)],
        handover=[HandoverItem(HandoverKind.FILE, "files", HandoverStatus.HANDED_OVER)],
        invoices=[invoice("100.00", "100.00")],
        lessons=[lesson("screen for scope creep")],
    )


# --- the path of a move --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target", "path"),
    [
        (A, R, [R]),
        (A, P, [P]),
        (A, C, [P, N, H, S, C]),
        (R, P, [P]),
        (R, N, [P, N]),
        (P, N, [N]),
        (N, S, [H, S]),
        (S, C, [C]),
        (C, A, []),
        (N, P, []),
        (P, R, []),
    ],
)
def test_stages_entered(source, target, path):
    assert stages_entered(source, target) == path


def test_next_and_previous_stage():
    assert next_stage(A) is R
    assert next_stage(S) is C
    assert next_stage(C) is None
    assert previous_stage(N) is P
    assert previous_stage(A) is None


# --- repair --------------------------------------------------------------------------------------


def test_repair_needs_an_attempt():
    check = check_move(client_in(A), R)
    assert check.blocked
    assert check.missing == ["an open repair attempt with a review date"]
    assert check.warnings == []


def test_repair_with_only_finished_attempts_is_blocked():
    finished = RepairAttempt("new contract", D("2026-09-01"), D("2026-10-01"), RepairOutcome.WORSE)
    check = check_move(client_in(A, repairs=[finished]), R)
    assert check.blocked


def test_repair_with_an_open_attempt_passes():
    attempt = RepairAttempt("phone instead of email", D("2026-11-01"), D("2026-11-29"))
    check = check_move(client_in(A, repairs=[attempt]), R)
    assert not check.blocked and check.warnings == []


# --- preparation ---------------------------------------------------------------------------------


def test_preparation_needs_a_decision_hard_and_an_assessment_soft():
    check = check_move(client_in(A), P)
    assert check.missing == ["a recorded decision to offboard, with one reason"]
    assert check.warnings == ["the cost-benefit assessment is not filled in"]


@pytest.mark.parametrize(
    "decision",
    [
        DecisionRecord(Decision.KEEP, "they improved", D("2026-11-01")),
        DecisionRecord(Decision.REPAIR, "try a new contract", D("2026-11-01")),
        DecisionRecord(Decision.OFFBOARD, "   ", D("2026-11-01")),
    ],
)
def test_preparation_refuses_a_decision_that_is_not_offboard_with_a_reason(decision):
    assert check_move(client_in(A, decision=decision), P).blocked


def test_preparation_with_decision_but_no_assessment_only_warns():
    check = check_move(client_in(A, decision=offboard_decision()), P)
    assert not check.blocked
    assert check.warnings == ["the cost-benefit assessment is not filled in"]


def test_preparation_with_decision_and_assessment_is_clean():
    c = client_in(A, decision=offboard_decision(), assessment=Assessment(financial="rate too low"))
    check = check_move(c, P)
    assert check.missing == [] and check.warnings == []


def test_preparation_from_repair_needs_the_same_decision():
    attempt = RepairAttempt("call", D("2026-11-01"), D("2026-11-29"))
    assert check_move(client_in(R, repairs=[attempt]), P).blocked


# --- notice --------------------------------------------------------------------------------------


def test_notice_needs_the_conversation():
    check = check_move(client_in(P, decision=offboard_decision()), N)
    assert check.missing == ["the conversation: its date, channel and notice period"]


@pytest.mark.parametrize("channel", [Channel.TEXT_MESSAGE, Channel.SOCIAL_MEDIA])
def test_notice_refuses_a_forbidden_channel(channel):
    c = client_in(P, conversation=conversation(channel), letters=[letter("2026-11-02")])
    check = check_move(c, N)
    assert check.blocked
    assert check.missing == [f"a proper channel for the conversation ({channel.value} is not one)"]


@pytest.mark.parametrize(
    "channel", [Channel.PHONE, Channel.VIDEO, Channel.IN_PERSON, Channel.EMAIL, Channel.LETTER]
)
def test_notice_accepts_proper_channels(channel):
    c = client_in(P, conversation=conversation(channel), letters=[letter("2026-11-02")])
    check = check_move(c, N)
    assert check.missing == [] and check.warnings == []


def test_notice_without_letter_warns():
    check = check_move(client_in(P, conversation=conversation()), N)
    assert not check.blocked
    assert check.warnings == ["no written notice has been recorded as sent"]


def test_notice_letter_sent_before_the_conversation_does_not_count():
    c = client_in(P, conversation=conversation(on="2026-11-02"), letters=[letter("2026-11-01")])
    assert check_move(c, N).warnings == ["no written notice has been recorded as sent"]


@pytest.mark.parametrize("sent_on", ["2026-11-02", "2026-11-05"])
def test_notice_letter_on_or_after_the_conversation_counts(sent_on):
    c = client_in(P, conversation=conversation(on="2026-11-02"), letters=[letter(sent_on)])
    assert check_move(c, N).warnings == []


# --- handover ------------------------------------------------------------------------------------


def test_handover_warns_while_the_preparation_checklist_is_open(checklists):
    total = len(checklists[P].items)
    check = check_move(client_in(N), H, checklists)
    assert not check.blocked
    assert check.warnings == [f"{total} preparation checklist items still open"]


def test_handover_counts_only_items_neither_done_nor_waived(checklists):
    items = [i.id for i in checklists[P].items]
    ticks = {items[0]: DONE, items[1]: WAIVED, items[2]: "maybe"}
    check = check_move(client_in(N, checklist={"preparation": ticks}), H, checklists)
    assert check.warnings == [f"{len(items) - 2} preparation checklist items still open"]


def test_handover_with_preparation_checklist_done_or_waived_is_clean(checklists):
    ticks = ticked(checklists, P)
    first = checklists[P].items[0].id
    ticks["preparation"][first] = WAIVED
    check = check_move(client_in(N, checklist=ticks), H, checklists)
    assert check.warnings == [] and check.missing == []


def test_handover_without_checklists_has_no_checklist_gate():
    assert check_move(client_in(N), H).warnings == []


# --- settlement ----------------------------------------------------------------------------------


def test_settlement_warns_about_the_handover_checklist(checklists):
    check = check_move(client_in(H), S, checklists)
    total = len(checklists[H].items)
    assert check.warnings == [f"{total} handover checklist items still open"]
    assert not check.blocked


def test_settlement_warns_about_pending_handover_items_and_unfinished_deliverables(checklists):
    c = client_in(
        H,
        checklist=ticked(checklists, H),
        handover=[
            HandoverItem(HandoverKind.CREDENTIAL, "hosting login"),
            HandoverItem(HandoverKind.FILE, "design files", HandoverStatus.HANDED_OVER),
            HandoverItem(HandoverKind.CONTACT, "printer contact", HandoverStatus.WAIVED),
            HandoverItem(HandoverKind.CREDENTIAL, "old FTP", HandoverStatus.REVOKED),
            HandoverItem(HandoverKind.DOCUMENT, "status notes"),
        ],
        deliverables=[
            Deliverable("landing page", done=True),
            Deliverable("brochure", D("2026-12-01")),
        ],
    )
    check = check_move(c, S, checklists)
    assert not check.blocked
    assert check.warnings == [
        "handover items not done or waived: hosting login, status notes",
        "deliverables not finished: brochure",
    ]


def test_settlement_with_everything_handed_over_is_clean(checklists):
    assert check_move(ready_client(H, checklists), S, checklists).warnings == []


# --- closed --------------------------------------------------------------------------------------


def test_closed_blocks_on_an_outstanding_balance():
    c = client_in(S, invoices=[invoice("300.00", "100.00")], lessons=[lesson("x")], currency="USD")
    check = check_move(c, C)
    assert check.missing == ["the final balance paid or written off (200.00 USD open)"]


def test_closed_counts_a_written_off_invoice_as_settled():
    c = client_in(
        S, invoices=[invoice("300.00", "100.00", written_off=True)], lessons=[lesson("x")]
    )
    check = check_move(c, C)
    assert check.missing == [] and check.warnings == []


def test_closed_with_paid_invoices_passes():
    c = client_in(S, invoices=[invoice("300.00", "100.00", "200.00")], lessons=[lesson("x")])
    assert not check_move(c, C).blocked


def test_closed_warns_without_lessons():
    check = check_move(client_in(S, lessons=[]), C)
    assert not check.blocked
    assert check.warnings == ["no lessons learned recorded"]


# --- jumps ---------------------------------------------------------------------------------------


def test_a_jump_collects_the_gates_of_every_stage_crossed(checklists):
    c = client_in(A, invoices=[invoice("50.00")])
    check = check_move(c, C, checklists)
    assert check.missing == [
        "a recorded decision to offboard, with one reason",
        "the conversation: its date, channel and notice period",
        "the final balance paid or written off (50.00 EUR open)",
    ]
    assert check.warnings == [
        "the cost-benefit assessment is not filled in",
        f"{len(checklists[P].items)} preparation checklist items still open",
        f"{len(checklists[H].items)} handover checklist items still open",
        "no lessons learned recorded",
    ]


def test_a_jump_skips_the_repair_gate_unless_repair_is_the_target(checklists):
    c = ready_client(A, checklists)
    c.repairs = []
    assert check_move(c, C, checklists).missing == []
    assert check_move(c, R, checklists).missing == ["an open repair attempt with a review date"]


def test_a_jump_of_a_fully_ready_client_is_clean(checklists):
    check = check_move(ready_client(A, checklists), C, checklists)
    assert check.missing == [] and check.warnings == []
    assert not check.backward and not check.needs_reason


def test_a_jump_from_notice_does_not_recheck_earlier_gates(checklists):
    # no decision, no conversation: those gates were passed on the way in and are not re-run
    c = client_in(N, checklist=ticked(checklists, P))
    check = check_move(c, H, checklists)
    assert check.missing == [] and check.warnings == []


# --- backward moves ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "target"),
    [(R, A), (P, A), (P, R), (N, P), (H, A), (S, N), (C, S), (C, A)],
)
def test_backward_moves_pass_no_gates(source, target):
    check = check_move(
        client_in(source, flags=[RedFlag(Category.ABUSE, "x", D("2026-11-01"))]), target
    )
    assert check.backward
    assert check.missing == [] and check.warnings == []


@pytest.mark.parametrize(
    ("source", "target", "needs_reason"),
    [
        (R, A, False),
        (P, A, False),
        (P, R, False),
        (N, P, True),
        (N, A, True),
        (H, N, True),
        (S, H, True),
        (C, S, True),
        (C, A, True),
        (A, P, False),
        (N, H, False),
    ],
)
def test_needs_reason_only_when_going_back_from_notice_or_later(source, target, needs_reason):
    assert check_move(client_in(source), target).needs_reason is needs_reason


# --- where "move on" and "move back" lead -----------------------------------------------------


def _open_attempt() -> RepairAttempt:
    return RepairAttempt("weekly call", dt.date(2026, 11, 1), dt.date(2026, 12, 1))


def test_forward_from_assessment_skips_repair_unless_an_attempt_is_open() -> None:
    assert forward_stage(client_in(Stage.ASSESSMENT)) is Stage.PREPARATION
    assert forward_stage(client_in(Stage.ASSESSMENT, repairs=[_open_attempt()])) is Stage.REPAIR
    assert forward_stage(client_in(Stage.NOTICE)) is Stage.HANDOVER
    assert forward_stage(client_in(Stage.CLOSED)) is None


def test_backward_from_preparation_returns_to_repair_only_with_an_open_attempt() -> None:
    assert backward_stage(client_in(Stage.PREPARATION)) is Stage.ASSESSMENT
    with_attempt = client_in(Stage.PREPARATION, repairs=[_open_attempt()])
    assert backward_stage(with_attempt) is Stage.REPAIR
    assert backward_stage(client_in(Stage.SETTLEMENT)) is Stage.HANDOVER
    assert backward_stage(client_in(Stage.ASSESSMENT)) is None
