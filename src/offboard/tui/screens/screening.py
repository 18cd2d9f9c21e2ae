"""Screening a prospective client: the checklist learned from the lessons of closed clients,
answered item by item with y, n or u, and beside it the suggestion (go, caution or decline)
with its reasons, weighed again with every answer.

The checklist is gathered in a thread from the closed clients the app has read (only
those are decoded), so the screen opens at once on a large database; a change to the data
or to the checklist gathers it again, keeping the answers given so far. Adding, rewording,
hiding and exporting go through the app's writer thread like every other change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...domain.errors import InvalidInput, OffboardError
from ...domain.models import Answer, Client, ItemKind, Stage
from ...domain.screening import Checklist, Item, Suggestion, item_text, taught_text
from ...formats import counted
from ..actions import bindings, key_text
from ..core import core
from ..fixes import error_text
from ..messages import DataChanged
from ..widgets.footer import Footer
from ..widgets.header import Header
from .screening_dialogs import AskText, ScreenedClientForm

if TYPE_CHECKING:
    from ...services import ClientSnapshot, Services

KIND_SHORT = {ItemKind.WARNING_SIGN: "sign", ItemKind.QUESTION: "ask", ItemKind.CLAUSE: "clause"}
SUGGESTION_STYLE = {
    Suggestion.GO: "bold green",
    Suggestion.CAUTION: "bold yellow",
    Suggestion.DECLINE: "bold red",
}
# The table's fixed columns; the item's text takes what is left.
WIDTHS = {"#": 3, "Kind": 6, "Taught": 9, "Answer": 6}
EXPORT_NAME = "screening-checklist.md"


def closed_clients(snapshot: ClientSnapshot) -> list[Client]:
    """The closed clients of the app's snapshot, decoding only those."""
    return [row.client for row in snapshot.rows() if row.stage is Stage.CLOSED]


