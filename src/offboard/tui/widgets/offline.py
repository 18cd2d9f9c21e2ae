"""The banner a team's board shows while its server cannot be reached.

It stays for as long as the app is offline (a passing message would be gone before anyone
read it) and says why, how many changes wait unsaved and how often the server is tried. It
sits at the top of every full screen: a dialog or form lets the one beneath show through.
Made only when the server is first lost, so the first paint never imports it.
"""

from __future__ import annotations

from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ...formats import counted
from ..saving import Offline

BANNER_ID = "offline-banner"


class OfflineBanner(Static):
    def __init__(self, text: str) -> None:
        super().__init__(text, id=BANNER_ID, markup=False)


def banner_text(state: Offline, retry_key: str) -> str:
    """What the banner says: the server and why, what waits, when the next attempt is."""
    error = state.error
    if state.where:
        reason = getattr(error, "reason", "") or error.one_line()
        why = f"Offline: the server of {state.where} cannot be reached ({reason})."
    else:
        why = f"Offline: {error.one_line()}."
    waiting = (
        f"{counted(state.unsaved, 'change')} kept unsaved"
        if state.unsaved
        else "Nothing is unsaved"
    )
    return f"{why} {waiting}; retrying every {state.retry_every:g} s ({retry_key} tries now)."


def place_banner(screen: Screen[object], text: str | None) -> None:
    """Show `text` in `screen`'s banner, making it if need be; None takes the banner away.
    Modal screens get none: the screen beneath, banner included, shows around them."""
    found = list(screen.query(f"#{BANNER_ID}").results(OfflineBanner))
    if text is None:
        for banner in found:
            banner.remove()
        return
    if found:
        found[0].update(text)
    elif not isinstance(screen, ModalScreen):
        banner = OfflineBanner(text)
        if screen.children:
            screen.mount(banner, before=0)
        else:
            screen.mount(banner)
