"""Rendering a letter template safely: a template is data, and may come from anywhere.

Jinja2's ImmutableSandboxedEnvironment stops access to Python internals and changes to the
data. On top of it this module bounds the work a template may do, so a hostile or careless
template cannot hang the app or eat its memory:

- every loop iteration, call, filter and intercepted operator costs a step; a render stops
  after MAX_STEPS steps or MAX_SECONDS of wall time, whichever comes first;
- operators and methods that can build large values (`*`, `**`, `+`, `~`, padding, joining,
  replacing) are checked against MAX_VALUE before the value is built;
- only filters with bounded output are offered, and the output is cut off at MAX_OUTPUT.
"""

from __future__ import annotations

import contextvars
import difflib
import functools
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.filters import FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..domain.errors import InvalidInput
from .context import Record, rendered_missing

MAX_STEPS = 50_000
MAX_SECONDS = 0.5
MAX_VALUE = 200_000  # characters (or items) in any one value a template builds
MAX_OUTPUT = 100_000  # characters in a rendered letter
MAX_WIDTH = 500  # padding and wrapping widths
MAX_RANGE = 10_000


class TemplateError(InvalidInput):
    """A template that cannot be rendered: bad syntax, an unknown field, or a template that
    tries something the sandbox refuses."""


class TemplateTimeout(TemplateError):
    """The render ran out of time; with a short editor budget it is retried off the UI."""


class _Budget:
    __slots__ = ("deadline", "seconds", "steps")

    def __init__(self, seconds: float) -> None:
        self.steps = 0
        self.seconds = seconds
        self.deadline = time.perf_counter() + seconds


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


class _TooMuch(Exception):
    """Raised inside a render that exceeds a limit; turned into a TemplateError."""


class _OutOfTime(_TooMuch):
    pass


def _step(cost: int = 1) -> None:
    b = _budget.get()
    if b is None:
        return
    b.steps += cost
    if b.steps > MAX_STEPS:
        raise _TooMuch("the template does too much work (a loop or call limit was reached)")
    if b.steps & 0x3F == 0 and time.perf_counter() > b.deadline:
        raise _OutOfTime(f"the template took longer than {b.seconds:g} s to render")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict | set) else 0


_CONTAINERS = (list, tuple, dict, set, frozenset)


def _weight(value: Any, limit: int = MAX_VALUE) -> int:
    """Roughly how many characters printing `value` makes, counting a list that appears many
    times once per appearance (`[[0] * 50000] * 1000` weighs 50 million, not 1,000). Stops
    counting just past `limit`, so it never costs more than the limit allows."""
    total, stack = 0, [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, _CONTAINERS):
            total += len(item) + 1
            stack.extend(item.items() if isinstance(item, dict) else item)
        else:
            total += 1
    return total


def _check_weight(value: Any, limit: int = MAX_VALUE) -> None:
    if isinstance(value, _CONTAINERS) and _weight(value, limit) > limit:
        raise _TooMuch(f"the template builds a value of more than {limit:,} characters")


def _finalize(value: Any) -> Any:
    # Printing a list prints everything in it: weigh it before str() builds the text.
    _check_weight(value, MAX_OUTPUT)
    return value


def _check_format(template: str, args: Any, kwargs: Any = None) -> None:
    """Refuse a format whose result would be too large, before it is built."""
    if _FORMAT_WIDTH.search(template):
        raise _TooMuch("format widths above 999 are refused in a letter")
    values = list(args) if isinstance(args, tuple | list) else [args]
    if isinstance(args, dict):
        values = list(args.values())
    values += list((kwargs or {}).values())
    biggest = max((_weight(v) if isinstance(v, _CONTAINERS) else len(str(v)) for v in values),
                  default=0)  # fmt: skip
    fields = template.count("{") + template.count("%")
    # any number in the template may be a field width (four digits are refused above)
    pad = max((int(n) for n in re.findall(r"\d{1,3}", template)), default=0)
    _check_size(len(template) + fields * max(biggest, pad))


def _check_size(n: int) -> None:
    if n > MAX_VALUE:
        raise _TooMuch(f"the template builds a value of {n:,} characters (limit {MAX_VALUE:,})")


