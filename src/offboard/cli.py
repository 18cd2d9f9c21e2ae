"""The command line: argument parsing and output only; every operation is a service call.

`offboard` alone opens the TUI. Errors print one line on stderr and exit 1, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import orjson

from . import __version__
from .bootstrap import make_clock
from .config import resolve_db_path
from .domain.errors import GateBlocked, NeedsConfirmation, OffboardError
from .domain.fixes import Fix
from .domain.models import Client, Stage
from .domain.timers import deadlines, next_deadline
from .files import describe_os_error, read_text_bounded, write_atomically
from .formats import deadline_text, money

if TYPE_CHECKING:
    from .services import Services

EXIT_OK, EXIT_USER_ERROR, EXIT_INTERNAL = 0, 1, 2
MAX_INPUT_BYTES = 16 * 1024 * 1024  # a letter's text given with --body-file


class UsageError(OffboardError):
    pass


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is a one-line error with exit 1 like every other."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}", f"see `{self.prog} --help`")


# --- output ------------------------------------------------------------------------------------


def _emit_json(data: Any) -> None:
    # orjson: the standard encoder with indent=2 takes ~0.5 s for 10,000 clients.
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def client_summary(client: Client, today: dt.date) -> dict[str, Any]:
    """The stable JSON shape of one client in `list --json` (documented in the README)."""
    nxt = next_deadline(client)
    return {
        "id": client.id,
        "name": client.name,
        "stage": client.stage.value,
        "outcome": client.outcome.value if client.outcome else None,
        "archetype": client.archetype.value if client.archetype else None,
        "email": client.email,
        "flags": len(client.flags),
        "outstanding": str(client.outstanding()),
        "currency": client.currency,
        "next_deadline": nxt.to_dict(today) if nxt else None,
        "rev": client.rev,
    }


def client_detail(client: Client, today: dt.date) -> dict[str, Any]:
    data = client.to_dict()
    data["damage"] = [{"path": p.path, "message": p.message} for p in client.damage]
    data["outstanding"] = str(client.outstanding())
    data["deadlines"] = [d.to_dict(today) for d in deadlines(client)]
    nxt = next_deadline(client)
    data["next_deadline"] = nxt.to_dict(today) if nxt else None
    return data


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _print_list(clients: list[Client], today: dt.date) -> None:
    if not clients:
        print("No clients yet. Add one with: offboard add NAME")
        return
    rows = []
    for c in clients:
        nxt = next_deadline(c)
        stage = c.stage.value if not c.outcome else f"{c.stage.value} ({c.outcome.value})"
        owed = c.outstanding()
        rows.append(
            [
                c.id[:8],
                c.name,
                stage,
                c.archetype.value if c.archetype else "-",
                str(len(c.flags)),
                money(owed, c.currency, c.locale) if owed else "-",
                nxt.countdown(today) if nxt else "-",
            ]
        )
    print(_table(rows, ["ID", "NAME", "STAGE", "ARCHETYPE", "FLAGS", "OPEN", "NEXT"]))


def _print_client(c: Client, today: dt.date) -> None:
    out = [f"{c.name}  [{c.stage.value}{' / ' + c.outcome.value if c.outcome else ''}]"]
    out.append(f"  id         {c.id}")
    for label, value in (
        ("email", c.email),
        ("company", c.company),
        ("archetype", c.archetype.value if c.archetype else ""),
        ("locale", c.locale),
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
                f"{f.on}  [{f.category.value} {'!' * f.severity}] {f.description}"
                + (f"  ({f.evidence})" if f.evidence else "")
                for f in c.flags
            ],
        ),
        (
            "Repair attempts",
            [
                f"{r.started} -> review {r.review}  {r.strategy}  "
                f"[{r.outcome.value if r.outcome else 'open'}]"
                for r in c.repairs
            ],
        ),
        (
            "Deliverables",
            [
                f"[{'x' if d.done else ' '}] {d.title}" + (f" (due {d.due})" if d.due else "")
                for d in c.deliverables
            ],
        ),
        ("Handover", [f"{h.kind.value:<10} {h.label}  [{h.status.value}]" for h in c.handover]),
        (
            "Invoices",
            [
                f"{i.number}  {money(i.amount, c.currency, c.locale)}  due {i.due}  "
                f"open {money(i.outstanding, c.currency, c.locale)}"
                + ("  (written off)" if i.written_off else "")
                for i in c.invoices
            ],
        ),
        (
            "Letters",
            [f"{x.sent_on}  {x.subject or x.template}  by {x.channel.value}" for x in c.letters],
        ),
        (
            "Deadlines",
            [f"{d.due}  {d.countdown(today):<22} {deadline_text(d)}" for d in deadlines(c)],
        ),
        ("History", [f"{h.at:%Y-%m-%d %H:%M}  {h.summary}" for h in c.history[-10:]]),
    ]
    for title, lines in sections:
        if lines:
            out.append(f"\n{title}:")
            out.extend(f"  {line}" for line in lines)
    if c.lessons:
        out.append(f"\nLessons learned:\n  {c.lessons}")
    if c.damage:
        out.append("\nStored data that breaks a rule (fix it with `offboard edit` and friends):")
        out.extend(f"  ! {p.line()}" for p in c.damage)
    print("\n".join(out))


# --- commands ----------------------------------------------------------------------------------


class Context:
    """What every command needs, built lazily so `--help` touches no file."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.db_path = resolve_db_path(args.db)
        self.clock = make_clock(args.today)
        self._services: Services | None = None

    @property
    def today(self) -> dt.date:
        return self.clock.today()

    @property
    def services(self) -> Services:
        if self._services is None:
            from .bootstrap import open_services

            self._services = open_services(self.db_path, self.clock, interface="cli")
        return self._services

    def report(self, client: Client, message: str) -> None:
        if self.args.json:
            _emit_json(client_summary(client, self.today))
        else:
            print(message)


