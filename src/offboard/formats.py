"""How amounts, dates and counts are written, once, for every place that shows them: the
letters, the CLI and the TUI. Babel writes them the way the client's language does ("1 950,50 €",
"£1,950.50", "11. joulukuuta 2026"), so the same invoice never reads one way in a letter and
another on the screen. Counts in offboard's own sentences read "1 deadline", "2 deadlines".

Babel loads on first use (it costs tens of milliseconds), and each (currency, locale) pattern
is looked up once.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain import validate
from .domain.wording import counted, plural_of

if TYPE_CHECKING:
    from .domain.figures import Sentence
    from .domain.timers import Deadline

DEFAULT_LOCALE = "en"

# The plural rule lives in the domain (gate messages count things too); front ends take it
# from here, beside the other ways of writing things.
__all__ = ["counted", "plural_of"]


@functools.lru_cache(maxsize=64)
def _babel_locale(locale: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        # A language Babel does not know still gets readable amounts.
        return Locale.parse(DEFAULT_LOCALE)


@functools.cache
def known_locales() -> frozenset[str]:
    """Every locale Babel has data for, as tags ("en", "en-GB", "sr-Latn-BA").

    Read from Babel's data folder without importing Babel: checking the config's locale at
    start-up must not cost the board's first paint the tens of milliseconds Babel takes."""
    import importlib.util

    spec = importlib.util.find_spec("babel")
    folder = Path(spec.origin).parent / "locale-data" if spec and spec.origin else None
    names = [p.stem for p in folder.glob("*.dat")] if folder and folder.is_dir() else []
    if not names:  # laid out some other way: ask Babel itself
        from babel.localedata import locale_identifiers

        names = list(locale_identifiers())
    return frozenset(n.replace("_", "-") for n in names if n != "root")


def writable_locale(value: Any) -> str:
    """validate.known_locale against the locales Babel knows: the rule for every place a
    client's or the config's language is chosen."""
    return validate.known_locale(value, known_locales())


def money(amount: Decimal, currency: str, locale: str) -> str:
    """An amount with its currency, as the language writes it: "1 950,50 €", "£1,950.50"."""
    from babel.numbers import format_currency

    return str(format_currency(amount, currency, locale=_babel_locale(locale)))


def money_short(amount: Decimal, currency: str, locale: str) -> str:
    """For a narrow place (a card, a column): whole amounts without their decimals."""
    from babel.numbers import format_currency

    whole = amount == amount.to_integral_value()
    pattern = None
    if whole:
        # The locale's own pattern, minus its decimals: "1 950 €", "£1,950".
        base = _babel_locale(locale).currency_formats["standard"].pattern
        pattern = base.replace(".00", "").replace(",00", "")
    return str(
        format_currency(
            amount,
            currency,
            format=pattern,
            locale=_babel_locale(locale),
            currency_digits=not whole,
        )
    )


def number(value: Decimal, locale: str, *, decimals: int = 2) -> str:
    """A plain number (hours, a rate) with the language's separators: "1 950,50"."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return str(format_decimal(value, format=pattern, locale=_babel_locale(locale)))


@functools.lru_cache(maxsize=64)
def decimal_comma(locale: str) -> bool:
    """Whether the language writes a decimal comma (1 250,50), so typed amounts are read so."""
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(_babel_locale(locale))) == ","


# Babel's formatting is the slow part of a letter or a list of deadlines, and the same few
# days come back in the same few languages: each is formatted once.
@functools.lru_cache(maxsize=4096)
def day(value: dt.date, locale: str, form: str = "long") -> str:
    """A date as the language writes it: "2 December 2026", "2. joulukuuta 2026"; `form` is
    Babel's "short", "medium", "long" or "full"."""
    from babel.dates import format_date

    return str(format_date(value, form, locale=_babel_locale(locale)))


def duration(count: int, unit: str, locale: str) -> str:
    """A number of days, weeks or months (`unit`) in words: "30 days", "30 dnů", "1 month"."""
    from babel.units import format_unit

    measure = f"duration-{unit}"
    words = str(format_unit(count, measure, length="long", locale=_babel_locale(locale)))
    if "duration-" in words:  # no long form in this locale's data
        words = str(format_unit(count, measure, length="short", locale=_babel_locale(locale)))
    return words


def deadline_text(deadline: Deadline, *, short: bool = False) -> str:
    """What a deadline is about, with the amount still open for an invoice; `short` leaves
    out the words naming its kind (for a table whose countdown names it)."""
    label = deadline.subject if short else deadline.label
    if deadline.amount is None:
        return label
    return f"{label}: {money(deadline.amount, deadline.currency, deadline.locale)}"


def sentence(text: Sentence, locale: str) -> str:
    """A sentence of the domain's (a recommendation's reason) with its figures written the
    way `locale` writes them: "effective rate £43.75/h is 33 % under your target of £65.00/h"."""
    from .domain.figures import Money, Number

    written: dict[str, str] = {}
    for key, value in text.figures.items():
        if isinstance(value, Money):
            shown = money(value.amount, value.currency, locale)
            written[key] = shown + "/h" if value.per_hour else shown
        elif isinstance(value, Number):
            written[key] = number(value.value, locale, decimals=value.decimals)
        elif isinstance(value, dt.date):
            written[key] = day(value, locale, "medium")
        else:
            written[key] = str(value)
    return text.template.format(**written)
