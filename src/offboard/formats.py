"""How amounts and dates are written, once, for every place that shows them: the letters, the
CLI and the TUI. Babel writes them the way the client's language does ("1 950,50 €",
"£1,950.50", "11. joulukuuta 2026"), so the same invoice never reads one way in a letter and
another on the screen.

Babel loads on first use (it costs tens of milliseconds), and each (currency, locale) pattern
is looked up once.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .domain.timers import Deadline

DEFAULT_LOCALE = "en"


@functools.lru_cache(maxsize=64)
def _babel_locale(locale: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        # A language Babel does not know still gets readable amounts.
        return Locale.parse(DEFAULT_LOCALE)


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


def day(value: dt.date, locale: str, form: str = "long") -> str:
    """A date as the language writes it: "2 December 2026", "2. joulukuuta 2026"; `form` is
    Babel's "short", "medium", "long" or "full"."""
    from babel.dates import format_date

    return str(format_date(value, form, locale=_babel_locale(locale)))


def deadline_text(deadline: Deadline) -> str:
    """What a deadline is about, with the amount still open for an invoice."""
    if deadline.amount is None:
        return deadline.label
    return f"{deadline.label}: {money(deadline.amount, deadline.currency, deadline.locale)}"
