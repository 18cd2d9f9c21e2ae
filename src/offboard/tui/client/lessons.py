"""The Lessons tab: what this client taught, one lesson per row with its category, for
screening the next clients."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from rich.text import Text

from ...domain.models import Client
from ..actions import bindings, key_text
from ..forms import LESSON_CATEGORY_HINTS, LESSON_CATEGORY_LABELS, LessonForm
from .flags import DATE
from .tab import when
from .table_tab import Row, TableTab

CATEGORY = 26  # the longest label, "Communication expectations"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class LessonsTab(TableTab):
    TAB_ID, LABEL, SHORT = "lessons", "Lessons", "Lessons"
    ACTION_SCOPE = "client.lessons"
    BINDINGS = bindings(ACTION_SCOPE)

    def action_add_lesson(self) -> None:
        self.open_form(LessonForm(self.state.client_id, chain=self.state.chain))

    def draw(self, c: Client, today: dt.date) -> None:
        add = key_text(self, "client.add_lesson")
        if c.lessons:
            kinds = Counter(x.category for x in c.lessons)
            summary = Text(f"{_count(len(c.lessons), 'lesson')} learned: ")
            summary.append(
                ", ".join(
                    f"{n} {LESSON_CATEGORY_LABELS[k].lower()}" for k, n in kinds.most_common()
                )
                + ". ",
            )
            summary.append(f"{add} adds another.", style="dim")
        else:
            summary = Text(
                f"No lessons learned recorded yet. Press {add} to write down what to do "
                "differently with the next client.",
                style="dim",
            )
        self.summary(summary)
        rows: list[Row] = []
        for x in c.lessons:
            on = Text(when(x.on, c.locale)) if x.on else Text("–", style="dim")
            category = Text(LESSON_CATEGORY_LABELS[x.category], style="bold")
            detail = Text(LESSON_CATEGORY_HINTS[x.category], style="dim")
            rows.append((x.id, [on, category, Text(x.text)], detail))
        columns = [
            ("Learned", DATE),
            ("About", CATEGORY),
            ("Lesson", self.flex([DATE, CATEGORY])),
        ]
        self.fill(columns, rows, wrap=True)
