"""Lessons learned: one lesson at a time, each with the category the screening checklist
will gather it under."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...domain import validate as v
from ...domain.models import LessonCategory
from .engine import FormScreen
from .fields import PAST_DATE_HINT, Field, FormView, date_rule, rule, today_text
from .labels import enum_options

if TYPE_CHECKING:
    from ...domain.models import Client
    from ...services import Services

# The words the form offers, and the Lessons tab shows, for each category.
LESSON_CATEGORY_LABELS = {
    LessonCategory.MISSED_RED_FLAG: "Missed red flag at intake",
    LessonCategory.CONTRACT_CLAUSE: "Contract clause to add",
    LessonCategory.SCREENING_QUESTION: "Screening question to ask",
    LessonCategory.PAYMENT_TERMS: "Payment terms",
    LessonCategory.COMMUNICATION: "Communication expectations",
    LessonCategory.OTHER: "Other",
}

# What each category is for, said under the choice once it is made.
LESSON_CATEGORY_HINTS = {
    LessonCategory.MISSED_RED_FLAG: "A warning sign that was already there before the work began.",
    LessonCategory.CONTRACT_CLAUSE: "What the next contract should say: scope, change orders, "
    "how either side may end it.",
    LessonCategory.SCREENING_QUESTION: "A question to ask, or a small first project to offer, "
    "before agreeing to work together.",
    LessonCategory.PAYMENT_TERMS: "Deposits, terms, and when work stops for an unpaid invoice.",
    LessonCategory.COMMUNICATION: "Channels, response times and meeting rhythm to agree up front.",
    LessonCategory.OTHER: "Anything else worth remembering next time.",
}


def _category_hint(category: Any, _form: FormView) -> str:
    return LESSON_CATEGORY_HINTS[LessonCategory(category)]


class LessonForm(FormScreen):
    FORM_TITLE = "Lesson learned"
    INTRO = "One thing to do differently with the next client. Add one lesson at a time."
    SAVE_LABEL = "Record lesson"
    CHANGE = "record lesson learned"
    RECORD, NOUN = "lesson", "lesson"
    FIELDS = (
        Field(
            "category",
            "About",
            "choice",
            options=enum_options(LessonCategory, LESSON_CATEGORY_LABELS),
            blank=True,
            prompt="Choose what the lesson is about",
            required="Choose what the lesson is about; screening groups lessons by it.",
            explain=_category_hint,
        ),
        Field(
            "text",
            "Lesson",
            "area",
            parse=rule(v.free_text, "the lesson"),
            required="Write the lesson in a sentence or two.",
            hint="e.g. Ask for a deposit before the first project starts.",
        ),
        Field(
            "on",
            "Learned on",
            default=today_text,
            prompt=PAST_DATE_HINT,
            parse=date_rule("the lesson date", happened=True),
            required="Give the day it was learned.",
        ),
    )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        assert self.client_id is not None
        return services.add_lesson(
            self.client_id,
            values["category"],
            values["text"],
            on=values["on"],
            expected_rev=expected_rev,
        )
