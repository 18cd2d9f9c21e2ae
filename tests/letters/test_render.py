"""The skeleton fast path (literal text lifted out of the template) against compiling the text
as written: the same output, the same errors, the same line numbers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from offboard.config import Config
from offboard.domain.models import Client
from offboard.letters import render
from offboard.letters.context import build_context
from offboard.letters.library import Library
from offboard.letters.render import TemplateError, compile_template, render_source

LINE = re.compile(r", line (\d+|\?):")


def plain(source: str, context: dict[str, Any], name: str = "letter") -> str:
    """Compile the text exactly as written (no skeleton) and render it."""
    return "".join(render._compile(source, name).generate(context))


def plain_outcome(source: str, context: dict[str, Any], name: str = "letter") -> tuple[str, str]:
    """("ok", text) or ("error", the line the error is on): the same renderer, with the
    template compiled as written instead of through the fast path's skeleton."""
    real = render._skeleton
    render._skeleton = lambda _source: None
    try:
        return fast_outcome(source, context, name)
    finally:
        render._skeleton = real


def fast_outcome(source: str, context: dict[str, Any], name: str = "letter") -> tuple[str, str]:
    try:
        return "ok", render_source(source, context, name).text
    except TemplateError as exc:
        found = LINE.search(exc.message)
        return "error", found[1] if found else "?"


@pytest.fixture(scope="module")
def contexts(
    demo_clients: list[Client], letters_config: Config, demo_day: dt.date
) -> dict[str, list[dict[str, Any]]]:
    """Per locale, the context of every demo client written in that locale."""
    out: dict[str, list[dict[str, Any]]] = {}
    for loc in ("en", "tr", "fi", "cs"):
        out[loc] = [build_context(c, letters_config, demo_day, loc) for c in demo_clients]
    return out


def test_shipped_templates_use_the_fast_path(
    shipped_template: tuple[str, str],
    shipped_library: Library,
    contexts: dict[str, list[dict[str, Any]]],
) -> None:
    locale, name = shipped_template
    info = shipped_library.get(name, locale)
    _, texts = compile_template(info.body, "body")
    assert texts, "the shipped body should be split into a skeleton and its literal text"
    ctxs = contexts.get(locale) or contexts["en"]
    for context in ctxs:
        for source, part in ((info.body, "body"), (info.subject, "subject")):
            fast = render_source(source, context, part).text
            assert fast == plain(source, context, part), f"{locale}/{name} {part}"
            assert fast.strip()


WHITESPACE_CASES = [
    "a\n  {%- if x %} y {% endif -%}  \n b",
    "{%- if x -%}\n  a  \n{%- endif -%}\n",
    "Dear {{ name }},\n\n{% if x %}\n  yes\n{% endif %}\n\nBye\n",
    "a   {{- name -}}   b",
    "a \n\n {{- name }} \n\n {{ name -}} \n\n b",
    "{% for i in items -%}\n  - {{ i }}\n{%- endfor %}\nend",
    "{% for i in items %}\n- {{ i }}{% endfor %}\n\n",
    "  {#- a comment -#}  x  {# another #}  y\n",
    "x {%- if x -%} {%- endif -%} y",
    "{{ name }}{{ name }}",
    "\n\n\n",
    "",
    "{% raw %}{{ literal }}{% endraw %} {{ name }}",
    "a {%+ if x %}y{% endif %}",
    "{{ '}}' }} b {{ name }}",
    '{{ "%}" }} {% if x %}y{% endif %}',
    "{# {{ #} x {{ name }}",
    "{{ name }} {# #} #}",
    "tab\t{{- name }}\t-\ttab",
    "{% set s %}  inner {{ name }}  {% endset %}[{{ s }}]",
    "{% macro m(v) -%}\n  <{{ v }}>\n{%- endmacro %}{{ m(name) }} {{ m('z') }}",
]


@pytest.mark.parametrize("source", WHITESPACE_CASES)
def test_whitespace_control_around_literals(source: str) -> None:
    context = {"name": "Ann", "x": True, "items": [1, 2]}
    assert render_source(source, context).text == plain(source, context)


ERROR_CASES = [
    "one\ntwo\n{{ nope }}\n",
    "one\n\n  {%- if x %}\n{{ 1 / 0 }}{% endif %}",
    "a\nb\nc\n{% for i in items -%}\n  {{ i.nope.deeper }}\n{%- endfor %}",
    "a\n{# a\ncomment\n#}\n{{ nope }}",
    "x\n\n\n   {{- name -}}   \n\n\n{{ name.nope.more }}",
    "a\n{% if x %}\nb\n{% endif %}\n{% endfor %}",
    "a\nb\n{{ name + }}",
    "{% raw %}\n{% endraw %}\n\n{{ nope }}",
]


