"""One letter for one client: the subject and body as they will go out, and their checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..domain.errors import InvalidInput
from ..domain.models import Client
from .checks import ERROR, Finding, check_letter, last_day_finding
from .context import build_context
from .library import Library, TemplateInfo, parse_template
from .render import MAX_SECONDS, TemplateError, TemplateTimeout, render_source


@dataclass(frozen=True, slots=True)
class Composed:
    subject: str
    body: str
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # why the template could not be rendered at all

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def ready(self) -> bool:
        """Nothing stops this letter from going out (warnings are advice, not a block)."""
        return not self.error and not self.errors


def tidy(text: str) -> str:
    """The body exactly as sent: no trailing spaces, no blank lines at either end, one final
    newline. The preview shows this same string, so what is seen is what is sent."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def compose(
    info: TemplateInfo,
    context: dict[str, Any],
    *,
    locale: str,
    body_source: str | None = None,
    subject_source: str | None = None,
    max_seconds: float = MAX_SECONDS,
) -> Composed:
    """Render the subject and body (the draft's text when given) and check the result.

    A TemplateTimeout propagates when `max_seconds` runs out, so the caller can retry with
    more time elsewhere; every other template failure is reported in the result."""
    limit = {"max_seconds": max_seconds}
    try:
        subject = info.subject if subject_source is None else subject_source
        subject_out = render_source(subject, context, "subject", **limit)
        body = info.body if body_source is None else body_source
        body_out = render_source(body, context, "body", **limit)
    except TemplateError as exc:
        if isinstance(exc, TemplateTimeout) and max_seconds < MAX_SECONDS:
            raise
        message = exc.one_line()
        return Composed("", "", [Finding("template", ERROR, "Template error", message)], message)
    subject = " ".join(subject_out.text.split())
    body = tidy(body_out.text)
    findings = check_letter(
        subject,
        body,
        locale=locale,
        require=info.require,
        max_words=info.max_words,
        missing={**subject_out.missing, **body_out.missing},
    )
    notice = context.get("notice")
    warning = notice.get("last_day_warning") if isinstance(notice, dict) else ""
    last_day = notice.get("last_day") if isinstance(notice, dict) else None
    if warning and isinstance(last_day, str) and last_day in f"{subject}\n{body}":
        findings.append(last_day_finding(warning))
    if "\n" in subject_out.text.strip():
        findings.insert(
            0, Finding("subject", ERROR, "Subject spans lines", "Keep the subject on one line.")
        )
    return Composed(subject, body, findings)


def compose_source(
    source: str,
    base: TemplateInfo,
    context: dict[str, Any],
    *,
    locale: str,
    max_seconds: float = MAX_SECONDS,
) -> Composed:
    """Render a whole template file being edited (header and body) as the preview shows it."""
    try:
        info = parse_template(
            source, name=base.name, locale=base.locale, origin=base.origin, path=base.path
        )
    except InvalidInput as exc:
        message = exc.one_line()
        return Composed("", "", [Finding("template", ERROR, "Template header", message)], message)
    return compose(info, context, locale=locale, max_seconds=max_seconds)


@dataclass(slots=True)
class LetterRequest:
    """What the CLI and the editor both need to render a letter for a client."""

    client: Client
    info: TemplateInfo
    locale: str
    context: dict[str, Any]


def prepare(
    library: Library,
    client: Client,
    template: str,
    config: Config,
    today: dt.date,
    locale: str | None = None,
) -> LetterRequest:
    """Pick the language (asked for, else the client's, else English) and load the template."""
    loc = library.resolve_locale(locale or client.locale or config.locale)
    if locale and loc != locale and loc != locale.split("_")[0].split("-")[0]:
        # Asked for explicitly: falling back silently would send a letter in the wrong language.
        library.get(template, locale)
    info = library.get(template, loc)
    return LetterRequest(client, info, loc, build_context(client, config, today, loc))
