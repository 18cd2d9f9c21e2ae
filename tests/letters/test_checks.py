"""The tone and completeness checks, in each letter's own language."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from offboard.domain.fixes import Fix
from offboard.letters.checks import ERROR, WARNING, check_letter, fold
from offboard.letters.context import WHERE_SENDER, day, money

TONE_DIR = Path(__file__).parent / "tone_cases"


def ids(subject: str, body: str, locale: str, **kwargs: object) -> list[str]:
    return [f.id for f in check_letter(subject, body, locale=locale, **kwargs)]


def _tone_cases() -> list[object]:
    params = []
    for path in sorted(TONE_DIR.glob("*.toml")):
        cases = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
        for n, case in enumerate(cases):
            params.append(pytest.param(path.stem, case, id=f"{path.stem}-{n}"))
    return params


TONE_CASES = _tone_cases()


def test_tone_cases_exist() -> None:
    assert {p.values[0] for p in TONE_CASES} >= {"en", "tr", "cs"}


@pytest.mark.parametrize(("locale", "case"), TONE_CASES)
def test_tone_case(locale: str, case: dict[str, object]) -> None:
    found = ids("Subject", str(case["text"]), locale, require=("thanks", "next_steps"))
    for check in case.get("fire", []):
        assert check in found, f"{check} should fire; found {found}"
    for check in case.get("quiet", []):
        assert check not in found, f"{check} should stay quiet; found {found}"


# --- dates --------------------------------------------------------------------------------------

LOCALES = ("en", "tr", "fi", "cs")
DAYS = (dt.date(2026, 12, 4), dt.date(2027, 5, 31), dt.date(2026, 1, 1), dt.date(2026, 9, 15))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("when", DAYS, ids=str)
def test_long_date_is_found(locale: str, when: dt.date) -> None:
    body = f"The last day is {day(when, locale)}.\n"
    assert "date_missing" not in ids("S", body, locale, require=("date",))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("text", ["4.12.2026", "04/12/2026", "2026-12-04", "4. 12. 2026"])
def test_numeric_date_is_found(locale: str, text: str) -> None:
    assert "date_missing" not in ids("S", f"Until {text}.", locale, require=("date",))


@pytest.mark.parametrize("locale", LOCALES)
def test_no_date_is_reported(locale: str) -> None:
    found = check_letter("S", "Hello 2026 and 12 items.\n", locale=locale, require=("date",))
    assert [(f.id, f.severity) for f in found] == [("date_missing", WARNING)]


def test_date_is_not_required_unless_asked() -> None:
    assert ids("S", "Hello.\n", "en") == []


# --- money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "€1,950.00",
        "1 950,50 €",
        "1\u00a0950,50\u00a0€",
        "1\u202f950,50\u00a0€",
        "CZK66,500.00",
        "66 500,00 Kč",
        "66\u00a0500,00\u00a0Kč",
        "₺1.950,50",
        "1.950,50 TL",
        "$750.00",
        "£1,200.00",
        "EUR 300",
        "300 EUR",
        "USD 1,000",
    ],
)
def test_money_is_found(text: str) -> None:
    assert "amount_missing" not in ids("S", f"Please pay {text} soon.", "en", require=("amount",))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("currency", ["EUR", "CZK", "USD", "GBP", "TRY"])
def test_babel_money_is_found(locale: str, currency: str) -> None:
    text = money(Decimal("66500.50"), currency, locale)
    assert "amount_missing" not in ids("S", f"Total: {text}.", locale, require=("amount",))


@pytest.mark.parametrize("text", ["1950", "1,950.00", "invoice 2026-14", "66 500,00"])
def test_number_without_currency_is_not_money(text: str) -> None:
    assert "amount_missing" in ids("S", f"Please pay {text} soon.", "en", require=("amount",))


# --- length, placeholders, empty ----------------------------------------------------------------


def test_over_length_uses_the_template_limit_then_the_locale_default() -> None:
    body = "word " * 120
    assert "length" in ids("S", body, "en", max_words=100)
    assert "length" not in ids("S", body, "en", max_words=150)
    assert "length" not in ids("S", body, "en")  # en/checks.toml: 250
    found = check_letter("S", "word " * 251, locale="en")
    assert [f.id for f in found] == ["length"]
    assert "251 words; keep it under 250" in found[0].detail


def test_placeholder_findings_carry_the_where_hint() -> None:
    body = "Dear [[client's email]],\n\nRegards,\n[[your name]]\n[[your name]]\n"
    found = check_letter(
        "About [[last working day]]",
        body,
        locale="en",
        missing={"your name": WHERE_SENDER},
    )
    missing = [f for f in found if f.id == "missing"]
    assert [f.title for f in missing] == [
        "Missing: last working day",
        "Missing: client's email",
        "Missing: your name",
    ]
    assert all(f.severity == ERROR for f in missing)
    assert found[: len(missing)] == missing  # errors first
    by_title = {f.title: f for f in missing}
    # What fixes it travels as data: the CLI words it as a command, the TUI as a key.
    assert by_title["Missing: your name"].detail == "[[your name]] is still in the letter."
    assert by_title["Missing: your name"].fix is WHERE_SENDER
    assert by_title["Missing: client's email"].fix is Fix.DRAFT


def test_empty_subject_and_body_are_errors() -> None:
    found = check_letter(" ", "\n\n", locale="en", require=("thanks", "date"))
    assert [(f.id, f.severity) for f in found] == [("subject", ERROR), ("empty", ERROR)]


# --- folding ------------------------------------------------------------------------------------


def test_turkish_dotted_and_dotless_i() -> None:
    assert fold("İSTANBUL IŞIK", "tr") == "istanbul ışık"
    assert fold("I", "en") == "i"
    # "MİNNETTARIM" is "minnettarım": the thanks phrase "minnettar" matches
    assert "thanks_missing" not in ids("Konu", "MİNNETTARIM.", "tr", require=("thanks",))
    assert "next_steps_missing" not in ids(
        "Konu", "YAKINDA İLETİŞİME GEÇECEĞİM.", "tr", require=("next_steps",)
    )
    # a dotless capital I is ı in Turkish: "MINNETTAR" is not the same word
    assert "thanks_missing" in ids("Konu", "MINNETTAR.", "tr", require=("thanks",))


def test_typographic_apostrophe_matches_plain_phrases() -> None:
    assert "next_steps_missing" not in ids(
        "S", "I’ll send the files on Monday.", "en", require=("next_steps",)
    )
    assert "blame" in ids("S", "You’re always late with feedback.", "en")
    assert "break_up" in ids("S", "It’s not you, it is the schedule.", "en")


def test_phrase_matches_at_word_start_only() -> None:
    # "thank" must not be found inside another word, and "break up" needs the words
    assert "thanks_missing" in ids("S", "Unthankful.", "en", require=("thanks",))
    assert "thanks_missing" not in ids("S", "Thankfully done.", "en", require=("thanks",))
    assert "break_up" in ids("S", "Time to break\n   up.", "en")


def test_more_than_one_reason() -> None:
    one = "I am ending the work because the scope changed."
    assert "reasons" not in ids("S", one, "en")
    two = one + " In addition, invoices were late."
    found = check_letter("S", two, locale="en")
    reason = next(f for f in found if f.id == "reasons")
    assert "2 reasons" in reason.detail and "“because”" in reason.detail


def test_a_long_run_of_digits_is_checked_in_linear_time() -> None:
    """A payment letter's amount check once backtracked quadratically over a run of digits:
    a legal 99,999-digit letter held the UI (and the GIL) for minutes."""
    import time

    from offboard.letters.checks import check_letter

    for body in ("1" * 99_999, "1 " * 49_999, "1," * 49_999):
        started = time.perf_counter()
        findings = check_letter("Invoice", body, locale="en", require=("amount",))
        assert any(f.id == "amount_missing" for f in findings)
        assert time.perf_counter() - started < 5  # minutes before; about 0.2 s now
