"""Screening new clients: the checklist learned from closed clients' lessons (`screening`,
and `screening-add|edit|hide|unhide` to change it), and `screen NAME` to check a prospect
against it, answering in the terminal or with --answer / --answers, and `--add` to add the
prospect as a client with the answers as its intake notes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..domain import validate as v
from ..domain.errors import InvalidInput
from ..domain.models import Answer, Archetype, ItemKind
from ..domain.screening import (
    ASK,
    HEADINGS,
    KIND_ORDER,
    Checklist,
    Item,
    parse_answer,
    taught_text,
)
from ..formats import counted
from .clients import COUNTRY_HELP, NOTICE_HELP
from .output import client_summary, emit_json
from .registry import Context, UsageError, arg, command, values

if TYPE_CHECKING:
    from ..services import Screening

INDENT = 12


# --- the checklist ---------------------------------------------------------------------------


def item_json(item: Item, hidden: bool = False) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "text": item.text,
        "ask": item.ask,
        "against": item.against.value,
        "own": item.own,
        "learned_text": item.learned or None,
        "times": item.times,
        "taught_by": [
            {"client_id": t.client_id, "name": t.name, "times": t.times} for t in item.taught_by
        ],
        "hidden": hidden,
    }


def checklist_json(checklist: Checklist, hidden: bool) -> dict[str, Any]:
    items = [item_json(i) for i in checklist.items]
    if hidden:
        items += [item_json(i, hidden=True) for i in checklist.hidden]
    return {
        "clients": checklist.clients,
        "lessons": checklist.lessons,
        "hidden": len(checklist.hidden),
        "items": items,
    }


def _wrapped(text: str, first: str) -> Iterator[str]:
    lines = text.splitlines() or [""]
    yield first + lines[0]
    for line in lines[1:]:
        yield " " * len(first) + line


def checklist_lines(checklist: Checklist, hidden: bool) -> list[str]:
    out = [
        f"Screening checklist: {counted(len(checklist.items), 'item')} from "
        f"{counted(checklist.lessons, 'lesson')} of "
        f"{counted(checklist.clients, 'closed client')}"
        + (f" ({len(checklist.hidden)} hidden)" if checklist.hidden else "")
        + "."
    ]
    groups: list[tuple[str, list[Item], ItemKind | None]] = [
        (HEADINGS[k], [i for i in checklist.items if i.kind is k], k) for k in KIND_ORDER
    ]
    if hidden and checklist.hidden:
        groups.append(("Hidden", list(checklist.hidden), None))
    for heading, items, kind in groups:
        if not items:
            continue
        ask = f" ({ASK[kind].split('(')[1]}" if kind is not None else ""
        out += ["", f"{heading}{ask}"]
        for item in items:
            out += _wrapped(item.text, f"  {item.id:<{INDENT - 2}}")
            taught = taught_text(item)
            if not item.own:
                taught += (
                    f": {counted(item.times, 'lesson')}, {counted(len(item.taught_by), 'client')}"
                )
            if item.learned:
                taught += "; reworded by you"
            out.append(" " * INDENT + taught)
    return out


@command(
    "screening",
    "the screening checklist: what past clients taught",
    arg("--md", action="store_true", help="print it as Markdown"),
    arg("--out", metavar="FILE", help="write it as Markdown to FILE (created private to you)"),
    arg("--overwrite", action="store_true", help="replace FILE if it exists"),
    arg("--hidden", action="store_true", help="list the hidden items too"),
)
def screening(ctx: Context) -> None:
    a = ctx.args
    svc = ctx.services
    checklist = svc.screening_checklist()
    if a.out:
        path = svc.export_screening(Path(a.out), checklist=checklist, overwrite=a.overwrite)
        print(f"Wrote the checklist ({counted(len(checklist.items), 'item')}) to {path}.")
        return
    if a.json:
        emit_json(checklist_json(checklist, a.hidden))
    elif a.md:
        sys.stdout.write(svc.screening_markdown(checklist))
    else:
        print("\n".join(checklist_lines(checklist, a.hidden)))
        if not checklist.items:
            print(
                "\nNothing to screen with yet: the checklist learns from the lessons of closed "
                "clients (`offboard lessons CLIENT TEXT --category missed-red-flag`), or add "
                "your own with `offboard screening-add KIND TEXT`."
            )


@command(
    "screening-add",
    "add an item of your own to the screening checklist",
    arg("kind", help=values(ItemKind)),
    arg("text", help="the warning sign, question or clause, in a sentence"),
)
def screening_add(ctx: Context) -> None:
    item = ctx.services.add_screening_item(ctx.args.kind, ctx.args.text)
    _said(ctx, item, f"Added {item.kind.label} {item.id}.")


@command(
    "screening-edit",
    "reword a screening checklist item",
    arg("item", help="the item's id (or its number, or the start of its id)"),
    arg("text", help="the new wording"),
)
def screening_edit(ctx: Context) -> None:
    item = ctx.services.edit_screening_item(ctx.args.item, ctx.args.text)
    _said(ctx, item, f"Reworded {item.id}.")


@command(
    "screening-hide",
    "hide an item from the screening checklist",
    arg("item", help="the item's id (or its number, or the start of its id)"),
)
def screening_hide(ctx: Context) -> None:
    item = ctx.services.hide_screening_item(ctx.args.item)
    _said(ctx, item, f"Hid {item.id}; `offboard screening-unhide {item.id}` shows it again.")


@command(
    "screening-unhide",
    "show a hidden screening item again",
    arg("item", help="the hidden item's id (or the start of its id)"),
)
def screening_unhide(ctx: Context) -> None:
    item = ctx.services.hide_screening_item(ctx.args.item, hidden=False)
    _said(ctx, item, f"{item.id} is on the checklist again.")


def _said(ctx: Context, item: Item, message: str) -> None:
    if ctx.args.json:
        emit_json(item_json(item))
    else:
        print(message)


# --- screening a prospect ----------------------------------------------------------------------


def _pairs(raw: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in raw:
        ref, eq, answer = pair.partition("=")
        if not eq or not ref.strip():
            raise UsageError(f"--answer {pair!r} is not ID=ANSWER", "e.g. --answer w-3fa2c1=y")
        if ref.strip() in out:
            raise UsageError(f"item {ref.strip()} is answered twice", "answer each item once")
        out[ref.strip()] = answer
    return out


HELP_LINE = "y yes · n no · u unknown (skip) · ? what this item is · q stop (the rest unknown)"


def ask_each(items: tuple[Item, ...], read: Callable[[], str], out: TextIO) -> dict[str, Answer]:
    """Ask about each item in turn on `out`, reading answers with `read` ("" at the end of
    the input stops, as q does)."""
    answers: dict[str, Answer] = {}
    print(f"{counted(len(items), 'item')} to answer. {HELP_LINE}", file=out)
    for n, item in enumerate(items, 1):
        print(f"\n{n}/{len(items)} [{item.kind.label}] {item.text}", file=out)
        print(f"    {item.ask}", file=out)
        while True:
            print("    [y/n/u/?/q] ", end="", file=out, flush=True)
            line = read()
            if not line:
                print(file=out)
                return answers
            typed = line.strip().lower()
            if typed in ("q", "quit"):
                return answers
            if typed in ("?", "h", "help"):
                print(f"    {item.id}: {taught_text(item)}. {HELP_LINE}", file=out)
                continue
            try:
                answers[item.id] = parse_answer(typed)
            except InvalidInput:
                print(f"    {line.strip()!r}: {HELP_LINE}", file=out)
                continue
            break
    return answers


def screening_json(name: str, found: Screening) -> dict[str, Any]:
    v_ = found.verdict
    return {
        "prospect": name,
        "suggestion": v_.suggestion.value,
        "score": v_.score,
        "decline_from": v_.decline_from,
        "unscreened": v_.unscreened,
        "answered": v_.answered,
        "total": v_.total,
        "reasons": [
            {"kind": r.kind, "points": r.points, "text": text, "figures": r.sentence.data()}
            for r, text in zip(v_.reasons, found.reasons, strict=True)
        ],
        "items": [
            {
                "id": i.id,
                "kind": i.kind.value,
                "text": i.text,
                "answer": found.answers[i.id].value,
                "counts_against": found.answers[i.id] is i.against,
            }
            for i in found.items
        ],
    }


def screening_lines(name: str, found: Screening) -> list[str]:
    v_ = found.verdict
    out = [
        f"Screening {name}: {v_.suggestion.value} ({v_.score:g} points; decline from "
        f"{v_.decline_from:g})"
    ]
    for reason, text in zip(v_.reasons, found.reasons, strict=True):
        points = f"+{reason.points:.1f}" if reason.points else ""
        out.append(f"  {points:>6}  {text}")
    against = [i for i in found.items if i.id in v_.against]
    if against:
        out += ["", "Counting against them:"]
        for item in against:
            out += _wrapped(item.text, f"  {item.id:<{INDENT - 2}}")
    return out


@command(
    "screen",
    "screen a prospect: go, caution or decline",
    arg("name", help="the prospect's name"),
    arg(
        "--answer",
        action="append",
        default=[],
        metavar="ID=ANSWER",
        help="an item's answer: y, n or u (repeat for each; the rest stay unknown)",
    ),
    arg(
        "--answers", metavar="LIST", help="one answer per item in the checklist's order: y,n,u,..."
    ),
    arg("--add", action="store_true", help="add the prospect as a client, answers as intake notes"),
    arg("--email"),
    arg("--company"),
    arg("--notice", metavar="PERIOD", help=NOTICE_HELP),
    arg("--archetype", help=values(Archetype)),
    arg("--locale", help="language of letters, dates and money: en, en-GB, tr, fi, cs..."),
    arg("--currency", help="three-letter code, e.g. EUR"),
    arg("--country", help=COUNTRY_HELP),
)
def screen(ctx: Context) -> None:
    a = ctx.args
    name = v.client_name(a.name)
    client_options = (a.email, a.company, a.notice, a.archetype, a.locale, a.currency, a.country)
    if not a.add and any(x is not None for x in client_options):
        raise UsageError("client details are for --add", "add --add to add the prospect")
    svc = ctx.services
    checklist = svc.screening_checklist()
    by_ref = _pairs(a.answer)
    in_order = None if a.answers is None else [x.strip() for x in a.answers.split(",")]
    if in_order is None and not by_ref and checklist.items and sys.stdin.isatty():
        asked = ask_each(checklist.items, sys.stdin.readline, sys.stderr)
        found = svc.weigh(checklist, asked)
    else:
        found = svc.screen(by_ref, in_order, checklist=checklist)
    client = None
    if a.add:
        client = svc.add_screened_client(
            name,
            found,
            email=a.email or "",
            company=a.company or "",
            notice_period=a.notice,
            archetype=a.archetype,
            locale=a.locale,
            currency=a.currency,
            country=a.country,
        )
    if a.json:
        data = screening_json(name, found)
        data["client"] = client_summary(client, ctx.today) if client else None
        emit_json(data)
        return
    print("\n".join(screening_lines(name, found)))
    if client is not None:
        print(
            f"\nAdded {client.name} ({client.id[:8]}) in {client.stage.value}, with "
            f"{counted(len(client.intake), 'intake answer')}."
        )
