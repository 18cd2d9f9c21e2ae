"""The shortcuts `list` takes past a rule (domain/listing.py): a text it takes as plainly one
clean line, or as plainly a simple email address, is one the rule itself gives back
unchanged. Anything the shortcut does not take still goes through the rule, so only this
direction matters; these tests are what allows the shortcut at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings, strategies as st

from offboard.domain import validate
from offboard.domain.errors import InvalidInput
from offboard.domain.listing import plain_email, plain_line
from offboard.domain.validate.limits import MAX_LINE, MAX_NAME

LINE_RULES: list[tuple[str, Callable[[Any], Any], int]] = [
    ("client name", validate.client_name, MAX_NAME),
    ("required line", lambda raw: validate.one_line(raw, "", required=True), MAX_LINE),
    ("invoice number", lambda raw: validate.one_line(raw, "", max_len=64, required=True), 64),
]

# Every character class a rule treats specially: controls, line and paragraph separators,
# spaces of every kind, and plain letters.
AWKWARD = st.characters(
    codec="utf-8",
    categories=("Cc", "Cf", "Zs", "Zl", "Zp", "Ll", "Lu", "Nd", "Po", "So", "Mn"),
)
TEXTS = st.one_of(st.text(AWKWARD, max_size=12), st.text(max_size=600))


def gives_back(rule: Callable[[Any], Any], raw: Any) -> bool:
    try:
        value = rule(raw)
    except InvalidInput:
        return False
    return value == raw and type(value) is type(raw)


@pytest.mark.parametrize(("what", "rule", "max_len"), LINE_RULES, ids=[r[0] for r in LINE_RULES])
@settings(max_examples=600, deadline=None)
@given(raw=TEXTS)
@example(raw=" padded")
@example(raw="tab\there")
@example(raw="nbsp\u00a0")
@example(raw="\u2028")
@example(raw="x" * 201)
@example(raw="")
def test_a_plain_line_is_what_its_rule_gives_back(
    what: str, rule: Callable[[Any], Any], max_len: int, raw: str
) -> None:
    if plain_line(raw, max_len):
        assert gives_back(rule, raw), what


def test_a_plain_line_is_text_of_the_right_length() -> None:
    assert plain_line("Delta Roasters 6", MAX_NAME)
    assert not plain_line("", MAX_NAME)
    assert not plain_line("x" * (MAX_NAME + 1), MAX_NAME)
    assert not plain_line(b"bytes", MAX_NAME)
    assert not plain_line(12, MAX_NAME)
    assert not plain_line(" lead", MAX_NAME)
    assert not plain_line("trail ", MAX_NAME)


EMAIL_PARTS = st.text(st.sampled_from("abcXYZ019_+-.@=?!#'ü\u00a0 \t\n"), min_size=1, max_size=70)
SIMPLE_EMAILS = st.from_regex(
    r"[a-z0-9_+-]{1,20}(\.[a-z0-9_+-]{1,9}){0,2}@([a-z0-9-]{1,20}\.){1,3}[a-z]{1,6}",
    fullmatch=True,
)


@settings(max_examples=1500, deadline=None)
@given(raw=st.one_of(EMAIL_PARTS, SIMPLE_EMAILS, st.emails()))
@example(raw="ana@example.com")
@example(raw=".ana@example.com")
@example(raw="ana..b@example.com")
@example(raw="ana@-example.com")
@example(raw="ana@example-.com")
@example(raw="ana@example.123")
@example(raw="ana@example")
@example(raw="a=?b@example.com")
@example(raw="ana@example.com ")
@example(raw="a" * 65 + "@example.com")
def test_a_plain_email_is_what_the_email_rule_gives_back(raw: str) -> None:
    if plain_email(raw):
        assert gives_back(validate.email, raw)


def test_plain_emails_are_the_usual_ones() -> None:
    assert plain_email("office@delta-roasters-6.example.com")
    assert plain_email("first.last+tag@mail.example.co.uk")
    assert not plain_email("ana@bücher.example")  # the rule's own reading
    assert not plain_email("")  # none: the rule says so, not the shortcut
    assert not plain_email(None)
