"""The fixed vocabularies of a client's records: stages, outcomes, flag categories,
archetypes, channels, handover kinds and states, decisions and lesson categories. Stored as
their values; models.py re-exports them, so `from .models import Stage` keeps working."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    ASSESSMENT = "assessment"
    REPAIR = "repair"
    PREPARATION = "preparation"
    NOTICE = "notice"
    HANDOVER = "handover"
    SETTLEMENT = "settlement"
    CLOSED = "closed"

    @property
    def order(self) -> int:
        """The stage's place from left to right, from 0."""
        # Looked up, not searched for: sorting and every gate check ask it many times.
        return _STAGE_INDEX[self]

    @property
    def label(self) -> str:
        return self.value.capitalize()


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
_STAGE_INDEX = {stage: i for i, stage in enumerate(STAGE_ORDER)}


class Outcome(StrEnum):
    OFFBOARDED = "offboarded"
    RETAINED = "retained"


class Category(StrEnum):
    PAYMENT = "payment"
    COMMUNICATION = "communication"
    SCOPE = "scope"
    VALUES = "values"
    RESPECT = "respect"
    TIME = "time"
    MONEY = "money"
    ABUSE = "abuse"
    STAGNATION = "stagnation"


class Archetype(StrEnum):
    MICROMANAGER = "micromanager"
    SCOPE_CREEPER = "scope-creeper"
    NON_PAYER = "non-payer"
    ABUSIVE = "abusive"
    OUTGROWN = "outgrown"
    TIME_SINK = "time-sink"


class RepairOutcome(StrEnum):
    IMPROVED = "improved"
    NO_CHANGE = "no-change"
    WORSE = "worse"


class Channel(StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in-person"
    EMAIL = "email"
    LETTER = "letter"
    TEXT_MESSAGE = "text-message"
    SOCIAL_MEDIA = "social-media"


# DOMAIN.md: never end a relationship by text message or social media.
FORBIDDEN_CHANNELS = frozenset({Channel.TEXT_MESSAGE, Channel.SOCIAL_MEDIA})


class HandoverKind(StrEnum):
    FILE = "file"
    CREDENTIAL = "credential"
    DOCUMENT = "document"
    CONTACT = "contact"


class HandoverStatus(StrEnum):
    PENDING = "pending"
    HANDED_OVER = "handed-over"
    REVOKED = "revoked"
    WAIVED = "waived"


class Decision(StrEnum):
    KEEP = "keep"
    REPAIR = "repair"
    OFFBOARD = "offboard"


class LessonCategory(StrEnum):
    """What a lesson learned is about: the groups the screening checklist gathers them in
    (DOMAIN.md section 4, stage 5: missed warning signs, better questions, contract changes)."""

    MISSED_RED_FLAG = "missed-red-flag"  # a warning sign that was there at intake
    CONTRACT_CLAUSE = "contract-clause"  # a clause to put in the next contract
    SCREENING_QUESTION = "screening-question"  # a question to ask a prospect
    PAYMENT_TERMS = "payment-terms"  # deposits, terms, how and when to invoice
    COMMUNICATION = "communication"  # communication expectations to agree up front
    OTHER = "other"


class ItemKind(StrEnum):
    """What a screening checklist item asks about (domain/screening.py maps each lesson
    category to one)."""

    WARNING_SIGN = "warning-sign"  # something to look for in the prospect
    QUESTION = "question"  # something to ask the prospect
    CLAUSE = "clause"  # something the contract should say

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")

    @property
    def against(self) -> Answer:
        """The answer that counts against the prospect: a warning sign seen (yes), a
        question not answered to your satisfaction or a clause they will not sign (no)."""
        return Answer.YES if self is ItemKind.WARNING_SIGN else Answer.NO


class Answer(StrEnum):
    """A screening answer; which of yes and no counts against the prospect depends on the
    item's kind."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"