def _date_arg(value: str | None, what: str) -> str | None:
    # Dates are passed on as typed: the services read YYYY-MM-DD, today, +N and weekday
    # names with the one rule the TUI's forms use too.
    return value


def cmd_add(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_client(
        a.name,
        email=a.email or "",
        company=a.company or "",
        notice_period=a.notice,
        archetype=a.archetype,
        stage=a.stage,
        locale=a.locale,
        currency=a.currency,
        force=a.force,
    )
    ctx.report(client, f"Added {client.name} ({client.id[:8]}) in {client.stage.value}.")


def cmd_list(ctx: Context) -> None:
    clients = ctx.services.clients(stage=ctx.args.stage, include_closed=not ctx.args.active)
    if ctx.args.json:
        _emit_json([client_summary(c, ctx.today) for c in clients])
    else:
        _print_list(clients, ctx.today)


def cmd_show(ctx: Context) -> None:
    client = ctx.services.resolve(ctx.args.client)
    if ctx.args.json:
        _emit_json(client_detail(client, ctx.today))
    else:
        _print_client(client, ctx.today)


def cmd_edit(ctx: Context) -> None:
    a = ctx.args
    fields = {
        k: v
        for k, v in {
            "name": a.name,
            "email": a.email,
            "company": a.company,
            "locale": a.locale,
            "currency": a.currency,
            "archetype": a.archetype,
            "notice_period": a.notice,
            "termination_clause": a.clause,
            "contract_end": _date_arg(a.contract_end, "--contract-end"),
            "payment_terms_days": a.terms,
            "hourly_rate": a.rate,
        }.items()
        if v is not None
    }
    if not fields:
        raise UsageError("nothing to change", "give at least one option, e.g. --email")
    client = ctx.services.edit_client(a.client, **fields)
    ctx.report(client, f"Updated {client.name}: {', '.join(sorted(fields))}.")


def cmd_delete(ctx: Context) -> None:
    if not ctx.args.yes:
        raise UsageError("deleting a client needs --yes", "`offboard undo` can bring it back")
    client = ctx.services.delete_client(ctx.args.client)
    ctx.report(client, f"Deleted {client.name}. `offboard undo` brings it back.")


# How the CLI says each Fix: the command that puts it right (the TUI names keys instead).
FIX_COMMANDS: dict[Fix, str] = {
    Fix.FIND_CLIENT: "offboard list",
    Fix.CLIENT_DETAILS: "offboard edit CLIENT --email ADDRESS (or --name, --company, ...)",
    Fix.CONTRACT: "offboard edit CLIENT --notice PERIOD (or --clause, --contract-end, ...)",
    Fix.FLAG: "offboard flag CLIENT CATEGORY TEXT",
    Fix.ASSESSMENT: "offboard assess CLIENT --revenue AMOUNT --hours HOURS",
    Fix.REPAIR: "offboard repair CLIENT STRATEGY --review DATE",
    Fix.DECISION: "offboard decide CLIENT offboard REASON",
    Fix.CONVERSATION: "offboard notice CLIENT --on DATE --channel phone",
    Fix.NOTICE_LETTER: "offboard letter CLIENT confirmation, then offboard mark-sent CLIENT",
    Fix.CHECKLIST: "offboard checklist CLIENT, then offboard check CLIENT STAGE ITEM",
    Fix.DELIVERABLES: "offboard done CLIENT DELIVERABLE",
    Fix.HANDOVER: "offboard handed CLIENT ITEM handed-over",
    Fix.INVOICES: "offboard invoice CLIENT NUMBER AMOUNT",
    Fix.SETTLE: "offboard pay CLIENT INVOICE, or offboard write-off CLIENT INVOICE",
    Fix.LESSONS: "offboard lessons CLIENT TEXT",
    Fix.SENDER: "set [sender] name and email in the config file",
    Fix.SMTP: "set [smtp] host, port and security in the config file",
    Fix.DRAFT: "write it into the letter (offboard letter CLIENT TEMPLATE --out FILE)",
}


def fix_hint(items: Sequence[object]) -> str:
    """The commands that put right what `items` (Requirements) are about, once each."""
    commands: list[str] = []
    for item in items:
        fix = getattr(item, "fix", None)
        if fix is not None and FIX_COMMANDS[fix] not in commands:
            commands.append(FIX_COMMANDS[fix])
    return "; ".join(f"`{c}`" for c in commands)


def cmd_move(ctx: Context) -> None:
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


def cmd_flag(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.log_flag(
        a.client,
        a.category,
        a.text,
        severity=a.severity,
        on=_date_arg(a.on, "--on"),
        evidence=a.evidence or "",
    )
    ctx.report(client, f"Logged a {a.category} flag for {client.name} ({len(client.flags)} now).")


def cmd_repair(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_repair(
        a.client,
        a.strategy,
        a.review,
        started=_date_arg(a.start, "--start"),
        outcome=a.outcome,
        notes=a.notes or "",
    )
    ctx.report(client, f"Repair attempt for {client.name}: review on {a.review}.")


def cmd_review(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.record_repair_outcome(a.client, a.attempt, a.outcome, notes=a.notes or "")
    ctx.report(client, f"Recorded the outcome for {client.name}: {a.outcome}.")


def cmd_assess(ctx: Context) -> None:
    a = ctx.args
    values = {
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
    if not values:
        raise UsageError("nothing to assess", "give e.g. --revenue 4000 --hours 80")
    client = ctx.services.assess(a.client, **values)
    rate = client.assessment.effective_rate()
    shown = money(rate, client.currency, client.locale) if rate is not None else ""
    extra = f" Effective rate {shown}/h." if rate is not None else ""
    ctx.report(client, f"Assessment of {client.name} saved.{extra}")


def cmd_decide(ctx: Context) -> None:
    a = ctx.args
    try:
        client = ctx.services.decide(a.client, a.decision, a.reason, force=a.force)
    except NeedsConfirmation as exc:
        raise OffboardError(exc.one_line(), "rerun with --force to confirm") from None
    ctx.report(client, f"Decision for {client.name}: {a.decision}.")


def cmd_notice(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.record_conversation(a.client, a.on, a.channel, a.period)
    cv = client.conversation
    assert cv is not None
    ctx.report(
        client,
        f"Conversation with {client.name} recorded; last working day {cv.last_day} ({cv.period}).",
    )


def cmd_check(ctx: Context) -> None:
    a = ctx.args
    state = None if a.clear else ("waived" if a.waive else "done")
    client = ctx.services.set_checklist_item(a.client, a.stage, a.item, state)
    ctx.report(client, f"{a.stage} checklist of {client.name}: {a.item} -> {state or 'open'}.")


def cmd_checklist(ctx: Context) -> None:
    svc = ctx.services
    client = svc.resolve(ctx.args.client)
    stage = Stage(ctx.args.stage) if ctx.args.stage else client.stage
    checklist = svc.checklists.get(stage)
    if checklist is None:
        raise OffboardError(f"there is no checklist for {stage.value}")
    ticks = client.checklist.get(stage.value, {})
    if ctx.args.json:
        _emit_json(
            [{"id": i.id, "text": i.text, "state": ticks.get(i.id)} for i in checklist.items]
        )
        return
    print(f"{checklist.title} checklist for {client.name}:")
    marks = {"done": "x", "waived": "-"}
    for item in checklist.items:
        print(f"  [{marks.get(ticks.get(item.id, ''), ' ')}] {item.id:<20} {item.text}")


def cmd_deliverable(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_deliverable(a.client, a.title, _date_arg(a.due, "--due"))
    ctx.report(client, f"Deliverable added for {client.name}: {a.title}.")


def cmd_done(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.set_deliverable_done(a.client, a.deliverable, not a.undo)
    ctx.report(client, f"Deliverable {'reopened' if a.undo else 'done'} for {client.name}.")


def cmd_handover(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_handover_item(a.client, a.kind, a.label, a.status)
    ctx.report(client, f"Handover item added for {client.name}: {a.label} [{a.status}].")


def cmd_handed(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.set_handover_status(a.client, a.item, a.status)
    ctx.report(client, f"Handover item of {client.name} is now {a.status}.")


def cmd_invoice(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.add_invoice(
        a.client,
        a.number,
        a.amount,
        issued=_date_arg(a.issued, "--issued"),
        due=_date_arg(a.due, "--due"),
        final=a.final,
    )
    inv = client.invoices[-1]
    ctx.report(
        client,
        f"Invoice {inv.number} for {client.name}: "
        f"{money(inv.amount, client.currency, client.locale)}, due {inv.due}.",
    )


def cmd_pay(ctx: Context) -> None:
    a = ctx.args
    client = ctx.services.record_payment(a.client, a.invoice, a.amount, on=_date_arg(a.on, "--on"))
    ctx.report(
        client,
        f"Payment recorded; {client.name} has "
        f"{money(client.outstanding(), client.currency, client.locale)} open.",
    )


def cmd_write_off(ctx: Context) -> None:
    client = ctx.services.write_off(ctx.args.client, ctx.args.invoice)
    ctx.report(client, f"Wrote off invoice {ctx.args.invoice} of {client.name}.")


def cmd_mark_sent(ctx: Context) -> None:
    a = ctx.args
    body = _read_input_text(a.body_file, "--body-file") if a.body_file else ""
    client = ctx.services.record_letter(
        a.client,
        a.template,
        a.subject or "",
        body,
        a.channel,
        sent_on=_date_arg(a.on, "--on"),
    )
    ctx.report(client, f"Letter recorded as sent to {client.name} by {a.channel}.")


def _finding_line(f: Any) -> str:
    fix = f" (run: {FIX_COMMANDS[f.fix]})" if f.fix is not None else ""
    return f"{f.severity}: {f.title}: {f.detail}{fix}"


def cmd_letter(ctx: Context) -> int:
    from .letters.compose import compose

    a = ctx.args
    req = ctx.services.prepare_letter(a.client, a.template, a.locale)
    letter = compose(req.info, req.context, locale=req.locale)
    if letter.error:
        raise UsageError(letter.error, "fix the template, or see `offboard templates`")
    client, info = req.client, req.info
    if a.check:
        if a.json:
            _emit_json([_finding_dict(f) for f in letter.findings])
        elif letter.findings:
            print("\n".join(_finding_line(f) for f in letter.findings))
        else:
            print(f"{info.name} ({req.locale}) for {client.name}: no problems found")
        return EXIT_USER_ERROR if letter.errors else EXIT_OK
    if a.out:
        from .letters.mail import export

        mail = ctx.services.mail_for(client, letter.subject, letter.body)
        # A refused export is one line: warnings about the letter only follow a success.
        path = export(mail, Path(a.out), overwrite=a.overwrite)
        _warn(letter.errors)
        print(f"Wrote {info.name} ({req.locale}) for {client.name} to {path}")
        return EXIT_OK
    _warn(letter.errors)
    if a.json:
        _emit_json(
            {
                "client": client.id,
                "template": info.name,
                "origin": info.origin,
                "locale": req.locale,
                "to": client.email,
                "subject": letter.subject,
                "body": letter.body,
                "findings": [_finding_dict(f) for f in letter.findings],
            }
        )
        return EXIT_OK
    sys.stdout.write(f"To: {client.email or '(no email)'}\nSubject: {letter.subject}\n\n")
    sys.stdout.write(letter.body)
    return EXIT_OK


def _warn(findings: list[Any]) -> None:
    for f in findings:
        print(f"offboard: warning: {_finding_line(f).split(': ', 1)[1]}", file=sys.stderr)


def _finding_dict(f: Any) -> dict[str, str | None]:
    return {
        "id": f.id,
        "severity": f.severity,
        "title": f.title,
        "detail": f.detail,
        "fix": FIX_COMMANDS[f.fix] if f.fix is not None else None,
    }


def cmd_templates(ctx: Context) -> None:
    from .letters.library import Library

    entries = Library().entries()
    if ctx.args.locale:
        entries = [e for e in entries if e.locale == ctx.args.locale]
    if ctx.args.json:
        _emit_json([e.to_dict() for e in entries])
        return
    if not entries:
        print("No letter templates found.")
        return
    for e in entries:
        state = "" if e.active else "  (replaced by your own)"
        title = e.info.title if e.info else f"BROKEN: {e.error}"
        print(f"{e.locale}  {e.name:<26} {e.origin:<8} {title}{state}")
        print(f"    {e.path}")


def cmd_lessons(ctx: Context) -> None:
    client = ctx.services.set_lessons(ctx.args.client, ctx.args.text)
    ctx.report(client, f"Lessons recorded for {client.name}.")


def cmd_timers(ctx: Context) -> None:
    items = ctx.services.timers()
    if ctx.args.within is not None:
        items = [d for d in items if d.days(ctx.today) <= ctx.args.within]
    if ctx.args.json:
        _emit_json([d.to_dict(ctx.today) for d in items])
        return
    if not items:
        print("No open deadlines.")
        return
    rows = [[str(d.due), d.countdown(ctx.today), d.client_name, deadline_text(d)] for d in items]
    print(_table(rows, ["DUE", "WHEN", "CLIENT", "WHAT"]))


def cmd_undo(ctx: Context) -> None:
    summary = ctx.services.undo()
    if ctx.args.json:
        _emit_json({"undone": summary})
    else:
        print(f"Undone: {summary}")


def cmd_export(ctx: Context) -> None:
    from .storage.transfer import export_bytes

    exported = ctx.services.export_data()
    data = export_bytes(exported)
    if ctx.args.file in (None, "-"):
        sys.stdout.buffer.write(data)
        return
    target = Path(ctx.args.file).expanduser()
    # Exports hold client records and money owed: 0600, written atomically under a temp name
    # nobody can predict, and never through a link planted where the file will go.
    try:
        write_atomically(target, data, overwrite=ctx.args.overwrite)
    except FileExistsError:
        raise OffboardError(f"{target} already exists", "use --overwrite to replace it") from None
    except OSError as exc:
        reason, hint = describe_os_error(exc, target)
        raise OffboardError(f"cannot write {target}: {reason}; nothing was written", hint) from None
    count = len(exported["clients"])
    print(f"Exported {count} client(s) to {target}.", file=sys.stderr)


def _read_input_text(name: str, what: str) -> str:
    """A text file the user names on the command line, read only if it is a regular file
    under the size cap (a FIFO or /dev/zero must not hang or exhaust the command)."""
    try:
        return read_text_bounded(Path(name).expanduser(), MAX_INPUT_BYTES)
    except FileNotFoundError:
        raise OffboardError(f"{what} {name} does not exist") from None


def cmd_import(ctx: Context) -> None:
    from .storage.transfer import read_export

    data = read_export(Path(ctx.args.file).expanduser())
    clients = ctx.services.import_data(data, replace=ctx.args.replace)
    if ctx.args.json:
        _emit_json([client_summary(c, ctx.today) for c in clients])
    else:
        print(f"Imported {len(clients)} client(s). `offboard undo` reverts the whole import.")


def cmd_demo(ctx: Context) -> None:
    from .bootstrap import make_parent
    from .demo import write_demo

    make_parent(ctx.db_path)
    count = write_demo(ctx.db_path, ctx.today)
    print(f"Wrote {count} demo clients to {ctx.db_path}.")


def cmd_restore(ctx: Context) -> None:
    from .storage.restore import describe_backups, restore

    if ctx.args.list:
        backups = describe_backups(ctx.db_path)
        if ctx.args.json:
            _emit_json(backups)
        elif not backups:
            print(f"No backups of {ctx.db_path}.")
        else:
            rows = [
                [
                    str(b["number"]),
                    b["modified"],
                    "unreadable" if b["clients"] is None else str(b["clients"]),
                    str(b["path"]),
                ]
                for b in backups
            ]
            print(_table(rows, ["#", "SAVED", "CLIENTS", "FILE"]))
        return
    chosen = Path(ctx.args.backup) if ctx.args.backup else None
    used = restore(ctx.db_path, chosen)
    print(f"Restored {ctx.db_path} from {used}. The replaced file was kept among the backups.")


def cmd_tui(ctx: Context) -> int:
    from .bootstrap import make_parent
    from .tui.launch import run_tui

    make_parent(ctx.db_path)
    return run_tui(ctx.db_path, ctx.clock, demo=ctx.args.demo)


# --- parser ------------------------------------------------------------------------------------


def build_parser() -> Parser:
    from .domain.models import Archetype, Category, Channel, HandoverKind, HandoverStatus

    def values(enum: Any) -> str:
        return ", ".join(m.value for m in enum)

    stages = values(Stage)
    p = Parser(
        prog="offboard",
        description="Track clients through assessment, repair and offboarding. "
        "Without a command, opens the board.",
    )
    p.add_argument("--version", action="version", version=f"offboard {__version__}")
    p.add_argument(
        "--db",
        metavar="PATH",
        help="database file (default: OFFBOARD_DB or the platform's data folder)",
    )
    p.add_argument(
        "--today", metavar="YYYY-MM-DD", help="pretend today is this date (also OFFBOARD_TODAY)"
    )
    p.add_argument(
        "--demo",
        action="store_true",
        help="open the board on a temporary copy of demo data; your data is not touched",
    )
    p.set_defaults(func=cmd_tui, json=False)
    sub = p.add_subparsers(title="commands", metavar="COMMAND", parser_class=Parser)

    def command(
        name: str, func: Callable[[Context], None], help_text: str, json_out: bool = True
    ) -> Parser:
        sp = sub.add_parser(name, help=help_text, description=help_text)
        sp.set_defaults(func=func)
        if json_out:
            sp.add_argument("--json", action="store_true", help="print JSON")
        return sp

    c = command("add", cmd_add, "add a client")
    c.add_argument("name")
    c.add_argument("--email")
    c.add_argument("--company")
    c.add_argument(
        "--notice",
        metavar="PERIOD",
        help='notice period, e.g. "30 days", "1 month", "10 business days", "end of month"',
    )
    c.add_argument("--archetype", help=values(Archetype))
    c.add_argument("--stage", help=stages)
    c.add_argument("--locale", help="letter language: en, tr, fi, cs")
    c.add_argument("--currency", help="three-letter code, e.g. EUR")
    c.add_argument("--force", action="store_true", help="override soft gates of --stage")

    c = command("list", cmd_list, "list clients")
    c.add_argument("--stage", help=stages)
    c.add_argument("--active", action="store_true", help="leave out closed clients")

    c = command("show", cmd_show, "show everything about one client")
    c.add_argument("client", help="name, id or id prefix")

    c = command("edit", cmd_edit, "change a client's details or contract")
    c.add_argument("client")
    for opt in ("name", "email", "company", "locale", "currency", "archetype"):
        c.add_argument(f"--{opt}")
    c.add_argument("--notice", metavar="PERIOD")
    c.add_argument("--clause", help="termination clause text")
    c.add_argument("--contract-end", metavar="DATE")
    c.add_argument("--terms", metavar="DAYS", help="payment terms in days")
    c.add_argument("--rate", metavar="AMOUNT", help="hourly rate")

    c = command("delete", cmd_delete, "delete a client (undoable)")
    c.add_argument("client")
    c.add_argument("--yes", action="store_true", help="really delete")

    c = command("move", cmd_move, "move a client to another stage")
    c.add_argument("client")
    c.add_argument("stage", help=stages)
    c.add_argument("--reason", help="why (required when moving back out of notice or later)")
    c.add_argument("--force", action="store_true", help="override soft gates (recorded)")

    c = command("flag", cmd_flag, "log a red flag")
    c.add_argument("client")
    c.add_argument("category", help=values(Category))
    c.add_argument("text", help="what happened, factually")
    c.add_argument("--severity", type=int, default=2, choices=(1, 2, 3))
    c.add_argument("--on", metavar="DATE", help="when it happened (default today)")
    c.add_argument("--evidence", help="email subject, file, invoice number...")

    c = command("repair", cmd_repair, "start a repair attempt")
    c.add_argument("client")
    c.add_argument("strategy", help="e.g. 'weekly check-in call'")
    c.add_argument("--review", metavar="DATE", required=True)
    c.add_argument("--start", metavar="DATE")
    c.add_argument("--outcome", help="improved, no-change, worse")
    c.add_argument("--notes")

    c = command("review", cmd_review, "record how a repair attempt went")
    c.add_argument("client")
    c.add_argument("attempt", help="number, id or strategy text")
    c.add_argument("outcome", help="improved, no-change, worse")
    c.add_argument("--notes")

    c = command("assess", cmd_assess, "fill in the cost-benefit assessment")
    c.add_argument("client")
    c.add_argument("--revenue", metavar="AMOUNT")
    c.add_argument("--hours", metavar="HOURS")
    c.add_argument("--financial")
    c.add_argument("--operational")
    c.add_argument("--long-term", dest="long_term")
    c.add_argument("--recommend", help="keep, repair, offboard")

    c = command("decide", cmd_decide, "record the decision (keep retains the client)")
    c.add_argument("client")
    c.add_argument("decision", help="keep, repair, offboard")
    c.add_argument("reason", help="one clear reason")
    c.add_argument("--force", action="store_true", help="confirm withdrawing notice already given")

    c = command("notice", cmd_notice, "record the termination conversation")
    c.add_argument("client")
    c.add_argument("--on", metavar="DATE", required=True)
    c.add_argument("--channel", required=True, help=values(Channel))
    c.add_argument("--period", help="notice period (default: the contract's)")

    c = command("check", cmd_check, "tick a checklist item")
    c.add_argument("client")
    c.add_argument("stage", help=stages)
    c.add_argument("item", help="item id, see `offboard checklist CLIENT`")
    group = c.add_mutually_exclusive_group()
    group.add_argument("--waive", action="store_true", help="mark as not needed")
    group.add_argument("--clear", action="store_true", help="mark as open again")

    c = command("checklist", cmd_checklist, "show a stage checklist for a client")
    c.add_argument("client")
    c.add_argument("stage", nargs="?", choices=[s.value for s in Stage])

    c = command("deliverable", cmd_deliverable, "add a remaining deliverable")
    c.add_argument("client")
    c.add_argument("title")
    c.add_argument("--due", metavar="DATE")

    c = command("done", cmd_done, "mark a deliverable done")
    c.add_argument("client")
    c.add_argument("deliverable", help="number, id or title")
    c.add_argument("--undo", action="store_true", help="reopen it")

    c = command("handover", cmd_handover, "add a handover item (never a secret)")
    c.add_argument("client")
    c.add_argument("kind", help=values(HandoverKind))
    c.add_argument("label", help="e.g. 'Hosting admin login'")
    c.add_argument("--status", default="pending", help=values(HandoverStatus))

    c = command("handed", cmd_handed, "set a handover item's status")
    c.add_argument("client")
    c.add_argument("item", help="number, id or label")
    c.add_argument("status", help=values(HandoverStatus))

    c = command("invoice", cmd_invoice, "add an invoice")
    c.add_argument("client")
    c.add_argument("number")
    c.add_argument("amount")
    c.add_argument("--issued", metavar="DATE")
    c.add_argument("--due", metavar="DATE", help="default: issued + payment terms")
    c.add_argument("--final", action="store_true", help="this is the final invoice")

    c = command("pay", cmd_pay, "record a payment")
    c.add_argument("client")
    c.add_argument("invoice", help="invoice number")
    c.add_argument("amount", nargs="?", help="default: everything open")
    c.add_argument("--on", metavar="DATE")

    c = command("write-off", cmd_write_off, "write off what is open on an invoice")
    c.add_argument("client")
    c.add_argument("invoice")

    c = command("mark-sent", cmd_mark_sent, "record a letter sent outside offboard")
    c.add_argument("client")
    c.add_argument("--template", default="manual")
    c.add_argument("--subject")
    c.add_argument("--channel", required=True, help="email, letter, phone...")
    c.add_argument("--body-file", metavar="FILE")
    c.add_argument("--on", metavar="DATE")

    c = command("letter", cmd_letter, "render a letter for a client from a template")
    c.add_argument("client")
    c.add_argument("template", help="template name, see `offboard templates`")
    c.add_argument("--locale", help="language of the letter (default: the client's)")
    c.add_argument("--out", metavar="FILE", help="write to FILE.eml, FILE.md or FILE.txt")
    c.add_argument("--overwrite", action="store_true", help="replace an existing --out file")
    c.add_argument(
        "--check", action="store_true", help="print the checks; exit 1 if a field is missing"
    )

    c = command("templates", cmd_templates, "list letter templates (shipped and your own)")
    c.add_argument("--locale", help="only this language")

    c = command("lessons", cmd_lessons, "record lessons learned")
    c.add_argument("client")
    c.add_argument("text")

    c = command("timers", cmd_timers, "list open deadlines, soonest first")
    c.add_argument("--within", type=int, metavar="DAYS", help="only those due within DAYS")

    command("undo", cmd_undo, "undo the last change")

    c = command("export", cmd_export, "write every client as JSON", json_out=False)
    c.add_argument("file", nargs="?", help="file to write (default: standard output)")
    c.add_argument("--overwrite", action="store_true")

    c = command("import", cmd_import, "add clients from an export (all or nothing)")
    c.add_argument("file")
    c.add_argument("--replace", action="store_true", help="overwrite clients with the same id")

    command("demo", cmd_demo, "write demo data into the database given by --db", json_out=False)

    c = command("restore", cmd_restore, "restore the database from a backup")
    c.add_argument("--list", action="store_true", help="list backups instead")
    c.add_argument("--from", dest="backup", metavar="FILE", help="a specific backup file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        ctx = Context(args)
        code = args.func(ctx)
        sys.stdout.flush()
        return code or EXIT_OK
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OffboardError as exc:
        line = exc.one_line()
        if exc.fix is not None:
            line += f" (run: {FIX_COMMANDS[exc.fix]})"
        print(f"offboard: {line}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"offboard: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("offboard: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        print(
            f"offboard: unexpected error: {type(exc).__name__}: {exc} (please report this)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The console script. Once output is flushed and every save is already fsynced, skip
    the interpreter's teardown: freeing 10,000 decoded clients one by one costs ~0.2 s."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
