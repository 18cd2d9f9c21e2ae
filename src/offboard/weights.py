"""Loads the recommendation's weights: the shipped templates/recommendation.toml, with the
user's `<user config dir>/templates/recommendation.toml` on top of it, key by key (the user's
file holds only what it changes).

Every key is declared once below with the range it must fall in; a key the shipped file does
not have, a value of the wrong kind or out of range is refused with the file and the key named.
"""

from __future__ import annotations

import difflib
import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .config import Config, config_dir
from .domain.errors import InvalidInput
from .domain.figures import Money
from .domain.models import Archetype, Category, ItemKind, RepairOutcome
from .domain.screening import Thresholds
from .domain.weights import Weights
from .files import read_user_text

FILE_NAME = "recommendation.toml"
MAX_WEIGHTS_BYTES = 64 * 1024


@dataclass(frozen=True)
class Rule:
    low: float
    high: float
    whole: bool = False

    def accepted(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        return f"{kind} from {self.low:g} to {self.high:g}"


POINTS = Rule(0, 1000)
FACTOR = Rule(0, 10)
PERCENT = Rule(0, 1000)
DAYS = Rule(1, 3650, whole=True)

# Every key, with its rule. Points only ever add (but for a repair that worked): a weight
# below zero would let a further red flag make an account look better.
RULES: dict[str, Rule] = {
    "thresholds.repair_from": POINTS,
    "thresholds.offboard_from": POINTS,
    "flags.half_life_days": DAYS,
    "flags.same_week": Rule(0, 1),
    "flags.pattern_weeks": Rule(1, 52, whole=True),
    "flags.pattern_window_days": DAYS,
    "flags.pattern_factor": Rule(1, 10),
    "flags.cool_off_days": Rule(0, 365, whole=True),
    **{f"flags.severity.{w}": POINTS for w in ("minor", "serious", "severe")},
    **{f"flags.category.{c.value}": FACTOR for c in Category},
    "rate.per_percent_under": FACTOR,
    "rate.max_percent_under": PERCENT,
    "rate.per_percent_over": FACTOR,
    "rate.max_percent_over": PERCENT,
    "unbilled.per_hour": FACTOR,
    "unbilled.max_points": POINTS,
    **{f"repairs.outcome.{o.value}": Rule(-1000, 1000) for o in RepairOutcome},
    "repairs.give_up_after": Rule(1, 100, whole=True),
    "repairs.give_up": POINTS,
    "money.overdue_grace_days": Rule(0, 365, whole=True),
    "money.per_invoice": POINTS,
    "money.per_month": POINTS,
    "money.max_points": POINTS,
    **{f"archetype.{a.value}": POINTS for a in Archetype if a is not Archetype.ABUSIVE},
    "trouble.per_unpaid_hour": FACTOR,
    "trouble.per_unbilled_hour": FACTOR,
    "trouble.per_unpaid_invoice": POINTS,
    # Screening: an answer against the prospect must add something, or it could lift the
    # "too much unanswered" caution and move the suggestion towards go.
    **{f"screening.points.{k.value}": Rule(0.1, 1000) for k in ItemKind},
    "screening.per_further_client": FACTOR,
    "screening.further_clients_max": Rule(0, 100, whole=True),
    "screening.decline_from": Rule(0.1, 10000),
    "screening.unanswered_max_share": Rule(0, 1),
}


def target_rate(config: Config) -> Money | None:
    """The hourly rate the user aims for, in the currency the settings give new clients (the
    setting has no currency of its own): what the recommendation compares rates with."""
    rate = config.target_rate
    return Money(rate, config.currency) if rate else None


@functools.cache
def session_weights() -> Weights:
    """The weights as read once for the session: for the board's marks, which are drawn
    before the services are built."""
    return load_weights()


def user_weights_path() -> Path:
    return config_dir() / "templates" / FILE_NAME


def load_weights(user_file: Path | None = None) -> Weights:
    """The shipped weights with the user's file (default: user_weights_path()) on top."""
    return build_weights(*_values(user_file))


def load_thresholds(user_file: Path | None = None) -> Thresholds:
    """The screening's thresholds ([screening]), read like the weights beside them."""
    return build_thresholds(*_values(user_file))


def _values(user_file: Path | None) -> tuple[dict[str, Any], str]:
    """Every key of the shipped file with the user's on top, checked; and the file to name."""
    shipped = resources.files("offboard.templates").joinpath(FILE_NAME)
    values = _flat(_parse(shipped.read_text(encoding="utf-8"), f"(shipped) {FILE_NAME}"))
    source = f"(shipped) {FILE_NAME}"
    _check(values, source, complete=True)
    user_file = user_weights_path() if user_file is None else user_file
    text = read_user_text(user_file, MAX_WEIGHTS_BYTES, "weights file")
    if text is not None:
        source = str(user_file)
        own = _flat(_parse(text, source), source=source)
        _check(own, source, complete=False)
        values.update(own)
    return values, source


def build_thresholds(v: Mapping[str, Any], source: str) -> Thresholds:
    """The screening's thresholds from every key of RULES, each already checked."""
    return Thresholds(
        points={k: float(v[f"screening.points.{k.value}"]) for k in ItemKind},
        per_further_client=float(v["screening.per_further_client"]),
        further_clients_max=int(v["screening.further_clients_max"]),
        decline_from=float(v["screening.decline_from"]),
        unanswered_max_share=float(v["screening.unanswered_max_share"]),
    )


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"weights file {source} is not valid TOML ({exc})") from None


