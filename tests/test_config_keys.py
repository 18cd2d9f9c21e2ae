"""The config's [keys] table: binding ids checked against the TUI's action table (the nearest
one suggested), key names against Textual's, every error naming the file; `set` writes an
entry like any other setting."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from offboard.config import describe, load_config, typed
from offboard.config_write import init_text, set_value, set_values
from offboard.domain.errors import InvalidInput
from offboard.tui.userconfig import check_keys, key_names


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


@pytest.mark.parametrize(
    "text",
    [
        '[keys]\n"board.flag" = "F"\n',
        "[keys]\nboard.flag = 'F'\n",  # dotted, not quoted: TOML reads a table in a table
        '[keys.board]\nflag = "F"\n',
    ],
)
def test_keys_map_binding_ids_to_keys(cfg: Path, text: str) -> None:
    cfg.write_text(text, encoding="utf-8")
    assert load_config(cfg, names=key_names()).keys == {"board.flag": "F"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[keys]\n"board.flga" = "F"\n', "did you mean board.flag?"),
        ('[keys]\n"nothing.like.it.at.all" = "F"\n', "no key binding 'nothing.like.it.at.all'"),
        ('[keys]\n"board.flag" = "ctlr+f"\n', "'ctlr' in 'ctlr+f' is not a modifier"),
        ('[keys]\n"board.flag" = "questionmark"\n', "did you mean question_mark?"),
        ('[keys]\n"board.flag" = "f,,g"\n', "write comma"),
        ('[keys]\n"board.flag" = 3\n', "must be text"),
        ('[keys]\n"board.flag" = "F"\n[keys.board]\nflag = "G"\n', "keys.board.flag twice"),
        ('[keys]\n"textual.quit" = "x"\n', "no key binding"),  # Textual's own: no id to remap
    ],
)
def test_bad_keys_are_refused_naming_the_file(cfg: Path, text: str, words: str) -> None:
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_config(cfg, names=key_names())
    line = refused.value.one_line()
    assert words in line
    assert str(cfg) in line
    assert "<class" not in line


def test_a_bad_key_says_what_is_accepted(cfg: Path) -> None:
    cfg.write_text('[keys]\n"board.flag" = "ctrl+"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_config(cfg, names=key_names())
    line = refused.value.one_line()
    assert "keys.board.flag" in line and "write plus" in line
    assert "accepted: a key: a letter or symbol" in line


def test_without_the_tuis_names_an_entry_is_only_checked_to_be_text(cfg: Path) -> None:
    # The CLI's other commands bind no keys and never load Textual to read the file.
    cfg.write_text('[keys]\n"board.flga" = "F"\n', encoding="utf-8")
    assert load_config(cfg).keys == {"board.flga": "F"}
    cfg.write_text('[keys]\n"board.flag" = "two\\nlines"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match="line break"):
        load_config(cfg)


@pytest.mark.parametrize(
    ("typed", "bound"),
    [
        ("F", "F"),
        ("?", "?"),
        ("question_mark", "question_mark"),
        ("Ctrl+E", "ctrl+e"),
        ("shift+ctrl+Up", "ctrl+shift+up"),
        ("F5, comma", "f5,comma"),
        ("PageDown", "pagedown"),
        ("alt+x", "alt+x"),
    ],
)
def test_key_names_as_bound(typed: str, bound: str) -> None:
    assert check_keys(typed) == bound


def test_set_writes_a_key_under_keys_keeping_comments_and_privately(cfg: Path) -> None:
    cfg.write_text('# mine\n[sender]\nname = "Bo"  # keep this\n', encoding="utf-8")
    names = key_names()
    loaded = set_value("keys.board.flag", "F", cfg, names=names)
    assert loaded.keys == {"board.flag": "F"}
    text = cfg.read_text()
    assert '[keys]\n"board.flag" = "F"\n' in text
    assert "# mine" in text and "# keep this" in text
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    # Set again: the line is replaced, never added twice; a dotted line is found too.
    set_value("keys.board.flag", "G", cfg, names=names)
    assert cfg.read_text().count("board.flag") == 1
    assert load_config(cfg, names=names).keys == {"board.flag": "G"}
    cfg.write_text("[keys]\nboard.flag = 'x'\n", encoding="utf-8")
    set_value("keys.board.flag", "G", cfg, names=names)
    assert load_config(cfg, names=names).keys == {"board.flag": "G"}
    # Empty: the binding has its own key again.
    assert set_value("keys.board.flag", "", cfg, names=names).keys == {}


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("keys.board.flga", "F", "did you mean board.flag?"),
        ("keys.board.flag", "ctlr+f", "not a modifier"),
    ],
)
def test_a_refused_key_leaves_the_file_as_it_was(cfg: Path, key: str, value: str, words) -> None:
    cfg.write_text('[keys]\n"board.new" = "N"\n', encoding="utf-8")
    before = cfg.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        set_value(key, value, cfg, names=key_names())
    assert words in refused.value.one_line()
    assert str(cfg) in refused.value.one_line()
    assert cfg.read_bytes() == before


def test_set_values_writes_all_or_nothing(cfg: Path) -> None:
    cfg.write_text('[sender]\nname = "Bo"\n', encoding="utf-8")
    before = cfg.read_bytes()
    with pytest.raises(InvalidInput, match=r"sender\.email"):
        set_values({"sender.name": "Ana", "sender.email": "ana@example"}, cfg)
    assert cfg.read_bytes() == before
    loaded = set_values({"sender.name": "Ana", "keys.board.flag": "F"}, cfg, names=key_names())
    assert (loaded.sender_name, loaded.keys) == ("Ana", {"board.flag": "F"})


def test_describe_lists_the_remapped_keys_with_what_they_do(cfg: Path) -> None:
    cfg.write_text('[keys]\n"board.flag" = "F"\n', encoding="utf-8")
    rows = describe(load_config(cfg, names=key_names()), key_names())
    key, value, spec = rows[-1]
    assert (key, value) == ("keys.board.flag", "F")
    assert "Log a red flag" in spec.help


def test_a_new_file_explains_keys_and_loads(cfg: Path) -> None:
    text = init_text({})
    assert "\n[keys]\n# a key of your own" in text
    cfg.write_text(text, encoding="utf-8")
    assert load_config(cfg, names=key_names()).keys == {}


def test_a_whole_amount_is_written_as_typed(cfg: Path) -> None:
    # Decimal's normal form of 90 is 9E+1: a float to TOML, and unreadable in the file.
    set_value("defaults.target_rate", "90", cfg)
    assert "target_rate = 90\n" in cfg.read_text()
    assert typed(load_config(cfg).target_rate) == "90"


def test_a_key_already_taken_on_the_same_screen_is_refused_naming_both(cfg: Path) -> None:
    # "t" opens the agenda from the board: given to the flag key too, one of the two would
    # silently never work.
    cfg.write_text('[keys]\n"board.flag" = "t"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_config(cfg, names=key_names())
    message = caught.value.message
    assert str(cfg) in message and "board.flag" in message and "board.agenda" in message
    assert "board.agenda" in (caught.value.hint or "")


def test_keys_may_swap_and_may_repeat_on_other_screens(cfg: Path) -> None:
    cfg.write_text(
        '[keys]\n"board.flag" = "t"\n"board.agenda" = "f"\n"agenda.close" = "f"\n',
        encoding="utf-8",
    )
    assert load_config(cfg, names=key_names()).keys == {
        "board.flag": "t", "board.agenda": "f", "agenda.close": "f"
    }  # fmt: skip


def test_two_remapped_keys_that_collide_are_refused(cfg: Path) -> None:
    cfg.write_text('[keys]\n"board.flag" = "F5"\n"board.repair" = "f5"\n', encoding="utf-8")
    both = r"keys\.board\.repair = .f5. gives .f5. to board\.repair while board\.flag"
    with pytest.raises(InvalidInput, match=both):
        load_config(cfg, names=key_names())


def test_set_refuses_a_clash_and_leaves_the_file(cfg: Path) -> None:
    cfg.write_text('# mine\n[keys]\n"board.flag" = "F"\n', encoding="utf-8")
    before = cfg.read_bytes()
    with pytest.raises(InvalidInput, match=r"board\.new"):
        set_value("keys.board.flag", "n", cfg, names=key_names())
    assert cfg.read_bytes() == before


def test_a_symbol_and_its_name_are_one_key(cfg: Path) -> None:
    # The board's filter is bound as "slash": "/" typed in the config is the same key.
    cfg.write_text('[keys]\n"board.flag" = "/"\n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"board\.filter"):
        load_config(cfg, names=key_names())
