"""User settings (TOML in the user config dir) and where the database lives."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import platformdirs

from .domain.errors import InvalidInput
from .domain.notice import parse_period
from .files import FileRefused, read_text_bounded

APP = "offboard"
DB_ENV = "OFFBOARD_DB"
TODAY_ENV = "OFFBOARD_TODAY"
CONFIG_ENV = "OFFBOARD_CONFIG"
MAX_CONFIG_BYTES = 256 * 1024


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


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


def load_config(path: Path | None = None) -> Config:
    """Read the config file if there is one; a missing file means defaults."""
    if path is None:
        env = os.environ.get(CONFIG_ENV)
        path = Path(env) if env else config_dir() / "config.toml"
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
    sender = raw.get("sender", {})
    cfg.sender_name = str(sender.get("name", ""))
    cfg.sender_email = str(sender.get("email", ""))
    cfg.signature = str(sender.get("signature", ""))
    defaults = raw.get("defaults", {})
    try:
        if "notice" in defaults:
            parse_period(str(defaults["notice"]))
            cfg.default_notice = str(defaults["notice"])
        cfg.payment_terms_days = int(defaults.get("payment_terms_days", cfg.payment_terms_days))
        cfg.currency = str(defaults.get("currency", cfg.currency)).upper()
        cfg.locale = str(defaults.get("locale", cfg.locale))
        if "target_rate" in defaults:
            cfg.target_rate = Decimal(str(defaults["target_rate"]))
        cfg.holidays = frozenset(
            h if isinstance(h, dt.date) else dt.date.fromisoformat(str(h))
            for h in defaults.get("holidays", [])
        )
        cfg.backups = int(raw.get("storage", {}).get("backups", cfg.backups))
        smtp = raw.get("smtp", {})
        if "password" in smtp:
            raise InvalidInput(
                f"config file {path} stores an SMTP password in plain text",
                "remove it and use password_env or password_command instead",
            )
        referrals = raw.get("letters", {}).get("referrals", [])
        if not isinstance(referrals, list):
            raise ValueError("[letters] referrals must be a list of strings")
        cfg.referrals = tuple(str(r).strip() for r in referrals if str(r).strip())
        cfg.smtp = SmtpSettings(
            host=str(smtp.get("host", "")),
            port=int(smtp.get("port", 587)),
            security=str(smtp.get("security", "starttls")),
            username=str(smtp.get("username", "")),
            password_env=str(smtp.get("password_env", "OFFBOARD_SMTP_PASSWORD")),
            password_command=str(smtp.get("password_command", "")),
        )
    except InvalidInput:
        raise
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise InvalidInput(f"config file {path} has a bad value ({exc})") from None
    return cfg
