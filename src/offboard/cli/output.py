"""What the CLI prints: the JSON contract (its keys are documented in the README's "JSON
output" section and must stay stable) and the text tables.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import orjson

from ..domain.checklists import DONE, WAIVED, Checklist, answered, ticks
from ..domain.due import Due
from ..domain.followups import invoice_of, open_follow_ups, pending
from ..domain.listing import Listed
from ..domain.models import Client, FollowUp, IntakeAnswer, Lesson
from ..domain.refunds import due as refund_due
from ..domain.timers import Deadline, deadlines, next_deadline
from ..formats import deadline_text, money
from .fixes import fix_command

# --- JSON ------------------------------------------------------------------------------------


def emit_json(data: Any) -> None:
    # orjson: the standard encoder with indent=2 takes ~0.5 s for 10,000 clients. The
    # newline is written on its own: adding it would copy megabytes once more.
    out = sys.stdout.buffer
    out.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    out.write(b"\n")


def deadline_dict(deadline: Deadline, today: dt.date) -> dict[str, object]:
    """One deadline in `timers --json` and in a client's `next_deadline` and `deadlines`."""
    return deadline.to_dict(today)


def due_dict(found: Due) -> dict[str, Any]:
    """`due --json`: the window, what it found (`status`: nothing, due or overdue), the
    counts, the one-line summary and the deadlines themselves, soonest first."""
    first = found.most_urgent
    return {
        "today": found.today.isoformat(),
        "within": found.days,
        "status": found.status,
        "counts": found.counts(),
        "summary": found.summary(),
        "most_urgent": deadline_dict(first, found.today) if first else None,
        "items": [deadline_dict(d, found.today) for d in found.items],
    }


def client_summary(client: Client, today: dt.date) -> dict[str, Any]:
    """The stable JSON shape of one client in `list --json` (documented in the README)."""
    return listed_summary(Listed.of(client), today)


def listed_summary(entry: Listed, today: dt.date) -> dict[str, Any]:
    """One client in `list --json`, as `list` reads it (see domain/listing.py)."""
    nxt = entry.next_deadline
    return {
        "id": entry.id,
        "name": entry.name,
        "stage": entry.stage.value,
        "outcome": entry.outcome.value if entry.outcome else None,
        "archetype": entry.archetype.value if entry.archetype else None,
        "email": entry.email,
        "flags": entry.flags,
        "outstanding": str(entry.outstanding),
        "currency": entry.currency,
        "next_deadline": deadline_dict(nxt, today) if nxt else None,
        "rev": entry.rev,
    }


def client_detail(client: Client, today: dt.date) -> dict[str, Any]:
    """The whole record, as `show --json` prints it."""
    data = client.to_dict()
    data["damage"] = [{"path": p.path, "message": p.message} for p in client.damage]
    data["outstanding"] = str(client.outstanding())
    data["deadlines"] = [deadline_dict(d, today) for d in deadlines(client)]
    nxt = next_deadline(client)
    data["next_deadline"] = deadline_dict(nxt, today) if nxt else None
    return data


def finding_dict(f: Any) -> dict[str, str | None]:
    """A letter check (letters.checks.Finding), with its fix worded as a command."""
    return {
        "id": f.id,
        "severity": f.severity,
        "title": f.title,
        "detail": f.detail,
        "fix": fix_command(f.fix),
    }


# --- text ------------------------------------------------------------------------------------


def finding_line(f: Any) -> str:
    command = fix_command(f.fix)
    fix = f" (run: {command})" if command is not None else ""
    return f"{f.severity}: {f.title}: {f.detail}{fix}"


def warn(findings: list[Any]) -> None:
    """Letter errors that do not stop the command, one line each on stderr."""
    for f in findings:
        print(f"offboard: warning: {finding_line(f).split(': ', 1)[1]}", file=sys.stderr)