def _counted(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        _step()
        yield item


def _concat(*parts: Any) -> str:
    _step()
    for part in parts:
        _check_weight(part)
    texts = [str(p) for p in parts]
    _check_size(sum(len(t) for t in texts))
    return "".join(texts)


def _range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise _TooMuch(f"range() is limited to {MAX_RANGE:,} items in a letter")
    return rng


def _int_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Iterator[int]:
    for v in (*args, *kwargs.values()):
        if isinstance(v, int) and not isinstance(v, bool):
            yield v


_WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})
# A width of four digits or more, a `*` width taken from the arguments, or a nested `{}` width.
_FORMAT_WIDTH = re.compile(r"\d{4,}|%[^a-zA-Z%]*\*|\{[^{}]*:[^{}]*\{")


class LetterEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "//", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _step()
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > 64 and abs(left) > 1:
                raise _TooMuch("powers above 64 are refused in a letter")
            if isinstance(left, int) and isinstance(right, int):
                _check_size(left.bit_length() * abs(right) // 3)
        elif operator == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(b, int) and _size(a):
                    _check_size(_weight(a) * max(b, 0))
            if isinstance(left, int) and isinstance(right, int):
                _check_size((left.bit_length() + right.bit_length()) // 3)
        elif operator == "+":
            _check_size(_weight(left) + _weight(right))
        elif operator == "%" and isinstance(left, str):
            _check_format(left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _step()
        # The sandbox hands out str.format wrapped; the wrapper keeps the bound method.
        target = getattr(__obj, "__wrapped__", __obj)
        name = getattr(target, "__name__", "")
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            if name in ("format", "format_map"):
                _check_format(owner, args, kwargs)
            if name in _WIDTH_METHODS and any(v > MAX_WIDTH for v in _int_args(args, kwargs)):
                raise _TooMuch(f"widths above {MAX_WIDTH} are refused in a letter")
            if name == "join" and args:
                items = list(args[0]) if not isinstance(args[0], str) else args[0]
                _check_size(sum(_size(str(i)) for i in items) + len(owner) * len(items))
                args = (items, *args[1:])
            if name == "replace" and len(args) >= 2 and args[0]:
                _check_size(len(owner) + owner.count(str(args[0])) * len(str(args[1])))
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(_size(result))
        return result

    def format_string(self, s: str, args: Any, kwargs: Any, format_func: Any = None) -> str:
        _check_format(s, args, kwargs)
        result = super().format_string(s, args, kwargs, format_func)
        _check_size(len(result))
        return result


def _bounded_filter(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _step()
        if name in _WIDTH_FILTERS:
            if any(v > MAX_WIDTH for v in _int_args(args[1:], kwargs)):
                raise _TooMuch(f"widths and counts above {MAX_WIDTH} are refused in a letter")
            if name == "indent" and args:
                width = [*args[1:2], *kwargs.values()]
                pad = max((len(str(w)) if isinstance(w, str) else 0 for w in width), default=0)
                _check_size(len(str(args[0])) + (str(args[0]).count("\n") + 1) * pad)
        if name == "wordwrap" and args:
            # do_wordwrap(environment, s, width, break_long_words, wrapstring, ...)
            rest = [a for a in args if not isinstance(a, jinja2.Environment)]
            text = str(rest[0]) if rest else ""
            width = rest[1] if len(rest) > 1 else kwargs.get("width", 79)
            joint = kwargs.get("wrapstring") or (rest[3] if len(rest) > 3 else "\n")
            lines = len(text) // max(int(width), 1) + text.count("\n") + 1
            _check_size(len(text) + lines * len(str(joint)))
        if name == "replace" and len(args) >= 3:
            value, old, new = (str(a) for a in args[-3:])
            if old:
                _check_size(len(value) + value.count(old) * len(new))
        if name == "join" and args:
            seq = [a for a in args if not isinstance(a, jinja2.runtime.EvalContext)]
            if seq:
                items = list(seq[0])
                sep = str(seq[1]) if len(seq) > 1 else kwargs.get("d", "")
                _check_size(sum(len(str(i)) for i in items) + len(sep) * len(items))
                args = (*args[: len(args) - len(seq)], items, *seq[1:])
        result = fn(*args, **kwargs)
        _check_size(_size(result))
        return result

    return wrapper


_WIDTH_FILTERS = frozenset({"batch", "center", "indent", "slice", "truncate", "wordwrap"})
# Filters whose output is bounded by their input (with the checks above). Left out: random
# (letters must render the same twice), pprint, xmlattr, tojson, urlize, the HTML escapes.
_SAFE_FILTERS = (
    "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort",
    "first", "float", "format", "groupby", "indent", "int", "items", "join", "last", "length",
    "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round",
    "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "trim",
    "truncate", "unique", "upper", "wordcount", "wordwrap",
)  # fmt: skip


class _LetterUndefined(jinja2.StrictUndefined):
    """StrictUndefined that names the record and suggests the field that was probably meant."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Record) and isinstance(name, str):
            near = difflib.get_close_matches(name, [str(k) for k in obj], n=1)
            hint = f"; did you mean {obj.path}.{near[0]}?" if near else ""
            fields = ", ".join(sorted(str(k) for k in obj))
            return f"{obj.path} has no field '{name}'{hint} (fields: {fields})"
        return super()._undefined_message


def _sized(value: Any) -> Any:
    _check_size(_size(value))
    return value


def _bounded_format(value: str, *args: Any, **kwargs: Any) -> str:
    _check_format(str(value), args, kwargs)
    return FILTERS["format"](value, *args, **kwargs)


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
    filters = {name: _bounded_filter(FILTERS[name], name) for name in _SAFE_FILTERS}
    filters["format"] = _bounded_filter(_bounded_format, "format")
    filters["_offboard_sized"] = _sized
    env.filters = filters
    # No lipsum, cycler, joiner or dict: a letter needs none of them.
    env.globals = {"range": _range, "_offboard_counted": _counted, "_offboard_concat": _concat}
    return env


class _Guard(jinja2.visitor.NodeTransformer):
    """Routes every loop and every `~` through the budget, and refuses `self`."""

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        # Jinja hands every template a reference to itself as `self`; a letter has no use
        # for it and the README promises the listed fields and nothing else.
        if node.name == "self" and node.ctx == "load":
            raise TemplateSyntaxError("there is no field 'self'", node.lineno)
        return node

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(
            nodes.Name("_offboard_counted", "load"), [node.iter], [], None, None
        ).set_lineno(node.lineno)
        return node

    def visit_AssignBlock(self, node: nodes.AssignBlock) -> nodes.Node:
        # `{% set x %}{{ x }}{{ x }}{% endset %}` in a loop doubles without any operator.
        self.generic_visit(node)
        if node.filter is None:
            node.filter = nodes.Filter(None, "_offboard_sized", [], [], None, None)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(
            nodes.Name("_offboard_concat", "load"), list(node.nodes), [], None, None
        ).set_lineno(node.lineno)


_compiled: OrderedDict[tuple[str, str], jinja2.Template] = OrderedDict()
_compiled_lock = threading.Lock()  # the editor renders on a worker thread
_CACHE = 64

# Typing in the editor changes the literal text between tags far more often than the tags.
# Compiling costs ~10 ms a keystroke for a long letter, so the literal text is lifted out into
# a list the compiled "skeleton" reads from: an edit of plain text then reuses the compiled
# skeleton and only renders. Anything unusual (a raw block, a skeleton that does not compile)
# falls back to compiling the text as written.
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_RAW = re.compile(r"\{%-?\s*raw\b")
_OPENER = re.compile(r"\{[{%#]")


class _NotPlain(Exception):
    pass


_TEXT = "_offboard_text"


def _skeleton(source: str) -> tuple[str, list[str]] | None:
    if _RAW.search(source):
        return None
    parts: list[str] = []
    texts: list[str] = []
    pos = 0
    strip_next = False

    def literal(text: str, strip_before_tag: bool) -> None:
        if _OPENER.search(text):
            raise _NotPlain  # an opener with no closer: let the real parser report it
        value = text.lstrip() if strip_next else text
        if strip_before_tag:
            value = value.rstrip()
        # Every gap between tags gets its slot, even an empty one, so that the skeleton
        # depends on the tags alone: typing into a gap that was empty compiles nothing. The
        # newlines keep errors on the same line numbers as the text written.
        parts.append(f"{{{{ {_TEXT}[{len(texts)}]{chr(10) * text.count(chr(10))} }}}}")
        texts.append(value)

    try:
        for m in _TAG.finditer(source):
            tag = m.group(0)
            literal(source[pos : m.start()], tag[2:3] == "-")
            parts.append(tag)
            strip_next = tag[-3:-2] == "-"
            pos = m.end()
        literal(source[pos:], False)
    except _NotPlain:
        return None
    return "".join(parts), texts


def _compile(source: str, name: str) -> jinja2.Template:
    key = (name, source)
    with _compiled_lock:
        hit = _compiled.get(key)
        if hit is not None:
            _compiled.move_to_end(key)
            return hit
    env = environment()
    try:
        tree = env.parse(source, name, name)
        tree = _Guard().visit(tree)
        code = env.compile(tree, name, name)
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"{name}, line {exc.lineno}: {exc.message}",
            "fix the template text; Jinja2 tags are {{ field }} and {% if ... %}...{% endif %}",
        ) from None
    template = env.template_class.from_code(env, code, env.make_globals(None))
    with _compiled_lock:
        _compiled[key] = template
        if len(_compiled) > _CACHE:
            _compiled.popitem(last=False)
    return template


def compile_template(source: str, name: str = "letter") -> tuple[jinja2.Template, list[str]]:
    """The compiled template for `source` and the literal texts it reads."""
    # Jinja reads \r\n and a lone \r as line breaks and writes "\n"; so must the literals.
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    split = _skeleton(source)
    if split is not None:
        try:
            return _compile(split[0], name), split[1]
        except TemplateError:
            pass  # report the error against the text as written
    return _compile(source, name), []


@dataclass(frozen=True, slots=True)
class Output:
    text: str
    missing: dict[str, str]  # label -> where to fill it in, in order of appearance


def render_source(
    source: str,
    context: dict[str, Any],
    name: str = "letter",
    *,
    max_seconds: float = MAX_SECONDS,
) -> Output:
    """Render one template text; every failure is a TemplateError naming the line."""
    template, texts = compile_template(source, name)
    if texts:
        context = {**context, _TEXT: texts}
    seen: dict[str, str] = {}
    missing_token = rendered_missing.set(seen)
    budget_token = _budget.set(_Budget(min(max_seconds, MAX_SECONDS)))
    parts: list[str] = []
    total = 0
    try:
        for chunk in template.generate(context):
            total += len(chunk)
            if total > MAX_OUTPUT:
                raise _TooMuch(f"the letter is longer than {MAX_OUTPUT:,} characters")
            parts.append(chunk)
    except _OutOfTime as exc:
        raise TemplateTimeout(f"{name}: {exc}", _SANDBOX_HINT) from None
    except _TooMuch as exc:
        raise TemplateError(f"{name}: {exc}", _SANDBOX_HINT) from None
    except UndefinedError as exc:
        raise TemplateError(
            f"{name}, line {_line(exc, name)}: {_undefined_text(exc, context)}",
            "see templates/letters/README.md for the fields a letter can use",
        ) from None
    except SecurityError as exc:
        raise TemplateError(
            f"{name}, line {_line(exc, name)}: not allowed in a letter ({exc})", _SANDBOX_HINT
        ) from None
    except RecursionError:
        raise TemplateError(
            f"{name}: the template calls itself too deeply", _SANDBOX_HINT
        ) from None
    except MemoryError:
        raise TemplateError(f"{name}: the template needs too much memory", _SANDBOX_HINT) from None
    except Exception as exc:
        # A template can raise whatever its expressions raise (1/0, int("x"), a bad filter
        # argument); each is the template's fault and must read as such, not as a crash.
        raise TemplateError(
            f"{name}, line {_line(exc, name)}: {type(exc).__name__}: {exc}",
            "fix the expression on that line",
        ) from None
    finally:
        _budget.reset(budget_token)
        rendered_missing.reset(missing_token)
    return Output("".join(parts), seen)


_SANDBOX_HINT = "letters may read the client's fields and format them, nothing more"


def _line(exc: BaseException, name: str) -> str:
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return str(line) if line else "?"


def _undefined_text(exc: UndefinedError, context: dict[str, Any]) -> str:
    text = exc.message or "a field is undefined"
    found = re.fullmatch(r"'(\w+)' is undefined", text)
    if found:
        near = difflib.get_close_matches(found[1], list(context), n=1)
        text = f"there is no field '{found[1]}'"
        if near:
            text += f"; did you mean {near[0]}?"
    return text
