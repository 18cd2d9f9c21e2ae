"""Completeness and tone checks on a rendered letter, in the letter's own language.

The phrases come from `templates/letters/<locale>/checks.toml` (see the README there). They
match at the start of a word with any ending after it, because Turkish, Finnish and Czech
attach case and person endings to the stem a writer would list.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.dates import get_month_names

from ..domain.fixes import Fix
from ..files import FileRefused, read_text_bounded
from .library import DEFAULT_LOCALE, shipped_dir, user_dir

ERROR = "error"
WARNING = "warning"
DEFAULT_MAX_WORDS = 250
PHRASE_GROUPS = ("blame", "break_up", "reasons", "thanks", "next_steps")
MAX_CHECKS_BYTES = 256 * 1024  # a phrase list; the shipped ones are a few KiB

_PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{1,4}\b")
_MONEY = re.compile(
    r"(?:[€£$₺¥]|\b(?:eur|usd|gbp|try|czk|chf|sek|nok|dkk|pln|huf|tl|kč))\s?\d"
    # The amount's digits and separators are bounded: an unbounded run made each search
    # quadratic in a long run of digits (a 4,000-digit line took a second).
    r"|\d[\d.,\s\u00a0\u202f]{0,24}?\s?(?:[a-z]{0,3}[€£$₺¥]|(?:eur|usd|gbp|try|czk|chf|sek|nok|dkk|pln|huf|tl|kč)\b)"
)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Finding:
    id: str
    severity: str
    title: str
    detail: str
    # What puts it right; each front end words it (a command or a key).
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Phrases:
    max_words: int
    groups: dict[str, re.Pattern[str] | None]
    months: re.Pattern[str]


def fold(text: str, locale: str) -> str:
    """Lower-case the way the language does: Turkish has a dotted and a dotless i."""
    if locale.startswith("tr"):
        text = text.replace("I", "ı").replace("İ", "i")
    # A typographic apostrophe must match the plain one a phrase list uses.
    return text.lower().replace("\u2019", "'")


def _pattern(phrases: list[str], words: list[str], locale: str) -> re.Pattern[str] | None:
    """Stems (`phrases`) take any ending; `words` must end where the word ends."""

    def alternatives(items: list[str]) -> str:
        folded = {fold(p.strip(), locale) for p in items if p.strip()}
        parts = sorted((r"\s+".join(map(re.escape, w.split())) for w in folded), key=len)
        return "|".join(reversed(parts))

    branches = []
    if any(p.strip() for p in phrases):
        branches.append(rf"(?:{alternatives(phrases)})\w*")
    if any(w.strip() for w in words):
        branches.append(rf"(?:{alternatives(words)})(?!\w)")
    return re.compile(r"(?<!\w)(?:" + "|".join(branches) + ")") if branches else None


def _months(locale: str) -> re.Pattern[str]:
    names: set[str] = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            try:
                found = get_month_names(width, context, locale=locale)
            except (ValueError, LookupError):
                found = get_month_names(width, context, locale=DEFAULT_LOCALE)
            names.update(fold(n.rstrip("."), locale) for n in found.values())
    alt = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"\d{{1,2}}\.?\s+(?:{alt})\w*|(?<!\w)(?:{alt})\w*\s+\d{{1,2}}\b")


@functools.cache
def phrases(locale: str) -> Phrases:
    """The check phrases for `locale`: the user's checks.toml wins over the shipped one."""
    raw: dict[str, Any] = {}
    for root in (user_dir(), shipped_dir()):
        found = _read_phrases(root / locale / "checks.toml")
        if found is not None:
            raw = found
            break
    groups = {
        g: _pattern(
            list(raw.get(g, {}).get("phrases", [])), list(raw.get(g, {}).get("words", [])), locale
        )
        for g in PHRASE_GROUPS
    }
    max_words = raw.get("max_words", DEFAULT_MAX_WORDS)
    return Phrases(
        max_words if isinstance(max_words, int) else DEFAULT_MAX_WORDS, groups, _months(locale)
    )


