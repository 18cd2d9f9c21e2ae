"""The render sandbox against hostile and careless templates.

Every case must end in a TemplateError (never another exception, never a hang) or render
something harmless, within two seconds of wall time, and leave the context as it was.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from offboard.config import Config
from offboard.domain.models import Client
from offboard.letters.context import build_context
from offboard.letters.render import MAX_OUTPUT, MAX_SECONDS, TemplateError, render_source

WALL = 2.0  # seconds any one case may take


class _Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float = 5.0) -> Iterator[None]:
    """A safety net: a render that hangs is interrupted (and fails) instead of blocking."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        raise _Hang(f"render still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def plain_context() -> dict[str, Any]:
    return {
        "client": {"name": "Ann"},
        "items": [1, 2, 3],
        "d": {"a": 1},
        "s": "abc",
    }


def timed(source: str, context: dict[str, Any] | None = None) -> tuple[Any, float]:
    """(the rendered text or the TemplateError, seconds taken); any other exception fails."""
    ctx = plain_context() if context is None else context
    start = time.perf_counter()
    with deadline():
        try:
            result: Any = render_source(source, ctx, "letter").text
        except TemplateError as exc:
            result = exc
    return result, time.perf_counter() - start


# (id, template, a fragment the error message must contain)
REFUSED = [
    ("dunder-class", "{{ ''.__class__ }}", "not allowed"),
    ("dunder-mro", "{{ ''.__class__.__mro__ }}", "not allowed"),
    ("dunder-subclasses", "{{ s.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
    ("dunder-globals", "{{ range.__globals__ }}", "not allowed"),
    ("dunder-builtins", "{{ range.__globals__.__builtins__ }}", "not allowed"),
    ("dunder-init", "{{ range.__init__ }}", "not allowed"),
    ("dunder-init-of-dict", "{{ client.__init__ }}", "not allowed"),
    ("dunder-len-call", "{{ s.__len__() }}", "not allowed"),
    ("attr-class", "{{ s|attr('__class__') }}", "not allowed"),
    (
        "attr-mro-walk",
        "{{ (s|attr('__class__')|attr('__mro__'))[1]|attr('__subclasses__')() }}",
        "line 1",
    ),
    ("attr-globals", "{{ range|attr('__globals__') }}", "not allowed"),
    ("method-self", "{{ s.title.__self__ }}", "not allowed"),
    ("format-field-attr", "{{ '{0.__class__}'.format(s) }}", "not allowed"),
    ("format-field-globals", "{{ '{0.__globals__}'.format(range) }}", "not allowed"),
    ("percent-star-width", "{{ '%*s' % (100000000, 'x') }}", "format widths"),
    ("format-filter-star", "{{ '%*s'|format(100000000, 'x') }}", "format widths"),
    ("format-nested-width", "{{ '{:{}}'.format('x', 100000000) }}", "format widths"),
    ("format-big-width", "{{ '{:>99999999}'.format('x') }}", "format widths"),
    ("percent-big-precision", "{{ '%.99999f' % 1 }}", "format widths"),
    ("ljust", "{{ s.ljust(100000000) }}", "widths above"),
    ("rjust", "{{ s.rjust(100000000) }}", "widths above"),
    ("center-method", "{{ s.center(10**8) }}", "widths above"),
    ("zfill", "{{ s.zfill(10**8) }}", "widths above"),
    ("expandtabs", "{{ ('\\t' * 10).expandtabs(10**6) }}", "widths above"),
    ("repeat-str", "{{ 'a' * 10**9 }}", "limit 200,000"),
    ("repeat-list", "{{ [1] * 10**9 }}", "limit 200,000"),
    ("repeat-tuple", "{{ (1,) * 10**9 }}", "limit 200,000"),
    ("power-right-assoc", "{{ 9 ** (9 ** 9) }}", "powers above 64"),
    ("power-big", "{{ 2 ** 10000000 }}", "powers above 64"),
    ("power-tower", "{{ ((10 ** 64) ** 64) ** 64 }}", "limit"),
    ("range-huge", "{{ range(10**9) }}", "range() is limited"),
    (
        "nested-loops",
        "{% for a in range(10000) %}{% for b in range(10000) %}x{% endfor %}{% endfor %}",
        "too much work",
    ),
    (
        "nested-loops-silent",
        "{% for a in range(9000) %}{% for b in range(9000) %}{% endfor %}{% endfor %}",
        "too much work",
    ),
    ("recursive-macro", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "itself"),
    (
        "doubly-recursive-macro",
        "{% macro f(n) %}{% if n < 40 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}"
        "{{ f(0) }}",
        "letter:",
    ),
    (
        "recursive-loop",
        "{% for x in items recursive %}{{ loop(items) }}{% endfor %}",
        "itself",
    ),
    (
        "macro-tilde-doubling",
        "{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% else %}{{ s|length }}{% endif %}"
        "{% endmacro %}{{ d('x', 40) }}",
        "limit 200,000",
    ),
    (
        "set-block-doubling",
        "{% set a0 %}xxxxxxxxxx{% endset %}"
        + "".join(
            f"{{% set a{i + 1} %}}{{{{ a{i} }}}}{{{{ a{i} }}}}{{% endset %}}" for i in range(30)
        )
        + "{{ a30|length }}",
        "limit 200,000",
    ),
    (
        "macro-set-block-doubling",
        "{% macro d(n) %}{% if n %}{% set s %}{{ d(n - 1) }}{{ d(n - 1) }}{% endset %}{{ s }}"
        "{% else %}x{% endif %}{% endmacro %}{{ d(40) }}",
        "letter:",
    ),
    ("tilde-concat", "{{ ('x' * 150000) ~ ('y' * 150000) }}", "limit 200,000"),
    ("plus-concat", "{{ ('x' * 150000) + ('y' * 150000) }}", "limit 200,000"),
    ("replace-filter", "{{ ('a' * 1000)|replace('a', 'a' * 1000) }}", "limit 200,000"),
    ("replace-method-empty", "{{ s.replace('', 'x' * 100000) }}", "limit 200,000"),
    ("join-filter", "{{ ('x' * 1000)|join('y' * 1000) }}", "limit 200,000"),
    ("join-method", "{{ ''.join(['a' * 100000] * 3) }}", "limit 200,000"),
    ("join-list-sep", "{{ ('a' * 10000)|list|join('x' * 100) }}", "limit 200,000"),
    ("indent-lines", "{{ ('a\\n' * 1000)|indent(400) }}", "limit 200,000"),
    ("indent-wide", "{{ s|indent(100000) }}", "widths"),
    ("wordwrap-wide", "{{ s|wordwrap(10**6) }}", "widths"),
    ("center-filter", "{{ s|center(10**8) }}", "widths"),
    ("batch-huge", "{{ range(10000)|batch(10**8)|list }}", "widths"),
    ("slice-huge", "{{ range(10000)|slice(10**8)|list }}", "widths"),
    ("mutate-append", "{{ items.append(4) }}", "not allowed"),
    ("mutate-update", "{{ d.update({'b': 2}) }}", "not allowed"),
    ("mutate-update-attr", "{{ d|attr('update')({'b': 2}) }}", "not allowed"),
    ("mutate-pop", "{{ items.pop() }}", "not allowed"),
    ("mutate-setdefault", "{{ d.setdefault('z', 1) }}", "not allowed"),
    ("mutate-clear", "{{ d.clear() }}", "not allowed"),
    ("mutate-set-attr", "{% set client.name = 'x' %}{{ client.name }}", "namespace"),
    ("do-tag", "{% do items.append(1) %}", "unknown tag 'do'"),
    ("global-lipsum", "{{ lipsum() }}", "no field 'lipsum'"),
    ("global-cycler", "{{ cycler(1, 2) }}", "no field 'cycler'"),
    ("global-joiner", "{{ joiner() }}", "no field 'joiner'"),
    ("global-namespace", "{{ namespace(a=1) }}", "no field 'namespace'"),
    ("global-dict", "{{ dict(a=1) }}", "no field 'dict'"),
    ("global-config", "{{ config }}", "no field 'config'"),
    ("global-request", "{{ request }}", "no field 'request'"),
    ("self-dunder", "{{ self.__class__ }}", "no field 'self'"),
    ("self-private", "{{ self._TemplateReference__context }}", "no field 'self'"),
    ("include-file", "{% include '/etc/passwd' %}", "loader"),
    ("import-file", "{% import '/etc/passwd' as x %}{{ x }}", "loader"),
    ("from-import-file", "{% from '/etc/passwd' import y %}{{ y }}", "loader"),
    ("extends-file", "{% extends '/etc/passwd' %}", "loader"),
    ("output-too-long", "{% for i in range(10000) %}{{ 'x' * 100 }}{% endfor %}", "longer than"),
    ("output-one-value", "{{ 'a' * 199999 ~ 'b' }}", "longer than"),
    ("zero-division", "one\ntwo\n{{ 1 / 0 }}", "line 3: ZeroDivisionError"),
    ("int-of-text", "one\n{{ int('x') }}", "line 2"),
    ("truncate-long-end", "{{ s|truncate(5, end='x' * 1000) }}", "line 1"),
    ("bytes", "{{ s.encode() }}", "line 1: a bytes value cannot be printed"),
]

# (id, template, the exact harmless output)
HARMLESS = [
    # Jinja's ** is left-associative: (9 ** 9) ** 9, a 77-digit number.
    ("power-left-assoc", "{{ (9 ** 9 ** 9)|string|length }}", "78"),
    ("format-map-empty", "{{ s.format_map({}) }}", "abc"),
    ("map-dunder", "{{ items|map(attribute='__class__')|list|length }}", "3"),
    (
        "set-block-in-loop",
        "{% set x = 'ab' %}{% for i in range(60) %}"
        "{% set x %}{{ x }}{{ x }}{% endset %}{% endfor %}{{ x }}",
        "ab",
    ),
    (
        "tilde-in-loop",
        "{% set n = 'a' %}{% for i in range(60) %}{% set n = n ~ n %}{% endfor %}{{ n }}",
        "a",
    ),
    ("width-at-limit", "{{ 'x'|center(500)|length }}", "500"),
    ("int-filter-default", "{{ 'x'|int }}", "0"),
    ("str-methods", "{{ s.upper() }} {{ s.splitlines() }}", "ABC ['abc']"),
]


@pytest.mark.parametrize(("source", "fragment"), [pytest.param(s, f, id=i) for i, s, f in REFUSED])
def test_refused(source: str, fragment: str) -> None:
    result, took = timed(source)
    assert isinstance(result, TemplateError), f"rendered: {str(result)[:200]!r}"
    assert fragment in result.one_line(), result.one_line()
    assert "\n" not in result.one_line()
    assert took < WALL, f"took {took:.2f} s"


@pytest.mark.parametrize(("source", "expected"), [pytest.param(s, e, id=i) for i, s, e in HARMLESS])
def test_harmless(source: str, expected: str) -> None:
    result, took = timed(source)
    assert not isinstance(result, TemplateError), result.one_line()
    assert result == expected
    assert took < WALL, f"took {took:.2f} s"


def test_corpus_is_large_enough() -> None:
    assert len(REFUSED) + len(HARMLESS) >= 30


# --- the real context cannot be changed ----------------------------------------------------

MUTATIONS = [
    "{{ client.update({'name': 'Mallory'}) }}",
    "{{ client.pop('name') }}",
    "{{ client.setdefault('evil', 1) }}",
    "{{ client.clear() }}",
    "{{ client|attr('update')({'name': 'Mallory'}) }}",
    "{{ deliverables.remaining.append({'title': 'x'}) }}",
    "{{ deliverables.remaining.pop() }}",
    "{{ deliverables.remaining.clear() }}",
    "{{ invoices.open.append(1) }}",
    "{{ referrals.append('Mallory & Co') }}",
    "{{ referrals.pop() }}",
    "{{ referrals.clear() }}",
    "{{ flags.update({'payment': []}) }}",
    "{{ flags.payment.clear() }}",
    "{% set client.name = 'Mallory' %}",
    "{% set referrals = [] %}{{ referrals }}",
    "{% for r in referrals %}{{ referrals.append(r) }}{% endfor %}",
    "{{ sender.__setitem__('name', 'Mallory') }}",
    "{{ client.__delitem__('name') }}",
]


@pytest.fixture(scope="module")
def client_setup(demo_clients: list[Client]) -> tuple[Client, Config, dt.date]:
    client = next(c for c in demo_clients if c.name == "Fenwick & Daughters Bakery")
    config = Config(sender_name="Alex", sender_email="a@b.example", referrals=("Pinewood",))
    return client, config, dt.date(2026, 11, 22)


@pytest.mark.parametrize("source", MUTATIONS)
def test_context_cannot_be_changed(
    source: str, client_setup: tuple[Client, Config, dt.date]
) -> None:
    client, config, today = client_setup
    context = build_context(client, config, today)
    result, took = timed(source, context)
    assert took < WALL
    assert context == build_context(client, config, today)
    if not isinstance(result, TemplateError):
        assert "Mallory" not in result


def test_undefined_field_names_line_and_near_field(
    client_setup: tuple[Client, Config, dt.date],
) -> None:
    client, config, today = client_setup
    context = build_context(client, config, today)
    source = "Dear {{ client.name }},\nHello\n{{ client.nmae }}\nBye\n"
    with pytest.raises(TemplateError) as caught:
        render_source(source, context, "body")
    text = caught.value.one_line()
    assert "body, line 3:" in text
    assert "did you mean client.name" in text
    assert "client has no field 'nmae'" in text


def test_unknown_top_level_name_suggests_near_one(
    client_setup: tuple[Client, Config, dt.date],
) -> None:
    client, config, today = client_setup
    context = build_context(client, config, today)
    with pytest.raises(TemplateError) as caught:
        render_source("a\nb\nc\n{{ clinet.name }}", context, "body")
    text = caught.value.one_line()
    assert "line 4" in text
    assert "there is no field 'clinet'; did you mean client?" in text


def test_output_limit_is_exact() -> None:
    ok = render_source(f"{{{{ 'x' * {MAX_OUTPUT} }}}}", {}).text
    assert len(ok) == MAX_OUTPUT
    with pytest.raises(TemplateError, match="longer than"):
        render_source(f"{{{{ 'x' * {MAX_OUTPUT} }}}}!", {})


# --- holes found and closed: self, aliased lists, amplifying formats -------------------------


def test_self_is_not_available() -> None:
    result, _ = timed("{{ self }}")
    assert isinstance(result, TemplateError)


def test_printing_an_aliased_list_is_bounded_in_time() -> None:
    # The outer list has 1,000 references to ONE list of 50,000 items: each value is small
    # enough for MAX_VALUE, but its text is ~150 million characters.
    result, took = timed("{{ [[0] * 50000] * 1000 }}")
    assert isinstance(result, TemplateError)
    assert took < MAX_SECONDS + 0.25, f"took {took:.2f} s"


def peak_bytes(source: str) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        result, _ = timed(source)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


PEAK_LIMIT = 5_000_000  # bytes: 25 times MAX_VALUE, far above any letter


def test_peak_memory_of_a_big_but_allowed_value() -> None:
    result, peak = peak_bytes("{{ ('x' * 150000)|length }}")
    assert result == "150000"
    assert peak < PEAK_LIMIT


AMPLIFIERS = [
    ("format-repeat-field", "{{ ('{0}' * 1000).format('x' * 10000) }}"),
    ("percent-repeat-key", "{{ ('%(a)s' * 1000) % {'a': 'x' * 10000} }}"),
    ("format-filter-repeat-key", "{{ ('%(a)s' * 1000)|format(a='x' * 10000) }}"),
    ("format-width-999-repeated", "{{ ('{0:999}' * 10000).format('x') }}"),
    ("wordwrap-wrapstring", "{{ ('x ' * 1000)|wordwrap(1, wrapstring='y' * 10000) }}"),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in AMPLIFIERS])
def test_amplifiers_are_refused_before_the_value_is_built(source: str) -> None:
    result, peak = peak_bytes(source)
    assert isinstance(result, TemplateError)
    assert peak < PEAK_LIMIT, f"peak {peak / 1e6:.1f} MB while refusing"
