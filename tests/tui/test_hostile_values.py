"""Client data is shown as written, never read as markup, and never crashes a screen.

Every text a user (or an import, or a hand-edited file) can put into a record here carries
Rich/Textual markup: square brackets, closing tags without an opening one, links, click
actions, styles that do not exist. Each screen and tab is opened and must show the text
literally; a stored record that breaks a rule opens with the broken field marked."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest
from rich.console import Console
from textual.widgets import DataTable, Static
from tuikit import TODAY, settle

from offboard.domain.clock import FixedClock
from offboard.services import Services
from offboard.storage.tinyfile import TinyRepository
from offboard.tui.client.screen import TAB_IDS, ClientScreen

SIZE = (120, 40)
# Markup that would be hidden, restyled, turned into an action, or refused by the parser.
HOSTILE = "[/] [bold]B[/bold] [red on nope]x [@click=app.quit]q[/] [link=file:///etc]l[/link] \\["


def hostile_db(path: Path) -> str:
    services = Services(TinyRepository(path), FixedClock(TODAY))
    c = services.add_client(f"Acme {HOSTILE}", email="ops@acme.example", company=HOSTILE)
    cid = c.id
    services.log_flag(cid, "payment", f"said {HOSTILE}", evidence=HOSTILE)
    services.assess(cid, revenue="100", hours="10", financial=HOSTILE, operational=HOSTILE)
    services.add_repair(cid, f"call {HOSTILE}", "2026-12-01", notes=HOSTILE)
    services.decide(cid, "offboard", f"reason {HOSTILE}")
    services.add_deliverable(cid, f"logo {HOSTILE}", "2026-12-05")
    services.add_handover_item(cid, "file", f"files {HOSTILE}")
    services.add_invoice(cid, "[/]-1", "50.00")
    services.record_letter(cid, "manual", f"subj {HOSTILE}", f"body {HOSTILE}", "email")
    services.add_lesson(cid, "other", f"lesson {HOSTILE}")
    services.repo.close()  # type: ignore[attr-defined]
    return cid


def plain(widget) -> str:
    console = Console(width=300, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(widget.render())
    return capture.get()


async def test_every_screen_shows_markup_literally(tmp_path: Path, make_app) -> None:
    db = tmp_path / "offboard.json"
    cid = hostile_db(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"[/]x[b", "escape")  # the filter echoes what is typed
        await pilot.pause()
        app.push_screen(ClientScreen(cid))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientScreen)
        header = plain(screen.query_one("#client-header", Static))
        assert f"Acme {HOSTILE}" in header
        for tab in TAB_IDS:
            screen.action_show_tab(tab)
            await pilot.pause()
            for table in screen.query(DataTable):
                if table.row_count:
                    table.focus()
                    await pilot.press("down", "up")
        await pilot.press("escape")
        await pilot.press("t")  # the agenda
        await pilot.pause()
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"acme")
        await pilot.pause(0.3)
        await pilot.press("escape")
        # A notification that quotes the client's name must not be read as markup either.
        app.notify(f"Moved {HOSTILE}")
        await pilot.pause()
        await settle(app, pilot)
    assert not app.return_code


def damaged_db(path: Path) -> str:
    """A record as an older import could have stored it: wrong types and broken rules."""
    services = Services(TinyRepository(path), FixedClock(TODAY))
    cid = services.add_client("Broken Ltd", email="ops@broken.example").id
    services.add_invoice(cid, "B-1", "100.00")
    services.repo.close()  # type: ignore[attr-defined]
    data = orjson.loads(path.read_bytes())
    doc = data["clients"][cid]
    doc["company"] = {"not": "text"}
    doc["name"] = ["Broken", "Ltd"]
    doc["email"] = 12345
    doc["contract"]["payment_terms_days"] = 10**12
    doc["invoices"][0]["payments"] = [{"amount": "5000.00", "on": "2026-11-01"}]
    doc["conversation"] = {
        "on": "2026-11-01",
        "channel": "text-message",
        "period": "30 days",
        "last_day": "2026-12-01",
    }
    doc["flags"] = [{"id": "x", "category": "payment", "on": "yesterday", "severity": 9}]
    path.write_bytes(orjson.dumps(data))
    return cid


async def test_a_damaged_record_opens_with_the_broken_fields_marked(
    tmp_path: Path, make_app
) -> None:
    db = tmp_path / "offboard.json"
    cid = damaged_db(db)
    before = db.read_bytes()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ClientScreen(cid))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientScreen)
        for tab in TAB_IDS:
            screen.action_show_tab(tab)
            await pilot.pause()
        warning = plain(screen.query_one("#client-damage", Static))
        await pilot.press("slash", *"bro", "escape")  # the filter reads the stored record
        for path in ("name", "company", "email", "contract.payment_terms_days"):
            assert path in warning
        assert "invoices[0].payments" in warning
        assert "conversation.channel" in warning
        assert "flags[0]" in warning
    assert not app.return_code
    assert db.read_bytes() == before  # looking changes nothing


@pytest.mark.parametrize("field", ["company", "email"])
def test_cli_show_lists_the_damage(tmp_path: Path, field: str, capsys) -> None:
    from offboard.cli import main

    db = tmp_path / "offboard.json"
    damaged_db(db)
    assert main(["--db", str(db), "--today", TODAY.isoformat(), "show", "no name"]) == 0
    out = capsys.readouterr().out
    assert "breaks a rule" in out
    assert f"! {field}:" in out
    assert main(["--db", str(db), "--today", TODAY.isoformat(), "show", "no name", "--json"]) == 0
    shown = orjson.loads(capsys.readouterr().out)
    assert field in {d["path"] for d in shown["damage"]}
