"""User settings (TOML in the user config dir) and where the database lives.

Every setting is declared once in SETTINGS: its key as written in the file (`sender.email`),
the Config attribute it fills, the rule that checks it (the same rules as typed input, from
domain/validate.py), its default and a line of help. Loading, `offboard config show|set|init`
and the TUI's settings screen all read that one table, so an error always names the key, the
file and what is accepted, and a misspelt key is refused with the nearest known one. A
remapped key is a setting too, "keys.<binding id>", made by key_setting (see config_keys).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import platformdirs

from .config_keys import (
    KEY_ACCEPTED,
    KEY_EXAMPLE,
    KEYS,
    KeyNames,
    binding_help,
    check_clashes,
    key_entries,
    key_rule,
)
from .domain import validate
from .domain.alarms import ALARM_FORMS, DEFAULT_ALARMS, alarms
from .domain.errors import InvalidInput
from .files import FileRefused, read_text_bounded
from .formats import writable_locale
from .workcalendar import COUNTRY_ACCEPTED, country

APP = "offboard"
DB_ENV = "OFFBOARD_DB"
TODAY_ENV = "OFFBOARD_TODAY"
CONFIG_ENV = "OFFBOARD_CONFIG"
MAX_CONFIG_BYTES = 256 * 1024


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def config_path() -> Path:
    """The config file offboard reads: OFFBOARD_CONFIG, else config.toml in the user's config
    folder (~/.config/offboard/ on Linux)."""
    env = os.environ.get(CONFIG_ENV)
    return Path(env).expanduser() if env else config_dir() / "config.toml"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir(APP)) / "offboard.json"


_DATABASE_URL = re.compile(r"^postgres(ql)?://", re.IGNORECASE)


@dataclass(frozen=True)
class DatabaseUrl:
    """A board on a PostgreSQL server (postgresql://USER@HOST/DB), where a path would name a
    file; bootstrap opens either."""

    url: str

    def __str__(self) -> str:
        return self.url


DbLocation = Path | DatabaseUrl


def db_location(raw: str) -> DbLocation:
    """What --db, OFFBOARD_DB or storage.database names: a server's address or a file."""
    text = raw.strip()
    return DatabaseUrl(text) if _DATABASE_URL.match(text) else Path(raw).expanduser()


def resolve_db_path(cli_value: str | None, config: Config | None = None) -> DbLocation:
    """--db wins over OFFBOARD_DB, then storage.database in the config (read here unless
    given), then the platform's data folder. Raises InvalidInput for a config file that does
    not load."""
    raw = cli_value or os.environ.get(DB_ENV)
    if not raw:
        raw = (config or load_config()).database
    return db_location(raw) if raw else default_db_path()


@dataclass
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    username: str = ""
    password_env: str = "OFFBOARD_SMTP_PASSWORD"
    password_command: str = ""


@dataclass
class Config:
    sender_name: str = ""
    sender_email: str = ""
    signature: str = ""
    default_notice: str = "30 days"
    payment_terms_days: int = 14
    currency: str = "EUR"
    locale: str = "en"
    target_rate: Decimal | None = None
    holidays: frozenset[dt.date] = frozenset()
    # whose public holidays business days skip; "" means the one `locale` names (workcalendar)
    country: str = ""
    backups: int = 10
    # a database file or a PostgreSQL address; "" means the platform's data folder
    database: str = ""
    # who the history names for your changes (and whose undo is yours); "" means the login
    user: str = ""
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    # providers the user is happy to suggest when a client needs someone else
    referrals: tuple[str, ...] = ()
    # [keys]: binding id -> the key(s) that replace its own ("board.flag" -> "F")
    keys: dict[str, str] = field(default_factory=dict)
    # reminders on each deadline in an exported calendar, as domain.alarms writes them
    calendar_alarms: tuple[str, ...] = DEFAULT_ALARMS
    source: Path | None = None


# --- the settings, once -------------------------------------------------------------------------

Parse = Callable[[Any], Any]


@dataclass(frozen=True)
class Setting:
    key: str  # "section.name", as in the file
    attr: str  # the Config attribute ("smtp.port" fills config.smtp.port)
    parse: Parse  # raises InvalidInput; takes TOML values and text typed by the user
    accepted: str  # what a valid value looks like, for errors and help
    help: str
    example: str = ""  # a TOML literal, shown commented out in a new file


def _text(what: str) -> Parse:
    return lambda raw: validate.one_line(_as_text(raw, what), what)


def _as_text(raw: Any, what: str) -> str:
    if isinstance(raw, str):
        return raw
    raise InvalidInput(f"{what} must be text")


def _whole(low: int, high: int, what: str) -> Parse:
    return lambda raw: validate.whole_number(raw, what, low, high)


def _choice(options: tuple[str, ...], what: str) -> Parse:
    def parse(raw: Any) -> str:
        text = _as_text(raw, what).strip().lower()
        if text not in options:
            raise InvalidInput(f"{what} {raw!r} is not one of {', '.join(options)}")
        return text

    return parse


def _notice(raw: Any) -> str:
    # Stored as the short form the clause reads as, like a client's own period. The clause
    # reader (its word tables in four languages) is imported only when a setting names one:
    # the board's first paint does without it.
    from .domain.clauses import notice_period

    return notice_period(_as_text(raw, "the notice period")).describe()


def _rate(raw: Any) -> Decimal | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    return validate.optional_amount(raw, "the target rate")


def _holidays(raw: Any) -> frozenset[dt.date]:
    if isinstance(raw, str):  # typed: "2026-12-24, 2026-12-25"
        raw = [part for part in re.split(r"[,\s]+", raw) if part]
    if not isinstance(raw, list):
        raise InvalidInput("holidays must be a list of dates")
    return frozenset(validate.iso_date(d.isoformat() if isinstance(d, dt.date) else d, "holiday")
                     for d in raw)  # fmt: skip


_NO_PASSWORDS = "keep passwords out of the config: use ~/.pgpass, PGPASSWORD or a service file"


def _holds_password(raw: Any) -> bool:
    return (
        isinstance(raw, str)
        and bool(_DATABASE_URL.match(raw.strip()))
        and bool(re.search(r"://[^/@]*:[^/@]*@|[?&]password=", raw))
    )


def _database(raw: Any) -> str:
    text = validate.one_line(_as_text(raw, "the database"), "the database")
    if _holds_password(text):
        raise InvalidInput("the database address holds a password", _NO_PASSWORDS)
    return text


def _texts(raw: Any) -> tuple[str, ...]:
    if isinstance(raw, str):  # typed: one per ";"
        raw = [part for part in raw.split(";")]
    if not isinstance(raw, list):
        raise InvalidInput("must be a list of texts")
    return tuple(validate.one_line(_as_text(r, "a referral"), "a referral") for r in raw if
                 str(r).strip())  # fmt: skip


SETTINGS: tuple[Setting, ...] = (
    Setting("sender.name", "sender_name", _text("your name"), "text",
            "your name, as letters are signed and sent", '"Ana Lind"'),
    Setting("sender.email", "sender_email", validate.email, "an email address",
            "the address letters are sent from (needed for .eml files and sending)",
            '"ana@studio.example"'),
    Setting("sender.signature", "signature", _text("the signature"), "text",
            "the line under your name in letters", '"Ana Lind, Lind Studio"'),
    Setting("defaults.notice", "default_notice", _notice,
            'a notice period, e.g. "30 days", "1 month", "10 business days"',
            "the notice period a new client gets", '"30 days"'),
    Setting("defaults.payment_terms_days", "payment_terms_days",
            _whole(0, validate.MAX_TERMS_DAYS, "payment terms"), "whole days, 0-365",
            "days from an invoice's date to its due date", "14"),
    Setting("defaults.currency", "currency", validate.currency, "a three-letter code",
            "the currency a new client gets", '"EUR"'),
    Setting("defaults.locale", "locale", writable_locale,
            "a language code offboard knows, e.g. en, en-GB, en-US, cs, fi, tr",
            "the language a new client's letters are written in", '"en"'),
    Setting("defaults.target_rate", "target_rate", _rate, "an amount per hour",
            "the hourly rate you aim for; assessments compare against it", "90"),
    Setting("defaults.holidays", "holidays", _holidays, "a list of YYYY-MM-DD dates",
            "your own days off, skipped when counting business days", '["2026-12-24"]'),
    Setting("defaults.country", "country", country, COUNTRY_ACCEPTED,
            "whose public holidays are skipped when counting business days (a client's own "
            "country wins); empty: the one defaults.locale names, e.g. en-GB -> GB", '"FI"'),
    Setting("storage.backups", "backups", _whole(0, 1000, "backups"), "whole number, 0-1000",
            "how many previous versions of the database to keep", "10"),
    Setting("storage.database", "database", _database, "a file path or postgresql://USER@HOST/DB",
            "the database to open when neither --db nor OFFBOARD_DB says (a team's board on a "
            "PostgreSQL server, say); passwords go in ~/.pgpass, never here",
            '"postgresql://ana@db.example/agency"'),
    Setting("storage.user", "user", _text("the user name"), "text",
            "the name your changes are recorded under in the history, and whose changes undo "
            "takes back on a shared board; empty: your login name", '"ana"'),
    Setting("letters.referrals", "referrals", _texts, "a list of texts",
            "providers you are happy to suggest to a client", '["Pinewood Digital"]'),
    Setting("smtp.host", "smtp.host", _text("the mail server"), "a host name",
            "the mail server letters are sent through", '"smtp.example.com"'),
    Setting("smtp.port", "smtp.port", _whole(1, 65535, "the port"), "a port number",
            "the mail server's port (587 for starttls, 465 for ssl)", "587"),
    Setting("smtp.security", "smtp.security", _choice(("starttls", "ssl", "none"), "security"),
            "starttls, ssl or none", "how the connection is encrypted", '"starttls"'),
    Setting("smtp.username", "smtp.username", _text("the user name"), "text",
            "the login at the mail server", '"ana"'),
    Setting("smtp.password_env", "smtp.password_env", _text("the variable"),
            "an environment variable's name",
            "where the password is read from (never stored in this file)",
            '"OFFBOARD_SMTP_PASSWORD"'),
    Setting("smtp.password_command", "smtp.password_command", _text("the command"),
            "a command line", "a command that prints the password",
            '"pass show mail/offboard"'),
    Setting("calendar.alarms", "calendar_alarms", alarms, f"a list of alarms: {ALARM_FORMS}",
            "the reminders each deadline gets in an exported calendar (offboard ics); [] for none",
            '["3d 09:00", "0d 09:00"]'),
)  # fmt: skip
BY_KEY = {s.key: s for s in SETTINGS}


def key_setting(binding_id: str, names: KeyNames | None = None) -> Setting:
    """The setting of one remapped key ("keys.board.flag"): see config_keys."""
    key = f"{KEYS}.{binding_id}"
    what = binding_help(binding_id, names)
    return Setting(key, key, key_rule(names), KEY_ACCEPTED, what, KEY_EXAMPLE)


def setting(key: str, names: KeyNames | None = None) -> Setting:
    """The setting `key` ("keys.<binding id>" for a remapped key, checked against `names`);
    an unknown one is refused with the nearest known key."""
    if key.strip().lower().startswith(f"{KEYS}."):
        return key_setting(key.strip()[len(KEYS) + 1 :], names)
    found = BY_KEY.get(key.strip().lower())
    if found is None:
        near = difflib.get_close_matches(key, list(BY_KEY), n=1, cutoff=0.5)
        hint = f"did you mean {near[0]}?" if near else "`offboard config show` lists them all"
        raise InvalidInput(f"there is no setting {key!r}", hint)
    return found


def _get(cfg: Config, attr: str) -> Any:
    if attr.startswith(f"{KEYS}."):
        return cfg.keys.get(attr[len(KEYS) + 1 :], "")
    target: Any = cfg
    for part in attr.split("."):
        target = getattr(target, part)
    return target


def _put(cfg: Config, attr: str, value: Any) -> None:
    if attr.startswith(f"{KEYS}."):
        binding_id = attr[len(KEYS) + 1 :]
        keys = {k: v for k, v in cfg.keys.items() if k != binding_id}
        cfg.keys = {**keys, binding_id: value} if value else keys
    elif "." in attr:
        section, name = attr.split(".")
        setattr(cfg, section, dataclasses.replace(getattr(cfg, section), **{name: value}))
    else:
        setattr(cfg, attr, value)


def value_of(cfg: Config, key: str) -> Any:
    return _get(cfg, setting(key).attr)


# --- reading the file ---------------------------------------------------------------------------


def load_config(path: Path | None = None, *, names: KeyNames | None = None) -> Config:
    """Read the config file if there is one; a missing file means defaults. `names` checks
    the [keys] table (see KeyNames).

    Raises InvalidInput naming the file, the key and what is accepted, for a file that
    cannot be read, is not TOML, holds an unknown key or a value that breaks its rule."""
    path = path or config_path()
    try:
        text = read_text_bounded(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return Config()
    except FileRefused as exc:
        raise InvalidInput(f"config file {exc.message}", exc.hint) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"config file {path} is not valid TOML ({exc})") from None
    return from_toml(raw, path, names)


def _entries(raw: dict[str, Any], path: Path) -> Iterator[tuple[str, Any]]:
    """(key, value) for every value in the file; [keys] entries as "keys.<binding id>"."""
    for section, values in raw.items():
        if not isinstance(values, dict):
            _unknown(f"{section}", path)
        if section == KEYS:
            yield from ((f"{KEYS}.{i}", value) for i, value in key_entries(values, path))
        else:
            yield from ((f"{section}.{name}", value) for name, value in values.items())


def from_toml(raw: dict[str, Any], path: Path, names: KeyNames | None = None) -> Config:
    cfg = Config(source=path)
    for key, value in _entries(raw, path):
        if key == "storage.database" and _holds_password(value):
            # Not echoed back, unlike other bad values: it holds a secret.
            raise InvalidInput(
                f"config file {path}: storage.database holds a password", _NO_PASSWORDS
            )
        if key == "smtp.password":
            raise InvalidInput(
                f"config file {path} stores an SMTP password in plain text",
                "remove it and use password_env or password_command instead",
            )
        if key.startswith(f"{KEYS}."):
            try:
                spec = key_setting(key[len(KEYS) + 1 :], names)
            except InvalidInput as exc:
                raise InvalidInput(f"config file {path}: {exc.message}", exc.hint) from None
        else:
            if key not in BY_KEY:
                _unknown(key, path)
            spec = BY_KEY[key]
        try:
            _put(cfg, spec.attr, spec.parse(value))
        except InvalidInput as exc:
            raise InvalidInput(
                f"config file {path}: {key} = {value!r} is not valid ({exc.message})",
                accepted(spec, exc),
            ) from None
    check_clashes(cfg.keys, names, path)
    return cfg


def _unknown(key: str, path: Path) -> None:
    near = difflib.get_close_matches(key, list(BY_KEY), n=1, cutoff=0.5)
    hint = f"did you mean {near[0]}?" if near else "known keys: " + ", ".join(BY_KEY)
    raise InvalidInput(f"config file {path} has an unknown setting {key!r}", hint)


def toml_value(value: Any) -> str:
    """A value as TOML writes it (the types SETTINGS holds)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        # "f": a whole 90 normalises to 9E+1, which is a float to TOML and unreadable to a person.
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"'
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return "[" + ", ".join(toml_value(v) for v in items) + "]"
    text = str(value)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def accepted(spec: Setting, refused: InvalidInput) -> str:
    # The rule's own advice ("did you mean ...?") first, then what the setting accepts.
    accepted = f"accepted: {spec.accepted}"
    return f"{refused.hint}; {accepted}" if refused.hint else accepted


def describe(cfg: Config, names: KeyNames | None = None) -> list[tuple[str, Any, Setting]]:
    """Every setting with its current value, in the file's order, then the remapped keys."""
    rows = [(spec.key, _get(cfg, spec.attr), spec) for spec in SETTINGS]
    for binding_id, keys in sorted(cfg.keys.items()):
        rows.append((f"{KEYS}.{binding_id}", keys, key_setting(binding_id, names)))
    return rows


def typed(value: Any) -> str:
    """A setting's value as it is typed in (the settings screen's fields): its rule reads the
    text back to the same value."""
    if value is None:
        return ""
    if isinstance(value, frozenset):
        return ", ".join(day.isoformat() for day in sorted(value))
    if isinstance(value, tuple):
        return "; ".join(value)
    if isinstance(value, Decimal):
        return toml_value(value)
    return str(value)
