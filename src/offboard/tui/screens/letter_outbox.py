"""The letter editor's ways out with the letter: copy, export to a file, mark as sent, send
by email. The editor (letter.py) builds on this screen and provides the letter itself."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from ...domain import followups
from ...domain.errors import OffboardError
from ...domain.models import Client
from ...formats import day as day_text
from ...letters.compose import Composed
from ...letters.drafts import DraftStore
from ...letters.library import TemplateInfo
from ..actions import key_text
from ..core import core
from ..workers import thread_work
from .letter_dialogs import ExportScreen, MarkSentScreen, SendScreen

if TYPE_CHECKING:
    from ...letters.mail import Letter, Outgoing
    from ...services import Services


class LetterOutbox(Screen[None]):
    """What the editor does with a finished letter. The editor sets who it is for and which
    template it came from, and says whether the preview is up to date (`pending`) and what
    the letter is now (`current`)."""

    client_id: str
    info: TemplateInfo
    locale: str
    _unsaved: bool

    @property
    def client(self) -> Client:
        return core(self).client(self.client_id)

    @property
    def pending(self) -> bool:
        raise NotImplementedError

    def current(self) -> Composed:
        raise NotImplementedError

    def _store(self) -> DraftStore:
        return core(self).services.drafts()

    def _rendered_now(self, action: str) -> Composed | None:
        """The preview's letter, if it shows the text as it is now. While a render is still
        under way, say so rather than render here: that could hold the UI for as long as the
        template is allowed to take."""
        if self.pending:
            self.notify(
                f"The preview is still being rendered; {action} again in a moment.",
                severity="warning",
            )
            return None
        return self.current()

    def _ready(self, action: str) -> Composed | None:
        result = self._rendered_now(action)
        if result is None:
            return None
        if result.error or result.errors:
            problems = "; ".join(f.title for f in result.errors) or result.error
            self.notify(
                f"Fix this before you {action}: {problems}.",
                title="Not ready",
                severity="error",
                timeout=8,
            )
            return None
        return result

    def _mail(self, result: Composed) -> Letter:
        return core(self).services.mail_for(self.client, result.subject, result.body)

    def action_copy(self) -> None:
        result = self._rendered_now("copy it")
        if result is None:
            return
        if result.error:
            self.notify(result.error, severity="error")
            return
        self.app.copy_to_clipboard(f"{result.subject}\n\n{result.body}")
        self.notify("Copied the subject and text (through the terminal; some do not allow it).")

    def action_export(self) -> None:
        result = self._ready("export")
        if result is None:
            return
        slug = re.sub(r"[^a-z0-9]+", "-", self.client.name.lower()).strip("-") or "letter"
        day = core(self).clock.today().isoformat()
        suggestion = Path.cwd() / f"{slug}-{self.info.name}-{day}.eml"

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            from ...letters.mail import export

            try:
                written = export(self._mail(result), path)
            except OffboardError as exc:
                self.notify(exc.one_line(), title="Not exported", severity="error", timeout=10)
                return
            self.notify(f"Wrote {written}.")

        self.app.push_screen(ExportScreen(suggestion), chosen)

    def action_mark_sent(self) -> None:
        result = self._ready("mark it as sent")
        if result is None:
            return

        def answered(answer: tuple[str, dt.date] | None) -> None:
            if answer is not None:
                self._record(result, *answer)

        self.app.push_screen(MarkSentScreen(core(self).clock.today()), answered)

    def _record(self, result: Composed, channel: str, day: dt.date) -> None:
        info, loc, cid = self.info, self.locale, self.client_id
        before = self.client
        rev = before.rev

        def run(services: Services) -> Client:
            return services.record_letter(
                cid,
                info.name,
                result.subject,
                result.body,
                channel,
                sent_on=day,
                locale=loc,
                expected_rev=rev,
            )

        core(self).submit(
            f"record letter {info.name}",
            run,
            on_done=lambda after: self._finished(
                f"Recorded the letter as sent by {channel}." + _chase_note(before, after)
            ),
            on_error=lambda exc: self.notify(
                exc.one_line(), title="Not recorded", severity="error", timeout=10
            ),
        )

    def _finished(self, message: str) -> None:
        self._store().discard(self.client_id)
        self._unsaved = False
        self.notify(message)
        if self.is_mounted and self.app.screen is self:
            self.dismiss(None)

    def action_send(self) -> None:
        result = self._ready("send it")
        if result is None:
            return
        cfg = core(self).services.config
        if not cfg.smtp.host:
            self.notify(
                "No mail server is set up: add [smtp] host, port, security and username to "
                "the config file, or export the letter "
                f"({key_text(self, 'letter.editor.export')}) and send it yourself.",
                title="Cannot send",
                severity="error",
                timeout=10,
            )
            return
        if not self.client.email:
            self.notify(
                "The client has no email address: add it on the client screen "
                f"({key_text(self, 'client.edit')}).",
                title="Cannot send",
                severity="error",
            )
            return
        try:
            # Built and checked once: the confirmation shows these bytes and _send sends them.
            outgoing = core(self).services.outgoing_for(self.client, result.subject, result.body)
        except OffboardError as exc:
            self.notify(exc.one_line(), title="Cannot send", severity="error", timeout=15)
            return
        server = f"{cfg.smtp.host}:{cfg.smtp.port} ({cfg.smtp.security})"

        def answered(yes: bool | None) -> None:
            if yes:
                self._send(result, outgoing)

        self.app.push_screen(SendScreen(outgoing, server), answered)

    @work(thread=True, exclusive=True, group="letter-send")
    def _send(self, result: Composed, outgoing: Outgoing) -> None:
        with thread_work():
            try:
                core(self).services.send_mail(outgoing)
            except OffboardError as exc:
                self.app.call_from_thread(
                    self.notify,
                    f"{exc.one_line()} The letter was not sent and is still here.",
                    title="Not sent",
                    severity="error",
                    timeout=15,
                )
                return
            self.app.call_from_thread(self._record, result, "email", core(self).clock.today())


def _chase_note(before: Client, after: Client) -> str:
    """What recording the letter added besides: the follow-ups a payment reminder starts."""
    return "".join(
        f" Follow-up added for {day_text(f.on, after.locale, 'medium')}: {f.about}."
        for f in followups.added(before, after)
    )
