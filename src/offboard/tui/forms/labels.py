"""The words the forms offer for each choice. The client screen shows the same words for what
was chosen, so a value reads the same where it is picked and where it is shown."""

from __future__ import annotations

from enum import Enum
from typing import Any

from ...domain.models import (
    Archetype,
    Category,
    Channel,
    Decision,
    HandoverKind,
    HandoverStatus,
    RepairOutcome,
)


def enum_options(enum: type[Enum], labels: dict[Any, str] | None = None) -> list[tuple[str, Any]]:
    """(label, value) pairs for a Select, in the enum's order."""
    labels = labels or {}
    return [(labels.get(m, str(m.value).replace("-", " ").capitalize()), m.value) for m in enum]


ARCHETYPE_LABELS = {
    Archetype.MICROMANAGER: "Micromanager",
    Archetype.SCOPE_CREEPER: "Scope creeper",
    Archetype.NON_PAYER: "Chronic non-payer",
    Archetype.ABUSIVE: "Abusive",
    Archetype.OUTGROWN: "Outgrown / changed direction",
    Archetype.TIME_SINK: "Unprofitable / time sink",
}

DECISION_LABELS = {
    Decision.KEEP: "Keep the client",
    Decision.REPAIR: "Try to repair it first",
    Decision.OFFBOARD: "Offboard",
}

# Only the channels notice may be given by: text message and social media are refused by
# validate.notice_channel, so they are never suggested.
CHANNEL_LABELS = {
    Channel.PHONE: "Phone call",
    Channel.VIDEO: "Video call",
    Channel.IN_PERSON: "In person",
    Channel.EMAIL: "Email",
    Channel.LETTER: "Letter",
}

# The languages letters are shipped in.
LOCALES = [
    ("English (en)", "en"),
    ("Türkçe (tr)", "tr"),
    ("Suomi (fi)", "fi"),
    ("Čeština (cs)", "cs"),
]

CATEGORY_LABELS = {
    Category.PAYMENT: "Payment: late, disputed or haggled invoices",
    Category.COMMUNICATION: "Communication: rude, silent or always-on",
    Category.SCOPE: "Scope: extra work without extra pay",
    Category.VALUES: "Values: pressure to lower your standards",
    Category.RESPECT: "Respect: micromanaging, second-guessing",
    Category.TIME: "Time: costs more hours than it is worth",
    Category.MONEY: "Money: the account loses money",
    Category.ABUSE: "Abuse: insults, threats, humiliation",
    Category.STAGNATION: "Stagnation: trust is not getting better",
}

SEVERITIES = [("1 · minor", 1), ("2 · serious", 2), ("3 · severe", 3)]

OUTCOME_LABELS = {
    RepairOutcome.IMPROVED: "Improved",
    RepairOutcome.NO_CHANGE: "No change",
    RepairOutcome.WORSE: "Worse",
}

HANDOVER_KIND_LABELS = {
    HandoverKind.FILE: "Files",
    HandoverKind.CREDENTIAL: "Access / credential (label only)",
    HandoverKind.DOCUMENT: "Document / notes",
    HandoverKind.CONTACT: "Contact",
}

HANDOVER_STATUS_LABELS = {
    HandoverStatus.PENDING: "Pending",
    HandoverStatus.HANDED_OVER: "Handed over",
    HandoverStatus.REVOKED: "Access revoked",
    HandoverStatus.WAIVED: "Not needed",
}

REPAIR_IDEAS = [
    "Weekly check-in call",
    "Fortnightly check-in call",
    "Phone instead of email",
    "Agreed response window",
    "New agreement at renewal",
    "Deposit up front",
    "Payment plan",
    "Stop work until paid",
    "Change-order process",
]
