"""What is due: the deadlines that fall within a window of days from today (overdue ones
always count), how many of each, which is the most urgent, and whether anything is due or
overdue. `offboard due` and `offboard timers --within` both select with `within()`, so a
window means the same everywhere.

The deadlines themselves come from the agenda (timers.py); nothing here knows their kinds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .timers import SOON_DAYS, Deadline
from .validate import MAX_RELATIVE_DAYS, whole_number
from .wording import counted

# A reminder that fires daily should warn while there is still time to act, and no earlier
# than the agenda starts calling a deadline "soon".
DEFAULT_WITHIN = SOON_DAYS

# What a run found, worst first: the CLI turns each into its exit status.
OVERDUE, DUE, NOTHING = "overdue", "due", "nothing"


def window(value: Any) -> int:
    """The number of days a window reaches ahead of today: 0 (today only) up to the furthest
    a relative date may go. Raises InvalidInput for anything else (a sign, a fraction, text)."""
    return whole_number(value, "the number of days", 0, MAX_RELATIVE_DAYS)


def within(items: Iterable[Deadline], today: dt.date, days: int) -> list[Deadline]:
    """The deadlines due at most `days` days from `today`, overdue ones included, in the
    order given."""
    return [d for d in items if d.days(today) <= days]


@dataclass(frozen=True)
class Due:
    """The deadlines within a window, in the agenda's order (soonest first)."""

    today: dt.date
    days: int
    items: tuple[Deadline, ...]

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.items if d.days(self.today) < 0)

    @property
    def due_today(self) -> int:
        return sum(1 for d in self.items if d.days(self.today) == 0)

    @property
    def upcoming(self) -> int:
        """Due after today but within the window."""
        return sum(1 for d in self.items if d.days(self.today) > 0)

    @property
    def status(self) -> str:
        if self.overdue:
            return OVERDUE
        return DUE if self.items else NOTHING

    @property
    def most_urgent(self) -> Deadline | None:
        """The one to deal with first: the longest overdue, else the soonest due (ties in the
        agenda's order)."""
        return min(self.items, key=lambda d: d.due, default=None)

    def counts(self) -> dict[str, int]:
        return {
            "overdue": self.overdue,
            "today": self.due_today,
            "upcoming": self.upcoming,
            "total": len(self.items),
        }

    def summary(self) -> str:
        """One line: '2 deadlines overdue, 1 due today, 3 due within 7 days'."""
        reach = "today" if self.days == 0 else f"within {counted(self.days, 'day')}"
        parts = [
            (self.overdue, "overdue"),
            (self.due_today, "due today"),
            (self.upcoming, f"due {reach}"),
        ]
        said = [(n, what) for n, what in parts if n]
        if not said:
            return f"Nothing overdue or due {reach}"
        first, *rest = said
        words = [f"{counted(first[0], 'deadline')} {first[1]}"]
        words += [f"{n} {what}" for n, what in rest]
        return ", ".join(words)


def due(items: Iterable[Deadline], today: dt.date, days: int = DEFAULT_WITHIN) -> Due:
    """What of `items` (the agenda) is overdue or due within `days` days of `today`."""
    return Due(today, days, tuple(within(items, today, days)))
