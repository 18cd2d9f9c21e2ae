"""Modal forms for everything the client screen (and the board) lets the user record.

One engine (engine.py) and fourteen declarations: each form lists its fields with the domain
rule that reads each one (fields.py), any rule across fields, and the one service call that
saves it. The forms are grouped by what they are about: the client (client.py), the case
(case.py), the settlement (settlement.py), follow-ups (followups.py) and the lessons learned
(lessons.py).
"""

from __future__ import annotations

from .case import (
    AssessmentForm,
    ConversationForm,
    DecisionForm,
    FlagForm,
    OutcomeForm,
    RepairForm,
)
from .chain import Call, RevChain
from .client import EditClientForm, NewClientForm
from .engine import FormScreen
from .fields import DATE_HINT, Cross, Field, FieldRow, friendly_date, sentence
from .followups import FollowUpEditForm, FollowUpForm
from .labels import (
    ARCHETYPE_LABELS,
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DECISION_LABELS,
    HANDOVER_KIND_LABELS,
    HANDOVER_STATUS_LABELS,
    LOCALES,
    OUTCOME_LABELS,
    REPAIR_IDEAS,
    SEVERITIES,
    enum_options,
)
from .lessons import LESSON_CATEGORY_HINTS, LESSON_CATEGORY_LABELS, LessonForm
from .settlement import (
    DeliverableForm,
    HandoverForm,
    InvoiceForm,
    PaymentForm,
    RefundForm,
    next_invoice_number,
)

__all__ = [
    "ARCHETYPE_LABELS",
    "CATEGORY_LABELS",
    "CHANNEL_LABELS",
    "DATE_HINT",
    "DECISION_LABELS",
    "HANDOVER_KIND_LABELS",
    "HANDOVER_STATUS_LABELS",
    "LESSON_CATEGORY_HINTS",
    "LESSON_CATEGORY_LABELS",
    "LOCALES",
    "OUTCOME_LABELS",
    "REPAIR_IDEAS",
    "SEVERITIES",
    "AssessmentForm",
    "Call",
    "ConversationForm",
    "Cross",
    "DecisionForm",
    "DeliverableForm",
    "EditClientForm",
    "Field",
    "FieldRow",
    "FlagForm",
    "FollowUpEditForm",
    "FollowUpForm",
    "FormScreen",
    "HandoverForm",
    "InvoiceForm",
    "LessonForm",
    "NewClientForm",
    "OutcomeForm",
    "PaymentForm",
    "RefundForm",
    "RepairForm",
    "RevChain",
    "enum_options",
    "friendly_date",
    "next_invoice_number",
    "sentence",
]
