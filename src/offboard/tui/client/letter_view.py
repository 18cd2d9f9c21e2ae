"""A sent letter, read-only: exactly what went out."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ...domain.models import LetterRecord
from ..actions import bindings
from ..widgets.footer import Footer
from .tab import when


class LetterView(ModalScreen[None]):
    CSS_PATH = str(Path(__file__).with_name("client.tcss"))
    ACTION_SCOPE = "letter.view"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self, letter: LetterRecord) -> None:
        super().__init__()
        self.letter = letter

    def compose(self) -> ComposeResult:
        letter = self.letter
        with Vertical(id="letter-box"):
            yield Static(letter.subject or "(no subject)", id="letter-subject", markup=False)
            meta = (
                f"Sent {when(letter.sent_on, letter.locale)} by {letter.channel.value} · "
                f"template {letter.template} · {letter.locale}"
            )
            yield Static(meta, id="letter-meta", markup=False)
            yield TextArea(letter.body, read_only=True, soft_wrap=True, id="letter-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#letter-body", TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(None)