def _read_phrases(path: Path) -> dict[str, Any] | None:
    """The phrase lists in `path`, or None when there is no usable file there. Only a regular
    file under the cap is read (a link to /dev/zero or a FIFO would hang the checks), and a
    broken user file must not disable the checks: the shipped one is used instead."""
    try:
        raw = tomllib.loads(read_text_bounded(path, MAX_CHECKS_BYTES))
    except (FileNotFoundError, FileRefused, tomllib.TOMLDecodeError, RecursionError):
        return None
    for group in PHRASE_GROUPS:
        lists = raw.get(group, {})
        if not isinstance(lists, dict) or not all(
            isinstance(lists.get(k, []), list) and all(isinstance(p, str) for p in lists.get(k, []))
            for k in ("phrases", "words")
        ):
            return None
    return raw


def _found(pattern: re.Pattern[str] | None, text: str) -> list[str]:
    return [m.group(0) for m in pattern.finditer(text)] if pattern else []


def _quote(hits: list[str]) -> str:
    unique = list(dict.fromkeys(hits))
    return ", ".join(f"“{h}”" for h in unique[:3])


def last_day_finding(warning: str) -> Finding:
    """The letter names a last working day the calendar now says is a day off (`warning`,
    from the letter's fields). Only said: the recorded day is the user's to change."""
    return Finding(
        "last_day_not_working",
        WARNING,
        "Last day is not a working day",
        f"{warning[:1].upper()}{warning[1:]}. Check the date before sending; recording the "
        "conversation again counts the notice anew.",
        Fix.CONVERSATION,
    )


def check_letter(
    subject: str,
    body: str,
    *,
    locale: str,
    require: tuple[str, ...] = (),
    max_words: int | None = None,
    missing: dict[str, Fix] | None = None,
) -> list[Finding]:
    """Everything worth telling the writer about this letter, errors first."""
    p = phrases(locale)
    text = fold(body, locale)
    out: list[Finding] = []
    where = missing or {}
    labels = dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(f"{subject}\n{body}"))
    for label in labels:
        out.append(
            Finding(
                "missing",
                ERROR,
                f"Missing: {label}",
                f"[[{label}]] is still in the letter.",
                where.get(label, Fix.DRAFT),
            )
        )
    if not subject.strip():
        out.append(Finding("subject", ERROR, "No subject", "Give the letter a one-line subject."))
    if not body.strip():
        out.append(Finding("empty", ERROR, "Empty letter", "There is nothing to send yet."))
        return out
    blame = _found(p.groups["blame"], text)
    if blame:
        out.append(
            Finding(
                "blame",
                WARNING,
                "Blame phrasing",
                f"{_quote(blame)} puts the fault on the reader. Describe the situation and "
                "its effect instead; blame invites an argument and changes nothing.",
            )
        )
    breakup = _found(p.groups["break_up"], text)
    if breakup:
        out.append(
            Finding(
                "break_up",
                WARNING,
                "“Break up” wording",
                f"{_quote(breakup)} makes a business decision sound personal. Say that the "
                "work together ends.",
            )
        )
    reasons = _found(p.groups["reasons"], text)
    if len(reasons) > 1:
        out.append(
            Finding(
                "reasons",
                WARNING,
                "More than one reason",
                f"{len(reasons)} reasons are introduced ({_quote(reasons)}). Give one clear "
                "reason: every extra one is something to dispute.",
            )
        )
    words = len(_WORD.findall(body))
    limit = max_words or p.max_words
    if words > limit:
        out.append(
            Finding(
                "length",
                WARNING,
                "Too long",
                f"{words} words; keep it under {limit}. A short letter is read to the end.",
            )
        )
    if "thanks" in require and not _found(p.groups["thanks"], text):
        out.append(
            Finding(
                "thanks_missing",
                WARNING,
                "No thanks",
                "Thank the client for the work together; it keeps the ending professional.",
            )
        )
    if "date" in require and not (_NUMERIC_DATE.search(text) or p.months.search(text)):
        out.append(
            Finding(
                "date_missing",
                WARNING,
                "No effective date",
                "Name the date the work ends (the last working day) so nobody has to guess.",
            )
        )
    if "next_steps" in require and not _found(p.groups["next_steps"], text):
        out.append(
            Finding(
                "next_steps_missing",
                WARNING,
                "No next steps",
                "Say what happens next: what you will deliver, send or hand over, and when.",
            )
        )
    if "amount" in require and not _MONEY.search(text):
        out.append(
            Finding(
                "amount_missing",
                WARNING,
                "No amount",
                "A payment letter must state the amount owed (and the invoices it covers).",
            )
        )
    return out
