"""The board's work after its first frame: every card made ready ahead of need, then kept out
of the cyclic collector's way.

After the first paint, when nothing else is going on, each card's deadlines, search text and
face (what it says) are worked out, so the first agenda, filter or palette keystroke finds
them ready. Sixteen cards at a time (about 3 ms), so a key pressed meanwhile hardly waits;
the sorts that end it (the agenda's deadlines, then every card in the filter's order) take
up to about 80 ms each at 50,000 clients. Last, the command palette's titles and where their
words start (tui/title_index.py), 512 clients at a time. Then what the warm-up made is
frozen (gc.freeze), once no other screen is open or being taken down.
"""

from __future__ import annotations

import asyncio
import gc
import time

from textual.screen import Screen

from ...domain.models import Client
from ..core import core
from ..title_index import warm as warm_titles
from .column import FaceContext, card_face, face_context
from .model import BoardModel, Card

WARM_UP_SECONDS = 0.5
WARM_SLICE = 16
TITLE_SLICE = 512  # palette titles made between two pauses (about 3 ms)
CALM_SECONDS = 1.0  # since another screen closed, before the warm-up's work is frozen


class WarmUp:
    """The warm-up of one board screen; the screen tells it when it is covered and resumed."""

    def __init__(self, screen: Screen[None], model: BoardModel) -> None:
        self.screen = screen
        self.model = model
        self._resumed_at = 0.0  # when another screen last closed over the board (monotonic)
        self._covered = False  # another screen was pushed over the board, not yet resumed
        self.done = False  # everything made (the freeze may wait for a calm moment)

    def start(self) -> None:
        """Begin once the first frame has had its time."""
        self.screen.set_timer(WARM_UP_SECONDS, self._begin)

    def _begin(self) -> None:
        # The coroutine function, not a coroutine: a worker not started (the app closing)
        # would leave a coroutine never awaited. (Textual's WorkType wants Coroutine[None, ...].)
        work = self._run
        self.screen.run_worker(work, group="warm-up", exit_on_error=False)  # type: ignore[arg-type]

    async def _run(self) -> None:
        try:
            await self._make()
        except Exception as error:  # a bug of ours: the worker would hide it
            self.done = True
            self.screen.log.error("the board's warm-up failed:", repr(error))
            self.screen.notify(
                f"Preparing the cards ahead of time stopped on an unexpected error ({error!r}); "
                "please report this. The board works as before, and the agenda and the "
                "palette work out what they need when opened.",
                title="Warm-up stopped",
                severity="error",
                timeout=30,
            )
            return
        self.done = True
        self.freeze()

    async def _make(self) -> None:
        context = self._face_context()

        def prepare(card: Card, client: Client) -> None:
            card_face(card, context, client)

        for _ in self.model.warm(WARM_SLICE, prepare):
            await asyncio.sleep(0)
            context = self._face_context()  # the day may turn meanwhile, or the amounts come
        for _ in warm_titles(self.model, TITLE_SLICE):
            await asyncio.sleep(0)

    def _face_context(self) -> FaceContext:
        app = core(self.screen)
        return face_context(app.today, app.config)

    def covered(self) -> None:
        self._covered = True

    def resumed(self) -> None:
        self._covered = False
        self._resumed_at = time.monotonic()

    def freeze(self) -> None:
        """Keep the cyclic collector off what the warm-up made: every card's deadlines,
        search text and face, and the clients decoded for them, live as long as the board.
        Left in the collector's oldest generation, each full pass walked them all (about 70 ms
        at 50,000 clients), and whatever key came while one ran waited for it."""
        screen = self.screen
        if not screen.is_attached:
            return
        calm = not self._covered and time.monotonic() - self._resumed_at >= CALM_SECONDS
        if screen.app.screen_stack != [screen] or not calm or self._screens_going():
            # Another screen is open, or one closed and is still being taken down (as long as
            # its widgets take to unmount): frozen now, it would stay for good. Asked later.
            screen.set_timer(CALM_SECONDS, self.freeze)
            return
        gc.collect()  # garbage frozen now would never be freed
        gc.freeze()

    def _screens_going(self) -> bool:
        """Whether a screen off the stack is still mounted: Textual keeps every mounted node
        in the app's registry until it is removed."""
        app = self.screen.app
        stack = app.screen_stack
        registry = list(getattr(app, "_registry", ()))
        return any(isinstance(node, Screen) and node not in stack for node in registry)
