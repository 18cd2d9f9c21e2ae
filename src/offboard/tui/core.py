"""The one typed way for a screen, form or widget to reach what the running app holds.

Screens never import the App (that is what made the screens import each other in a circle);
they call `core(self)` and get this protocol: the services, the clock and today, the config,
the clients as last read, the board's projection of them (each client's deadlines and
search text), `submit`, the one way to change anything (on the writer thread,
results back on the UI thread), and `reload_config` after the config file was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..config import Config
    from ..domain.clock import Clock
    from ..domain.errors import OffboardError
    from ..domain.models import Client
    from ..services import ClientSnapshot, Services
    from .deadline_index import Projection


class AppCore(Protocol):
    clock: Clock
    today: dt.date
    config: Config
    clients: ClientSnapshot

    @property
    def services(self) -> Services: ...

    def client(self, client_id: str) -> Client: ...

    def board_clients(self) -> Mapping[str, Client]: ...

    def projection(self) -> Projection: ...

    def reload_config(self, *, quiet: bool = False) -> None: ...

    def submit(
        self,
        label: str,
        run: Callable[[Services], Any],
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[OffboardError], None] | None = None,
    ) -> None: ...


def core(node: DOMNode) -> AppCore:
    """What the app holds, for any widget or screen of offboard's."""
    return cast("AppCore", node.app)
