"""Hostile templates and template files, one corpus per way a template has broken out before.

- work:     filters or operations that do seconds of work inside one budget step; each must
            end in a TemplateError within MAX_SECONDS plus a margin;
- size:     values that were built before they were weighed; each must be refused with the
            memory peak far below the value it asks for;
- nesting:  templates that crashed Jinja's parser or Python's compiler; each must be refused
            with a TemplateError saying "too deeply nested" (or too many tags) and its line;
- printing: functions, methods and other objects that printed their Python repr;
- files:    user template and checks files that are FIFOs, devices or huge, which hung or
            filled the memory; each must be refused (or ignored) at once.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from offboard.cli import main
from offboard.demo import write_demo
from offboard.domain.errors import InvalidInput
from offboard.letters import checks
from offboard.letters.library import Library
from offboard.letters.render import MAX_SECONDS, TemplateError, render_source

LIMIT = MAX_SECONDS + 0.25  # the time limit plus one step and the error's own handling
PEAK_LIMIT = 5_000_000  # bytes: 25 times the largest value a template may build
HANG = 10.0  # seconds after which a case counts as hung


class _Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float = HANG) -> Iterator[None]:
    """A safety net: a case that hangs is interrupted (and fails) instead of blocking."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def fire(signum: int, frame: Any) -> None:
        raise _Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def context() -> dict[str, Any]:
    return {"client": {"name": "Ann"}, "items": [1, 2, 3], "d": {"a": 1}, "s": "abc"}


def outcome(source: str) -> tuple[Any, float]:
    """(the rendered text or the TemplateError, seconds); any other exception fails."""
    start = time.perf_counter()
    with deadline():
        try:
            result: Any = render_source(source, context(), "letter").text
        except TemplateError as exc:
            result = exc
    return result, time.perf_counter() - start


def refused(source: str) -> tuple[TemplateError, float]:
    result, took = outcome(source)
    assert isinstance(result, TemplateError), f"rendered: {str(result)[:200]!r}"
    assert "\n" not in result.one_line()
    return result, took


def loop(n: int, body: str) -> str:
    return f"{{% for i in range({n}) %}}{body}{{% endfor %}}"


def heavy(expr: str, per_turn: int = 10, turns: int = 100) -> str:
    """`expr` again and again, with as little else as possible between its steps."""
    return loop(turns, f"{{% set v = {expr} %}}" * per_turn)


L200 = "{% set l = ('abcdefghij' * 20000)|list %}"  # 200,000 items
L60 = "{% set l = ('abcdefghij' * 6000)|list %}"  # 60,000 items
DEEP = "'0.0.0.0.0.0.0.0'"  # an item's first character, eight lookups deep
# Each input is made once, outside the loop, so that the heavy call is nearly every step: the
# old budget looked at the clock every 64 steps, and 64 such steps took seconds.
WORK = [
    ("wordwrap-long-word", "{% set w = 'x' * 60000 %}" + heavy("w|wordwrap(1, true)")),
    ("wordwrap-width-2", "{% set w = 'x' * 60000 %}" + heavy("w|wordwrap(2, true)")),
    ("groupby", L60 + heavy(f"l|groupby({DEEP})")),
    ("groupby-big", L200 + heavy("l|groupby(0)")),
    ("sort", L60 + heavy(f"l|sort(attribute={DEEP})")),
    ("sort-big", L200 + heavy("l|sort(reverse=true)")),
    ("max", L60 + heavy(f"l|max(attribute={DEEP})")),
    ("min", L60 + heavy(f"l|min(attribute={DEEP})")),
    ("unique", L200 + heavy(f"l|unique(attribute={DEEP})|list")),
    ("title", "{% set t = 'a ' * 100000 %}" + heavy("t|title")),
    ("wordcount-of-a-list", L200 + heavy("l|wordcount", 20)),
    (
        "format-fields",
        "{% set f = '{0}' * 50000 %}" + loop(100, "{{ f.format('x')|length }}" * 10),
    ),
    ("sum-of-lists", heavy("('x' * 20000)|list|batch(1)|sum(start=[])", 1, 10)),
    (
        "sum-attribute",
        "{% set l = range(10000)|list %}" + heavy("l|sum(attribute='real.real.real.real')"),
    ),
    ("map-join", L200 + heavy(f"l|map(attribute={DEEP})|join")),
    ("selectattr", L200 + heavy(f"l|selectattr({DEEP})|list")),
    ("in-a-list", L200 + heavy("'z' in l", 30)),
    (
        "compare-aliased-lists",
        "{% set a = ('x' * 50000)|list %}{% set c = ('x' * 50000)|list %}"
        "{{ [" + ",".join(["a"] * 13000) + "] == [" + ",".join(["c"] * 13000) + "] }}",
    ),
    (
        "slices-between-checks",
        "{% set s = 'x' * 200000 %}" + loop(50, "{% if s[::-1] %}{% endif %}" * 600),
    ),
    (
        "big-int-division",
        "{% set x = ((2 ** 64) ** 64) ** 64 %}{% set y = x * x %}"
        + loop(20, "{{ (y // (x + i)) % 7 }}"),
    ),
    (
        "hash-of-aliased-tuple",
        "{% set t = ('x' * 50000)|list %}{% set u = (" + ",".join(["t"] * 28000) + ") %}"
        "{{ u in [(1,)] }}",
    ),
    ("compile-many-tags", "{% if 1 %}x{% endif %}" * 2900),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in WORK])