class ScreeningScreen(Screen[str | None]):
    """The screening checklist and the live suggestion; dismissed with the id of the client
    the prospect was added as, or None."""

    CSS_PATH = "screening.tcss"
    ACTION_SCOPE = "screening"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self) -> None:
        super().__init__()
        self.checklist: Checklist | None = None
        self.answers: dict[str, Answer] = {}
        self.show_hidden = False  # the hidden items listed too, marked, to bring one back
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="screening-summary", markup=False)
        with Horizontal(id="screening-body"):
            with Vertical(id="screening-left"):
                yield DataTable(id="screening-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="screening-detail", markup=False)
            with VerticalScroll(id="screening-side"):
                yield Static(id="screening-verdict", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Screening a new client"
        self.query_one("#screening-table", DataTable).focus()
        self.gather()

    # --- gathering the checklist -----------------------------------------------------------

    def gather(self) -> None:
        self._stale = False
        self._summary(Text("Gathering the lessons of closed clients…", style="dim"))
        self._run()

    @work(exclusive=True, group="screening")
    async def _run(self) -> None:
        app = core(self)
        services, snapshot = app.services, app.clients
        # asyncio's thread runs it in a copy of this context, dropped when it returns: a
        # thread worker's pool thread would keep the worker (and this screen) alive.
        try:
            found = await asyncio.to_thread(
                lambda: services.screening_checklist(closed_clients(snapshot))
            )
        except OffboardError as exc:
            self._failed(exc)
            return
        self._show(found)

    def _failed(self, exc: OffboardError) -> None:
        self._summary(Text(f"The checklist cannot be read: {error_text(exc)}", style="red"))

    def _show(self, checklist: Checklist) -> None:
        self.checklist = checklist
        ids = {i.id for i in checklist.items}
        self.answers = {k: a for k, a in self.answers.items() if k in ids}
        self._fill()
        self._redraw()

    # --- showing ---------------------------------------------------------------------------

    def _summary(self, text: Text) -> None:
        self.query_one("#screening-summary", Static).update(text)

    def _fill(self) -> None:
        assert self.checklist is not None
        table = self.query_one("#screening-table", DataTable)
        keep = self.highlighted
        table.clear(columns=True)
        fixed = sum(WIDTHS.values()) + 2 * (len(WIDTHS) + 1) + 2
        text_width = max(table.size.width - fixed, 20)
        for label in ("#", "Kind", "Item", "Taught", "Answer"):
            table.add_column(label, key=label, width=WIDTHS.get(label, text_width))
        for n, item in enumerate(self._listed(), 1):
            table.add_row(
                str(n) if n <= len(self.checklist.items) else "",
                KIND_SHORT[item.kind],
                " ".join(item.text.split()),
                "yours" if item.own else counted(len(item.taught_by), "client"),
                self._answer_cell(item),
                key=item.id,
            )
        if keep is not None and keep in {i.id for i in self.checklist.items}:
            table.move_cursor(row=table.get_row_index(keep))

    def _listed(self) -> tuple[Item, ...]:
        assert self.checklist is not None
        if self.show_hidden:
            return self.checklist.items + self.checklist.hidden
        return self.checklist.items

    def _is_hidden(self, item: Item) -> bool:
        return self.checklist is not None and item in self.checklist.hidden

    def _answer_cell(self, item: Item) -> Text:
        if self._is_hidden(item):
            return Text("hidden", style="dim italic")
        answer = self.answers.get(item.id, Answer.UNKNOWN)
        if answer is Answer.UNKNOWN:
            return Text("–", style="dim")
        if answer is item.against:
            return Text(f"{answer.value} ▲", style="bold red")
        return Text(answer.value, style="green")

    def _redraw(self) -> None:
        """The summary, the highlighted item's details and the suggestion, as answered now."""
        checklist = self.checklist
        if checklist is None:
            return
        keys = "/".join(key_text(self, f"screening.{a}") for a in ("yes", "no", "unknown"))
        summary = Text(
            f"{counted(len(checklist.items), 'item')} from {counted(checklist.lessons, 'lesson')}"
            f" of {counted(checklist.clients, 'closed client')}",
            style="bold",
        )
        if checklist.hidden:
            shows = key_text(self, "screening.show_hidden")
            listed = "listed below" if self.show_hidden else f"{shows} lists them"
            summary.append(f" ({len(checklist.hidden)} hidden, {listed})")
        summary.append(f"   {keys} answers the highlighted item", style="dim")
        self._summary(summary)
        self._detail()
        verdict = self.query_one("#screening-verdict", Static)
        if not checklist.items:
            add = key_text(self, "screening.add_item")
            verdict.update(Text(
                "Nothing to screen with yet. The checklist learns from the lessons of closed "
                "clients: record a lesson on a client (L on its screen) and close it. Or press "
                f"{add} to add an item of your own.",
                style="dim",
            ))  # fmt: skip
            return
        found = core(self).services.weigh(checklist, self.answers)
        v = found.verdict
        out = Text("Suggestion: ", style="bold")
        out.append(v.suggestion.value.upper(), style=SUGGESTION_STYLE[v.suggestion])
        out.append(f"\n{v.score:g} points; decline from {v.decline_from:g}\n\n", style="dim")
        for reason, text in zip(v.reasons, found.reasons, strict=True):
            points = f" (+{reason.points:g})" if reason.points else ""
            out.append(f"• {text}{points}\n")
        client_key = key_text(self, "screening.add_client")
        out.append(f"\n{client_key} adds the prospect as a client, these answers kept as its "
                   "intake notes.", style="dim")  # fmt: skip
        verdict.update(out)

    def _detail(self) -> None:
        item = self._item()
        detail = self.query_one("#screening-detail", Static)
        if item is None:
            detail.update("")
            return
        out = Text(f"{item.id}  ", style="dim")
        out.append(item.text, style="bold")
        out.append(f"\n{item.ask}\n")
        tail = taught_text(item)
        if not item.own:
            tail += f": {counted(item.times, 'lesson')}"
        if item.learned:
            tail += f"; reworded by you (the lessons say: {' '.join(item.learned.split())})"
        out.append(tail[0].upper() + tail[1:], style="dim")
        detail.update(out)

    @property
    def highlighted(self) -> str | None:
        table = self.query_one("#screening-table", DataTable)
        if not table.row_count:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if key.value is None else str(key.value)

    def _item(self) -> Item | None:
        wanted = self.highlighted
        if self.checklist is None or wanted is None:
            return None
        return next((i for i in self._listed() if i.id == wanted), None)

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._detail()

    # --- keeping up to date ----------------------------------------------------------------

    def on_resize(self) -> None:
        if self.checklist is not None:
            self.call_after_refresh(self._fill)

    @on(DataChanged)
    def _data_changed(self) -> None:
        if self.is_current:
            self.gather()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self.gather()

    # --- actions ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("answer", "edit_item"):
            item = self._item()
            return True if item is not None and not self._is_hidden(item) else None
        if action == "hide_item":
            return True if self._item() is not None else None
        if action == "toggle_hidden":
            return True if self.checklist is not None and self.checklist.hidden else None
        if action in ("add_client", "export", "clear"):
            return True if self.checklist is not None and self.checklist.items else None
        return True

    def action_close(self) -> None:
        self.workers.cancel_group(self, "screening")
        self.dismiss(None)

    def action_answer(self, answer: str) -> None:
        item = self._item()
        if item is None or self._is_hidden(item):
            return
        self.answers[item.id] = Answer(answer)
        table = self.query_one("#screening-table", DataTable)
        table.update_cell(item.id, "Answer", self._answer_cell(item))
        table.action_cursor_down()
        self._redraw()

    def action_clear(self) -> None:
        self.answers = {}
        self._fill()
        self._redraw()

    def action_add_client(self) -> None:
        if self.checklist is None or not self.checklist.items:
            return
        found = core(self).services.weigh(self.checklist, self.answers)

        def added(client_id: str | None) -> None:
            if client_id:
                self.dismiss(client_id)

        self.app.push_screen(ScreenedClientForm(found), added)

    def action_add_item(self) -> None:
        def chosen(result: tuple[ItemKind | None, str] | None) -> None:
            kind = None if result is None else result[0]
            if result is None or kind is None:
                return
            text = result[1]
            self._change(
                "add a screening item",
                lambda s: s.add_screening_item(kind, text),
                lambda item: f"Added {item.kind.label} {item.id}.",
            )

        lines = ["Its kind, and the item in a sentence. It is on the checklist from now on."]
        self.app.push_screen(AskText("Add an item of your own", lines, item_text, kinds=True),
                             chosen)  # fmt: skip

    def action_edit_item(self) -> None:
        item = self._item()
        if item is None:
            return

        def chosen(result: tuple[ItemKind | None, str] | None) -> None:
            if result is not None:
                self._change(
                    "reword a screening item",
                    lambda s: s.edit_screening_item(item.id, result[1]),
                    lambda changed: f"Reworded {changed.id}.",
                )

        lines = [f"{item.id}: your own words for it. Its lessons' words back undo the change."]
        self.app.push_screen(AskText("Reword the item", lines, item_text, value=item.text),
                             chosen)  # fmt: skip

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self._fill()
        self._redraw()

    def action_hide_item(self) -> None:
        item = self._item()
        if item is None:
            return
        if self._is_hidden(item):
            self._change(
                "show a hidden screening item",
                lambda s: s.hide_screening_item(item.id, hidden=False),
                lambda shown: f"Showed {shown.id} again: it is on the checklist.",
            )
            return
        shows = key_text(self, "screening.show_hidden")
        self._change(
            "hide a screening item",
            lambda s: s.hide_screening_item(item.id),
            lambda hidden: f"Hid {hidden.id}; {shows} lists the hidden items to bring it back.",
        )

    def action_export(self) -> None:
        checklist = self.checklist
        if checklist is None:
            return
        default = str(Path(core(self).services.repo.path).with_name(EXPORT_NAME))

        def chosen(result: tuple[ItemKind | None, str] | None) -> None:
            if result is not None:
                path = Path(result[1].strip()).expanduser()
                self._change(
                    "export the checklist",
                    lambda s: s.export_screening(path, checklist=checklist),
                    lambda written: f"Wrote the checklist to {written}.",
                )

        def where(text: str) -> None:
            if not text.strip():
                raise InvalidInput("give a file name")

        lines = ["Where to write the checklist as Markdown (a new file, private to you)."]
        self.app.push_screen(AskText("Export the checklist", lines, where, value=default),
                             chosen)  # fmt: skip

    def _change(
        self, label: str, run: Callable[[Services], Any], said: Callable[[Any], str]
    ) -> None:
        """Run `run` on the writer thread, then say `said(result)`; the app's DataChanged
        that follows gathers the checklist again."""
        core(self).submit(label, run, on_done=lambda result: self.notify(said(result), timeout=5))
