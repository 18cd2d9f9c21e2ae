"""The working-day calendar business days are counted with: the public holidays of a country
(from the `holidays` package) and the user's own days off (`defaults.holidays`).

Built here, outside the domain, and handed to the domain's arithmetic as a
domain.workdays.DaysOff (see that module for why). Which country: the client's own `country`
when it has one, else the config's `defaults.country`, else the country the config's language
names (en-GB -> GB, fi -> FI, tr -> TR, cs -> CZ; English alone names none, since it is written
in too many countries to guess one, so plain `en` counts only weekends and your own days off).

The package is imported on first use, not with this module: it loads tens of milliseconds of
holiday rules, which `offboard --help` and the board's first paint should not pay for.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from .domain.errors import InvalidInput
from .domain.workdays import country_code

if TYPE_CHECKING:
    from .domain.models import Client

COUNTRY_ACCEPTED = "a country code such as GB, FI, TR, CZ, DE, US; a region after a dash (DE-BY)"
# Languages whose likely country CLDR names but which are the language of many countries.
_NO_SINGLE_COUNTRY = frozenset({"en"})


class CalendarSettings(Protocol):
    """What the calendar reads from the config (offboard.config.Config has these)."""

    country: str
    locale: str
    holidays: frozenset[dt.date]


@functools.cache
def supported_countries() -> dict[str, tuple[str, ...]]:
    """Two-letter country code -> the regions the `holidays` package knows for it."""
    import holidays

    return {
        code: tuple(regions)
        for code, regions in holidays.list_supported_countries().items()
        if len(code) == 2
    }


def country(value: Any) -> str:
    """The rule for a country typed by the user or read from the config: "" (none), or a code
    the `holidays` package knows, spelled as it spells it ("fi" -> "FI", "de-by" -> "DE-BY").

    Raises InvalidInput naming the nearest known codes."""
    text = country_code(value)
    if not text:
        return ""
    known = supported_countries()
    code, _, region = text.partition("-")
    if code not in known:
        raise InvalidInput(
            f"country {code!r} has no public holidays in the holidays package", COUNTRY_ACCEPTED
        )
    if not region:
        return code
    regions = {r.casefold(): r for r in known[code]}
    found = regions.get(region.casefold())
    if found is None:
        listed = ", ".join(known[code][:12]) + (", ..." if len(known[code]) > 12 else "")
        raise InvalidInput(
            f"{code} has no region {region!r} in the holidays package",
            f"known: {listed}" if listed else f"{code} has no regions: give {code} alone",
        )
    return f"{code}-{found}"


def country_of_locale(locale: str) -> str:
    """The country a language tag names: its region (en-GB -> GB), else the country CLDR says
    the language is most likely from (fi -> FI, cs -> CZ, tr -> TR), but none for English."""
    parts = locale.replace("_", "-").split("-")
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    if not region and language and language not in _NO_SINGLE_COUNTRY:
        from babel.core import get_global

        likely = str(get_global("likely_subtags").get(language, ""))
        region = next((p for p in likely.split("_")[1:] if len(p) == 2 and p.isupper()), "")
    return region if region and region in supported_countries() else ""


def country_for(settings: CalendarSettings, client: Client | str | None = None) -> str:
    """Whose public holidays count: the client's country (a Client, or its country as text),
    else the config's, else the config language's (see the module's docstring); "" for none."""
    own = client.country if client is not None and not isinstance(client, str) else client
    return own or settings.country or country_of_locale(settings.locale)


def calendar_for(settings: CalendarSettings, client: Client | str | None = None) -> CountryCalendar:
    """The calendar for counting `client`'s business days (or, with no client, the user's);
    `client` may be a country being typed in for one."""
    return _calendar(country_for(settings, client), frozenset(settings.holidays))


@functools.lru_cache(maxsize=32)
def _calendar(country: str, own: frozenset[dt.date]) -> CountryCalendar:
    return CountryCalendar(country, own)


@dataclass(eq=False)
class CountryCalendar:
    """A DaysOff: a country's public holidays (none when `country` is "") and the user's own
    days off. Each year's holidays are worked out once, when first asked for."""

    country: str
    own: frozenset[dt.date] = frozenset()
    _years: dict[int, dict[dt.date, str]] = field(default_factory=dict, repr=False)

    def _public(self, year: int) -> dict[dt.date, str]:
        if not self.country:
            return {}
        found = self._years.get(year)
        if found is None:
            import holidays

            code, _, region = self.country.partition("-")
            rules = holidays.country_holidays(code, subdiv=region or None, years=year)
            found = self._years[year] = {day: str(name) for day, name in rules.items()}
        return found

    def off_between(self, first: dt.date, last: dt.date) -> frozenset[dt.date]:
        public = (d for year in range(first.year, last.year + 1) for d in self._public(year))
        return frozenset(d for d in (*public, *self.own) if first <= d <= last)

    def why_off(self, day: dt.date) -> str | None:
        name = self._public(day.year).get(day)
        if name is not None:
            return f"{name}, a public holiday in {self.country}"
        if day in self.own:
            return "one of your own days off"
        return None

    def describe(self) -> str:
        """Which days off it knows, in a few words, for the screens that show it."""
        own = f"{len(self.own)} day{'s' if len(self.own) != 1 else ''} off of your own"
        if not self.country:
            return f"weekends and {own} (no country set)" if self.own else "weekends only"
        return f"public holidays in {self.country}" + (f" and {own}" if self.own else "")
