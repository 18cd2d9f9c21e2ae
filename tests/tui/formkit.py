"""Driving the real forms from tests: build any form for a demo client, type into a field key
by key, and ask what a form says about a typed value.

`form_verdict` is meant for parity tests across the CLI, the services and the TUI: it opens the
real app on a fresh copy of the demo database (at the tests' fixed date, with the default
config), opens the form on a demo client, types into one field as a user would, presses
ctrl+s, and returns what the user is told about that value:

- the message under the field (a rule of the field, or a rule across fields that it breaks);
- else, when every field passed and the service refused the change, the service's message;
- else None: the value was accepted (the change may even have been saved, into the copy).

Messages are shown as sentences: the rule's one-line message with a capital first letter and
a full stop (`offboard.tui.forms.sentence` turns a service's message into the same form).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from functools import cache
from pathlib import Path

from textual.widgets import Input, Select, Static, TextArea
from tuikit import TODAY, settle

from offboard.bootstrap import build_services, open_repository
from offboard.checklists import load_checklists
from offboard.config import Config
from offboard.demo import write_demo
from offboard.domain.clock import FixedClock
from offboard.domain.models import Client
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.app import OffboardApp
from offboard.tui.board.column import amounts_loaded
from offboard.tui.client.screen import ClientScreen
from offboard.tui.forms import FormScreen, NewClientForm, OutcomeForm, PaymentForm

# EUR, English, a notice period running and an open invoice: every form has something to show.
DEFAULT_CLIENT = "Fenwick"


# --- building forms ---------------------------------------------------------------------------


def find_client(app: OffboardApp, name: str) -> Client:
    """A demo client by its name or the beginning of it."""
    found = [c for c in app.clients.values() if c.name.lower().startswith(name.lower())]
    if len(found) != 1:
        names = sorted(c.name for c in app.clients.values())
        raise LookupError(f"{len(found)} demo clients start with {name!r}; there are {names}")
    return found[0]


def choose_client(app: OffboardApp, form_class: type[FormScreen], name: str | None) -> Client:
    """`name`'s client, or by default one the form can be opened on: Fenwick, or for a
    repair outcome the first client with an attempt still running."""
    if name is not None:
        return find_client(app, name)
    if issubclass(form_class, OutcomeForm):
        return next(c for c in app.clients.values() if any(r.open for r in c.repairs))
    return find_client(app, DEFAULT_CLIENT)


def build_form(form_class: type[FormScreen], client: Client | None) -> FormScreen:
    """The form as the client screen builds it: repair outcomes for the first running
    attempt, payments for the first invoice with money open."""
    if issubclass(form_class, NewClientForm) or client is None:
        return form_class()
    if issubclass(form_class, OutcomeForm):
        attempt = next((r for r in client.repairs if r.open), None)
        if attempt is None:
            raise LookupError(f"{client.name} has no repair attempt running")
        return form_class(client.id, attempt.id)
    if issubclass(form_class, PaymentForm):
        invoice = next((i for i in client.invoices if i.outstanding), None)
        if invoice is None:
            raise LookupError(f"{client.name} has no invoice with money open")
        return form_class(client.id, invoice.id)
    return form_class(client.id)


async def open_form(
    app: OffboardApp, pilot, form_class: type[FormScreen], client: str | None = None
) -> FormScreen:
    """Push the form for a demo client (see choose_client) and wait until it shows."""
    owner = (
        None if issubclass(form_class, NewClientForm) else choose_client(app, form_class, client)
    )
    # The board draws amounts and marks from its second frame on: wait for it, so what shows
    # behind the form is the same whichever test ran before in this process.
    for _ in range(100):
        if amounts_loaded():
            break
        await pilot.pause()
    await pilot.pause()
    form = build_form(form_class, owner)
    app.push_screen(form)
    await pilot.pause()
    return form


# --- typing and reading -----------------------------------------------------------------------


async def type_into(pilot, form: FormScreen, name: str, text: str) -> None:
    """Clear a field and type `text` into it key by key (a choice: pick the option whose
    value or label is `text`)."""
    widget = form.query_one(f"#field-{name}")
    if isinstance(widget, Select):
        options = {str(value).lower(): value for _, value in widget._options}
        options |= {str(label).lower(): value for label, value in widget._options}
        if text.lower() not in options:
            raise ValueError(f"{text!r} is not one of the choices of {name}")
        widget.value = options[text.lower()]
        await pilot.pause()
        return
    widget.focus()
    if isinstance(widget, Input):
        widget.value = ""
    elif isinstance(widget, TextArea):
        widget.text = ""
    else:
        raise TypeError(f"cannot type into {type(widget).__name__}")
    await pilot.pause()
    if text:
        await pilot.press(*["space" if ch == " " else ch for ch in text])


def field_error(form: FormScreen, name: str) -> str | None:
    """The error under a field, or None when it shows none."""
    row = form.query_one(f"#row-{name}")
    if not row.has_class("-error"):
        return None
    return " ".join(str(row.query_one(".field-msg", Static).content).split())


def field_hint(form: FormScreen, name: str) -> str:
    """The message under a field, error or not, as one line."""
    return " ".join(
        str(form.query_one(f"#row-{name}").query_one(".field-msg", Static).content).split()
    )


def outside(path: Path) -> Services:
    """Services on the database file of a running app, as another process would open it."""
    return Services(TinyRepository(path), FixedClock(TODAY), actor="outside")


async def open_client_screen(app: OffboardApp, pilot, client_id: str) -> ClientScreen:
    screen = ClientScreen(client_id)
    app.push_screen(screen)
    await pilot.pause()
    return screen


def status_line(form: FormScreen) -> str:
    return " ".join(str(form.query_one("#form-status", Static).content).split())


# --- the verdict ------------------------------------------------------------------------------


@cache
def _demo_file() -> Path:
    # Writing the demo takes a while; each verdict starts from a copy of one written once.
    folder = Path(tempfile.mkdtemp(prefix="offboard-formkit-"))
    path = folder / "demo.json"
    write_demo(path, TODAY)
    return path


def _app(folder: Path, config: Config) -> OffboardApp:
    path = folder / "offboard.json"
    shutil.copyfile(_demo_file(), path)
    checklists = load_checklists(user_dir=folder / "no-user-checklists")
    services = build_services(
        open_repository(path, config),
        FixedClock(TODAY),
        config,
        interface="tui",
        checklists=checklists,
    )
    app = OffboardApp(path, FixedClock(TODAY), services=services, watch=False)
    app.animation_level = "none"
    return app


async def form_verdict_async(
    form_class: type[FormScreen],
    field_name: str,
    raw_text: str,
    client: str | None = None,
    *,
    config: Config | None = None,
) -> str | None:
    """`form_verdict` for a test that already runs an event loop (an async test)."""
    with tempfile.TemporaryDirectory(prefix="offboard-verdict-") as tmp:
        app = _app(Path(tmp), config or Config())
        async with app.run_test(size=(100, 40)) as pilot:
            form = await open_form(app, pilot, form_class, client)
            if not form.query(f"#field-{field_name}"):
                names = [f.name for f in form.FIELDS]
                raise KeyError(f"{form_class.__name__} has no field {field_name!r}: {names}")
            await type_into(pilot, form, field_name, raw_text)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            if app.screen is not form:
                return None
            error = field_error(form, field_name)
            if error is not None:
                return error
            status = status_line(form)
            if status.startswith("Not saved: ") and "changed elsewhere" not in status:
                return status.removeprefix("Not saved: ")
            return None


def form_verdict(
    form_class: type[FormScreen],
    field_name: str,
    raw_text: str,
    client: str | None = None,
    *,
    config: Config | None = None,
) -> str | None:
    """What `form_class` says when `raw_text` is typed into `field_name` and saved: the
    error shown (see the module's docstring), or None when the value is accepted.

    `client` is a demo client's name or its beginning (default: see choose_client; ignored
    by the new-client form); `config` replaces the default settings.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(
            form_verdict_async(form_class, field_name, raw_text, client, config=config)
        )
    raise RuntimeError("an event loop is running here: await form_verdict_async(...) instead")