def test_work_is_bounded_in_time(source: str) -> None:
    _, took = refused(source)
    assert took < LIMIT, f"took {took:.2f} s"


def test_work_corpus_is_large_enough() -> None:
    assert len(WORK) >= 20


def test_no_single_step_overshoots_the_limit() -> None:
    # Steps at the caps (a few ms each) in a long loop: the render ends within one step of
    # its time limit, not at the next periodic look at the clock.
    steps = [
        "{{ ('x' * 9000)|wordwrap(4, true)|length }}",
        "{{ ('a ' * 9000)|title|length }}",
        "{{ ('abcde' * 1000)|list|sort|length }}",
        "{{ ('ab' * 2400)|list|groupby(0)|length }}",
    ]
    for step in steps:
        source = loop(10000, step)
        result, took = outcome(source)
        assert isinstance(result, TemplateError), step
        assert took < MAX_SECONDS + 0.1, f"{step}: took {took:.2f} s"


# --- size: values weighed before they are built ------------------------------------------

FILLED = "(range(100)|batch(400, 'x' * 190000)|list)"  # weighs 5.7 billion characters
ALIASED = "(" + ",".join(["b"] * 1000) + ")"
SIZE = [
    ("batch-fill-join", "{{ range(100)|batch(400, 'x' * 190000)|join|length }}"),
    ("batch-fill-string", "{{ " + FILLED + "|string|length }}"),
    ("batch-fill-upper", "{{ " + FILLED + "|upper|length }}"),
    ("batch-fill-lower", "{{ " + FILLED + "|lower|length }}"),
    ("batch-fill-trim", "{{ " + FILLED + "|trim|length }}"),
    ("batch-fill-capitalize", "{{ " + FILLED + "|capitalize|length }}"),
    ("batch-fill-center", "{{ " + FILLED + "|center(10)|length }}"),
    ("batch-fill-format", "{{ " + FILLED + "|format|length }}"),
    ("batch-fill-replace", "{{ " + FILLED + "|replace('a', 'b')|length }}"),
    ("batch-fill-wordcount", "{{ " + FILLED + "|wordcount }}"),
    ("batch-fill-indent", "{{ " + FILLED + "|indent(2)|length }}"),
    ("batch-fill-wordwrap", "{{ " + FILLED + "|wordwrap(40)|length }}"),
    ("batch-fill-striptags", "{{ " + FILLED + "|striptags|length }}"),
    ("batch-fill-title", "{{ " + FILLED + "|title|length }}"),
    (
        "slice-fill-join",
        "{% set b = 'x' * 190000 %}{{ range(10)|slice(500, ["
        + ", ".join(["b"] * 50)
        + "])|join|length }}",
    ),
    ("str-join-of-strings", "{{ ''.join(" + FILLED + "|map('string'))|length }}"),
    (
        "set-block-in-loop",
        "{% set s %}" + loop(1000, "{{ 'x' * 190000 }}") + "{% endset %}{{ s|length }}",
    ),
    (
        "macro-body-in-loop",
        "{% macro m() %}" + loop(1000, "{{ 'x' * 190000 }}") + "{% endmacro %}{{ m()|length }}",
    ),
    (
        "filter-block-in-loop",
        "{% filter length %}" + loop(1000, "{{ 'x' * 190000 }}") + "{% endfilter %}",
    ),
    (
        "call-block-in-loop",
        "{% macro m() %}{{ caller()|length }}{% endmacro %}{% call m() %}"
        + loop(1000, "{{ 'x' * 190000 }}")
        + "{% endcall %}",
    ),
    (
        "literal-text-in-set-block",
        "{% raw %}{% endraw %}{% set s %}" + loop(5000, "y" * 60000) + "{% endset %}{{ s|length }}",
    ),
    (
        "fromkeys-aliasing",
        "{{ {}.fromkeys(range(10000)|list, 'x' * 190000)|string|length }}",
    ),
    (
        "literal-aliasing",
        "{% set b = 'x' * 190000 %}{{ [" + ",".join(["b"] * 1000) + "]|string|length }}",
    ),
    (
        "macro-varargs-aliasing",
        "{% set b = 'x' * 190000 %}{% macro m() %}{{ varargs|string|length }}{% endmacro %}"
        "{{ m" + ALIASED + " }}",
    ),
]


