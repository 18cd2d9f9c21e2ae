"""User settings (TOML in the user config dir) and where the database lives.

Every setting is declared once in SETTINGS: its key as written in the file (`sender.email`),
the Config attribute it fills, the rule that checks it (the same rules as typed input, from
domain/validate.py), its default and a line of help. Loading, `offboard config show|set|init`
and the TUI's settings screen all read that one table, so an error always names the key, the
file and what is accepted, and a misspelt key is refused with the nearest known one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import platformdirs

from .domain import validate
from .domain.errors import InvalidInput
from .domain.notice import parse_period
from .files import FileRefused, read_text_bounded, write_atomically

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


def resolve_db_path(cli_value: str | None) -> Path:
    """--db wins over OFFBOARD_DB, which wins over the platform's data folder."""
    raw = cli_value or os.environ.get(DB_ENV)
    return Path(raw).expanduser() if raw else default_db_path()


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
    backups: int = 10
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    # providers the user is happy to suggest when a client needs someone else
    referrals: tuple[str, ...] = ()
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
    text = _as_text(raw, "the notice period")
    parse_period(text)
    return text.strip()


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
    Setting("defaults.locale", "locale", validate.locale, "a language code (en, tr, fi, cs...)",
            "the language a new client's letters are written in", '"en"'),
    Setting("defaults.target_rate", "target_rate", _rate, "an amount per hour",
            "the hourly rate you aim for; assessments compare against it", "90"),
    Setting("defaults.holidays", "holidays", _holidays, "a list of YYYY-MM-DD dates",
            "your own days off, skipped when counting business days", '["2026-12-24"]'),
    Setting("storage.backups", "backups", _whole(0, 1000, "backups"), "whole number, 0-1000",
            "how many previous versions of the database to keep", "10"),
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
)  # fmt: skip
BY_KEY = {s.key: s for s in SETTINGS}


def setting(key: str) -> Setting:
    """The setting `key`; an unknown one is refused with the nearest known key."""
    found = BY_KEY.get(key.strip().lower())
    if found is None:
        near = difflib.get_close_matches(key, list(BY_KEY), n=1, cutoff=0.5)
        hint = f"did you mean {near[0]}?" if near else "`offboard config show` lists them all"
        raise InvalidInput(f"there is no setting {key!r}", hint)
    return found


def _get(cfg: Config, attr: str) -> Any:
    target: Any = cfg
    for part in attr.split("."):
        target = getattr(target, part)
    return target


def _put(cfg: Config, attr: str, value: Any) -> None:
    if "." in attr:
        section, name = attr.split(".")
        setattr(cfg, section, dataclasses.replace(getattr(cfg, section), **{name: value}))
    else:
        setattr(cfg, attr, value)


def value_of(cfg: Config, key: str) -> Any:
    return _get(cfg, setting(key).attr)


# --- reading the file ---------------------------------------------------------------------------


def load_config(path: Path | None = None) -> Config:
    """Read the config file if there is one; a missing file means defaults.

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
    return _from_toml(raw, path)


def _from_toml(raw: dict[str, Any], path: Path) -> Config:
    cfg = Config(source=path)
    for section, values in raw.items():
        if not isinstance(values, dict):
            _unknown(f"{section}", path)
        for name, value in values.items():
            key = f"{section}.{name}"
            if key == "smtp.password":
                raise InvalidInput(
                    f"config file {path} stores an SMTP password in plain text",
                    "remove it and use password_env or password_command instead",
                )
            if key not in BY_KEY:
                _unknown(key, path)
            spec = BY_KEY[key]
            try:
                _put(cfg, spec.attr, spec.parse(value))
            except InvalidInput as exc:
                raise InvalidInput(
                    f"config file {path}: {key} = {value!r} is not valid ({exc.message})",
                    f"accepted: {spec.accepted}",
                ) from None
    return cfg


def _unknown(key: str, path: Path) -> None:
    near = difflib.get_close_matches(key, list(BY_KEY), n=1, cutoff=0.5)
    hint = f"did you mean {near[0]}?" if near else "known keys: " + ", ".join(BY_KEY)
    raise InvalidInput(f"config file {path} has an unknown setting {key!r}", hint)


# --- writing it ---------------------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """A value as TOML writes it (the types SETTINGS holds)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"'
    if isinstance(value, list | tuple | frozenset | set):
        items = sorted(value) if isinstance(value, frozenset | set) else value
        return "[" + ", ".join(toml_value(v) for v in items) + "]"
    text = str(value)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


