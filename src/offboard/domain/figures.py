"""Sentences with figures in them, kept apart from how the figures are written.

The domain knows what a reason says ("effective rate {rate} is {pct} % under your target of
{target}") and its figures as values; only formats.py knows how a language writes an amount or
a number (Babel, which the domain may not import). So a sentence travels as a template and its
figures, is written out once by `formats.sentence`, and its figures stay available as plain
values for the JSON output.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in a currency; `per_hour` writes it as a rate ("£43.75/h")."""

    amount: Decimal
    currency: str
    per_hour: bool = False

    def plain(self) -> str:
        return f"{self.amount} {self.currency}" + ("/h" if self.per_hour else "")


@dataclass(frozen=True, slots=True)
class Number:
    """A plain number (hours, a percentage) written with `decimals` decimals."""

    value: Decimal
    decimals: int = 0

    def plain(self) -> str:
        return str(rounded(self.value, self.decimals))


Figure = Money | Number | dt.date | int | str


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals))


@dataclass(frozen=True, slots=True)
class Sentence:
    """`template` in str.format's syntax, its fields named in `figures`."""

    template: str
    figures: Mapping[str, Figure] = field(default_factory=dict)

    def plain(self) -> str:
        """Written without any language's conventions ("43.75 GBP/h"): for logs and tests;
        people get `formats.sentence`."""
        return self.template.format(**{k: _plain(v) for k, v in self.figures.items()})

    def data(self) -> dict[str, str | int]:
        """The figures as JSON-safe values: amounts and numbers as decimal strings."""
        out: dict[str, str | int] = {}
        for key, value in self.figures.items():
            if isinstance(value, Money):
                out[key] = str(value.amount)
                out[f"{key}_currency"] = value.currency
            elif isinstance(value, Number):
                out[key] = str(rounded(value.value, value.decimals))
            elif isinstance(value, dt.date):
                out[key] = value.isoformat()
            else:
                out[key] = value
        return out


def _plain(value: Figure) -> str:
    if isinstance(value, Money | Number):
        return value.plain()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
