"""Settings: one table of keys, each checked with the input rules, errors naming the key, the
file and what is accepted; unknown keys refused with the nearest one; `set` writes atomically
and privately and keeps the user's comments."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

import pytest

from offboard.config import SETTINGS, load_config, setting
from offboard.config_write import init_text, set_value, write_new
from offboard.domain.errors import InvalidInput


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config.toml"


def test_a_missing_file_means_the_defaults(cfg: Path) -> None:
    loaded = load_config(cfg)
    assert (loaded.currency, loaded.payment_terms_days, loaded.sender_email) == ("EUR", 14, "")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[defaults]\ntarget_rate = "eighty"\n', "defaults.target_rate = 'eighty'"),
        ("[defaults]\ntarget_rat = 80\n", "did you mean defaults.target_rate?"),
        ("[sendr]\nname = 'x'\n", "unknown setting 'sendr.name'"),
        ('[sender]\nemail = "ana@example"\n', "sender.email"),
        ("[defaults]\npayment_terms_days = -1\n", "payment_terms_days"),
        ('[defaults]\ncurrency = "ÄÖÜ"\n', "defaults.currency"),
        ('[defaults]\nnotice = "forever"\n', "defaults.notice"),
        ('[defaults]\nholidays = ["someday"]\n', "defaults.holidays"),
        ('[smtp]\nsecurity = "tls"\n', "starttls, ssl or none"),
        ('[smtp]\npassword = "hunter2"\n', "plain text"),
        ("[storage]\nbackups = 5000\n", "storage.backups"),
        ("not toml at all [", "not valid TOML"),
    ],
)
def test_errors_name_the_key_the_file_and_what_is_accepted(
    cfg: Path, text: str, words: str
) -> None:
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_config(cfg)
    line = refused.value.one_line()
    assert words in line
    assert str(cfg) in line
    assert "<class" not in line  # never Python's own spelling of an error


def test_set_checks_then_writes_privately_keeping_comments(cfg: Path) -> None:
    cfg.write_text('# mine\n[sender]\nname = "Bo"  # keep this\n', encoding="utf-8")
    loaded = set_value("defaults.target_rate", "95,5".replace(",", "."), cfg)
    assert loaded.target_rate == Decimal("95.50")
    assert "# mine" in cfg.read_text() and "# keep this" in cfg.read_text()
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600
    set_value("sender.email", "bo@studio.example", cfg)
    assert load_config(cfg).sender_email == "bo@studio.example"


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("defaults.target_rate", "eighty", "not a number"),
        ("storage.backup", "5", "did you mean storage.backups?"),
        ("smtp.port", "99999", "1-65535"),
        ("sender.email", "ana@example", "email"),
        ("defaults.locale", "klingon!", "language code"),
    ],
)
def test_a_refused_set_leaves_the_file_as_it_was(cfg: Path, key: str, value: str, words) -> None:
    cfg.write_text('[sender]\nname = "Bo"\n', encoding="utf-8")
    before = cfg.read_bytes()
    with pytest.raises(InvalidInput) as refused:
        set_value(key, value, cfg)
    assert words in refused.value.one_line()
    assert cfg.read_bytes() == before


def test_init_writes_a_whole_commented_file_that_loads(cfg: Path) -> None:
    write_new({"sender.name": "Ana", "sender.email": "ana@studio.example"}, cfg)
    text = cfg.read_text()
    for spec in SETTINGS:
        assert spec.key.split(".")[1] in text  # every setting is there, set or commented
    loaded = load_config(cfg)
    assert (loaded.sender_name, loaded.sender_email) == ("Ana", "ana@studio.example")
    with pytest.raises(InvalidInput, match="already exists"):
        write_new({}, cfg)


def test_every_setting_has_help_and_an_example_that_loads() -> None:
    import tomllib

    for spec in SETTINGS:
        assert spec.help and spec.accepted and spec.example
        name = spec.key.split(".")[1]
        value = tomllib.loads(f"{name} = {spec.example}")[name]
        spec.parse(value)
    assert setting("SMTP.Port").key == "smtp.port"
    assert "\n# host = " in init_text({})
