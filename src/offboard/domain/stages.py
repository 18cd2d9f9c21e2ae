"""Stage gates: what must be true before a client may enter a stage (DESIGN.md section 2).

A hard gate blocks the move and lists what is missing. A soft gate only warns: the caller may
override it, and the override is recorded in the client's history. Moving backwards out of
notice or a later stage needs a reason, because a decision once announced should not waver.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .checklists import Checklist, ticks
from .errors import GateBlocked, NeedsConfirmation
from .fixes import Fix, Requirement
from .models import FORBIDDEN_CHANNELS, STAGE_ORDER, Client, Decision, Stage
from .refunds import open_refunds
from .wording import counted

# Moving back out of these stages means taking back something already said to the client.
COMMITTED_STAGES = frozenset({Stage.NOTICE, Stage.HANDOVER, Stage.SETTLEMENT, Stage.CLOSED})


@dataclass
class MoveCheck:
    source: Stage
    target: Stage
    missing: list[Requirement] = field(default_factory=list)
    warnings: list[Requirement] = field(default_factory=list)

    @property
    def backward(self) -> bool:
        return self.target.order < self.source.order

    @property
    def needs_reason(self) -> bool:
        return self.backward and self.source in COMMITTED_STAGES

    @property
    def blocked(self) -> bool:
        return bool(self.missing)


def enforce(
    client: Client,
    missing: list[Requirement],
    warnings: list[Requirement],
    needs_reason: bool,
    reason: str | None,
    force: bool,
    target: Stage,
) -> None:
    """Refuse a move its gates do not allow: GateBlocked for a hard gate, NeedsConfirmation
    for a soft one (unless `force`) or for going back without a reason."""
    if missing:
        raise GateBlocked(f"{client.name} cannot enter {target.value} yet", missing)
    if needs_reason and not (reason and reason.strip()):
        raise NeedsConfirmation(
            f"moving {client.name} back to {target.value} takes back what was announced",
            [Requirement("give the reason for going back")],
            needs_reason=True,
        )
    if warnings and not force:
        raise NeedsConfirmation(f"{client.name} is not ready for {target.value}", warnings)


def stages_entered(source: Stage, target: Stage) -> list[Stage]:
    """The stages whose gates a forward move passes through.

    Repair is a side road: jumping from assessment straight to preparation skips it.
    """
    if target.order <= source.order:
        return []
    path = list(STAGE_ORDER[source.order + 1 : target.order + 1])
    if target is not Stage.REPAIR:
        path = [s for s in path if s is not Stage.REPAIR]
    return path


def check_move(
    client: Client, target: Stage, checklists: Mapping[Stage, Checklist] | None = None
) -> MoveCheck:
    check = MoveCheck(client.stage, target)
    for stage in stages_entered(client.stage, target):
        missing, warnings = _GATES[stage](client, checklists or {})
        check.missing.extend(missing)
        check.warnings.extend(warnings)
    return check


Gate = tuple[list[Requirement], list[Requirement]]


def _repair_gate(client: Client, _: Mapping[Stage, Checklist]) -> Gate:
    if any(r.review for r in client.repairs if r.open):
        return [], []
    return [Requirement("an open repair attempt with a review date", Fix.REPAIR)], []


def _preparation_gate(client: Client, _: Mapping[Stage, Checklist]) -> Gate:
    missing: list[Requirement] = []
    warnings: list[Requirement] = []
    d = client.decision
    if d is None or d.decision is not Decision.OFFBOARD or not d.reason.strip():
        missing.append(
            Requirement("a recorded decision to offboard, with one reason", Fix.DECISION)
        )
    if not client.assessment.filled_in:
        warnings.append(Requirement("the cost-benefit assessment is not filled in", Fix.ASSESSMENT))
    return missing, warnings


def _notice_gate(client: Client, _: Mapping[Stage, Checklist]) -> Gate:
    missing: list[Requirement] = []
    warnings: list[Requirement] = []
    conv = client.conversation
    if conv is None:
        missing.append(
            Requirement("the conversation: its date, channel and notice period", Fix.CONVERSATION)
        )
        return missing, warnings
    if conv.channel in FORBIDDEN_CHANNELS:
        missing.append(
            Requirement(
                f"a proper channel for the conversation ({conv.channel.value} is not one)",
                Fix.CONVERSATION,
            )
        )
    if not any(letter.sent_on >= conv.on for letter in client.letters):
        warnings.append(
            Requirement("no written notice has been recorded as sent", Fix.NOTICE_LETTER)
        )
    return missing, warnings


def _checklist_warning(
    client: Client, stage: Stage, checklists: Mapping[Stage, Checklist]
) -> list[Requirement]:
    checklist = checklists.get(stage)
    if checklist is None:
        return []
    # Items the records answer count as done, as the checklist shows them.
    open_items = checklist.open_items(ticks(client, stage))
    if not open_items:
        return []
    return [
        Requirement(
            f"{counted(len(open_items), f'{stage.value} checklist item')} still open",
            Fix.CHECKLIST,
            items=tuple(item.text for item in open_items),
        )
    ]


def _handover_gate(client: Client, checklists: Mapping[Stage, Checklist]) -> Gate:
    return [], _checklist_warning(client, Stage.PREPARATION, checklists)


def _settlement_gate(client: Client, checklists: Mapping[Stage, Checklist]) -> Gate:
    warnings = _checklist_warning(client, Stage.HANDOVER, checklists)
    pending = [h.label for h in client.handover if not h.settled]
    if pending:
        warnings.append(
            Requirement("handover items not done or waived: " + ", ".join(pending), Fix.HANDOVER)
        )
    unfinished = [d.title for d in client.deliverables if not d.done]
    if unfinished:
        warnings.append(
            Requirement("deliverables not finished: " + ", ".join(unfinished), Fix.DELIVERABLES)
        )
    return [], warnings


def _closed_gate(client: Client, _: Mapping[Stage, Checklist]) -> Gate:
    missing: list[Requirement] = []
    warnings: list[Requirement] = []
    owed = client.outstanding()
    if owed:
        missing.append(
            Requirement(
                f"the final balance paid or written off ({owed} {client.currency} open)",
                Fix.SETTLE,
            )
        )
    # A refund agreed and not paid out is money still owed, the other way round: it blocks
    # closing as an open invoice does.
    owed_back = open_refunds(client)
    if owed_back:
        missing.append(
            Requirement(
                f"{counted(len(owed_back), 'refund')} agreed and not paid out: "
                + ", ".join(f"{r.amount} {r.currency} ({r.reason})" for r in owed_back),
                Fix.REFUND_PAID,
            )
        )
    if not client.lessons:
        warnings.append(Requirement("no lessons learned recorded", Fix.LESSONS))
    return missing, warnings


_GATES = {
    Stage.REPAIR: _repair_gate,
    Stage.PREPARATION: _preparation_gate,
    Stage.NOTICE: _notice_gate,
    Stage.HANDOVER: _handover_gate,
    Stage.SETTLEMENT: _settlement_gate,
    Stage.CLOSED: _closed_gate,
}


def forward_stage(client: Client) -> Stage | None:
    """Where "move on" takes a client. Repair is a side road: from assessment it leads there
    only if an attempt is open, otherwise straight to preparation."""
    if client.stage is Stage.ASSESSMENT:
        return Stage.REPAIR if any(r.open for r in client.repairs) else Stage.PREPARATION
    return next_stage(client.stage)


def backward_stage(client: Client) -> Stage | None:
    """Where "move back" takes a client (the mirror of forward_stage)."""
    if client.stage is Stage.PREPARATION:
        return Stage.REPAIR if any(r.open for r in client.repairs) else Stage.ASSESSMENT
    return previous_stage(client.stage)


def next_stage(stage: Stage) -> Stage | None:
    order: Sequence[Stage] = tuple(Stage)
    return order[stage.order + 1] if stage.order + 1 < len(order) else None


def previous_stage(stage: Stage) -> Stage | None:
    return tuple(Stage)[stage.order - 1] if stage.order > 0 else None
