"""Letters: render one from a template (to the screen, as JSON or into a file), record one
sent outside offboard, and list the templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..domain import followups
from ..domain.errors import OffboardError
from ..files import read_text_bounded
from .output import emit_json, finding_dict, finding_line, warn
from .registry import (
    EXIT_OK,
    EXIT_USER_ERROR,
    Context,
    UsageError,
    arg,
    client_arg,
    command,
    date_arg,
)

MAX_INPUT_BYTES = 16 * 1024 * 1024  # a letter's text given with --body-file


def read_input_text(name: str, what: str) -> str:
    """A text file the user names on the command line, read only if it is a regular file
    under the size cap (a FIFO or /dev/zero must not hang or exhaust the command)."""
    try:
        return read_text_bounded(Path(name).expanduser(), MAX_INPUT_BYTES)
    except FileNotFoundError:
        raise OffboardError(f"{what} {name} does not exist") from None


MANUAL = "manual"  # the template name of a letter written outside offboard


@command(
    "mark-sent",
    "record a letter sent outside offboard",
    client_arg(),
    arg(
        "--template",
        help="the template it was written from: its text for this client is what is recorded "
        "(default: a letter written elsewhere, with --subject and --body-file)",
    ),
    arg("--locale", help="with --template: the language it was written in (default: the client's)"),
    arg("--subject", help="the subject as sent (default: the template's)"),
    arg("--channel", required=True, help="email, letter, phone..."),
    arg("--body-file", metavar="FILE", help="the text as sent (default: the template's)"),
    date_arg("--on", "when it was sent, default today", past=True),
)
def mark_sent(ctx: Context) -> None:
    a = ctx.args
    body = read_input_text(a.body_file, "--body-file") if a.body_file else None
    client = ctx.services.resolve(a.client)
    template, subject, locale = MANUAL, a.subject or "", client.locale
    problems: list[Any] = []
    if a.template and a.template != MANUAL:
        from ..letters.compose import compose

        # What was sent is the letter offboard would have written, unless told otherwise.
        req = ctx.services.prepare_letter(client, a.template, a.locale)
        composed = compose(req.info, req.context, locale=req.locale)
        if composed.error:
            raise UsageError(composed.error, "fix the template, or see `offboard templates`")
        template, locale = req.info.name, req.locale
        if a.subject is None or body is None:  # some of the rendered letter is recorded
            problems = composed.errors
        subject = composed.subject if a.subject is None else a.subject
        body = composed.body if body is None else body
    elif a.locale:
        raise UsageError("--locale goes with --template", "name the template the letter came from")
    after = ctx.services.record_letter(
        client.id, template, subject, body or "", a.channel, sent_on=a.on, locale=locale
    )
    warn(problems)
    said = f"Letter recorded as sent to {after.name} by {a.channel}."
    for item in followups.added(client, after):
        said += f" Follow-up added for {item.on}: {item.about}."
    ctx.report(after, said)


@command(
    "letter",
    "render a letter for a client from a template",
    client_arg(),
    arg("template", help="template name, see `offboard templates`"),
    arg("--locale", help="language of the letter (default: the client's)"),
    arg("--out", metavar="FILE", help="write to FILE.eml, FILE.md or FILE.txt"),
    arg("--overwrite", action="store_true", help="replace an existing --out file"),
    arg("--check", action="store_true", help="print the checks; exit 1 if a field is missing"),
)
def letter(ctx: Context) -> int:
    from ..letters.compose import compose

    a = ctx.args
    req = ctx.services.prepare_letter(a.client, a.template, a.locale)
    composed = compose(req.info, req.context, locale=req.locale)
    if composed.error:
        raise UsageError(composed.error, "fix the template, or see `offboard templates`")
    client, info = req.client, req.info
    if a.check:
        if a.json:
            emit_json([finding_dict(f) for f in composed.findings])
        elif composed.findings:
            print("\n".join(finding_line(f) for f in composed.findings))
        else:
            print(f"{info.name} ({req.locale}) for {client.name}: no problems found")
        return EXIT_USER_ERROR if composed.errors else EXIT_OK
    if a.out:
        from ..letters.mail import export

        mail = ctx.services.mail_for(client, composed.subject, composed.body)
        # A refused export is one line: warnings about the letter only follow a success.
        path = export(mail, Path(a.out), overwrite=a.overwrite)
        warn(composed.errors)
        print(f"Wrote {info.name} ({req.locale}) for {client.name} to {path}")
        return EXIT_OK
    warn(composed.errors)
    if a.json:
        emit_json(
            {
                "client": client.id,
                "template": info.name,
                "origin": info.origin,
                "locale": req.locale,
                "to": client.email,
                "subject": composed.subject,
                "body": composed.body,
                "findings": [finding_dict(f) for f in composed.findings],
            }
        )
        return EXIT_OK
    sys.stdout.write(f"To: {client.email or '(no email)'}\nSubject: {composed.subject}\n\n")
    sys.stdout.write(composed.body)
    return EXIT_OK


@command(
    "templates",
    "list letter templates (shipped and your own)",
    arg("--locale", help="only this language"),
)
def templates(ctx: Context) -> None:
    from ..letters.library import Library

    entries = Library().entries()
    if ctx.args.locale:
        entries = [e for e in entries if e.locale == ctx.args.locale]
    if ctx.args.json:
        emit_json([e.to_dict() for e in entries])
        return
    if not entries:
        print("No letter templates found.")
        return
    for e in entries:
        state = "" if e.active else "  (replaced by your own)"
        title = e.info.title if e.info else f"BROKEN: {e.error}"
        print(f"{e.locale}  {e.name:<26} {e.origin:<8} {title}{state}")
        print(f"    {e.path}")
