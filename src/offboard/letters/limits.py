"""What a letter template may do, and how much of it: the limits, the budget a render spends,
and how values are weighed before they are built or printed. sandbox.py applies them; see its
docstring for how the pieces fit together.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import time
from collections.abc import Iterable, Iterator, Sized
from decimal import Decimal
from itertools import chain, islice
from typing import Any

import jinja2
from jinja2.runtime import LoopContext, Macro

from .context import Missing
from .library import MAX_TEMPLATE_BYTES

# --- limits --------------------------------------------------------------------------------
# A letter is a page or two of text built from a few dozen fields; every limit below is far
# above what one needs, and low enough that the app stays responsive whatever a template does.

MAX_SECONDS = 0.5
MAX_STEPS = 100_000  # ~0.1-0.3 s of work; the longest shipped letter takes ~150 steps
MAX_VALUE = 200_000  # characters (or items) in any one value a template builds
MAX_OUTPUT = 100_000  # characters in a rendered letter
# Characters written by one render into the letter, macros and {% set %} blocks together; a
# block's text is built before anything can weigh it, so this is what bounds it.
MAX_WRITTEN = 10 * MAX_OUTPUT
MAX_WIDTH = 500  # padding and wrapping widths
MAX_RANGE = 10_000
# Numbers: Python itself refuses to print an integer of more than 4,300 digits (~14,300 bits),
# and dividing two integers costs the product of their sizes.
MAX_INT_BITS = 14_300
MAX_SOURCE = MAX_TEMPLATE_BYTES  # characters of template text: what a template file may hold

# At these sizes one call takes 1-5 ms on one core of a current laptop (measured).
MAX_ITEMS = 5_000  # items for sort, groupby, dictsort, unique, min, max, sum, batch, slice
MAX_SLOW_TEXT = 20_000  # characters for title, striptags, wordcount, indent (word by word)
MAX_WRAP = 10_000  # characters for wordwrap, which copies the rest of a long word per line
MAX_WRAP_LINES = 2_500  # ... and the lines it may make (characters / width)
MAX_FORMAT_FIELDS = 2_000  # replacement fields in one str.format (parsed in Python)

CHARS_PER_STEP = 1_000  # characters one step covers when C code goes through them
SLOW_CHARS_PER_STEP = 10  # ... when Python code goes through them word by word

# Nesting. Jinja parses and compiles recursively: each bracket costs ~14 Python frames, each
# operator, filter or lookup in a chain ~3-5, each nested block tag ~5 (measured), and Python's
# compiler refuses more than 20 statically nested blocks, 100 indentation levels and 200
# nested brackets in the code Jinja generates (a chained filter or operator is a bracket
# there). A template at all the limits below compiles within 250 frames (tested), leaving
# three quarters of Python's 1,000 to the caller; no letter comes near them.
MAX_BLOCK_DEPTH = 10  # block tags inside each other: for, if, macro, call, filter, with...
MAX_BRACKET_DEPTH = 10  # (), [] and {} inside each other in one tag
MAX_TAG_OPERATORS = 50  # operators, filters, calls and lookups in one tag
# Compiling costs 30-80 us a token in the tags, and Python's compiler holds the GIL (so the
# editor stalls) for about a third of that. 2,000 tokens, eight times the longest shipped
# letter's 253, compile in under 0.2 s with stalls under 60 ms.
MAX_TOKENS = 2_000


# --- the budget ----------------------------------------------------------------------------


class Refused(Exception):
    """A render or compile the sandbox stops; render.py turns it into a TemplateError."""


class TooMuch(Refused):
    pass


class OutOfTime(TooMuch):
    pass


class Unprintable(Refused):
    """A value that is not plain data was about to be printed or turned into text."""


class TooDeep(Refused):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _NotNow(Exception):
    """Raised at compile time so that Jinja does not fold a call into a constant: folding
    would run it with no budget at all. Jinja turns it into "not constant"."""


class Budget:
    __slots__ = ("deadline", "seconds", "steps", "written")

    def __init__(self, seconds: float) -> None:
        self.steps = 0
        self.written = 0
        self.seconds = seconds
        self.deadline = time.perf_counter() + seconds


budget: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)
compiling: contextvars.ContextVar[bool] = contextvars.ContextVar("compiling", default=False)


def charge(cost: int = 1) -> None:
    """Pay for `cost` steps of work that is about to be done."""
    b = budget.get()
    if b is None:
        if compiling.get():
            raise _NotNow
        return  # rendered by hand, as the tests and the bench do: no limits
    b.steps += cost
    if b.steps > MAX_STEPS:
        raise TooMuch("the template does too much work (a loop or call limit was reached)")
    if time.perf_counter() > b.deadline:
        raise OutOfTime(f"the template took longer than {b.seconds:g} s to render")


def steps_for(n: int, per_step: int = CHARS_PER_STEP) -> int:
    """Steps for going through `n` characters (or items) at `per_step` a step."""
    return 1 + n // per_step


def check_size(n: int, limit: int = MAX_VALUE) -> None:
    if n > limit:
        raise TooMuch(f"the template builds a value of {n:,} characters (limit {limit:,})")


# --- weighing values -----------------------------------------------------------------------

_NONE = type(None)
_PLAIN_WEIGHT: dict[type, int] = {_NONE: 4, bool: 5, float: 24, dt.date: 10, dt.datetime: 26}
CONTAINERS = (list, tuple, dict, set, frozenset)
SIZED = (str, bytes, *CONTAINERS)


def weigh(value: Any, limit: int = MAX_VALUE, *, printing: bool = False) -> int:
    """Roughly how many characters printing `value` makes, counting a list that appears many
    times once per appearance (`[[0] * 50000] * 1000` weighs 50 million, not 1,000).

    Stops just past `limit`, and walks one level at a time with C doing the per-item work,
    so it never costs more than a few milliseconds. With `printing`, anything but plain data
    (see printable()) raises Unprintable.
    """
    if type(value) is str:
        return len(value)
    total = 0
    level = [value]
    while level:
        kinds = set(map(type, level))
        deeper: list[Any] = []
        for kind, group in _by_kind(level, kinds):
            if issubclass(kind, str):
                total += sum(map(len, group))
            elif issubclass(kind, list | tuple):
                total += sum(map(len, group)) + len(group)
                if total <= limit:
                    deeper.extend(chain.from_iterable(group))
            elif issubclass(kind, dict):
                total += 2 * sum(map(len, group)) + len(group)
                if total <= limit:
                    deeper.extend(chain.from_iterable(map(dict.keys, group)))
                    deeper.extend(chain.from_iterable(map(dict.values, group)))
            elif issubclass(kind, set | frozenset):
                if printing:
                    raise Unprintable(_describe(group[0]))
                total += sum(map(len, group)) + len(group)
                if total <= limit:
                    deeper.extend(chain.from_iterable(group))
            elif kind in _PLAIN_WEIGHT:
                total += _PLAIN_WEIGHT[kind] * len(group)
            elif issubclass(kind, int):
                total += sum(map(int.bit_length, group)) * 3 // 10 + len(group)
            elif issubclass(kind, Decimal):
                total += sum(len(d.as_tuple().digits) + abs(_exponent(d)) + 2 for d in group)
            elif issubclass(kind, dt.date):
                total += 26 * len(group)
            elif kind is Missing:
                total += sum(len(m.label) + 4 for m in group)
            elif issubclass(kind, jinja2.Undefined):
                if printing:
                    str(group[0])  # raises the undefined field's own error, with its name
                total += len(group)
            else:
                if printing:
                    raise Unprintable(_describe(group[0]))
                total += len(group)
            if total > limit:
                return total
        level = deeper
    return total


def _by_kind(level: list[Any], kinds: set[type]) -> Iterator[tuple[type, list[Any]]]:
    if len(kinds) == 1:
        yield next(iter(kinds)), level
    elif len(kinds) == 2:
        for kind in kinds:
            yield kind, [x for x in level if type(x) is kind]
    else:  # one pass, not one per kind: a level may hold 100,000 items of ten kinds
        groups: dict[type, list[Any]] = {kind: [] for kind in kinds}
        for x in level:
            groups[type(x)].append(x)
        yield from groups.items()


def _exponent(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return exp if isinstance(exp, int) else 0


def printable(value: Any, limit: int = MAX_VALUE) -> int:
    """The weight of `value` as text, if it is plain data: text, numbers, booleans, None,
    dates, the context's Missing and Record, and lists, tuples and dicts of those."""
    if type(value) is str:
        return len(value)
    return weigh(value, limit, printing=True)


