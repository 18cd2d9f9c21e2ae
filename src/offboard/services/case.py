"""The case itself: red flags, the assessment, repair attempts, the decision, the notice
conversation, moves between stages and the stage checklists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .. import workcalendar
from ..domain import notice, validate as v
from ..domain.checklists import ITEM_STATES
from ..domain.clauses import notice_period, stored_notice
from ..domain.errors import (
    InvalidInput,
    NeedsConfirmation,
)
from ..domain.fixes import Requirement
from ..domain.models import (
    Category,
    Client,
    Conversation,
    Decision,
    DecisionRecord,
    Lesson,
    LessonCategory,
    Outcome,
    RedFlag,
    RepairAttempt,
    RepairOutcome,
    Stage,
)
from ..domain.reviews import review_day, working_days_asked
from ..domain.stages import COMMITTED_STAGES, check_move, enforce
from ..domain.validate import choice
from ..domain.workdays import DaysOff, NotAWorkingDay

if TYPE_CHECKING:
    pass

from .core import Change, MoveResult, ServiceCore, find_item


class CaseServices(ServiceCore):
    """The case: red flags, assessment, repair, decision, notice, stages, checklists."""

    def log_flag(
        self,
        ref: str,
        category: str,
        description: str,
        *,
        severity: int = 2,
        on: dt.date | None = None,
        evidence: str = "",
        expected_rev: int | None = None,
    ) -> Client:
        text = v.free_text(description, "the description")
        if not text:
            raise InvalidInput("a red flag needs a short description of what happened")
        flag = RedFlag(
            category=choice(Category, category, "flag category"),
            description=text,
            on=self._not_future(on, "the flag date"),
            severity=v.severity(severity),
            evidence=v.one_line(evidence, "the evidence"),
        )

        def change(c: Client) -> Change:
            c.flags.append(flag)
            return f"red flag ({flag.category.value}): {flag.description}", None, flag.to_dict()

        return self._change(ref, "flag", change, expected_rev)

    def assess(self, ref: str, expected_rev: int | None = None, **values: Any) -> Client:
        allowed = {"revenue", "hours", "financial", "operational", "long_term", "recommendation"}
        unknown = set(values) - allowed
        if unknown:
            raise InvalidInput(f"an assessment has no {', '.join(sorted(unknown))}")

        rules: dict[str, Callable[[Any], Any]] = {
            "financial": lambda x: v.free_text(x, "the financial notes"),
            "operational": lambda x: v.free_text(x, "the operational notes"),
            "long_term": lambda x: v.free_text(x, "the long-term notes"),
            "recommendation": lambda x: choice(Decision, x, "recommendation") if x else None,
        }
        clean = {k: rules[k](x) for k, x in values.items() if k in rules}

        def change(c: Client) -> Change:
            for key, what in (("revenue", "revenue"), ("hours", "hours")):
                if key in values:
                    clean[key] = self._opt_amount(values[key], what, c.locale)
            old = c.assessment.to_dict()
            a = replace(c.assessment, **clean, on=self.clock.today())
            c.assessment = a
            return "assessment updated", old, a.to_dict()

        return self._change(ref, "assess", change, expected_rev)

    def add_repair(
        self,
        ref: str,
        strategy: str,
        review: dt.date | str,
        *,
        started: dt.date | None = None,
        outcome: str | None = None,
        notes: str = "",
        expected_rev: int | None = None,
    ) -> Client:
        what = v.one_line(strategy, "the strategy")
        if not what:
            raise InvalidInput("a repair attempt needs a strategy", "e.g. 'weekly check-in call'")
        start = self._day(started, "the start date")
        # Checked before the client is read, so a bad date is reported as such; counted again
        # with the client's own calendar when the review is given in working days.
        first_guess = review_day(review, start, self.clock.today(), self.working_days())
        attempt = RepairAttempt(
            strategy=what,
            started=start,
            review=first_guess,
            outcome=choice(RepairOutcome, outcome, "repair outcome") if outcome else None,
            notes=v.free_text(notes, "the notes"),
        )

        def change(c: Client) -> Change:
            if working_days_asked(review) is not None:
                attempt.review = review_day(review, start, self.clock.today(), self.working_days(c))
            c.repairs.append(attempt)
            return (
                f"repair attempt: {attempt.strategy}, review {attempt.review}",
                None,
                attempt.to_dict(),
            )

        return self._change(ref, "repair", change, expected_rev)

    def record_repair_outcome(
        self,
        ref: str,
        attempt: str,
        outcome: str,
        *,
        notes: str = "",
        expected_rev: int | None = None,
    ) -> Client:
        result = choice(RepairOutcome, outcome, "repair outcome")
        more = v.free_text(notes, "the notes")

        def change(c: Client) -> Change:
            target = find_item(c.repairs, attempt, lambda r: r.strategy, "repair attempt")
            old = target.outcome.value if target.outcome else None
            target.outcome = result
            if more:
                target.notes = more
            return f"repair '{target.strategy}' ended: {result.value}", old, result.value

        return self._change(ref, "repair-outcome", change, expected_rev)

    def decide(
        self,
        ref: str,
        decision: str,
        reason: str,
        expected_rev: int | None = None,
        *,
        force: bool = False,
    ) -> Client:
        what = choice(Decision, decision, "decision")
        if not isinstance(reason, str) or not reason.split():
            raise InvalidInput("a decision needs one clear reason")
        reason = v.one_line(" ".join(reason.split()), "the reason")

        def change(c: Client) -> Change:
            old = c.decision.to_dict() if c.decision else None
            c.decision = DecisionRecord(what, reason, self.clock.today())
            summary = f"decided to {what.value}: {reason}"
            if what is Decision.KEEP:
                if c.stage in COMMITTED_STAGES and not force:
                    raise NeedsConfirmation(
                        f"{c.name} has already been given notice; keeping them takes it back",
                        [Requirement("confirm that the notice is withdrawn")],
                    )
                # Keeping the client ends the process: the card leaves the board as retained.
                old_stage = c.stage
                c.stage, c.outcome = Stage.CLOSED, Outcome.RETAINED
                summary += f" (retained, was in {old_stage.value})"
            return summary, old, c.decision.to_dict()

        return self._change(ref, "decide", change, expected_rev)

    def record_conversation(
        self,
        ref: str,
        on: dt.date,
        channel: str,
        period: str | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        how = v.notice_channel(channel)
        on = self._not_future(on, "the conversation date")
        if period is not None:
            period = stored_notice(period)

        def change(c: Client) -> Change:
            text = period or c.contract.notice_period or self.config.default_notice
            parsed = notice_period(text)
            last = notice.last_working_day(on, parsed, self.working_days(c))
            old = c.conversation.to_dict() if c.conversation else None
            c.conversation = Conversation(on, how, parsed.describe(), last)
            summary = f"conversation on {on} by {how.value}; last working day {last}"
            return summary, old, c.conversation.to_dict()

        return self._change(ref, "conversation", change, expected_rev)

    def working_days(self, client: Client | None = None) -> DaysOff:
        """The calendar `client`'s business days are counted with: its country's public
        holidays (else the config's) and the user's own days off (see workcalendar)."""
        return workcalendar.calendar_for(self.config, client)

    def last_day_check(self, client: Client) -> NotAWorkingDay | None:
        """Whether the recorded last working day has become a day off since it was recorded (a
        holiday added, a country set): why, and the next working day. None when it is fine or
        not recorded. Nothing is changed; the front ends show it and the user decides."""
        cv = client.conversation
        if cv is None:
            return None
        return notice.check_last_day(cv.on, cv.period, cv.last_day, self.working_days(client))

    # --- moving through the stages --------------------------------------------------------------

    def move(
        self,
        ref: str,
        stage: str | Stage,
        *,
        reason: str | None = None,
        force: bool = False,
        expected_rev: int | None = None,
    ) -> MoveResult:
        target = choice(Stage, stage, "stage")
        overridden: list[str] = []

        def change(c: Client) -> Change:
            if c.stage is target:
                raise InvalidInput(f"{c.name} is already in {target.value}")
            check = check_move(c, target, self.checklists)
            enforce(c, check.missing, check.warnings, check.needs_reason, reason, force, target)
            overridden.extend(check.warnings if check.warnings else [])
            old = c.stage.value
            c.stage = target
            if target is Stage.CLOSED:
                c.outcome = Outcome.OFFBOARDED
            elif old == Stage.CLOSED.value:
                c.outcome = None
            parts = [f"moved from {old} to {target.value}"]
            if check.backward and reason:
                parts.append(f"because: {' '.join(reason.split())}")
            if check.warnings:
                parts.append("overriding: " + "; ".join(check.warnings))
            return ", ".join(parts), old, target.value

        client = self._change(ref, "move", change, expected_rev)
        return MoveResult(client, overridden)

    # --- checklists ---------------------------------------------------------------------------

    def set_checklist_item(
        self,
        ref: str,
        stage: str,
        item_id: str,
        state: str | None,
        expected_rev: int | None = None,
    ) -> Client:
        which = choice(Stage, stage, "stage")
        checklist = self.checklists.get(which)
        if checklist is None:
            raise InvalidInput(f"there is no checklist for {which.value}")
        item = checklist.item(item_id)
        if state is not None and state not in ITEM_STATES:
            raise InvalidInput(f"checklist state {state!r} unknown", "use done, waived or none")

        def change(c: Client) -> Change:
            ticks = c.checklist.setdefault(which.value, {})
            old = ticks.get(item.id)
            if state is None:
                ticks.pop(item.id, None)
            else:
                ticks[item.id] = state
            return f"{which.value} checklist: {item.text} -> {state or 'open'}", old, state

        return self._change(ref, "checklist", change, expected_rev)

    # --- lessons learned ------------------------------------------------------------------------

    def add_lesson(
        self,
        ref: str,
        category: str | LessonCategory,
        text: str,
        *,
        on: dt.date | str | None = None,
        expected_rev: int | None = None,
    ) -> Client:
        """Write down one lesson learned (dated today unless `on`); edit-lesson and
        delete-lesson correct it through the table of record kinds."""
        what = v.free_text(text, "the lesson")
        if not what:
            raise InvalidInput(
                "a lesson needs its text",
                "one or two sentences on what to do differently with the next client",
            )
        lesson = Lesson(
            category=choice(LessonCategory, category, "lesson category"),
            text=what,
            on=self._not_future(on, "the lesson date"),
        )

        def change(c: Client) -> Change:
            c.lessons.append(lesson)
            summary = f"lesson learned ({lesson.category.value}): {lesson.text}"
            return summary, None, lesson.to_dict()

        return self._change(ref, "lesson", change, expected_rev)