def table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def print_list(entries: list[Listed], today: dt.date, empty: str | None = None) -> None:
    """The clients as a table; `empty` says why there are none when a filter left none."""
    if not entries:
        print(empty or "No clients yet. Add one with: offboard add NAME")
        return
    rows = []
    for c in entries:
        nxt = c.next_deadline
        stage = c.stage.value if not c.outcome else f"{c.stage.value} ({c.outcome.value})"
        owed = c.outstanding
        rows.append(
            [
                c.id[:8],
                c.name,
                stage,
                c.archetype.value if c.archetype else "-",
                str(c.flags),
                money(owed, c.currency, c.locale) if owed else "-",
                nxt.countdown(today) if nxt else "-",
            ]
        )
    print(table(rows, ["ID", "NAME", "STAGE", "ARCHETYPE", "FLAGS", "OPEN", "NEXT"]))


def print_timers(items: list[Deadline], today: dt.date) -> None:
    if not items:
        print("No open deadlines.")
        return
    rows = [[str(d.due), d.countdown(today), d.client_name, deadline_text(d)] for d in items]
    print(table(rows, ["DUE", "WHEN", "CLIENT", "WHAT"]))


SHORT_ID = 6  # enough to tell a client's records apart; commands take it (or more) back


def short(record_id: str) -> str:
    """A record's short id, as `show` prints it and edit-KIND / delete-KIND take it."""
    return record_id[:SHORT_ID]


def follow_up_line(item: FollowUp, client: Client) -> str:
    """One open follow-up in `show`: short id, date, what it chases, and why it is no longer
    a deadline when its invoice was settled meanwhile."""
    line = f"{short(item.id)}  {item.on}  {item.about}"
    invoice = invoice_of(item, client)
    if invoice is not None and not pending(item, client):
        line += f"  (invoice {invoice.number} is settled: nothing to chase)"
    return line


def lesson_line(lesson: Lesson) -> str:
    """One lesson in `show`: short id, date, category, and its text, later lines indented
    under the first so the list stays readable."""
    on = lesson.on.isoformat() if lesson.on else "-"
    head = f"{short(lesson.id)}  {on:<10}  [{lesson.category.value}] "
    return head + lesson.text.replace("\n", "\n  " + " " * len(head))


def intake_line(answer: IntakeAnswer) -> str:
    """One screening answer in `show`: date, answer, kind, the item as it was asked; "!"
    marks an answer that counted against the prospect."""
    mark = "!" if answer.against else " "
    head = f"{answer.on}  {mark} {answer.answer.value:<7} [{answer.kind.value}] "
    return head + answer.item.replace("\n", "\n  " + " " * len(head))


def checklist_lines(checklist: Checklist, client: Client) -> list[str]:
    """A stage's checklist as `checklist` and `show` print it: [x] done, [-] waived, [ ] open;
    under an item the client's records answer, why it counts as done."""
    states = ticks(client, checklist.stage)
    answers = answered(client, checklist.stage)
    marks = {DONE: "x", WAIVED: "-"}
    lines = []
    for item in checklist.items:
        state = states.get(item.id)
        lines.append(f"[{marks.get(state or '', ' ')}] {item.id:<20} {item.text}")
        if state == DONE and item.id in answers:
            lines.append(f"    {'':<20} ✓ {answers[item.id]}")
    return lines


def checklist_json(checklist: Checklist, client: Client) -> list[dict[str, str | None]]:
    """`checklist --json`: each item's id, text, state (done, waived or null: done also when
    the records answer it) and `answered`, why the records count it as done (or null)."""
    states = ticks(client, checklist.stage)
    answers = answered(client, checklist.stage)
    return [
        {"id": i.id, "text": i.text, "state": states.get(i.id), "answered": answers.get(i.id)}
        for i in checklist.items
    ]


