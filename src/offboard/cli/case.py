"""The case: moves between stages, red flags, the assessment, repair attempts, the decision,
the notice conversation, the stage checklists and the lessons learned."""

from __future__ import annotations

from ..domain.errors import GateBlocked, NeedsConfirmation, OffboardError
from ..domain.models import (
    FORBIDDEN_CHANNELS,
    Category,
    Channel,
    Decision,
    LessonCategory,
    RepairOutcome,
    Stage,
)
from ..domain.notice import parse_period
from ..formats import counted, money
from .fixes import fix_hint
from .insight import show_advice
from .output import checklist_json, checklist_lines, emit_json
from .registry import (
    Context,
    arg,
    client_arg,
    command,
    date_arg,
    one_of,
    values,
)

NOTICE_CHANNELS = ", ".join(c.value for c in Channel if c not in FORBIDDEN_CHANNELS)


@command(
    "move",
    "move a client to another stage",
    client_arg(),
    arg("stage", help=values(Stage)),
    arg("--reason", help="why (required when moving back out of notice or later)"),
    arg("--force", action="store_true", help="override soft gates (recorded)"),
)
def move(ctx: Context) -> None:
    a = ctx.args
    try:
        result = ctx.services.move(a.client, a.stage, reason=a.reason, force=a.force)
    except GateBlocked as exc:
        hint = fix_hint(exc.missing)
        raise OffboardError(exc.one_line(), f"next: {hint}" if hint else None) from None
    except NeedsConfirmation as exc:
        hint = "give --reason TEXT" if exc.needs_reason else "rerun with --force to override"
        more = fix_hint(exc.warnings)
        if more and not exc.needs_reason:
            hint += f", or first: {more}"
        raise OffboardError(exc.one_line(), hint) from None
    c = result.client
    msg = f"Moved {c.name} to {c.stage.value}."
    if result.overridden:
        msg += " Overridden: " + "; ".join(result.overridden) + "."
    ctx.report(c, msg)


