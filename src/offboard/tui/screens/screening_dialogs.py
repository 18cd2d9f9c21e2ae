"""The screening screen's questions: an item of your own (its kind and words), new words for
an item, the file to export the checklist to, and the new-client form that adds the screened
prospect with its answers as intake notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from ...domain.errors import InvalidInput
from ...domain.models import ItemKind
from ...domain.screening import ASK
from ..forms import NewClientForm

if TYPE_CHECKING:
    from ...domain.models import Client
    from ...services import Screening, Services

KIND_LABELS = {
    ItemKind.WARNING_SIGN: "Warning sign to look for",
    ItemKind.QUESTION: "Question to ask",
    ItemKind.CLAUSE: "Contract clause to add",
}


class AskText(ModalScreen[tuple[ItemKind | None, str] | None]):
    """One line of text (and, for a new item, its kind), checked by `rule` as it is typed;
    enter gives (kind, text), escape gives None."""

    CSS_PATH = "screening.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="screening.ask.cancel")]

    def __init__(
        self,
        title: str,
        lines: list[str],
        rule: Callable[[str], Any],
        *,
        value: str = "",
        kinds: bool = False,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.rule = rule
        self.value = value
        self.kinds = kinds

    def compose(self) -> ComposeResult:
        with Vertical(classes="screening-ask"):
            yield Label(self.title_text, classes="screening-ask-title", markup=False)
            for line in self.lines:
                yield Static(line, classes="screening-ask-line", markup=False)
            if self.kinds:
                options = [(label, kind) for kind, label in KIND_LABELS.items()]
                yield Select(options, value=ItemKind.WARNING_SIGN, allow_blank=False, id="kind")
            yield Input(value=self.value, id="text")
            yield Static("", id="ask-error", classes="screening-ask-error", markup=False)
            yield Static("enter: confirm   escape: cancel", classes="screening-ask-keys")

    def on_mount(self) -> None:
        self.query_one("#text", Input).focus()

    def _kind(self) -> ItemKind | None:
        if not self.kinds:
            return None
        value = self.query_one("#kind", Select).value
        return value if isinstance(value, ItemKind) else None

    def on_select_changed(self, event: Select.Changed) -> None:
        kind = self._kind()
        if kind is not None:
            self.query_one("#ask-error", Static).update(ASK[kind])
        self.query_one("#text", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#ask-error", Static).update(self._problem(event.value))

    def _problem(self, text: str) -> str:
        try:
            self.rule(text)
        except InvalidInput as exc:
            return exc.one_line()
        return ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        problem = self._problem(event.value)
        if problem:
            self.query_one("#ask-error", Static).update(problem)
            return
        self.dismiss((self._kind(), event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScreenedClientForm(NewClientForm):
    """The new-client form, for the prospect just screened: saving adds the client with the
    screening's answers as its intake notes, in the same change."""

    FORM_TITLE = "Add the screened prospect as a client"
    SAVE_LABEL = "Add client"
    CHANGE = "add {name} after screening"

    def __init__(self, screening: Screening) -> None:
        super().__init__()
        self.screening = screening
        v = screening.verdict
        self.INTRO = (
            f"Screened: {v.suggestion.value}, {v.answered} of {v.total} answered. The "
            "answers are kept as the client's intake notes, shown on its Overview tab."
        )

    def call(self, services: Services, values: dict[str, Any], expected_rev: int | None) -> Client:
        return services.add_screened_client(values["name"], self.screening, **self.details(values))