def print_client(c: Client, today: dt.date, checklist: Checklist | None = None) -> None:
    """Everything about one client; `checklist`, the current stage's, is shown if given."""
    out = [f"{c.name}  [{c.stage.value}{' / ' + c.outcome.value if c.outcome else ''}]"]
    out.append(f"  id         {c.id}")
    for label, value in (
        ("email", c.email),
        ("company", c.company),
        ("archetype", c.archetype.value if c.archetype else ""),
        ("locale", c.locale),
        ("country", c.country),
        ("notice", c.contract.notice_period),
    ):
        if value:
            out.append(f"  {label:<10} {value}")
    if c.decision:
        out.append(
            f"  decision   {c.decision.decision.value} on {c.decision.on}: {c.decision.reason}"
        )
    if c.conversation:
        cv = c.conversation
        out.append(
            f"  notice     given {cv.on} by {cv.channel.value}, {cv.period}; "
            f"last working day {cv.last_day}"
        )
    sections: list[tuple[str, list[str]]] = [
        (
            "Red flags",
            [
                f"{short(f.id)}  {f.on}  [{f.category.value} {'!' * f.severity}] {f.description}"
                + (f"  ({f.evidence})" if f.evidence else "")
                for f in c.flags
            ],
        ),
        (
            "Repair attempts",
            [
                f"{short(r.id)}  {r.started} -> review {r.review}  {r.strategy}  "
                f"[{r.outcome.value if r.outcome else 'open'}]"
                for r in c.repairs
            ],
        ),
        (
            "Deliverables",
            [
                f"{short(d.id)}  [{'x' if d.done else ' '}] {d.title}"
                + (f" (due {d.due})" if d.due else "")
                + (f"  worth {money(d.value, c.currency, c.locale)}" if d.value is not None else "")
                for d in c.deliverables
            ],
        ),
        (
            "Handover",
            [
                f"{short(h.id)}  {h.kind.value:<10} {h.label}  [{h.status.value}]"
                for h in c.handover
            ],
        ),
        (
            "Invoices",
            [
                line
                for i in c.invoices
                for line in [
                    f"{short(i.id)}  {i.number}  {money(i.amount, c.currency, c.locale)}  "
                    f"due {i.due}  open {money(i.outstanding, c.currency, c.locale)}"
                    + ("  (written off)" if i.written_off else ""),
                    *(
                        f"{short(p.id)}    paid {money(p.amount, c.currency, c.locale)} on {p.on}"
                        for p in i.payments
                    ),
                ]
            ],
        ),
        (
            "Refunds",
            [
                f"{short(r.id)}  {money(r.amount, r.currency, c.locale)}  agreed {r.on}  "
                + (f"paid out {r.paid_out}" if r.paid_out else f"to pay out by {refund_due(r, c)}")
                + f"  {r.reason}"
                for r in c.refunds
            ],
        ),
        ("Open follow-ups", [follow_up_line(f, c) for f in open_follow_ups(c)]),
        (
            "Letters",
            [
                f"{short(x.id)}  {x.sent_on}  {x.subject or x.template}  by {x.channel.value}"
                for x in c.letters
            ],
        ),
        ("Lessons learned", [lesson_line(x) for x in c.lessons]),
        ("Intake notes (screening answers)", [intake_line(x) for x in c.intake]),
        (
            "Deadlines",
            [f"{d.due}  {d.countdown(today):<22} {deadline_text(d)}" for d in deadlines(c)],
        ),
        ("History", [f"{h.at:%Y-%m-%d %H:%M}  {h.summary}" for h in c.history[-10:]]),
    ]
    if checklist is not None:
        sections.insert(-2, (f"{checklist.title} checklist", checklist_lines(checklist, c)))
    for title, lines in sections:
        if lines:
            out.append(f"\n{title}:")
            out.extend(f"  {line}" for line in lines)
    if c.damage:
        out.append(
            "\nStored data that breaks a rule (correct it with `offboard edit` or edit-KIND):"
        )
        out.extend(f"  ! {p.line()}" for p in c.damage)
    print("\n".join(out))
