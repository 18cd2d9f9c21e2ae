"""Small modal questions: confirm an override, give a reason."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from .actions import bindings, key_text


class ConfirmScreen(ModalScreen[bool]):
    """Asks yes or no about something the user may override; lists what they override."""

    CSS_PATH = "dialogs.tcss"
    ACTION_SCOPE = "dialog.confirm"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self, title: str, lines: list[str], question: str, yes: str = "Yes") -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            # Titles and lines quote client names and gate messages: never markup.
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for line in self.lines:
                yield Static(f"• {line}", classes="dialog-line", markup=False)
            yield Static(self.question, classes="dialog-question", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yes, no = key_text(self, "dialog.yes"), key_text(self, "dialog.no")
                yield Button(f"{self.yes} ({yes})", variant="warning", id="yes")
                yield Button(f"Cancel ({no})", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ReasonScreen(ModalScreen[str | None]):
    """Asks for a reason that will be kept in the client's history."""

    CSS_PATH = "dialogs.tcss"
    ACTION_SCOPE = "dialog.reason"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self, title: str, lines: list[str], prompt: str) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for line in self.lines:
                yield Static(line, classes="dialog-line", markup=False)
            yield Input(placeholder=self.prompt, id="reason")
            yield Static("", id="reason-error", classes="dialog-error")
            cancel = key_text(self, "dialog.cancel")
            yield Static(f"enter: confirm   {cancel}: cancel", classes="dialog-question")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = " ".join(event.value.split())
        if not reason:
            self.query_one("#reason-error", Static).update("A reason is needed to go back.")
            return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