def peak(source: str) -> tuple[Any, int]:
    tracemalloc.start()
    try:
        result, _ = outcome(source)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in SIZE])
def test_size_is_checked_before_the_value_is_built(source: str) -> None:
    result, most = peak(source)
    assert isinstance(result, TemplateError), f"rendered: {str(result)[:200]!r}"
    assert most < PEAK_LIMIT, f"peak {most / 1e6:.1f} MB while refusing"


def test_size_corpus_is_large_enough() -> None:
    assert len(SIZE) >= 20


# --- nesting: refused with the line, never a crash of the parser or compiler --------------

NESTING = [
    ("parentheses", "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"),
    ("brackets", "{{ " + "[" * 3000 + "1" + "]" * 3000 + " }}"),
    ("braces", "{{ " + "{'a': " * 3000 + "1" + "}" * 3000 + " }}"),
    ("parentheses-in-if", "{% if " + "(" * 3000 + "1" + ")" * 3000 + " %}x{% endif %}"),
    ("filter-chain", "{{ s" + "|upper" * 3000 + " }}"),
    ("filter-chain-in-for", "{% for x in items" + "|list" * 3000 + " %}{% endfor %}"),
    ("attribute-chain", "{{ client" + ".name" * 3000 + " }}"),
    ("subscript-chain", "{{ items" + "[0]" * 3000 + " }}"),
    ("call-chain", "{{ s.upper" + "()" * 3000 + " }}"),
    ("plus-chain", "{{ 1" + " + 1" * 3000 + " }}"),
    ("minus-chain", "{{ 1" + " - 1" * 3000 + " }}"),
    ("and-chain", "{{ 1" + " and 1" * 3000 + " }}"),
    ("or-chain", "{{ 0" + " or 0" * 3000 + " }}"),
    ("not-chain", "{{ " + "not " * 3000 + "1 }}"),
    ("unary-minus-chain", "{{ " + "- " * 3000 + "1 }}"),
    ("if-else-chain", "{{ 1" + " if 1 else 1" * 3000 + " }}"),
    ("set-of-chain", "{% set x = 1" + " + 1" * 3000 + " %}{{ x }}"),
    ("nested-if", "{% if 1 %}" * 120 + "x" + "{% endif %}" * 120),
    ("nested-for", "".join(f"{{% for i{n} in items %}}" for n in range(25)) + "{% endfor %}" * 25),
    ("nested-macro", "".join(f"{{% macro m{n}() %}}" for n in range(120)) + "{% endmacro %}" * 120),
    ("nested-with", "{% with a = 1 %}" * 300 + "x" + "{% endwith %}" * 300),
    ("nested-filter", "{% filter upper %}" * 300 + "x" + "{% endfilter %}" * 300),
    ("nested-set-block", "{% set a %}" * 300 + "x" + "{% endset %}" * 300),
    (
        "nested-call",
        "{% macro m() %}{{ caller() }}{% endmacro %}"
        + "{% call m() %}" * 120
        + "x"
        + "{% endcall %}" * 120,
    ),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in NESTING])
def test_nesting_is_refused_with_its_line(source: str) -> None:
    text = "Dear Ann,\n\n" + source + "\n"
    error, took = refused(text)
    message = error.one_line()
    assert "too deeply nested" in message or "more than" in message, message
    assert "letter, line 3:" in message, message
    assert took < LIMIT


