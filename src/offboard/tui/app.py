"""The Textual application: owns the services, the writer thread and the latest snapshot of
the clients, and is the one module that imports screens.

Screens reach what it holds through `offboard.tui.core.core(self)`: they read the clients (a
read-only mapping of id to Client, decoded on first use), change things only through
`submit`, and hear about new data through the DataChanged message. They never import one
another: to show another screen they post a navigation message (messages.py), which bubbles
up to the handlers here."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App

from ..config import DatabaseUrl, DbLocation, config_path
from ..domain.clock import Clock
from ..domain.errors import OffboardError
from ..domain.models import Client
from ..formats import counted
from .actions import bindings, key_text
from .database import Database
from .fixes import error_text
from .messages import (
    DataChanged,
    DayChanged,
    JumpToClient,
    OpenAgenda,
    OpenClient,
    OpenHelp,
    OpenLetter,
    OpenNewClient,
    OpenReport,
    OpenScreening,
    OpenSettings,
)
from .textual_mends import mend_textual
from .userconfig import ConfigWatch, read_config

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from ..services import ClientSnapshot, Repository, Services
    from .board.model import BoardModel
    from .saving import Offline, Operation, SaveQueue

POLL_SECONDS = 2.0
# On a team's board (PostgreSQL) the poll only looks for notifications already received, at no
# cost to the server: often enough that a colleague's change shows within a second.
SHARED_POLL_SECONDS = 0.5
DAY_CHECK_SECONDS = 30.0
# After the first paint, with nothing else to do: load what the first change will need.
WARM_UP_SECONDS = 0.3


def offboard_commands() -> type[Provider]:
    """The palette's own commands, imported when the palette first opens (Textual accepts a
    callable here), not before the first paint."""
    from .commands import OffboardCommands

    return OffboardCommands


class OffboardApp(App[None]):
    # The board's styles load with the app's: as the pushed screen's CSS_PATH they made
    # Textual re-parse and re-apply every stylesheet just before the first frame.
    CSS_PATH = ["app.tcss", "board/board.tcss", "widgets/offline.tcss"]
    TITLE = "offboard"
    COMMANDS = App.COMMANDS | {offboard_commands}
    ACTION_SCOPE = "app"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(
        self,
        db_path: DbLocation,
        clock: Clock,
        *,
        demo: bool = False,
        services: Services | None = None,
        watch: bool = True,
    ) -> None:
        mend_textual()
        super().__init__()
        self.clock = clock
        # The services (and the checklists they load) and the writer thread are made on first
        # use, after the first paint: showing the board needs neither.
        self._services = services
        self._saver: SaveQueue | None = None
        self._projection: BoardModel | None = None  # only while no board is shown
        # While a team's board cannot reach its server: what the banner says (None: online).
        self.offline: Offline | None = None
        self._quit_asked = False
        if services is None:
            self.config = read_config()
            if demo:
                from ..demo import demo_config

                self.config = demo_config(self.config)
            self.database = Database(db_path, self.config)
        else:
            self.config = services.config
            self.database = Database(db_path, self.config, services.repo)
        self.demo = demo
        self.watch_outside = watch
        self.poll_seconds = (
            SHARED_POLL_SECONDS if isinstance(db_path, DatabaseUrl) else POLL_SECONDS
        )
        self.sub_title = "demo data, thrown away on quit" if demo else str(db_path)
        self.today: dt.date = clock.today()
        # The config file is looked at on the same poll as the database (see poll_outside).
        self._config_watch = ConfigWatch(config_path())
        self.set_keymap(self.config.keys)

    # --- the database: opened before the app runs, or right after the first frame ----------

    @property
    def repo(self) -> Repository:
        return self._opened()[0]

    @property
    def clients(self) -> ClientSnapshot:
        return self._opened()[1]

    @clients.setter
    def clients(self, snapshot: ClientSnapshot) -> None:
        self.database.clients = snapshot

    def board_clients(self) -> Mapping[str, Client]:
        """What the board draws from: a preview of the file until the database is open."""
        return self.database.board_clients()

    def _opened(self) -> tuple[Repository, ClientSnapshot]:
        database = self.database
        if database.repo is None and database.open(self.config):
            # The board was drawn from the preview: it points its cards at the records now
            # (the same ones, unless the file changed in between).
            self._broadcast(DataChanged())
        assert database.repo is not None and database.clients is not None
        return database.repo, database.clients

    def finish_opening(self) -> bool:
        """Open the database if the first frame was drawn from a preview; False when it could
        not be opened, and the app is closing to report why (`fatal`)."""
        if self.database.repo is not None:
            return True
        if self.database.fatal is not None:
            return False
        try:
            self._opened()
        except OffboardError as exc:
            self.database.fatal = exc
            # Once the screen is up: a key may come before it is (Textual's Header, taken
            # down half-mounted, fails).
            self.call_after_refresh(self.exit)
            return False
        return True

    async def on_event(self, event: events.Event) -> None:
        # No key or click acts on a preview: the database opens first (if on_ready has not).
        if isinstance(event, events.InputEvent) and not self.finish_opening():
            return
        await super().on_event(event)

    @property
    def services(self) -> Services:
        if self._services is None:
            from ..bootstrap import build_services

            self._services = build_services(self.repo, self.clock, self.config, interface="tui")
        return self._services

    @property
    def saver(self) -> SaveQueue:
        if self._saver is None:
            from .saving import SaveQueue

            self._saver = SaveQueue(
                self.services,
                self._deliver,
                on_saved=self._saved,
                on_failed=self._failed,
                on_snapshot=self._take_snapshot,
                on_offline=self._offline_changed,
            )
            # The board was built from this one: the first save's snapshot says what changed.
            self._saver.last = self.clients
        return self._saver

    # --- screens: the App is the one module that imports them ----------------------------

    def get_default_screen(self) -> Screen:
        from .board.screen import BoardScreen

        # The board is the first screen itself, not pushed over an empty default one that
        # would be composed, laid out and painted first. Its styles are in CSS_PATH above.
        return BoardScreen()

    def on_open_client(self, message: OpenClient) -> None:
        from .client.screen import ClientScreen

        self.push_screen(ClientScreen(message.client_id, tab=message.tab))

    def on_jump_to_client(self, message: JumpToClient) -> None:
        # No screen on the way here shows the client's card: show the client instead.
        if message.client_id not in self.clients:
            self.notify("That client no longer exists.", severity="warning")
            return
        self.post_message(OpenClient(message.client_id))

    def on_open_letter(self, message: OpenLetter) -> None:
        from .screens.letter_start import open_letter_editor

        open_letter_editor(self, message.client_id, resume=message.resume)

    def on_open_agenda(self, _: OpenAgenda) -> None:
        from .screens.agenda import AgendaScreen

        self.push_screen(AgendaScreen())

    def on_open_report(self, _: OpenReport) -> None:
        from .screens.report import ReportScreen

        # Its key closes it again: never a second copy over the first.
        if not any(isinstance(screen, ReportScreen) for screen in self.screen_stack):
            self.push_screen(ReportScreen())

    def on_open_screening(self, _: OpenScreening) -> None:
        from .screens.screening import ScreeningScreen

        if any(isinstance(screen, ScreeningScreen) for screen in self.screen_stack):
            return
        asked_from = self.screen

        def added(client_id: str | None) -> None:
            if client_id:
                # The prospect added as a client: the board brings its new card into view.
                asked_from.post_message(JumpToClient(client_id))

        self.push_screen(ScreeningScreen(), added)

    def on_open_settings(self, _: OpenSettings) -> None:
        from .screens.settings import SettingsScreen

        # Its key works on its own buttons too: never a second copy over the first.
        if not any(isinstance(screen, SettingsScreen) for screen in self.screen_stack):
            self.push_screen(SettingsScreen())

    def on_open_help(self, _: OpenHelp) -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def on_open_new_client(self, _: OpenNewClient) -> None:
        from .forms import NewClientForm

        asked_from = self.screen

        def created(client_id: str | None) -> None:
            if client_id:
                # The board that asked focuses the new card once the save's snapshot is in.
                asked_from.post_message(JumpToClient(client_id))

        self.push_screen(NewClientForm(), created)

    def on_ready(self) -> None:
        # The first frame is on screen: if it was drawn from a preview, the repository opens.
        self.finish_opening()

    def on_mount(self) -> None:
        if self.watch_outside:
            self.set_interval(self.poll_seconds, self.poll_outside)
        self.set_interval(DAY_CHECK_SECONDS, self.check_day)
        # Like a key, neither timer uses the database before it is open (finish_opening).
        self.set_timer(WARM_UP_SECONDS, lambda: self.finish_opening() and self.saver)

    async def on_unmount(self) -> None:
        if self._saver is None:
            return
        # Wait for saves still in flight without blocking the loop: the writer hands its
        # results back through this loop, so blocking it here would stall both.
        await asyncio.to_thread(self._saver.wait_idle, 10)
        self._saver.close()

    # --- the data contract for screens -------------------------------------------------------

    def client(self, client_id: str) -> Client:
        return self.clients[client_id]

    def projection(self) -> BoardModel:
        """The board's cards, caught up with the latest snapshot: each client's deadlines and
        search text, kept per revision, for the agenda and the command palette."""
        from .board.screen import BoardScreen

        board = next((s for s in self.screen_stack if isinstance(s, BoardScreen)), None)
        model = board.model if board is not None else self._own_projection()
        model.sync(self.clients)
        return model

    def _own_projection(self) -> BoardModel:
        # No board (a test's own screen): a model of the same cards, kept here.
        from .board.model import BoardModel

        if self._projection is None:
            self._projection = BoardModel()
        return self._projection

    def submit(
        self,
        label: str,
        run: Callable[[Services], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[OffboardError], None] | None = None,
    ) -> None:
        """Queue a change for the writer thread. `run` gets the services and runs off the UI
        thread; `on_done(result)` and `on_error(error)` run back on the UI thread."""
        from .saving import Operation

        self.saver.submit(Operation(label, run, on_done, on_error))

    def poll_outside(self) -> None:
        """What another process changed: the database, and the config file."""
        if not self.finish_opening():
            return
        self.saver.refresh_if_changed()
        self.reload_config()

    def reload_config(self, *, quiet: bool = False) -> None:
        """Read the config file again if it changed, and use it: the sender, defaults, target
        rate and keys. A file that no longer loads is reported once and the settings in use
        stay, so a half-typed edit in an editor never breaks the running app."""
        if not self._config_watch.changed():
            return
        path = self._config_watch.path
        try:
            config = read_config(path)
        except OffboardError as exc:
            self.notify(
                f"{exc.one_line()}. The settings in use stay until the file loads again.",
                title="Config file not read",
                severity="error",
                timeout=20,
            )
            return
        if self.demo:
            from ..demo import demo_config

            config = demo_config(config)
        self.config = config
        if self._services is not None:
            self._services.config = config
        self.set_keymap(config.keys)
        if not quiet:
            self.notify(f"Settings read again from {path}.", timeout=4)
        # Screens redraw what they show from the config (a target rate) as after a change.
        self._broadcast(DataChanged())

    def check_day(self) -> None:
        """Countdowns depend on the date: when it changes (past midnight), redraw them."""
        today = self.clock.today()
        if today != self.today:
            self.today = today
            self._broadcast(DayChanged())

    # --- results from the writer thread (already on the UI thread) ---------------------------

    def _deliver(self, callback: Callable[..., Any], *args: Any) -> None:
        # RuntimeError: the app is shutting down; nothing is left to show the result on.
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(callback, *args)

    def _take_snapshot(self, snapshot: ClientSnapshot | None) -> None:
        if snapshot is not None:
            self.clients = snapshot
            self._broadcast(DataChanged())

    def _saved(self, op: Operation, result: Any, snapshot: ClientSnapshot | None) -> None:
        if snapshot is not None:
            self.clients = snapshot
        if op.on_done is not None:
            op.on_done(result)
        self._broadcast(DataChanged())

    def _failed(self, op: Operation, error: OffboardError, retry: bool) -> None:
        if retry and self.offline is not None:
            pass  # the offline banner says it, and counts what waits
        elif retry:
            self.notify(
                f"{error_text(error)} The change is kept as unsaved; "
                f"{key_text(self, 'retry_saves')} retries.",
                title=f"Not saved: {op.label}",
                severity="error",
                timeout=30,
            )
        else:
            self.notify(error_text(error), title=f"{op.label} failed", severity="error", timeout=10)
        if op.on_error is not None:
            op.on_error(error)

    def _offline_changed(self, state: Offline | None) -> None:
        """The server went away (a banner on every full screen until it is back), or came
        back (the banner goes; the writer has read the whole board again and retries)."""
        from .widgets.offline import banner_text, place_banner

        was_offline, self.offline = self.offline is not None, state
        if state is not None and not was_offline:
            self.screen_change_signal.subscribe(self, self._banner_on)
        text = None if state is None else banner_text(state, key_text(self, "retry_saves"))
        for screen in self.screen_stack:
            place_banner(screen, text)
        if state is None and was_offline:
            self.screen_change_signal.unsubscribe(self)
            self.notify("Connected to the server again; the board was read afresh.", timeout=4)

    def _banner_on(self, screen: Screen) -> None:
        if self.offline is not None:
            from .widgets.offline import banner_text, place_banner

            place_banner(screen, banner_text(self.offline, key_text(self, "retry_saves")))

    def _broadcast(self, message_type: DataChanged | DayChanged) -> None:
        for screen in self.screen_stack:
            screen.post_message(type(message_type)())

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Messages quote client names, file paths and server replies, any of which may hold
        # [brackets]: read as markup they would be hidden, restyled or refused with an error.
        # offboard's own messages use no markup, so none is ever interpreted.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    # --- actions -----------------------------------------------------------------------------

    def action_undo(self) -> None:
        from .undoing import undo

        undo(self)

    def action_redo(self) -> None:
        from .undoing import redo

        redo(self)

    async def action_quit(self) -> None:
        """Quit; with changes still unsaved (offline, a full disk), the first press says so
        and only a second one quits, losing them."""
        unsaved = len(self._saver.unsaved) if self._saver is not None else 0
        if unsaved and not self._quit_asked:
            self._quit_asked = True
            quit_key, retry = key_text(self, "quit"), key_text(self, "retry_saves")
            self.notify(
                f"{counted(unsaved, 'change')} not saved yet: quitting now loses "
                f"{'it' if unsaved == 1 else 'them'}. {retry} retries; {quit_key} again quits "
                "anyway.",
                title="Unsaved changes",
                severity="warning",
                timeout=10,
            )
            return
        await super().action_quit()

    def action_retry_saves(self) -> None:
        count = self.saver.retry_unsaved() if self._saver is not None else 0
        if self.offline is not None:
            self.notify(f"Trying the server again; {counted(count, 'unsaved change')} wait.")
            return
        retrying = f"Retrying {counted(count, 'unsaved change')}."
        self.notify(retrying if count else "Nothing is unsaved.")

    def action_settings(self) -> None:
        self.post_message(OpenSettings())

    def action_help(self) -> None:
        self.post_message(OpenHelp())

    def action_command_palette(self) -> None:
        # Textual's palette, its list filled on the keystroke itself (palette.py).
        from .palette import open_palette

        open_palette(self)
