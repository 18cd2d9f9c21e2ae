"""Letters: templates, drafts, the fields a letter reads, the mail that carries it, sending,
and the record of a letter that went out."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .. import workcalendar
from ..domain import followups, validate as v
from ..domain.models import (
    Client,
    LetterRecord,
)

if TYPE_CHECKING:
    from ..letters.compose import LetterRequest
    from ..letters.drafts import DraftStore
    from ..letters.library import Library
    from ..letters.mail import Letter, Outgoing

from .core import Change, ServiceCore


class LetterServices(ServiceCore):
    """Letters: templates, drafts, rendering, mail, sending and the record of what went out."""

    def record_letter(
        self,
        ref: str,
        template: str,
        subject: str,
        body: str,
        channel: str,
        *,
        sent_on: dt.date | None = None,
        locale: str = "en",
        expected_rev: int | None = None,
    ) -> Client:
        """Record a letter that went out on `sent_on` (default today). A payment reminder
        sent while invoices are overdue also adds a follow-up to chase each of them (one not
        already chased), followups.CHASE_WORKING_DAYS working days later: the same change, so
        one undo takes both. Raises InvalidInput, NotFound, StaleEdit."""
        how = v.letter_channel(channel)
        subject = v.one_line(subject, "the subject")
        letter = LetterRecord(
            v.one_line(template, "the template name", max_len=100, required=True),
            subject,
            v.letter_text(body),
            how,
            self._not_future(sent_on, "the letter date"),
            v.locale(locale),
        )

        def change(c: Client) -> Change:
            c.letters.append(letter)
            summary = f"letter '{subject or template}' sent by {how.value}"
            new: dict[str, Any] = {"id": letter.id, "template": template, "channel": how.value}
            if letter.template == followups.CHASE_AFTER_TEMPLATE:
                # The collection procedure's next step, in the same change: undo takes both.
                days_off = workcalendar.calendar_for(self.config, c)
                chasing = followups.chases(c, letter.sent_on, days_off)
                c.follow_ups.extend(chasing)
                for item in chasing:
                    summary += f"; follow-up on {item.on}: {item.about}"
                if chasing:
                    new["follow_ups"] = [item.to_dict() for item in chasing]
            return summary, None, new

        return self._change(ref, "letter", change, expected_rev)

    # Jinja2 and Babel load on first use: the board's first paint must not pay for them.

    def letter_library(self) -> Library:
        from ..letters.library import Library

        if self._library is None:
            self._library = Library()
        return self._library

    def drafts(self) -> DraftStore:
        """Unsent letter drafts, kept beside the database."""
        from ..letters.drafts import DraftStore

        return DraftStore(self.repo.path)

    def letter_context(self, client: Client, locale: str) -> dict[str, Any]:
        """The fields a letter template reads, for this client today, in `locale`."""
        from ..letters.context import build_context

        return build_context(client, self.config, self.clock.today(), locale)

    def prepare_letter(
        self, ref: str | Client, template: str, locale: str | None = None
    ) -> LetterRequest:
        """The template and the client's fields for one letter, ready for the editor or CLI."""
        from ..letters.compose import prepare

        client = ref if isinstance(ref, Client) else self.resolve(ref)
        today = self.clock.today()
        return prepare(self.letter_library(), client, template, self.config, today, locale)

    def mail_for(self, client: Client, subject: str, body: str) -> Letter:
        """The mail that would carry this letter from the configured sender to the client."""
        from ..letters.mail import Letter

        cfg = self.config
        return Letter(
            sender_name=cfg.sender_name,
            sender_email=cfg.sender_email,
            to=client.email,
            to_name=client.company or client.name,
            subject=subject,
            body=body,
            date=self.clock.now(),
            message_id=None,
        )

    def outgoing_for(self, client: Client, subject: str, body: str) -> Outgoing:
        """The exact message send_mail would send for this letter, built and checked once:
        show it for confirmation, then pass this same Outgoing to send_mail."""
        from ..letters.mail import prepare_outgoing

        return prepare_outgoing(self.mail_for(client, subject, body))

    def send_mail(self, mail: Outgoing | Letter) -> str:
        """Send over the configured SMTP server, exactly the bytes of an Outgoing (a Letter is
        prepared first); touches no storage, so it may run on any thread. Record it afterwards
        with record_letter (channel email)."""
        from ..letters.smtp import send

        return send(mail, self.config.smtp, config_path=self.config.source)