def test_nesting_corpus_is_large_enough() -> None:
    assert len(NESTING) >= 20


@pytest.mark.parametrize(
    "source",
    [
        # at the limits: what a generous letter could still write
        "{% if 1 %}" * 10 + "x" + "{% endif %}" * 10,
        "{{ " + "(" * 10 + "1" + ")" * 10 + " }}",
        "{{ s" + "|upper" * 40 + " }}",
        "{{ 'a' ~ " + " ~ ".join(["s"] * 45) + " }}",
    ],
)
def test_nesting_at_the_limits_renders(source: str) -> None:
    result, _ = outcome(source)
    assert not isinstance(result, TemplateError), result.one_line()


def test_template_source_length_is_capped() -> None:
    error, took = refused("x" * 70_000)
    assert "longer than 64 KiB" in error.one_line()
    assert took < LIMIT


# --- printing: only plain data, never a repr -------------------------------------------------

PRINTING = [
    ("str-format", "{{ ''.format }}"),
    ("str-method", "{{ 'x'.upper }}"),
    ("field-method", "{{ s.title }}"),
    ("dict-method", "{{ d.items }}"),
    ("global-function", "{{ range }}"),
    ("macro", "{% macro m() %}x{% endmacro %}{{ m }}"),
    ("loop-object", "{% for i in items %}{{ loop }}{% endfor %}"),
    ("range-object", "{{ range(3) }}"),
    ("map-generator", "{{ items|map('string') }}"),
    ("select-generator", "{{ items|select }}"),
    ("batch-generator", "{{ items|batch(2) }}"),
    ("reverse-iterator", "{{ items|reverse }}"),
    ("dict-view", "{{ d.keys() }}"),
    ("bytes", "{{ s.encode() }}"),
    ("method-in-list", "{{ [s.upper] }}"),
    ("method-in-dict", "{{ {'a': s.upper} }}"),
    ("tilde", "{{ s.upper ~ '!' }}"),
    ("string-filter", "{{ s.upper|string }}"),
    ("join-filter", "{{ [s.upper, s.lower]|join(', ') }}"),
    ("percent", "{{ '%s' % s.upper }}"),
    ("percent-tuple", "{{ '%s %s' % (s, s.upper) }}"),
    ("format-argument", "{{ '{}'.format(s.upper) }}"),
    ("format-field-attribute", "{{ '{0.upper}'.format(s) }}"),
    ("format-field-repr", "{{ '{0.upper!r}'.format(s) }}"),
    ("format-filter-argument", "{{ '%s'|format(s.upper) }}"),
    ("format-filter-value", "{{ s.upper|format }}"),
    ("upper-filter", "{{ s.upper|upper }}"),
    ("replace-filter", "{{ s.upper|replace('a', 'b') }}"),
    ("center-filter", "{{ s.upper|center(80) }}"),
    ("title-filter", "{{ s.upper|title }}"),
]


@pytest.mark.parametrize("source", [pytest.param(s, id=i) for i, s in PRINTING])
def test_objects_never_print(source: str) -> None:
    error, _ = refused("one\n" + source)
    message = error.one_line()
    assert "cannot be printed" in message, message
    assert "letter, line 2:" in message, message
    assert "0x" not in message and "<" not in message


def test_printing_corpus_is_large_enough() -> None:
    assert len(PRINTING) >= 20


@pytest.mark.parametrize(
    "source",
    ["{{ d['x' * 150000] }}", "{{ d['x' * 150000].y }}", "{{ ('x' * 150000) ** 2 }}"],
)
def test_error_messages_quoting_a_huge_value_stay_short(source: str) -> None:
    error, _ = refused(source)
    assert len(error.one_line()) < 600


def test_a_method_error_says_what_was_meant() -> None:
    error, _ = refused("{{ client.name.upper }}")
    assert "did you mean to call it, e.g. upper()?" in error.one_line()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ [1, 'a', none, true, 1.5] }}", "[1, 'a', None, True, 1.5]"),
        ("{{ {'a': [1]} }}", "{'a': [1]}"),
        ("{{ s.upper() ~ items|string }}", "ABC[1, 2, 3]"),
        ("{{ '{0}-{1}'.format(s, items[0]) }}", "abc-1"),
        ("{{ '%s/%d' % (s, 2) }}", "abc/2"),
        ("{{ items|map('string')|join('+') }}", "1+2+3"),
    ],
)
def test_plain_data_still_prints(source: str, expected: str) -> None:
    result, _ = outcome(source)
    assert result == expected


