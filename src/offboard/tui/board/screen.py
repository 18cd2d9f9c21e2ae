"""The kanban board: the screen users live in.

A keystroke does its work in memory and asks for a repaint of the columns it touched; saving
happens on the app's writer thread. A card move is checked against the gates right here (they
are pure domain rules), shown at once, and saved behind the scenes; if the save is refused the
board falls back to what is stored, and if the disk fails the card stays, marked unsaved.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ...domain.errors import OffboardError
from ...domain.fixes import Fix, Requirement
from ...domain.models import Client, Stage
from ...formats import counted
from ..actions import bindings, key_text
from ..core import core
from ..messages import (
    DataChanged,
    DayChanged,
    JumpToClient,
    OpenAgenda,
    OpenClient,
    OpenLetter,
    OpenNewClient,
    OpenReport,
    OpenScreening,
)
from ..widgets.footer import Footer
from ..widgets.header import Header
from .column import show_amounts
from .model import COLUMNS, BoardModel
from .view import BoardView
from .warmup import WarmUp

if TYPE_CHECKING:
    from textual.widgets import Input

    from ...services import Services
    from ..dialogs import Offer
    from .empty import EmptyBoard


def _fix_offer(screen: Screen[None], client: Client, warnings: list[Requirement]) -> Offer | None:
    """The key a soft gate's dialog offers to put a warning right instead of overriding it:
    the gate into closed asks for lessons learned, and one can be written on the spot."""
    from ..dialogs import Offer
    from ..forms import LessonForm

    if any(w.fix is Fix.LESSONS for w in warnings):
        words = "record a lesson learned now, then move the card again"
        return Offer(
            "client.add_lesson", words, lambda: screen.app.push_screen(LessonForm(client.id))
        )
    return None


FILTER_PLACEHOLDER = "filter: name, archetype or flag category"


class BoardScreen(Screen[None]):
    AUTO_FOCUS = None  # the keys belong to the board, not to the (hidden) filter box
    ACTION_SCOPE = "board"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self) -> None:
        super().__init__()
        self.model = BoardModel()
        self.view = BoardView(self.model, id="board")
        self._status_text = ""
        self._empty: EmptyBoard | None = None  # made the first time there is no card to show
        # (client id, revision a move of ours started from) -> the revision it saved. Moves
        # queued before the first is saved all start from the card's revision; each counts
        # the ones before it as its own, not as a colleague's change. Writer thread only.
        self._own_revs: dict[tuple[str, int], int] = {}
        self.warm_up = WarmUp(self, self.model)

    def compose(self) -> ComposeResult:
        # The filter box is made the first time `/` is pressed: most sessions never filter,
        # and an Input costs the first paint its import, styles and layout.
        yield Header()
        yield Static("", id="board-status", markup=False)
        yield self.view
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#board-status", Static).display = False
        # A card per client, kept for the whole session: the cyclic collector's passes over
        # them would find nothing, and frozen they stay out of every later collection (made
        # after the start-up freeze, the next full collection would walk all 10,000).
        self.model.load(core(self).board_clients())
        gc.freeze()
        self.model.focus_first()
        self.render_board()
        # Likewise the widgets, styles and decoded clients of the first frame.
        self.call_after_refresh(gc.freeze)
        self.call_after_refresh(self._show_amounts)
        self.warm_up.start()

    def on_screen_suspend(self) -> None:
        self.warm_up.covered()

    def on_screen_resume(self) -> None:
        # Heard once the screen over the board is off the stack, while it is still being
        # taken down.
        self.warm_up.resumed()

    def _show_amounts(self) -> None:
        if show_amounts():
            self.view.refresh_columns()

    # --- drawing -----------------------------------------------------------------------------

    def render_board(self, stages: set[Stage] | None = None) -> None:
        model = self.model
        view = self.view
        view.today = core(self).today
        view.pending = set(model.overlays)
        for stage in COLUMNS if stages is None else stages:
            count = len(model.columns[stage])
            title = f"{stage.label} {count:,}"
            if stage is Stage.CLOSED:
                total = model.closed_total()
                if not model.show_archived and total > count:
                    title = f"Closed {count:,} of {total:,}"
            view.titles[stage] = title
        view.refresh_columns(stages)
        self._update_status()
        self._update_empty()

    def _update_status(self) -> None:
        model = self.model
        parts = []
        if model.filter:
            shown = sum(len(c) for c in model.columns.values())
            clear = key_text(self, "board.clear_filter")
            parts.append(f"filter “{model.filter}”: {shown:,} shown ({clear} clears)")
        if model.unsaved:
            retry = key_text(self, "retry_saves")
            parts.append(f"{counted(len(model.unsaved), 'change')} not saved: {retry} retries")
        text = "   ".join(parts)
        if text != self._status_text:
            self._status_text = text
            status = self.query_one("#board-status", Static)
            status.update(text, layout=False)  # one line, as wide as the screen (board.tcss)
            status.display = bool(parts)

    def _update_empty(self) -> None:
        """In place of the columns, say what to do when there is no card to show: first
        steps on a board with no client yet, how to clear a filter that hides them all."""
        model = self.model
        first_run = not core(self).board_clients() and not model.overlays
        no_match = (
            not first_run
            and bool(model.filter)
            and not any(model.columns.values())
            and not model.closed_total()
        )
        empty = self._empty
        if (first_run or no_match) and empty is None:
            from .empty import EmptyBoard

            empty = self._empty = EmptyBoard(id="board-empty")
            self.mount(empty, after=self.view)
        if empty is None:
            return
        # Said again each time: the keys or the sender may have changed in the settings.
        if first_run:
            empty.first_run()
        elif no_match:
            box = self._filter_box()
            empty.no_match(box.value.strip() if box is not None else model.filter)
        empty.display = first_run or no_match
        self.view.display = not empty.display

    def _nothing_to(self, doing: str) -> None:
        """A card key pressed where no card has focus: say why nothing happened."""
        stage = self.model.stage.label
        if not core(self).clients:
            text = f"No client to {doing} yet: press {key_text(self, 'board.new')} to add one."
        elif self.model.filter:
            text = f"No client in {stage} to {doing}: the filter shows none there."
        else:
            text = f"No client in {stage} to {doing}."
        self.notify(text, timeout=3)

    def _focused(self, doing: str) -> Client | None:
        """The client of the focused card, or None after saying there is none."""
        client = self.model.focused()
        if client is None:
            self._nothing_to(doing)
        return client

    def _refocus(self, previous: Stage, *also: Stage) -> None:
        """Repaint the columns focus left and entered (and any others named), and bring the
        focused card into view."""
        model = self.model
        self.render_board({previous, model.stage, *also})
        self.view.scroll_to_column(model.col)
        if model.columns[model.stage]:
            self.view.scroll_to_card(model.stage, model.row())

    # --- messages ----------------------------------------------------------------------------

    def on_data_changed(self, _: DataChanged) -> None:
        changed = self.model.load(core(self).clients)
        if changed:
            self._refocus(self.model.stage, *changed)
        else:
            self._update_empty()  # the settings changed (they are broadcast as this too)

    def on_day_changed(self, _: DayChanged) -> None:
        self.render_board()

    def on_board_view_clicked(self, message: BoardView.Clicked) -> None:
        previous = self.model.stage
        self.model.col = COLUMNS.index(message.stage)
        self.model.rows[message.stage] = message.index
        self._refocus(previous)
        if message.double:
            self.action_open()

    # --- focus -------------------------------------------------------------------------------

    def action_focus_move(self, dcol: int, drow: int) -> None:
        previous = self.model.stage
        self.model.move_focus(dcol, drow)
        self._refocus(previous)

    def action_jump(self, where: str) -> None:
        self.model.jump_row(where)
        self._refocus(self.model.stage)

    def on_jump_to_client(self, message: JumpToClient) -> None:
        # The card is here: focus it rather than open the client. After the messages already
        # queued, so that a client just added (the new-client form) is on the board first.
        message.stop()
        self.call_after_refresh(self.action_focus_client, message.client_id)

    def action_focus_client(self, client_id: str) -> None:
        """Put focus on a client's card (the command palette's 'jump to client')."""
        previous = self.model.stage
        if not self.model.focus_id(client_id) and self.model.filter:
            self.action_clear_filter()
            self.model.focus_id(client_id)
        client = core(self).clients.get(client_id)
        if (
            client is not None
            and client.stage is Stage.CLOSED
            and not self.model.focus_id(client_id)
        ):
            self.model.toggle_archived()
            self.model.focus_id(client_id)
            self.render_board()
        self._refocus(previous)

    # --- moving cards ------------------------------------------------------------------------

    def action_move_next(self) -> None:
        from ...domain.stages import forward_stage

        client = self._focused("move")
        if client is not None:
            self.request_move(client, forward_stage(client))

    def action_move_prev(self) -> None:
        from ...domain.stages import backward_stage

        client = self._focused("move")
        if client is not None:
            self.request_move(client, backward_stage(client))

    def request_move(self, client: Client, target: Stage | None) -> None:
        from ...domain.stages import check_move
        from ..dialogs import ConfirmScreen, ReasonScreen

        if target is None:
            self.notify(f"{client.name} is already in the last stage.", timeout=3)
            return
        check = check_move(client, target, core(self).services.checklists)
        if check.missing:
            items = "\n".join(f"• {m}" for m in check.missing)
            self.notify(
                f"{items}\nOpen the client (enter) to fill these in.",
                title=f"{client.name} cannot enter {target.value} yet",
                severity="warning",
                timeout=8,
            )
            return
        if check.needs_reason:
            lines = [
                f"{client.name} has already been told. Going back from {client.stage.value} "
                f"to {target.value} changes what was announced; the reason is kept in the "
                "history."
            ]

            def reasoned(reason: str | None) -> None:
                if reason:
                    self._do_move(client, target, reason=reason)

            question = ReasonScreen(f"Move {client.name} back?", lines, "reason for going back")
            self.app.push_screen(question, reasoned)
            return
        if check.warnings:

            def answered(yes: bool | None) -> None:
                if yes:
                    self._do_move(client, target, force=True)

            confirm = ConfirmScreen(
                f"{client.name} is not ready for {target.value}",
                list(check.warnings),
                "Move anyway? The override is recorded in the client's history.",
                yes="Move anyway",
                offer=_fix_offer(self, client, check.warnings),
            )
            self.app.push_screen(confirm, answered)
            return
        self._do_move(client, target)

    def _do_move(
        self, client: Client, target: Stage, *, reason: str | None = None, force: bool = False
    ) -> None:
        previous = self.model.stage
        source = client.stage
        self.model.apply_move(client, target)
        self._refocus(previous, source, target)
        base_rev = client.rev

        def run(services: Services) -> object:
            expected = base_rev
            while (client.id, expected) in self._own_revs:
                expected = self._own_revs[client.id, expected]
            result = services.move(
                client.id, target, reason=reason, force=force, expected_rev=expected
            )
            self._own_revs[client.id, expected] = result.client.rev
            return result

        def done(_result: object) -> None:
            self.model.settle(client.id)

        def failed(error: OffboardError) -> None:
            from ...services import DatabaseLocked, WriteFailed

            retry = isinstance(error, WriteFailed | DatabaseLocked)
            self.model.settle(client.id, failed_retryably=retry)
            # A refused change goes back to the stored card now, with its message, not when
            # (or if: the read may fail too) the next snapshot arrives.
            changed = self.model.load(core(self).clients)
            self.render_board({source, target} | changed)

        # Start the save once this frame is painted: encoding a large file holds the GIL, and
        # the user should see the card move before that begins.
        self.call_after_refresh(
            core(self).submit,
            f"moving {client.name} to {target.value}",
            run,
            on_done=done,
            on_error=failed,
        )

    # --- other screens: asked for by message, opened by the app ---------------------------

    def action_open(self) -> None:
        client = self._focused("open")
        if client is not None:
            self.post_message(OpenClient(client.id))

    def action_new_client(self) -> None:
        self.post_message(OpenNewClient())

    def action_flag(self) -> None:
        client = self._focused("log a red flag for")
        if client is not None:
            from ..forms import FlagForm

            self.app.push_screen(FlagForm(client.id))

    def action_repair(self) -> None:
        client = self._focused("start a repair attempt for")
        if client is not None:
            from ..forms import RepairForm

            self.app.push_screen(RepairForm(client.id))

    def action_letter(self) -> None:
        client = self._focused("write to")
        if client is not None:
            self.post_message(OpenLetter(client.id))

    def action_agenda(self) -> None:
        self.post_message(OpenAgenda())

    def action_report(self) -> None:
        self.post_message(OpenReport())

    def action_screening(self) -> None:
        self.post_message(OpenScreening())

    # --- filter and archive ------------------------------------------------------------------

    def _filter_box(self) -> Input | None:
        from textual.widgets import Input

        return next(iter(self.query("#filter").results(Input)), None)

    def _hide_filter(self) -> None:
        box = self._filter_box()
        if box is not None:
            box.display = False
            box.disabled = True  # a hidden box must not take focus and the board's keys

    async def action_filter(self) -> None:
        box = self._filter_box()
        if box is None:
            from ..widgets.steady_input import SteadyInput

            box = SteadyInput(placeholder=FILTER_PLACEHOLDER, id="filter")
            # Docked at the top after the header, where it sat when it was composed. Awaited,
            # so the keys typed next go to the box rather than to the board.
            await self.mount(box, before="#board-status")
        box.disabled = False
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.model.set_filter(event.value)
            self.render_board()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.set_focus(None)
            if not event.value.strip():
                self._hide_filter()
            self._refocus(self.model.stage)

    def action_clear_filter(self) -> None:
        box = self._filter_box()
        if (box is not None and box.display) or self.model.filter:
            if box is not None:
                box.value = ""
            self._hide_filter()
            self.set_focus(None)
            self.model.set_filter("")
            self.render_board()
            self._refocus(self.model.stage)

    def action_toggle_archived(self) -> None:
        self.model.toggle_archived()
        self.render_board({Stage.CLOSED, self.model.stage})
        state = "all archived clients" if self.model.show_archived else "only recent ones"
        self.notify(f"Closed column shows {state}.", timeout=2)