_SECTION = re.compile(r"^\s*\[([A-Za-z0-9_.-]+)\]\s*(#.*)?$")


def _set_line(text: str, section: str, name: str, literal: str) -> str:
    """`text` with `name = literal` in `[section]`: the line replaced where it is, else added
    at the end of the section (made if missing). Comments and everything else stay."""
    lines = text.splitlines()
    key_line = re.compile(rf"^\s*{re.escape(name)}\s*=")
    current, end = None, None
    for i, line in enumerate(lines):
        found = _SECTION.match(line)
        if found:
            if current == section:
                end = i
                break
            current = found.group(1)
            continue
        if current == section and key_line.match(line):
            lines[i] = f"{name} = {literal}"
            return "\n".join(lines) + "\n"
    if current == section and end is None:
        end = len(lines)
    if end is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [f"[{section}]", f"{name} = {literal}"]
    else:
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        lines.insert(end, f"{name} = {literal}")
    return "\n".join(lines) + "\n"


def set_value(key: str, raw: Any, path: Path | None = None) -> Config:
    """Check `raw` with the setting's rule, write it into the config file (atomically, 0600,
    comments kept), and return the config as it now reads.

    Raises InvalidInput for an unknown key or a value the rule refuses (the file is then
    unchanged), or when the file cannot be read or written."""
    spec = setting(key)
    path = path or config_path()
    try:
        value = spec.parse(raw)
    except InvalidInput as exc:
        raise InvalidInput(f"{spec.key}: {exc.message}", f"accepted: {spec.accepted}") from None
    try:
        text = read_text_bounded(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        text = ""
    except FileRefused as exc:
        raise InvalidInput(f"config file {exc.message}", exc.hint) from None
    section, name = spec.key.split(".")
    shown = value if not isinstance(value, frozenset) else sorted(value)
    updated = _set_line(text, section, name, toml_value(shown if shown is not None else ""))
    try:
        check = tomllib.loads(updated)
        _from_toml(check, path)  # the whole file must still load before it is written
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"config file {path} could not be updated ({exc})") from None
    _write(path, updated)
    return load_config(path)


def _write(path: Path, text: str) -> None:
    from .files import describe_os_error

    try:
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        write_atomically(path, text.encode("utf-8"))
    except OSError as exc:
        reason, hint = describe_os_error(exc, path)
        raise InvalidInput(f"cannot write the config file {path}: {reason}", hint) from None


def init_text(values: dict[str, Any]) -> str:
    """A whole config file: every setting with its help as a comment, the given ones set (each
    checked), the others left commented out at their example."""
    out = ["# offboard's settings: `offboard config show` lists them, `set` changes one."]
    section = None
    for spec in SETTINGS:
        sec, name = spec.key.split(".")
        if sec != section:
            out += ["", f"[{sec}]"]
            section = sec
        out.append(f"# {spec.help} ({spec.accepted})")
        if values.get(spec.key) not in (None, ""):
            try:
                value = spec.parse(values[spec.key])
            except InvalidInput as exc:
                raise InvalidInput(
                    f"{spec.key}: {exc.message}", f"accepted: {spec.accepted}"
                ) from None
            shown = sorted(value) if isinstance(value, frozenset) else value
            out.append(f"{name} = {toml_value(shown)}")
        else:
            out.append(f"# {name} = {spec.example}")
    return "\n".join(out) + "\n"


def write_new(values: dict[str, Any], path: Path | None = None, *, overwrite: bool = False) -> Path:
    """Write a whole new config file (see init_text); refuses to replace one unless asked."""
    path = path or config_path()
    text = init_text(values)
    if path.exists() and not overwrite:
        raise InvalidInput(
            f"{path} already exists", "change one setting with `offboard config set`"
        )
    _write(path, text)
    return path


def describe(cfg: Config) -> list[tuple[str, Any, Setting]]:
    """Every setting with its current value, in the file's order."""
    return [(spec.key, _get(cfg, spec.attr), spec) for spec in SETTINGS]