def _flat(data: Mapping[str, Any], prefix: str = "", *, source: str = "") -> dict[str, Any]:
    """{"flags": {"severity": {"minor": 2}}} -> {"flags.severity.minor": 2}."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, f"{path}.", source=source))
        else:
            out[path] = value
    return out


def _check(values: Mapping[str, Any], source: str, *, complete: bool) -> None:
    for key, value in values.items():
        rule = RULES.get(key)
        if rule is None:
            near = difflib.get_close_matches(key, list(RULES), n=1, cutoff=0.6)
            hint = f"did you mean {near[0]}?" if near else f"the keys are those of {FILE_NAME}"
            raise InvalidInput(f"weights file {source}: there is no key {key!r}", hint)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or (rule.whole and not isinstance(value, int)):
            raise InvalidInput(f"weights file {source}: {key} = {value!r} is not {rule.accepted()}")
        if not rule.low <= value <= rule.high:
            raise InvalidInput(
                f"weights file {source}: {key} = {value!r} is out of range",
                f"use {rule.accepted()}",
            )
    if complete:
        absent = sorted(set(RULES) - set(values))
        if absent:
            raise InvalidInput(f"weights file {source} lacks {', '.join(absent)}")


def build_weights(v: Mapping[str, Any], source: str) -> Weights:
    """Weights from every key of RULES, each already checked (see `_check`)."""
    if v["thresholds.offboard_from"] <= v["thresholds.repair_from"]:
        raise InvalidInput(
            f"weights file {source}: thresholds.offboard_from must be above thresholds.repair_from",
            f"they are {v['thresholds.offboard_from']} and {v['thresholds.repair_from']}",
        )
    f = float
    return Weights(
        repair_from=f(v["thresholds.repair_from"]),
        offboard_from=f(v["thresholds.offboard_from"]),
        severity={
            1: f(v["flags.severity.minor"]),
            2: f(v["flags.severity.serious"]),
            3: f(v["flags.severity.severe"]),
        },
        category={c: f(v[f"flags.category.{c.value}"]) for c in Category},
        half_life_days=f(v["flags.half_life_days"]),
        same_week=f(v["flags.same_week"]),
        pattern_weeks=int(v["flags.pattern_weeks"]),
        pattern_window_days=int(v["flags.pattern_window_days"]),
        pattern_factor=f(v["flags.pattern_factor"]),
        cool_off_days=int(v["flags.cool_off_days"]),
        rate_per_percent_under=f(v["rate.per_percent_under"]),
        rate_max_percent_under=f(v["rate.max_percent_under"]),
        rate_per_percent_over=f(v["rate.per_percent_over"]),
        rate_max_percent_over=f(v["rate.max_percent_over"]),
        unbilled_per_hour=f(v["unbilled.per_hour"]),
        unbilled_max=f(v["unbilled.max_points"]),
        repair_outcome={o: f(v[f"repairs.outcome.{o.value}"]) for o in RepairOutcome},
        repairs_give_up_after=int(v["repairs.give_up_after"]),
        repairs_give_up=f(v["repairs.give_up"]),
        overdue_grace_days=int(v["money.overdue_grace_days"]),
        overdue_per_invoice=f(v["money.per_invoice"]),
        overdue_per_month=f(v["money.per_month"]),
        overdue_max=f(v["money.max_points"]),
        archetype={
            a: f(v[f"archetype.{a.value}"]) for a in Archetype if a is not Archetype.ABUSIVE
        },
        trouble_per_unpaid_hour=f(v["trouble.per_unpaid_hour"]),
        trouble_per_unbilled_hour=f(v["trouble.per_unbilled_hour"]),
        trouble_per_unpaid_invoice=f(v["trouble.per_unpaid_invoice"]),
    )