@pytest.mark.parametrize("source", ERROR_CASES)
def test_error_line_numbers_match(source: str) -> None:
    context = {"name": "Ann", "x": True, "items": [1, 2]}
    fast = fast_outcome(source, context)
    slow = plain_outcome(source, context)
    assert fast[0] == "error"
    assert fast == slow
    assert fast[1] != "?"


@pytest.mark.parametrize(
    "source",
    ["Dear {{ client.name", "Dear {{ name }},\nBye {% if", "Bye {# note", "a {{ name }} b {{"],
)
def test_unclosed_tag_is_an_error_on_the_fast_path(source: str) -> None:
    context = {"name": "Ann"}
    assert plain_outcome(source, context)[0] == "error"
    assert fast_outcome(source, context)[0] == "error"


@pytest.fixture(scope="module")
def edit_subjects(
    shipped_library: Library, contexts: dict[str, list[dict[str, Any]]]
) -> list[tuple[str, dict[str, Any]]]:
    picks = []
    for loc, name, who in (
        ("en", "termination", 6),
        ("en", "termination-payment", 10),
        ("tr", "final-invoice", 11),
        ("fi", "handover-confirmation", 8),
        ("cs", "payment-reminder", 5),
        ("en", "repair-proposal", 2),
    ):
        picks.append((shipped_library.get(name, loc).body, contexts[loc][who]))
    return picks


EDIT_TEXT = st.lists(
    st.sampled_from([*"{}%#-+~ \n\tabcx|(),.'\"", "{{", "}}", "{%", "%}", "-%}", "{{-"]),
    min_size=1,
    max_size=6,
).map("".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_edits_agree(
    data: st.DataObject, edit_subjects: list[tuple[str, dict[str, Any]]]
) -> None:
    body, context = data.draw(st.sampled_from(edit_subjects))
    text = body
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(text)))
        insert = data.draw(st.one_of(EDIT_TEXT, st.text(min_size=1, max_size=6)))
        text = text[:pos] + insert + text[pos:]
    fast = fast_outcome(text, context, "body")
    slow = plain_outcome(text, context, "body")
    if fast[0] == "error" or slow[0] == "error":
        assert fast[0] == slow[0] == "error", (text, fast, slow)
        assert fast[1] == slow[1], (text, fast, slow)
    else:
        assert fast[1] == slow[1]


def test_plain_text_edit_reuses_the_compiled_skeleton(
    shipped_library: Library,
) -> None:
    body = shipped_library.get("termination", "en").body
    first, texts1 = compile_template(body, "body")
    edited = body.replace("Dear", "Hello there", 1)
    second, texts2 = compile_template(edited, "body")
    assert second is first  # no recompile for a change in the literal text
    assert texts1 != texts2
    tag_edit = body.replace("{{ client.name }}", "{{ client.company }}", 1)
    third, _ = compile_template(tag_edit, "body")
    assert third is not first


def test_raw_block_falls_back_to_the_text_as_written() -> None:
    template, texts = compile_template("{% raw %}{{ x }}{% endraw %}")
    assert texts == []
    assert render_source("{% raw %}{{ x }}{% endraw %}", {}).text == "{{ x }}"
    assert template is not None


@pytest.mark.parametrize(
    "source",
    [
        "a\nb\n{{ " + "(" * 100 + "x" + ")" * 100 + " }}\nc",
        "a\n" + "{% if x %}\n" * 20 + "y" + "{% endif %}" * 20,
        "a\nb\n{{ name" + "|upper" * 100 + " }} {{ name }}",
    ],
)
def test_nesting_refusals_name_the_same_line_on_the_fast_path(source: str) -> None:
    context = {"name": "Ann", "x": True, "items": [1, 2]}
    fast = fast_outcome(source, context)
    assert fast[0] == "error" and fast[1] != "?"
    assert fast == plain_outcome(source, context)
    with pytest.raises(TemplateError, match="too deeply nested"):
        render_source(source, context)


def test_many_tags_within_the_limit_keep_the_fast_path() -> None:
    # the skeleton adds a tag per gap; the limit on tags counts the text as written
    source = "Dear {{ name }}, " * 500
    _, texts = compile_template(source, "many")
    assert len(texts) == 501
    assert render_source(source, {"name": "Ann"}).text.startswith("Dear Ann, Dear Ann")


def test_a_brace_before_a_tag_is_read_as_jinja_reads_it() -> None:
    """ "{" typed just before "{% endif %}" makes "{{% endif %}": the fast path once rendered
    it as text while the template as written does not parse."""
    source = "Kind regards,\n{{ sender.name }}{% if sender.signature %}\nx{{% endif %}\n"
    with pytest.raises(TemplateError) as fast:
        render_source(source, {"sender": {"name": "Ana", "signature": "S"}})
    assert plain_outcome(source, {"sender": {"name": "Ana", "signature": "S"}})[0] == "error"
    assert "line" in fast.value.message