# --- files: only regular files under the cap are read --------------------------------------

HEADER = '+++\ntitle = "Mine"\nsubject = "Hello"\n+++\n'


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _urandom(path: Path) -> None:
    path.symlink_to("/dev/urandom")


def _full(path: Path) -> None:
    path.symlink_to("/dev/full")


def _sparse(path: Path) -> None:
    with path.open("wb") as f:
        f.write(HEADER.encode())
        f.truncate(200 * 1024 * 1024)  # 200 MiB of holes: no disk, but a read would fill RAM


def _link_to_sparse(path: Path) -> None:
    target = path.with_name("elsewhere.bin")
    _sparse(target)
    path.symlink_to(target)


def _link_to_fifo(path: Path) -> None:
    target = path.with_name("pipe")
    os.mkfifo(target)
    path.symlink_to(target)


HOSTILE_FILES = {
    "fifo": _fifo,
    "dev-zero": _zero,
    "dev-urandom": _urandom,
    "dev-full": _full,
    "sparse-200-mib": _sparse,
    "link-to-sparse": _link_to_sparse,
    "link-to-fifo": _link_to_fifo,
}


@pytest.fixture
def user_root(tmp_path: Path) -> Path:
    root = tmp_path / "user"
    (root / "en").mkdir(parents=True)
    return root


def _plant(user_root: Path, kind: str) -> Path:
    path = user_root / "en" / "mine.j2"
    HOSTILE_FILES[kind](path)
    return path


def _quickly(fn, *args: Any) -> tuple[Any, int]:
    """Run fn; fail if it hangs or its memory peak is more than a few MB."""
    tracemalloc.start()
    try:
        with deadline():
            start = time.perf_counter()
            result = fn(*args)
            assert time.perf_counter() - start < 2.0
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_hostile_template_file_is_listed_as_broken(user_root: Path, kind: str) -> None:
    _plant(user_root, kind)
    entries, most = _quickly(Library(user=user_root).entries)
    mine = next(e for e in entries if e.name == "mine")
    assert mine.info is None and mine.error, mine
    assert "\n" not in mine.error
    assert most < PEAK_LIMIT


@pytest.mark.parametrize("kind", list(HOSTILE_FILES))
def test_hostile_template_file_is_refused_by_get(user_root: Path, kind: str) -> None:
    _plant(user_root, kind)

    def get() -> str:
        with pytest.raises(InvalidInput) as caught:
            Library(user=user_root).get("mine", "en")
        return caught.value.one_line()

    message, most = _quickly(get)
    assert "mine.j2" in message and "\n" not in message
    assert most < PEAK_LIMIT


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_hostile_template_file_is_skipped_by_suggest(user_root: Path, kind: str) -> None:
    from offboard.domain.models import Client, Stage

    _plant(user_root, kind)
    found, _ = _quickly(Library(user=user_root).suggest, Client(name="X", stage=Stage.NOTICE), "en")
    assert found and all(t.name != "mine" for t in found)


@pytest.fixture
def user_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "xdg" / "offboard" / "templates" / "letters" / "en"
    folder.mkdir(parents=True)
    checks.phrases.cache_clear()
    yield folder / "checks.toml"
    checks.phrases.cache_clear()


