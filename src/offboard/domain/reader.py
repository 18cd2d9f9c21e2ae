"""The tolerant reader the decoder (codec.py) reads records with, and the input rules of
validate.py bound to the names of the fields they read.

A Reader notes each failure with its path and goes on, so one read reports every problem of a
record; a sub-record missing something it cannot exist without is dropped (Drop) and
reported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from . import validate
from .errors import InvalidInput
from .models import Problem

T = TypeVar("T")
Rule = Callable[[Any], Any]


LEFT_OUT = "left out until the field above is fixed"
NO_NAME = "(no name)"
_ABSENT: Any = object()


class Drop(Exception):
    """A sub-record lacks something it cannot exist without; it is left out (and reported)."""


def readable(raw: Any) -> str:
    """Text that broke a rule, kept readable so the user sees what was there."""
    if not isinstance(raw, str):
        return ""
    kept = "".join(
        ch if ch.isprintable() or ch in "\n\t" else "\ufffd" for ch in raw[: validate.MAX_LETTER]
    )
    return kept.strip()


class Reader:
    """Reads fields of one dict, recording each failure with its path instead of stopping.

    The path is only spelled out when a problem is noted: a sound record (nearly all of them)
    builds no path strings at all."""

    __slots__ = ("key", "parent", "problems")

    def __init__(
        self, problems: list[Problem], parent: Reader | None = None, key: str | int = ""
    ) -> None:
        self.problems = problems
        self.parent = parent
        self.key = key

    @property
    def path(self) -> str:
        if self.parent is None:
            return ""
        return self.parent.at(self.key)

    def at(self, key: str | int) -> str:
        path = self.path
        if isinstance(key, int):
            return f"{path}[{key}]"
        return f"{path}.{key}" if path else key

    def child(self, key: str | int) -> Reader:
        return Reader(self.problems, self, key)

    def note(self, key: str | int, message: str, raw: Any = None, replaced: bool = False) -> None:
        self.problems.append(Problem(self.at(key), message, raw, replaced))

    def refused(self, key: str | int, exc: InvalidInput, raw: Any, replaced: bool = True) -> None:
        self.note(key, exc.one_line(), raw, replaced)

    def dropped(self, key: str | int, raw: Any) -> None:
        # Follows the problem that caused it; a strict read reports only that problem.
        self.problems.append(Problem(self.at(key), LEFT_OUT, raw, True))

    def field(
        self,
        d: dict[str, Any],
        key: str,
        rule: Rule,
        default: Any = None,
        *,
        required: bool = False,
        salvage: bool = False,
    ) -> Any:
        """`rule(d[key])`; on failure the problem is noted and `default` (or, with `salvage`,
        the readable part of the text) is used. A required field that fails drops the record."""
        raw = d.get(key, _ABSENT)
        if raw is _ABSENT:
            if required:
                self.note(key, f"{getattr(rule, 'what', key)} is missing")
                raise Drop
            return default
        try:
            return rule(raw)
        except InvalidInput as exc:
            if required:
                self.refused(key, exc, raw, replaced=False)  # the drop below loses it
                raise Drop from None
            kept = readable(raw) if salvage else default
            self.refused(key, exc, raw, replaced=kept != raw)
            return kept

    def check(self, key: str | int, rule: Callable[[], Any]) -> None:
        """A rule across fields (overpaid invoice, review before start): noted, value kept."""
        try:
            rule()
        except InvalidInput as exc:
            self.note(key, exc.one_line())

    def records(
        self, d: dict[str, Any], key: str, decode: Callable[[Reader, dict[str, Any]], T]
    ) -> list[T]:
        raw = d.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.note(key, f"must be a list, not {type(raw).__name__}", raw, replaced=True)
            return []
        out: list[T] = []
        sub = self.child(key)
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                sub.note(i, "must be an object", item, replaced=True)
                continue
            try:
                out.append(decode(sub.child(i), item))
            except Drop:
                sub.dropped(i, item)
        return out

    def record(
        self, d: dict[str, Any], key: str, decode: Callable[[Reader, dict[str, Any]], T]
    ) -> T | None:
        raw = d.get(key)
        if raw is None or raw == {}:
            return None
        if not isinstance(raw, dict):
            self.note(key, f"must be an object, not {type(raw).__name__}", raw, replaced=True)
            return None
        try:
            return decode(self.child(key), raw)
        except Drop:
            self.dropped(key, raw)
            return None


def named(rule: Callable[..., Any], what: str, **options: Any) -> Rule:
    """`rule` bound to the name of what it reads (so a missing value can be named too);
    a partial, which costs less per call than a wrapping function."""
    bound = functools.partial(rule, what=what, **options)
    bound.what = what  # type: ignore[attr-defined]
    return bound


def line(what: str, max_len: int = validate.MAX_LINE) -> Rule:
    return named(validate.one_line, what, max_len=max_len)


def required_line(what: str, max_len: int = validate.MAX_LINE) -> Rule:
    return named(validate.one_line, what, max_len=max_len, required=True)


def text(what: str, max_len: int = validate.MAX_TEXT) -> Rule:
    return named(validate.free_text, what, max_len=max_len)


def date(what: str) -> Rule:
    return named(validate.iso_date, what)


def opt_date(what: str) -> Rule:
    return named(validate.optional_iso_date, what)


def opt_amount(what: str) -> Rule:
    return named(validate.optional_amount, what)


def positive_amount(what: str) -> Rule:
    return named(validate.positive_amount, what)


def enum(enum: Any, what: str) -> Rule:
    return named(functools.partial(validate.choice, enum), what)


def opt_enum(enum: Any, what: str) -> Rule:
    return named(functools.partial(_optional_choice, enum), what)


def _optional_choice(enum: Any, value: Any, what: str) -> Any:
    return None if value in (None, "") else validate.choice(enum, value, what)


def boolean(what: str) -> Rule:
    def rule(v: Any) -> bool:
        if not isinstance(v, bool):
            raise InvalidInput(f"{what} must be true or false")
        return v

    return rule


def stored_int(rule: Rule, what: str) -> Rule:
    """Numbers in a file are JSON numbers: "3" is text someone typed, not a severity."""

    def checked(v: Any) -> Any:
        if isinstance(v, str):
            raise InvalidInput(f"{what} {v!r} is text, not a number")
        return rule(v)

    return checked
