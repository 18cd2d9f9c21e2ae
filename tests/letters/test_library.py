"""Template files: the front matter, shipped and user folders, locales, suggestions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from offboard.config import Config
from offboard.domain.errors import InvalidInput, NotFound
from offboard.domain.models import Archetype, Client, Stage
from offboard.letters.context import build_context
from offboard.letters.library import SHIPPED, USER, Library, parse_template, shipped_dir
from offboard.letters.render import render_source

HEADER = """+++
title = "Short note"
description = "A test letter."
subject = "Hello {{ client.name }}"
stages = ["notice"]
archetypes = ["non-payer"]
channel = "email"
require = ["date", "thanks"]
max_words = 120
+++
"""
BODY = "Dear {{ client.name }},\n\nThanks.\n"


def parse(text: str) -> object:
    return parse_template(text, name="note", locale="en", origin=USER, path=Path("/x/note.j2"))


def write(root: Path, locale: str, name: str, text: str) -> Path:
    folder = root / locale
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.j2"
    path.write_text(text, encoding="utf-8")
    return path


# --- front matter -------------------------------------------------------------------------------


def test_parse_full_header() -> None:
    info = parse(HEADER + BODY)
    assert info.title == "Short note"
    assert info.subject == "Hello {{ client.name }}"
    assert info.stages == ("notice",)
    assert info.archetypes == ("non-payer",)
    assert info.require == ("date", "thanks")
    assert info.max_words == 120
    assert info.body == BODY
    assert info.source == HEADER + BODY


def test_defaults() -> None:
    info = parse('+++\nsubject = "S"\n+++\nBody\n')
    assert (info.title, info.description, info.channel) == ("note", "", "email")
    assert info.stages == info.archetypes == info.require == ()
    assert info.max_words is None
    assert info.body == "Body\n"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("title = 'x'\n+++\nbody", "does not start with a '+++' header"),
        ("\n+++\nsubject = 'x'\n+++\nbody", "does not start with a '+++' header"),
        ("+++\nsubject = 'x'\nbody without a closing fence\n", "header is not closed"),
        ("+++\nsubject = \n+++\nbody", "not valid TOML"),
        ("+++\nsubject = 'x'\nstages = ['limbo']\n+++\nb", "unknown stages limbo"),
        ("+++\nsubject = 'x'\narchetypes = ['saint']\n+++\nb", "unknown archetypes saint"),
        ("+++\nsubject = 'x'\nrequire = ['poem']\n+++\nb", "unknown require poem"),
        ("+++\nsubject = 'x'\nstages = 'notice'\n+++\nb", "'stages' must be a list of text"),
        ('+++\nsubject = """one\ntwo"""\n+++\nb', "subject must be one line"),
        ('+++\nsubject = "one\\rtwo"\n+++\nb', "subject must be one line"),
        ("+++\ntitle = 'no subject'\n+++\nb", "'subject' must be text"),
        ("+++\nsubject = 3\n+++\nb", "'subject' must be text"),
        ("+++\nsubject = 'x'\nmax_words = 5\n+++\nb", "'max_words' must be a whole number"),
        ("+++\nsubject = 'x'\nmax_words = 'many'\n+++\nb", "'max_words' must be a whole"),
        ("+++\nsubject = 'x'\nmax_words = 100.5\n+++\nb", "'max_words' must be a whole"),
    ],
)
def test_bad_headers(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(text)
    assert fragment in caught.value.one_line()
    assert "/x/note.j2" in caught.value.one_line()


def test_unknown_value_hint_lists_allowed() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse("+++\nsubject = 'x'\nstages = ['limbo']\n+++\nb")
    assert caught.value.hint is not None
    assert "notice" in caught.value.hint and "settlement" in caught.value.hint


# --- user folder over shipped -------------------------------------------------------------------


@pytest.fixture
def user_root(tmp_path: Path) -> Path:
    root = tmp_path / "user"
    root.mkdir()
    return root


def test_user_template_overrides_shipped_by_name(user_root: Path) -> None:
    path = write(user_root, "en", "termination", HEADER + "My own words.\n")
    lib = Library(user=user_root)
    entries = [e for e in lib.entries() if e.locale == "en" and e.name == "termination"]
    assert [(e.origin, e.active) for e in entries] == [(USER, True), (SHIPPED, False)]
    assert entries[0].path == path
    assert entries[1].path == shipped_dir() / "en" / "termination.j2"
    info = lib.get("termination", "en")
    assert info.origin == USER and info.body == "My own words.\n"
    # the same name in another locale is untouched
    assert lib.get("termination", "tr").origin == SHIPPED
    # a new name is added to the list
    write(user_root, "en", "my-letter", HEADER + BODY)
    assert "my-letter" in lib.names("en")
    assert lib.get("my-letter", "en").origin == USER


def test_broken_user_template_is_listed_with_its_error(user_root: Path) -> None:
    write(user_root, "en", "termination", "no header at all\n")
    write(user_root, "en", "bad-toml", "+++\nsubject = \n+++\nx")
    (user_root / "en" / "binary.j2").write_bytes(b"+++\xff\xfe")
    (user_root / "en" / "huge.j2").write_text(HEADER + "x" * 70_000)
    (user_root / "en" / "Not A Name.j2").write_text(HEADER)  # not a template name: ignored
    lib = Library(user=user_root)
    entries = {(e.name, e.origin): e for e in lib.entries() if e.locale == "en"}
    assert ("Not A Name", USER) not in entries
    broken = entries[("termination", USER)]
    assert broken.info is None and "does not start with a '+++' header" in broken.error
    assert broken.active and not entries[("termination", SHIPPED)].active
    assert "not valid TOML" in entries[("bad-toml", USER)].error
    assert "not UTF-8" in entries[("binary", USER)].error
    assert "larger than 64 KiB" in entries[("huge", USER)].error
    assert "\n" not in broken.error
    # the other templates still list and load
    assert entries[("payment-reminder", SHIPPED)].info is not None
    assert lib.get("payment-reminder", "en").origin == SHIPPED
    with pytest.raises(InvalidInput):
        lib.get("termination", "en")
    d = broken.to_dict()
    assert d["error"] == broken.error and "title" not in d


def test_missing_user_folder_is_fine(tmp_path: Path) -> None:
    lib = Library(user=tmp_path / "nowhere")
    assert {e.origin for e in lib.entries()} == {SHIPPED}


def test_resolve_locale(shipped_library: Library, user_root: Path) -> None:
    assert shipped_library.resolve_locale("fi_FI") == "fi"
    assert shipped_library.resolve_locale("cs-CZ") == "cs"
    assert shipped_library.resolve_locale("tr") == "tr"
    assert shipped_library.resolve_locale("de") == "en"
    assert shipped_library.resolve_locale("de_DE") == "en"
    assert shipped_library.resolve_locale("") == "en"
    write(user_root, "de", "termination", HEADER + BODY)
    assert Library(user=user_root).resolve_locale("de_AT") == "de"


def test_get_errors_name_what_exists(shipped_library: Library) -> None:
    with pytest.raises(NotFound) as caught:
        shipped_library.get("termination", "xx")
    text = caught.value.one_line()
    assert "no letter templates in locale 'xx'" in text
    assert "available: cs, en, fi, tr" in text
    with pytest.raises(NotFound) as caught:
        shipped_library.get("payment", "en")
    text = caught.value.one_line()
    assert "no template 'payment' in locale 'en'" in text
    assert "payment-reminder" in text and "termination-payment" in text
    with pytest.raises(NotFound) as caught:
        shipped_library.get("zzz", "en")
    text = caught.value.one_line()
    assert "try confirmation, final-invoice," in text and text.endswith("thank-you)")


def _client(stage: Stage, archetype: Archetype | None) -> Client:
    return Client(name="Test", stage=stage, archetype=archetype)


def test_suggest_non_payer_in_preparation(shipped_library: Library) -> None:
    names = [
        t.name
        for t in shipped_library.suggest(_client(Stage.PREPARATION, Archetype.NON_PAYER), "en")
    ]
    assert names[0] == "termination-payment"
    assert names[1] == "termination"  # the general one for the stage next
    # the other archetypes' terminations fit the stage but not the client: after the general
    assert names.index("termination-abusive") > names.index("termination")
    # a letter for the archetype but another stage beats one for neither
    assert names.index("payment-reminder") < names.index("thank-you")
    assert len(names) == len(set(names)) == len(shipped_library.names("en"))


def test_suggest_settlement_and_no_archetype(shipped_library: Library) -> None:
    names = [t.name for t in shipped_library.suggest(_client(Stage.SETTLEMENT, None), "en")]
    assert set(names[:3]) == {"final-invoice", "refund-notice", "thank-you"}


def test_suggest_skips_broken_and_inactive(user_root: Path) -> None:
    write(user_root, "en", "termination-payment", "broken")
    lib = Library(user=user_root)
    names = [t.name for t in lib.suggest(_client(Stage.PREPARATION, Archetype.NON_PAYER), "en")]
    assert "termination-payment" not in names
    assert names[0] == "termination"


# --- every shipped template ---------------------------------------------------------------------


def test_every_locale_has_the_same_templates_and_checks(shipped_library: Library) -> None:
    locales = shipped_library.locales()
    assert set(locales) >= {"en", "tr", "fi", "cs"}
    english = shipped_library.names("en")
    for loc in locales:
        assert shipped_library.names(loc) == english, loc
        assert (shipped_dir() / loc / "checks.toml").is_file(), loc


def test_shipped_template_parses_and_renders_for_every_demo_client(
    shipped_template: tuple[str, str],
    shipped_library: Library,
    demo_clients: list[Client],
    letters_config: Config,
    demo_day: dt.date,
) -> None:
    locale, name = shipped_template
    info = shipped_library.get(name, locale)
    assert info.origin == SHIPPED and info.locale == locale
    assert info.title and info.description and info.subject
    english = shipped_library.get(name, "en")
    assert (info.stages, info.archetypes, info.require) == (
        english.stages,
        english.archetypes,
        english.require,
    ), "the same letter in another language is meant for the same clients"
    for client in demo_clients:
        context = build_context(client, letters_config, demo_day, locale)
        body = render_source(info.body, context, "body").text
        subject = render_source(info.subject, context, "subject").text
        assert body.strip() and subject.strip()
        assert "\n" not in subject.strip()
        assert "{{" not in body and "{%" not in body


def test_save_user_template_writes_atomically_and_wins(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped" / "en"
    shipped.mkdir(parents=True)
    text = '+++\ntitle = "Hi"\nsubject = "Hello"\n+++\nHello {{ client.name }}\n'
    (shipped / "hello.j2").write_text(text, encoding="utf-8")
    library = Library(shipped=tmp_path / "shipped", user=tmp_path / "user")
    info = library.save_user_template("hello", "en", text.replace("Hello {{", "Hi {{"))
    assert info.origin == "user" and info.path == tmp_path / "user" / "en" / "hello.j2"
    assert library.get("hello", "en").body == "Hi {{ client.name }}\n"
    assert [p.name for p in (tmp_path / "user" / "en").iterdir()] == ["hello.j2"]


def test_save_user_template_refuses_a_bad_header_and_writes_nothing(tmp_path: Path) -> None:
    library = Library(shipped=tmp_path / "shipped", user=tmp_path / "user")
    with pytest.raises(InvalidInput, match="header"):
        library.save_user_template("hello", "en", "no header at all")
    assert not (tmp_path / "user").exists()


# --- limits on what a template file may be -----------------------------------------------------


def test_parse_refuses_a_pasted_text_over_the_file_limit() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(HEADER + "é" * 40_000)  # 40,000 characters, 80,000 bytes
    assert "larger than 64 KiB" in caught.value.one_line()


def test_parse_refuses_a_header_nested_past_what_toml_reads() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse("+++\nsubject = 'x'\ndeep = " + "[" * 2000 + "]" * 2000 + "\n+++\nbody")
    assert "nests too deeply" in caught.value.one_line()


def test_save_refuses_a_text_over_the_file_limit_and_writes_nothing(tmp_path: Path) -> None:
    library = Library(shipped=tmp_path / "shipped", user=tmp_path / "user")
    with pytest.raises(InvalidInput, match="larger than 64 KiB"):
        library.save_user_template("hello", "en", HEADER + "x" * 70_000)
    assert not (tmp_path / "user").exists()


def test_fifo_and_device_templates_are_listed_as_broken_at_once(user_root: Path) -> None:
    import os
    import time

    (user_root / "en").mkdir()
    os.mkfifo(user_root / "en" / "pipe.j2")
    (user_root / "en" / "zero.j2").symlink_to("/dev/zero")
    (user_root / "en" / "gone.j2").symlink_to(user_root / "nowhere")
    start = time.perf_counter()
    entries = {e.name: e for e in Library(user=user_root).entries() if e.origin == USER}
    assert time.perf_counter() - start < 2
    assert "not a regular file" in entries["pipe"].error
    assert "not a regular file" in entries["zero"].error
    assert "cannot be read" in entries["gone"].error
    assert all(e.info is None and "\n" not in e.error for e in entries.values())