def _write(text: str):
    def plant(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return plant


HOSTILE_CHECKS = {
    "sparse-200-mib": _sparse,
    "link-to-sparse": _link_to_sparse,
    "group-is-a-number": _write("blame = 1\n"),
    "group-is-a-list": _write("blame = ['you failed']\n"),
    "phrase-is-a-number": _write("[blame]\nphrases = [1]\n"),
    "words-are-numbers": _write("[thanks]\nwords = [1, 2]\n"),
}


@pytest.mark.parametrize("kind", list(HOSTILE_CHECKS))
def test_hostile_checks_file_falls_back_to_the_shipped_one(user_checks: Path, kind: str) -> None:
    HOSTILE_CHECKS[kind](user_checks)
    found, most = _quickly(lambda: checks.check_letter("Hi", "You failed to pay.\n", locale="en"))
    assert any(f.id == "blame" for f in found)  # the shipped phrases still work
    assert most < PEAK_LIMIT


def test_files_corpus_is_large_enough() -> None:
    assert 2 * len(HOSTILE_FILES) + 2 + len(HOSTILE_CHECKS) + 3 >= 20


# --- the command line: one line, exit 1 ---------------------------------------------------


@pytest.fixture
def cli_user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "offboard.json"
    write_demo(db, dt.date(2026, 11, 22))
    config = tmp_path / "config.toml"
    config.write_text('[sender]\nname = "Alex"\nemail = "a@b.example"\n', encoding="utf-8")
    monkeypatch.setenv("OFFBOARD_DB", str(db))
    monkeypatch.setenv("OFFBOARD_TODAY", "2026-11-22")
    monkeypatch.setenv("OFFBOARD_CONFIG", str(config))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "xdg" / "offboard" / "templates" / "letters" / "en"
    folder.mkdir(parents=True)
    checks.phrases.cache_clear()
    return folder


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with deadline():
        code = main(list(args))
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    "body",
    [
        "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
        "{% if 1 %}" * 120 + "x" + "{% endif %}" * 120,
        "".join(f"{{% for i{n} in range(1) %}}" for n in range(25)) + "{% endfor %}" * 25,
        "{{ s" + "|upper" * 3000 + " }}",
    ],
    ids=["parentheses", "nested-if", "nested-for", "filter-chain"],
)
def test_cli_letter_refuses_a_nested_template_in_one_line(
    cli_user_dir: Path, capsys: pytest.CaptureFixture[str], body: str
) -> None:
    (cli_user_dir / "mine.j2").write_text(HEADER + "Dear Ann,\n" + body, encoding="utf-8")
    code, err = _cli(capsys, "letter", "Lakeside", "mine", "--locale", "en")
    assert code == 1, err
    assert err.count("\n") == 1 and err.startswith("offboard: "), err
    assert "too deeply nested" in err and "line 2" in err


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "sparse-200-mib"])
def test_cli_refuses_a_hostile_file_in_one_line(
    cli_user_dir: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    HOSTILE_FILES[kind](cli_user_dir / "mine.j2")
    code, err = _cli(capsys, "letter", "Lakeside", "mine", "--locale", "en")
    assert code == 1, err
    assert err.count("\n") == 1 and "mine.j2" in err, err
    code, _ = _cli(capsys, "templates")
    assert code == 0
    out = _cli_out(capsys, "templates", "--json")
    assert re.search(r'"name": "mine".*?"error"', out, re.S)


def _cli_out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with deadline():
        assert main(list(args)) == 0
    return capsys.readouterr().out


def test_a_template_at_every_nesting_limit_compiles_within_250_frames() -> None:
    # limits.py promises that a caller keeps three quarters of Python's recursion limit.
    import inspect
    import sys

    from offboard.letters import render

    opens = "".join(
        tag.format(n=n)
        for n, tag in enumerate(
            [
                "{{% for i{n} in items %}}",
                "{{% if s %}}",
                "{{% macro m{n}() %}}",
                "{{% with a{n} = 1 %}}",
                "{{% filter upper %}}",
                "{{% set b{n} %}}",
                "{{% if s %}}",
                "{{% for j{n} in items %}}",
                "{{% with c{n} = 2 %}}",
                "{{% filter lower %}}",
            ]
        )
    )
    closes = (
        "{% endfilter %}{% endwith %}{% endfor %}{% endif %}{% endset %}{% endfilter %}"
        "{% endwith %}{% endmacro %}{% endif %}{% endfor %}"
    )
    inner = [
        "{{ " + "(" * 10 + "s" + ")" * 10 + "|upper" * 39 + " }}",
        "{{ s" + " + s" * 50 + " }}",
        "{{ " + "not " * 50 + "s }}",
        "{{ s" + ".upper" * 50 + " }}",
        "{{ s" + " if s else s" * 25 + " }}",
    ]
    depth = len(inspect.stack(0))
    old = sys.getrecursionlimit()
    for tag in inner:
        render._compiled.clear()
        sys.setrecursionlimit(depth + 250)
        try:
            render._compile(opens + tag + closes, "limits")
        finally:
            sys.setrecursionlimit(old)