def _describe(obj: Any) -> str:
    if isinstance(obj, LoopContext):
        return "the loop object cannot be printed; use loop.index, loop.first or loop.last"
    if callable(obj):
        name = getattr(obj, "__name__", None) or getattr(obj, "name", None) or "name"
        if isinstance(obj, Macro):
            kind = "a macro"
        elif isinstance(obj, type):
            kind = "a class"
        elif getattr(obj, "__self__", None) is not None or "." in getattr(obj, "__qualname__", ""):
            kind = "a method"
        else:
            kind = "a function"
        return f"{kind} cannot be printed; did you mean to call it, e.g. {name}()?"
    if isinstance(obj, range | Iterator):
        what = "a range" if isinstance(obj, range) else "a sequence made by a filter"
        return f"{what} cannot be printed as it is; add |list, or |join(', ')"
    return (
        f"a {type(obj).__name__} value cannot be printed; print one of its fields, or turn it "
        "into text with a filter"
    )


def take(items: Iterable[Any], cap: int, what: str) -> list[Any]:
    """The items of a lazy sequence (map, select...), refused past `cap` before any more are
    made; each costs a step as it is made, since making it may run Python per item."""
    taken = list(islice(counted(items), cap + 1))
    if len(taken) > cap:
        raise TooMuch(f"{what} takes at most {cap:,} items in a letter")
    return taken


def sized(items: Any, cap: int, what: str) -> Any:
    """`items` itself if its size is known, else its items in a list; refused past `cap`."""
    if lazy(items):
        return take(items, cap, what)
    if isinstance(items, Sized) and not isinstance(items, jinja2.Undefined) and len(items) > cap:
        raise TooMuch(f"{what} takes at most {cap:,} items in a letter ({len(items):,} given)")
    return items


def text_input(value: Any, cap: int, what: str) -> int:
    """Check what a text filter would turn into text; return its length."""
    n = printable(value, cap)
    if n > cap:
        raise TooMuch(f"{what} takes at most {cap:,} characters in a letter ({n:,} given)")
    return n


def size_of(value: Any) -> int:
    return len(value) if isinstance(value, SIZED) else 0


def check_result(value: Any) -> None:
    if isinstance(value, str):
        check_size(len(value))
    elif isinstance(value, CONTAINERS):
        check_size(weigh(value))


def counted(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        charge()
        yield item


def lazy(value: Any) -> bool:
    """A sequence made item by item on demand (map, select...), whose size is unknown."""
    return isinstance(value, Iterator)
