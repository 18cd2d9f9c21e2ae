"""Small modal questions: confirm an override, give a reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ..domain.fixes import Requirement
from .actions import BY_ID, bindings, current_keys, key_text

# A line that stands for a list ("9 preparation checklist items still open") shows this many
# of its items, then how many more: the buttons stay on screen at 80x24.
LISTED = 4


def listed(line: str) -> list[str]:
    """The items under a line, as the dialog shows them: the first few, then a count."""
    items = line.items if isinstance(line, Requirement) else ()
    if len(items) <= LISTED + 1:  # "and 1 more" would take the line the item itself needs
        return list(items)
    return [*items[:LISTED], f"and {len(items) - LISTED} more"]


@dataclass(frozen=True)
class Offer:
    """A way to put right what a dialog asks about instead of overriding it: an action of the
    table, whose key (as the user's keymap has it) the dialog takes too, what pressing it does
    in words that follow "Press KEY to", and the call that does it. The dialog answers no,
    then makes the call."""

    action_id: str
    words: str
    run: Callable[[], object]


class ConfirmScreen(ModalScreen[bool]):
    """Asks yes or no about something the user may override; lists what they override, and
    under a line that counts things (a gate's open checklist items) the things themselves."""

    CSS_PATH = "dialogs.tcss"
    ACTION_SCOPE = "dialog.confirm"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(
        self,
        title: str,
        lines: list[str],
        question: str,
        yes: str = "Yes",
        *,
        offer: Offer | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.question = question
        self.yes = yes
        self.offer = offer

    def compose(self) -> ComposeResult:
        # Wider when it lists items, which are cut to a line each rather than wrapped.
        listing = any(listed(line) for line in self.lines)
        with Vertical(classes="dialog -listing" if listing else "dialog"):
            # Titles and lines quote client names and gate messages: never markup.
            yield Label(self.title_text, classes="dialog-title", markup=False)
            # Scrolls rather than pushing the question and buttons off a short terminal.
            with VerticalScroll(classes="dialog-lines"):
                for line in self.lines:
                    yield Static(f"• {line}", classes="dialog-line", markup=False)
                    for item in listed(line):
                        yield Static(f"– {item}", classes="dialog-item", markup=False)
            if self.offer is not None:
                key = key_text(self, self.offer.action_id)
                text = f"Press {key} to {self.offer.words}."
                yield Static(text, classes="dialog-offer", markup=False)
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

    def on_key(self, event: events.Key) -> None:
        # The offered key is the action's own key elsewhere (remapped with it), not one of
        # this dialog's bindings, so it is caught here.
        offer = self.offer
        if offer is None:
            return
        keymap = getattr(self.app, "_keymap", None) or {}
        if event.key in current_keys(BY_ID[offer.action_id], keymap):
            event.stop()
            self.dismiss(False)
            # Once the dialog is gone, so what it opens is not closed with it.
            self.app.call_later(offer.run)


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