@command(
    "flag",
    "log a red flag",
    client_arg(),
    arg("category", help=values(Category)),
    arg("text", help="what happened, factually"),
    arg("--severity", type=int, default=2, choices=(1, 2, 3)),
    date_arg("--on", "when it happened, default today", past=True),
    arg("--evidence", help="email subject, file, invoice number..."),
)
def flag(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.log_flag(
        a.client, a.category, a.text, severity=a.severity, on=a.on, evidence=a.evidence or ""
    )
    ctx.report(client, f"Logged a {a.category} flag for {client.name} ({len(client.flags)} now).")


@command(
    "repair",
    "start a repair attempt",
    client_arg(),
    arg("strategy", help="e.g. 'weekly check-in call'"),
    date_arg(
        "--review", "when to review whether it worked (+N wd: N working days on)", required=True
    ),
    date_arg("--start", "when it started, default today"),
    arg("--outcome", help=values(RepairOutcome)),
    arg("--notes"),
)
def repair(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_repair(
        a.client, a.strategy, a.review, started=a.start, outcome=a.outcome, notes=a.notes or ""
    )
    # The date as stored: what was typed may have been "+14" or "friday".
    review = client.repairs[-1].review
    ctx.report(client, f"Repair attempt for {client.name}: review on {review}.")


@command(
    "review",
    "record how a repair attempt went",
    client_arg(),
    arg("attempt", help="number, id or strategy text"),
    arg("outcome", help=values(RepairOutcome)),
    arg("--notes"),
)
def review(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.record_repair_outcome(a.client, a.attempt, a.outcome, notes=a.notes or "")
    ctx.report(client, f"Recorded the outcome for {client.name}: {a.outcome}.")


@command(
    "assess",
    "fill in the assessment, or show the recommendation",
    client_arg(),
    arg("--revenue", metavar="AMOUNT"),
    arg("--hours", metavar="HOURS"),
    arg("--financial"),
    arg("--operational"),
    arg("--long-term", dest="long_term"),
    arg("--recommend", help=f"your own pick: {values(Decision)}"),
)
def assess(ctx: Context) -> None:
    a = ctx.args
    values_given = {
        k: v
        for k, v in {
            "revenue": a.revenue,
            "hours": a.hours,
            "financial": a.financial,
            "operational": a.operational,
            "long_term": a.long_term,
            "recommendation": a.recommend,
        }.items()
        if v is not None
    }
    if not values_given:
        show_advice(ctx, a.client)
        return
    client = ctx.services.assess(a.client, **values_given)
    rate = client.assessment.effective_rate()
    shown = money(rate, client.currency, client.locale) if rate is not None else ""
    extra = f" Effective rate {shown}/h." if rate is not None else ""
    ctx.report(client, f"Assessment of {client.name} saved.{extra}")
    if not ctx.args.json:
        show_advice(ctx, client.id)


@command(
    "decide",
    "record the decision (keep retains the client)",
    client_arg(),
    arg("decision", help=values(Decision)),
    arg("reason", help="one clear reason"),
    arg("--force", action="store_true", help="confirm withdrawing notice already given"),
)
def decide(ctx: Context) -> None:
    a = ctx.args
    try:
        client = ctx.services.decide(a.client, a.decision, a.reason, force=a.force)
    except NeedsConfirmation as exc:
        raise OffboardError(exc.one_line(), "rerun with --force to confirm") from None
    ctx.report(client, f"Decision for {client.name}: {a.decision}.")


@command(
    "notice",
    "record the termination conversation",
    client_arg(),
    date_arg("--on", "when the conversation took place", required=True, past=True),
    arg("--channel", required=True, help=NOTICE_CHANNELS),
    arg("--period", help="notice period (default: the contract's)"),
)
def notice(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.record_conversation(a.client, a.on, a.channel, a.period)
    cv = client.conversation
    assert cv is not None
    recorded = (
        f"Conversation with {client.name} recorded; last working day {cv.last_day} ({cv.period})."
    )
    read = f"Notice period read as {parse_period(cv.period).explain()}."
    ctx.report(client, f"{recorded}\n{read}")


@command(
    "check",
    "tick a checklist item",
    client_arg(),
    arg("stage", help=values(Stage)),
    arg("item", help="item id, see `offboard checklist CLIENT`"),
    one_of(
        arg("--waive", action="store_true", help="mark as not needed"),
        arg("--clear", action="store_true", help="mark as open again"),
    ),
)
def check(ctx: Context) -> None:
    a = ctx.args
    state = None if a.clear else ("waived" if a.waive else "done")
    client = ctx.services.set_checklist_item(a.client, a.stage, a.item, state)
    ctx.report(client, f"{a.stage} checklist of {client.name}: {a.item} -> {state or 'open'}.")


@command(
    "checklist",
    "show a stage checklist for a client",
    client_arg(),
    arg("stage", nargs="?", choices=[s.value for s in Stage]),
)
def checklist(ctx: Context) -> None:
    svc = ctx.services
    client = svc.resolve(ctx.args.client)
    stage = Stage(ctx.args.stage) if ctx.args.stage else client.stage
    found = svc.checklists.get(stage)
    if found is None:
        raise OffboardError(f"there is no checklist for {stage.value}")
    if ctx.args.json:
        emit_json(checklist_json(found, client))
        return
    print(f"{found.title} checklist for {client.name}:")
    print("\n".join(f"  {line}" for line in checklist_lines(found, client)))


@command(
    "lessons",
    "record a lesson learned",
    client_arg(),
    arg("text", help="what to do differently with the next client"),
    arg(
        "--category",
        default=LessonCategory.OTHER.value,
        help=f"what it is about: {values(LessonCategory)} (default: other)",
    ),
    date_arg("--on", "when it was learned, default today", past=True),
)
def lessons(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_lesson(a.client, a.category, a.text, on=a.on)
    lesson = client.lessons[-1]
    count = len(client.lessons)
    ctx.report(
        client,
        f"Recorded a lesson for {client.name} ({lesson.category.value}); "
        f"{counted(count, 'lesson')} now.",
    )
