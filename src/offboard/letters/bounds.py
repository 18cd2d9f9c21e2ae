"""The checks a template's filters, tests and string formats get before they run: each
built-in filter is charged for the work its input costs and refused arguments that would
build too large a value (see sandbox.py for the whole set of bounds)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sized
from decimal import Decimal
from typing import Any

import jinja2
from jinja2.utils import _PassArg

from .limits import (
    MAX_ITEMS,
    MAX_SLOW_TEXT,
    MAX_VALUE,
    MAX_WIDTH,
    MAX_WRAP,
    MAX_WRAP_LINES,
    SLOW_CHARS_PER_STEP,
    TooMuch,
    charge,
    check_result,
    check_size,
    lazy,
    printable,
    size_of,
    sized,
    steps_for,
    take,
    text_input,
    weigh,
)


def int_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Iterator[int]:
    for v in (*args, *kwargs.values()):
        if isinstance(v, int) and not isinstance(v, bool):
            yield v


# A width of four digits or more, a `*` width taken from the arguments, or a nested `{}` width:
# each would let a short format ask for any size.
_FORMAT_WIDTH = re.compile(r"\d{4,}|%[^a-zA-Z%]*\*|\{[^{}]*:[^{}]*\{")
_NUMBER = re.compile(r"\d{1,3}")


def check_format(template: str, args: Any, kwargs: Any = None) -> None:
    """Refuse a format whose result would be too large, before it is built."""
    if _FORMAT_WIDTH.search(template):
        raise TooMuch("format widths above 999 are refused in a letter")
    if isinstance(args, dict):
        values = list(args.values())
    elif isinstance(args, tuple | list):
        values = list(args)
    else:
        values = [args]
    values += list((kwargs or {}).values())
    biggest = max((weigh(v) for v in values), default=0)
    fields = template.count("{") + template.count("%")
    # any number in the template may be a field width (four digits are refused above)
    pad = max((int(n) for n in _NUMBER.findall(template)), default=0)
    check_size(len(template) + fields * max(biggest, pad))


# --- filters and tests ---------------------------------------------------------------------

# Filters whose output is bounded by their input (with the checks below). Left out: random
# (letters must render the same twice), pprint, xmlattr, tojson, urlize, the HTML escapes.
# Each says how it goes through its input, which sets what it is charged and what it may take:
#   value   looks at its input once
#   text    turns its input into text; C goes through the characters
#   slow    turns its input into text; Python goes through it word by word or line by line
#   items   goes through the items in Python (or sorts them); the input is capped
#   cheap   goes through the items in C
#   lazy    makes a lazy sequence: whatever uses it pays for each item it takes
FILTER_KIND = {
    "abs": "value", "attr": "value", "d": "value", "default": "value", "first": "value",
    "float": "text", "int": "text", "round": "value",
    "capitalize": "text", "center": "text", "format": "text", "lower": "text",
    "replace": "text", "string": "text", "trim": "text", "truncate": "text", "upper": "text",
    "indent": "slow", "striptags": "slow", "title": "slow", "wordcount": "slow",
    "wordwrap": "slow",
    "batch": "items", "dictsort": "items", "groupby": "items", "max": "items", "min": "items",
    "slice": "items", "sort": "items", "sum": "items", "unique": "items",
    "count": "value", "last": "value", "length": "value",
    "join": "cheap", "list": "cheap", "reverse": "cheap",
    "items": "lazy", "map": "lazy", "reject": "lazy", "rejectattr": "lazy", "select": "lazy",
    "selectattr": "lazy",
}  # fmt: skip
_WIDTH_FILTERS = frozenset({"batch", "center", "indent", "slice", "truncate", "wordwrap"})
# The filters' own parameter names after the value, to read arguments given either way.
_PARAMS = {
    "batch": ("linecount", "fill_with"),
    "slice": ("slices", "fill_with"),
    "join": ("d", "attribute"),
    "indent": ("width", "first", "blank"),
    "replace": ("old", "new", "count"),
    "wordwrap": ("width", "break_long_words", "wrapstring", "break_on_hyphens"),
    "sum": ("attribute", "start"),
}


def _arg(name: str, which: str, rest: tuple[Any, ...], kwargs: dict[str, Any], default: Any) -> Any:
    i = _PARAMS[name].index(which)
    return rest[i] if len(rest) > i else kwargs.get(which, default)


Args = tuple[Any, tuple[Any, ...], dict[str, Any]]  # a filter's value, arguments, keywords


def _text_filter(name: str, value: Any, rest: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    if name in ("int", "float") and not isinstance(value, str):
        charge()
        return
    n = text_input(value, MAX_VALUE, name)
    if name == "format":
        printable(rest)
        printable(kwargs)
        check_format(str(value), rest, kwargs)
    if name == "replace" and len(rest) + len(kwargs) >= 2:
        old, new = (_arg(name, k, rest, kwargs, "") for k in ("old", "new"))
        old_n, new_n = printable(old), printable(new)
        hits = str(value).count(str(old)) if old_n else n + 1
        check_size(n + hits * new_n)
    charge(steps_for(n))


def _slow_text_filter(name: str, value: Any, rest: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    n = text_input(value, MAX_WRAP if name == "wordwrap" else MAX_SLOW_TEXT, name)
    if name == "indent":
        pad = _arg(name, "width", rest, kwargs, 4)
        width = len(pad) if isinstance(pad, str) else pad if isinstance(pad, int) else 0
        check_size(n + (str(value).count("\n") + 1) * max(width, 0))
    if name == "wordwrap":
        width = _arg(name, "width", rest, kwargs, 79)
        joint = _arg(name, "wrapstring", rest, kwargs, None) or "\n"
        lines = n // max(int(width), 1) + str(value).count("\n") + 1
        if lines > MAX_WRAP_LINES:
            raise TooMuch(
                f"wordwrap makes at most {MAX_WRAP_LINES:,} lines in a letter; wrap less "
                "text, or use a wider width"
            )
        check_size(n + lines * printable(joint))
    charge(steps_for(n, SLOW_CHARS_PER_STEP))


def _items_filter(name: str, value: Any, rest: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    value = sized(value, MAX_ITEMS, name)
    if name in ("batch", "slice"):
        fill = _arg(name, "fill_with", rest, kwargs, None)
        if fill is not None:
            # every place the fill takes holds it again: weigh them all, not the one value
            places = _arg(name, "linecount" if name == "batch" else "slices", rest, kwargs, 1)
            check_size(weigh(value) + weigh(fill) * max(int(places), 0))
    if name == "sum" and not isinstance(
        _arg(name, "start", rest, kwargs, 0), int | float | Decimal
    ):
        # adding up lists or tuples copies the total so far at every item
        raise TooMuch("sum adds up numbers only in a letter")
    counted = isinstance(value, Sized) and not isinstance(value, jinja2.Undefined)
    charge(1 + (len(value) if counted else 0))
    return value


def _join_filter(
    env: jinja2.Environment, value: Any, rest: tuple[Any, ...], kwargs: dict[str, Any]
) -> Args:
    items = sized(value, MAX_VALUE, "join")
    sep = _arg("join", "d", rest, kwargs, "")
    attribute = _arg("join", "attribute", rest, kwargs, None)
    if attribute is not None:
        getter = jinja2.filters.make_attrgetter(env, attribute)
        items = [getter(item) for item in items]
    size = printable(items) + len(items) * printable(sep)
    check_size(size)
    charge(steps_for(size))
    return items, (sep,), {}


def _filter_checks(
    env: jinja2.Environment, name: str, value: Any, rest: tuple[Any, ...], kwargs: dict[str, Any]
) -> Args:
    """Refuse what filter `name` must not be given and charge for what it will do, before it
    runs; return what it should be called with (a lazy sequence becomes a list here, so that
    its size is known)."""
    kind = FILTER_KIND[name]
    if name in _WIDTH_FILTERS and any(v > MAX_WIDTH for v in int_args(rest, kwargs)):
        raise TooMuch(f"widths and counts above {MAX_WIDTH} are refused in a letter")
    if kind == "text":
        _text_filter(name, value, rest, kwargs)
    elif kind == "slow":
        _slow_text_filter(name, value, rest, kwargs)
    elif kind == "items":
        value = _items_filter(name, value, rest, kwargs)
    elif name == "join":
        return _join_filter(env, value, rest, kwargs)
    elif kind == "cheap":
        value = sized(value, MAX_VALUE, name)
        charge(steps_for(size_of(value)))
    else:
        charge()
    return value, rest, kwargs


def bounded_filter(
    env: jinja2.Environment, fn: Callable[..., Any], name: str
) -> Callable[..., Any]:
    lead = 0 if _PassArg.from_obj(fn) is None else 1  # the environment or context comes first

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if len(args) <= lead:
            return fn(*args, **kwargs)  # let Jinja report the missing argument
        value, rest, kwargs = _filter_checks(env, name, args[lead], args[lead + 1 :], kwargs)
        result = fn(*args[:lead], value, *rest, **kwargs)
        check_result(result)
        return result

    return wrapper


def bounded_test(fn: Callable[..., Any]) -> Callable[..., Any]:
    lead = 0 if _PassArg.from_obj(fn) is None else 1

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        rest = args[lead:]
        if len(rest) == 2 and lazy(rest[1]):
            rest = (rest[0], take(rest[1], MAX_VALUE, "in"))  # `x is in some|map(...)`
        charge(steps_for(sum(map(size_of, rest))))
        return fn(*args[:lead], *rest, **kwargs)

    return wrapper
