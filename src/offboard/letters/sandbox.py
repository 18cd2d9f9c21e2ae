"""The sandbox a letter template runs in: what it may do, and how much of it.

A template is data and may come from anywhere: a user's folder, a paste into the editor.
Jinja2's ImmutableSandboxedEnvironment keeps it away from Python's internals and from changing
the data. This module bounds everything else, so that no template can hang the app, eat its
memory, crash the compiler or print Python's insides:

- Work. Every loop turn, call, lookup, comparison, filter, operator and printed value is
  charged to a budget, and the clock is read at every charge. Work that grows with its input
  is charged in proportion to that input (about a step per microsecond) *before* it is done,
  and filters that work through their input word by word or item by item in Python take a
  capped input, so one step never takes more than a few milliseconds and a render stops
  within one step of its time limit.
- Size. No value a template can hold weighs more than MAX_VALUE (a list that appears many
  times counts once per appearance): operators, filters, calls, literals and blocks are
  weighed before the value is built where its size can be known, and right after, before
  anything can use it, where only the result tells. Comparing, hashing or searching such a
  value stays within a millisecond or so, so those need no limits of their own.
- Shape. Nesting deep enough to exhaust Jinja's recursive parser or Python's compiler, and
  more tags than compile quickly, are refused before parsing (render.py checks it).

The limits themselves, the budget and the weighing of values are in limits.py; the checks
each filter's and format's arguments get are in bounds.py.
- Printing. Only plain data prints; a function, a method or any other object is an error that
  says what was probably meant, never `<function ... at 0x...>`.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

import jinja2
from jinja2.filters import FILTERS
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.tests import TESTS
from markupsafe import EscapeFormatter, Markup

from .bounds import FILTER_KIND, bounded_filter, bounded_test, check_format, int_args
from .context import Record
from .limits import (
    MAX_FORMAT_FIELDS,
    MAX_INT_BITS,
    MAX_OUTPUT,
    MAX_RANGE,
    MAX_VALUE,
    MAX_WIDTH,
    MAX_WRITTEN,
    SIZED,
    TooMuch,
    budget,
    charge,
    check_result,
    check_size,
    counted,
    lazy,
    printable,
    size_of,
    steps_for,
    take,
    weigh,
)

# --- the environment -----------------------------------------------------------------------

_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
_JINJA_KWARGS = frozenset({"_loop_vars", "_block_vars"})


class _LetterFormatter(SandboxedFormatter):
    """str.format as the sandbox runs it, printing plain data only."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        printable(value)
        return super().format_field(value, format_spec)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        printable(value)  # `{0.upper!r}` would print the method's repr
        return super().convert_field(value, conversion)


class _LetterEscapeFormatter(_LetterFormatter, EscapeFormatter):
    """The same for a Markup text (made inside {% autoescape true %}), escaping the fields."""


class LetterEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "//", "%"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        charge()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        charge()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 64 and abs(left) > 1:
                raise TooMuch("powers above 64 are refused in a letter")
            if ints and left.bit_length() * abs(right) > MAX_INT_BITS:
                raise TooMuch(f"the number would have more than {MAX_INT_BITS:,} bits (limit)")
            charge()
        elif operator == "*":
            size = 0
            for a, b in ((left, right), (right, left)):
                if isinstance(b, int) and isinstance(a, SIZED):
                    size = weigh(a) * max(b, 0)
                    check_size(size)
            if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise TooMuch(f"the number would have more than {MAX_INT_BITS:,} bits (limit)")
            charge(steps_for(size))
        elif operator == "+":
            size = 0
            if not ints:
                size = weigh(left) + weigh(right)
                check_size(size)
            elif max(left.bit_length(), right.bit_length()) >= MAX_INT_BITS:
                raise TooMuch(f"the number would have more than {MAX_INT_BITS:,} bits (limit)")
            charge(steps_for(size))
        elif operator == "%" and isinstance(left, str):
            printable(right)
            check_format(left, right)
            charge(steps_for(len(left)))
        else:
            charge()
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner: str = value.__self__
        is_map = value.__name__ == "format_map"
        formatter: _LetterFormatter
        if isinstance(owner, Markup):
            formatter = _LetterEscapeFormatter(self, escape=owner.escape)
        else:
            formatter = _LetterFormatter(self)

        # The sandbox hands str.format out wrapped; this wrapper bounds and checks it too.
        def bounded_format(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                kwargs = args[0]
                args = ()
            fields = owner.count("{")
            if fields > MAX_FORMAT_FIELDS:
                raise TooMuch(f"format takes at most {MAX_FORMAT_FIELDS:,} fields in a letter")
            check_format(owner, args, kwargs)
            charge(fields + steps_for(len(owner)))
            result = type(owner)(formatter.vformat(owner, args, kwargs))
            check_size(len(result))
            return result

        return functools.update_wrapper(bounded_format, value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(__obj, LoopContext) and args:
            # `loop(items)` in a recursive loop iterates outside the loop tag's own count
            args = (counted(args[0]), *args[1:])
        # Arguments become values the callee keeps (a macro's varargs): weigh them together.
        # Jinja adds the variables set in the current loop or block for its own use.
        size = sum(weigh(a) for a in args) + sum(
            weigh(v) for k, v in kwargs.items() if k not in _JINJA_KWARGS
        )
        if size > MAX_VALUE:
            raise TooMuch(f"the arguments of one call weigh more than {MAX_VALUE:,} characters")
        owner = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if name in _WIDTH_METHODS and any(v > MAX_WIDTH for v in int_args(args, kwargs)):
                raise TooMuch(f"widths above {MAX_WIDTH} are refused in a letter")
            if name == "join" and args:
                items = args[0] if isinstance(args[0], str | list | tuple) else None
                if items is None:
                    items = take(args[0], MAX_VALUE, "join")
                check_size(weigh(items) + len(owner) * len(items))
                args = (items, *args[1:])
            if name == "replace" and len(args) >= 2:
                old, new = args[0], args[1]
                if isinstance(old, str) and isinstance(new, str) and old:
                    check_size(len(owner) + owner.count(old) * len(new))
                elif isinstance(old, str) and isinstance(new, str):
                    check_size(len(owner) + (len(owner) + 1) * len(new))
        charge(steps_for(size + size_of(owner)))
        result = super().call(__context, __obj, *args, **kwargs)
        check_result(result)
        return result


# --- what templates are given --------------------------------------------------------------


def _range(*args: int) -> range:
    charge()
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TooMuch(f"range() is limited to {MAX_RANGE:,} items in a letter")
    return rng


_range.__name__ = _range.__qualname__ = "range"  # as a template names it in an error


def _finalize(value: Any) -> Any:
    """Every printed value passes here before str() makes its text."""
    if type(value) is str:
        n = len(value)
    elif isinstance(value, jinja2.Undefined):
        return value  # printing it raises the undefined field's own error
    else:
        n = printable(value, MAX_OUTPUT)
        check_size(n, MAX_OUTPUT)
    charge(steps_for(n))
    b = budget.get()
    if b is not None:
        b.written += n
        if b.written > MAX_WRITTEN:
            raise TooMuch(
                f"the template writes more than {MAX_WRITTEN:,} characters into its blocks "
                "and macros"
            )
    return value


def _concat(*parts: Any) -> str:
    """`a ~ b ~ c`: weighed as text before any of it is made."""
    size = sum(printable(p) for p in parts)
    check_size(size)
    charge(steps_for(size))
    return "".join(str(p) for p in parts)


def _checked(value: Any) -> Any:
    """A literal list, tuple or dict, or a {% set %} block's text, as it is made."""
    charge(steps_for(size_of(value)))
    check_result(value)
    return value


def _data(text: str) -> str:
    """Literal text between tags, counted where it is written (see _finalize)."""
    charge()
    return text


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gteq": operator.ge,
    "lt": operator.lt,
    "lteq": operator.le,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}


def _compare(left: Any, op: str, right: Any) -> bool:
    if op in ("in", "notin") and lazy(right):
        right = take(right, MAX_VALUE, "in")
    charge(steps_for(size_of(left) + size_of(right)))
    return bool(_COMPARE[op](left, right))


def _slice(value: Any, start: Any, stop: Any, step: Any) -> Any:
    charge(steps_for(size_of(value)))
    return value[start:stop:step]


class _LetterUndefined(jinja2.StrictUndefined):
    """StrictUndefined that names the record and suggests the field that was probably meant."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        import difflib

        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Record) and isinstance(name, str):
            near = difflib.get_close_matches(name, [str(k) for k in obj], n=1)
            hint = f"; did you mean {obj.path}.{near[0]}?" if near else ""
            fields = ", ".join(sorted(str(k) for k in obj))
            return f"{obj.path} has no field '{name}'{hint} (fields: {fields})"
        return super()._undefined_message


@functools.cache
def environment() -> LetterEnvironment:
    env = LetterEnvironment(
        undefined=_LetterUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=False,
        auto_reload=False,
        cache_size=0,
        finalize=_finalize,
    )
    env.filters = {name: bounded_filter(env, FILTERS[name], name) for name in FILTER_KIND}
    env.filters.update(
        {
            "_offboard_checked": _checked,
            "_offboard_counted": counted,
            "_offboard_concat": _concat,
            "_offboard_compare": _compare,
            "_offboard_slice": _slice,
            "_offboard_data": _data,
        }
    )
    tests: dict[str, Callable[..., Any]] = TESTS  # type: ignore[assignment]  # untyped in jinja2
    env.tests = {name: bounded_test(fn) for name, fn in tests.items()}
    # No lipsum, cycler, joiner, namespace or dict: a letter needs none of them.
    env.globals = {"range": _range}
    return env
