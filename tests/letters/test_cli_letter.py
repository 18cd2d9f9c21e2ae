"""`offboard letter` and `offboard templates` on the demo database, through main()."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import stat
import time
from pathlib import Path

import pytest

from offboard.cli import main
from offboard.demo import write_demo
from offboard.letters.library import shipped_dir

TODAY = "2026-11-22"
CONFIG = """[sender]
name = "Alex Morgan"
email = "alex@morgan-studio.example.com"
signature = "Morgan Studio"
"""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "offboard.json"
    write_demo(db, dt.date(2026, 11, 22))
    config = tmp_path / "config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("OFFBOARD_DB", str(db))
    monkeypatch.setenv("OFFBOARD_TODAY", TODAY)
    monkeypatch.setenv("OFFBOARD_CONFIG", str(config))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path


@pytest.fixture
def user_dir(env: Path) -> Path:
    return env / "xdg" / "offboard" / "templates" / "letters"


@pytest.fixture
def no_sender(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OFFBOARD_CONFIG", str(env / "no-config.toml"))


@pytest.fixture
def run(env: Path, capsys: pytest.CaptureFixture[str]):
    def _run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def refused(run, *args: str) -> str:
    code, out, err = run(*args)
    assert code == 1, (out, err)
    assert err.count("\n") == 1 and err.startswith("offboard: "), err
    assert "Traceback" not in err
    return err


def test_letter_prints_to_subject_and_body(run) -> None:
    code, out, err = run("letter", "Lakeside", "termination")
    assert code == 0, err
    assert err == ""
    head, _, body = out.partition("\n\n")
    assert head == "To: hello@lakesidepilates.example.com\nSubject: Ending our work together"
    assert body.startswith("Dear Lakeside Pilates Collective,\n")
    assert body.endswith("Alex Morgan\nMorgan Studio\n")
    assert "[[" not in out


def test_letter_in_the_clients_language(run) -> None:
    code, out, _ = run("letter", "Revontuli", "termination", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["locale"] == "fi"
    assert data["subject"] != "Ending our work together"
    assert "kuuta 2026" in data["body"]  # a Finnish long date


def test_check_exit_codes(run, no_sender: None, monkeypatch: pytest.MonkeyPatch, env: Path) -> None:
    code, out, _ = run("letter", "Lakeside", "termination", "--check")
    assert code == 1
    assert "error: Missing: your name:" in out
    assert "(run: offboard config set sender.email ADDRESS (and sender.name NAME))" in out
    assert "tab" not in out.lower() and "press" not in out.lower()  # no TUI keys in the CLI
    monkeypatch.setenv("OFFBOARD_CONFIG", str(env / "config.toml"))
    code, out, _ = run("letter", "Lakeside", "termination", "--check")
    assert code == 0
    assert out == "termination (en) for Lakeside Pilates Collective: no problems found\n"


def test_check_for_an_unprepared_client(run) -> None:
    code, out, _ = run("letter", "Brightmoss", "termination", "--check", "--json")
    assert code == 1
    findings = json.loads(out)
    assert {"id": "missing", "severity": "error"}.items() <= findings[0].items()
    assert findings[0]["title"] == "Missing: last working day"
    assert all(set(f) == {"id", "severity", "title", "detail", "fix"} for f in findings)
    assert findings[0]["fix"] == "offboard notice CLIENT --on DATE --channel phone"


def test_missing_fields_warn_on_stderr_without_check(run, no_sender: None) -> None:
    code, out, err = run("letter", "Lakeside", "termination")
    assert code == 0
    assert "[[your name]]" in out
    assert "offboard: warning: Missing: your name:" in err


def test_json_shape(run) -> None:
    code, out, _ = run("letter", "Fenwick", "final-invoice", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {
        "client",
        "template",
        "origin",
        "locale",
        "to",
        "subject",
        "body",
        "findings",
    }
    assert data["template"] == "final-invoice" and data["origin"] == "shipped"
    assert data["locale"] == "en" and data["to"] == "accounts@fenwickbakery.example.com"
    assert data["subject"] == "Final invoice FD-0460"
    assert data["body"].endswith("\n") and "FD-0460" in data["body"]
    assert data["findings"] == []
    assert len(data["client"]) == 36


def test_locale_override(run) -> None:
    code, out, _ = run("letter", "Lakeside", "termination", "--locale", "tr", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["locale"] == "tr"
    assert data["subject"] != "Ending our work together"
    assert "Aralık" in data["body"] or "Kasım" in data["body"]


def test_unknown_locale(run) -> None:
    err = refused(run, "letter", "Lakeside", "termination", "--locale", "de")
    assert "no letter templates in locale 'de'" in err
    assert "available: cs, en, fi, tr" in err


def test_unknown_template_names_alternatives(run) -> None:
    err = refused(run, "letter", "Lakeside", "payment")
    assert "no template 'payment' in locale 'en'" in err
    assert "payment-reminder" in err and "termination-payment" in err


def test_unknown_client(run) -> None:
    refused(run, "letter", "Nobody At All", "termination")


HOSTILE = {
    "dunder": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "huge": "{{ 'a' * 10**9 }}",
    "loops": "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "include": "{% include '/etc/passwd' %}",
    "syntax": "Dear {% if %}",
    "typo": "Dear {{ client.nmae }}",
    "zero": "line\n{{ 1 / 0 }}",
}


@pytest.mark.parametrize("body", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_user_template(run, user_dir: Path, body: str) -> None:
    folder = user_dir / "en"
    folder.mkdir(parents=True)
    (folder / "termination.j2").write_text(f'+++\nsubject = "Hi"\n+++\n{body}\n', encoding="utf-8")
    start = time.perf_counter()
    err = refused(run, "letter", "Lakeside", "termination")
    assert time.perf_counter() - start < 3
    assert "fix the template" in err


def test_hostile_subject_and_broken_header(run, user_dir: Path) -> None:
    folder = user_dir / "en"
    folder.mkdir(parents=True)
    (folder / "termination.j2").write_text(
        '+++\nsubject = "{{ range.__globals__ }}"\n+++\nHello\n', encoding="utf-8"
    )
    assert "subject, line 1: not allowed" in refused(run, "letter", "Lakeside", "termination")
    (folder / "termination.j2").write_text("no header\n", encoding="utf-8")
    assert "does not start with a '+++' header" in refused(run, "letter", "Lakeside", "termination")


def test_templates_json(run, user_dir: Path) -> None:
    folder = user_dir / "en"
    folder.mkdir(parents=True)
    (folder / "termination.j2").write_text(
        '+++\ntitle = "Mine"\nsubject = "Bye"\n+++\nBye {{ client.name }}\n', encoding="utf-8"
    )
    (folder / "broken.j2").write_text("no header", encoding="utf-8")
    code, out, _ = run("templates", "--json")
    assert code == 0
    entries = json.loads(out)
    assert all({"name", "locale", "origin", "path", "active"} <= set(e) for e in entries)
    by_key = {(e["locale"], e["name"], e["origin"]): e for e in entries}
    shipped_count = len(list(shipped_dir().glob("*/*.j2")))
    assert len([e for e in entries if e["origin"] == "shipped"]) == shipped_count
    mine = by_key[("en", "termination", "user")]
    assert mine["active"] is True and mine["title"] == "Mine"
    assert mine["path"] == str(folder / "termination.j2")
    theirs = by_key[("en", "termination", "shipped")]
    assert theirs["active"] is False
    assert theirs["path"] == str(shipped_dir() / "en" / "termination.j2")
    assert by_key[("tr", "termination", "shipped")]["active"] is True
    broken = by_key[("en", "broken", "user")]
    assert "error" in broken and "title" not in broken
    # the user's template is the one rendered
    code, out, _ = run("letter", "Lakeside", "termination")
    assert code == 0 and out.endswith("Subject: Bye\n\nBye Lakeside Pilates Collective\n")
    code, out, _ = run("templates", "--locale", "fi", "--json")
    assert {e["locale"] for e in json.loads(out)} == {"fi"}
    code, out, _ = run("templates")
    assert "(replaced by your own)" in out and "BROKEN: " in out


@pytest.mark.parametrize("suffix", [".txt", ".md", ".eml"])
def test_out_writes_the_file(run, env: Path, suffix: str) -> None:
    target = env / f"letter{suffix}"
    code, out, err = run("letter", "Lakeside", "termination", "--out", str(target))
    assert code == 0, err
    assert out == (f"Wrote termination (en) for Lakeside Pilates Collective to {target}\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    raw = target.read_bytes()
    if suffix == ".eml":
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg["Subject"] == "Ending our work together"
        assert "hello@lakesidepilates.example.com" in msg["To"]
        assert "alex@morgan-studio.example.com" in msg["From"]
        body = msg.get_body(("plain",)).get_content()
        assert body.startswith("Dear Lakeside Pilates Collective,")
    else:
        text = raw.decode("utf-8")
        assert "Ending our work together" in text
        assert "Dear Lakeside Pilates Collective," in text
        assert text.endswith("Alex Morgan\nMorgan Studio\n")
    # an existing file is not replaced without --overwrite
    err = refused(run, "letter", "Lakeside", "termination", "--out", str(target))
    assert target.read_bytes() == raw
    code, _, _ = run("letter", "Lakeside", "termination", "--out", str(target), "--overwrite")
    assert code == 0


def test_out_with_unknown_suffix(run, env: Path) -> None:
    err = refused(run, "letter", "Lakeside", "termination", "--out", str(env / "letter.pdf"))
    assert "not a letter format" in err
    assert not (env / "letter.pdf").exists()
