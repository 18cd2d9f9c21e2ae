"""Rendering a letter template safely: a template is data, and may come from anywhere.

The sandbox (sandbox.py, with its limits in limits.py) bounds what a template may do while it
runs: its work and time, the size of every value it builds, and what it may print. This module
gets a template there: it checks the shape of the source before Jinja's recursive parser sees
it, rewrites the parsed template so that the operations Jinja compiles to plain Python (loops,
`~`, comparisons, slices, literals, written text) pass through the sandbox too, compiles it
(with a cache, and a fast path for typing in the editor), and turns every way a compile or
render can fail into a TemplateError that names the line, so nothing a template does reaches
the user as a crash.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

from ..domain.errors import InvalidInput
from ..domain.fixes import Fix
from .context import rendered_missing
from .limits import (
    MAX_BLOCK_DEPTH,
    MAX_BRACKET_DEPTH,
    MAX_OUTPUT,
    MAX_SECONDS,
    MAX_SOURCE,
    MAX_STEPS,
    MAX_TAG_OPERATORS,
    MAX_TOKENS,
    MAX_VALUE,
    Budget,
    OutOfTime,
    Refused,
    TooDeep,
    TooMuch,
    Unprintable,
    budget,
    compiling,
)
from .sandbox import environment

__all__ = [
    "MAX_OUTPUT",
    "MAX_SECONDS",
    "MAX_SOURCE",
    "MAX_STEPS",
    "MAX_VALUE",
    "Output",
    "TemplateError",
    "TemplateTimeout",
    "compile_template",
    "environment",
    "render_source",
]


class TemplateError(InvalidInput):
    """A template that cannot be rendered: bad syntax, an unknown field, or a template that
    tries something the sandbox refuses."""


class TemplateTimeout(TemplateError):
    """The render ran out of time (a caller that gave it less than MAX_SECONDS may retry)."""


# --- rewriting the parsed template -----------------------------------------------------------


def _filter(node: nodes.Node, name: str, args: list[nodes.Node] | None = None) -> nodes.Expr:
    # Jinja's node constructors are untyped; every node passed here is an expression.
    wrapped = nodes.Filter(node, name, args or [], [], None, None)
    wrapped.set_lineno(node.lineno)
    return wrapped


class Guard(jinja2.visitor.NodeTransformer):
    """Routes loops, `~`, comparisons, slices, literals and written text through the budget
    (Jinja compiles those to plain Python that no environment hook sees), and refuses `self`."""

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        # Jinja hands every template a reference to itself as `self`; a letter has no use
        # for it and the README promises the listed fields and nothing else.
        if node.name == "self" and node.ctx == "load":
            raise TemplateSyntaxError("there is no field 'self'", node.lineno)
        return node

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _filter(node.iter, "_offboard_counted")
        return node

    def visit_AssignBlock(self, node: nodes.AssignBlock) -> nodes.Node:
        # `{% set x %}{{ x }}{{ x }}{% endset %}` in a loop doubles without any operator.
        self.generic_visit(node)
        if node.filter is None:
            node.filter = nodes.Filter(None, "_offboard_checked", [], [], None, None)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _filter(node.nodes[0], "_offboard_concat", list(node.nodes[1:]))

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        # `a < b < c` stays short-circuit: (a < b) and (b < c).
        self.generic_visit(node)
        left: nodes.Node = node.expr
        out: nodes.Expr | None = None
        for operand in node.ops:
            step = _filter(left, "_offboard_compare", [nodes.Const(operand.op), operand.expr])
            if out is None:
                out = step
            else:
                out = nodes.And(out, step)
                out.set_lineno(node.lineno)
            left = operand.expr
        return out if out is not None else node

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        self.generic_visit(node)
        if isinstance(node.arg, nodes.Slice) and node.ctx == "load":
            s = node.arg
            parts: list[nodes.Node] = [
                p if p is not None else nodes.Const(None) for p in (s.start, s.stop, s.step)
            ]
            return _filter(node.node, "_offboard_slice", parts)
        return node

    def _literal(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        if getattr(node, "ctx", "load") != "load":
            return node
        return _filter(node, "_offboard_checked")

    visit_List = visit_Tuple = visit_Dict = _literal

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        # Literal text would be written as a constant that nothing counts; inside a loop in a
        # {% set %} block or a macro it can add up to gigabytes before the block is weighed.
        self.generic_visit(node)
        node.nodes = [
            nodes.MarkSafeIfAutoescape(_filter(nodes.Const(c.data), "_offboard_data"))
            if isinstance(c, nodes.TemplateData)
            else c
            for c in node.nodes
        ]
        return node


# --- the shape of the source ---------------------------------------------------------------

_OPENERS = frozenset({"for", "if", "macro", "call", "filter", "with", "block", "autoescape", "set"})
_WORD_OPERATORS = frozenset({"and", "or", "not", "in", "is", "if", "else"})
_FLAT = frozenset({",", ":", "=", ")", "]", "}"})  # punctuation that does not nest
_BEGIN = frozenset({"block_begin", "variable_begin", "linestatement_begin"})
_END = frozenset({"block_end", "variable_end", "linestatement_end"})


def check_shape(source: str, name: str) -> None:
    """Refuse nesting that would exhaust the recursive parser or the Python compiler, and more
    tags than compile quickly, with the line; lexing is linear and does not recurse, so this
    is safe on any text."""
    blocks: list[int] = []
    tag = first = None
    brackets = ops = tokens = 0
    assigns = False
    for line, kind, value in environment().lex(source, name):
        if kind in _BEGIN:
            tag, first, brackets, ops, assigns = kind, None, 0, 0, False
        elif kind in _END:
            if tag != "variable_begin" and first is not None:
                if first in _OPENERS and not (first == "set" and assigns):
                    blocks.append(line)
                    if len(blocks) > MAX_BLOCK_DEPTH:
                        raise TooDeep(
                            line,
                            f"too deeply nested: more than {MAX_BLOCK_DEPTH} block tags "
                            "({% for %}, {% if %}, {% macro %}...) inside each other; move "
                            "the inner part into a macro",
                        )
                elif first.startswith("end") and blocks:
                    blocks.pop()
            tag = None
        if kind in _BEGIN or kind in _END or (tag is not None and kind != "whitespace"):
            tokens += 1  # a tag's own marks count: each tag costs compiling, even `{{ x }}`
            if tokens > MAX_TOKENS:
                raise TooDeep(
                    line,
                    f"the template has more than {MAX_TOKENS:,} names, values, operators and "
                    "tag marks in its tags, more than a letter needs; repeat parts with a "
                    "loop or a macro",
                )
        if tag is None or kind in _BEGIN or kind == "whitespace":
            continue
        if kind == "name":
            if first is None and tag != "variable_begin":
                first = value
            elif value in _WORD_OPERATORS:
                ops += 1
        elif kind == "operator":
            if value in "([{":
                brackets += 1
                if brackets > MAX_BRACKET_DEPTH:
                    raise TooDeep(
                        line,
                        f"too deeply nested: more than {MAX_BRACKET_DEPTH} brackets inside "
                        "each other in one tag; split it with {% set %}",
                    )
            elif value in ")]}":
                brackets -= 1
            elif value == "=" and brackets == 0:
                assigns = True
            if value not in _FLAT:
                ops += 1
        if ops > MAX_TAG_OPERATORS:
            raise TooDeep(
                line,
                f"too deeply nested: more than {MAX_TAG_OPERATORS} operators, filters and "
                "lookups in one tag; split it with {% set %}",
            )


# --- compiling -------------------------------------------------------------------------------

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
        if _OPENER.search(text) or text.endswith("{"):
            # An opener with no closer, or a "{" that makes one with the tag that follows
            # ("{" + "{% endif %}" is "{{% endif %}"): let the real parser report it.
            raise _NotPlain
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


def _cached(source: str, name: str) -> jinja2.Template | None:
    with _compiled_lock:
        hit = _compiled.get((name, source))
        if hit is not None:
            _compiled.move_to_end((name, source))
        return hit


def _compile(source: str, name: str, *, shaped: bool = False) -> jinja2.Template:
    """The compiled template; `shaped` when check_shape() has passed the text it came from."""
    hit = _cached(source, name)
    if hit is not None:
        return hit
    env = environment()
    token = compiling.set(True)
    try:
        if not shaped:
            check_shape(source, name)
        tree = Guard().visit(env.parse(source, name, name))
        code = env.compile(tree, name, name)
        template = env.template_class.from_code(env, code, env.make_globals(None))
    except TemplateSyntaxError as exc:
        raise TemplateError(
            f"{name}, line {exc.lineno}: {_short(exc.message)}",
            "fix the template text; Jinja2 tags are {{ field }} and {% if ... %}...{% endif %}",
        ) from None
    except TooDeep as exc:
        raise TemplateError(f"{name}, line {exc.line}: {exc}", _NESTING_HINT) from None
    except (RecursionError, MemoryError, SyntaxError) as exc:
        # The shape check keeps templates well inside these limits; if one is still reached
        # (a deep caller, a bigger Jinja), it is the template's to fix, not a crash.
        line = f", line {exc.lineno}" if isinstance(exc, SyntaxError) and exc.lineno else ""
        raise TemplateError(
            f"{name}: the template is too deeply nested or too large to compile "
            f"({type(exc).__name__}{line})",
            _NESTING_HINT,
        ) from None
    except Exception as exc:
        raise TemplateError(
            f"{name}: the template cannot be compiled ({type(exc).__name__}: {_short(exc)})",
            "fix the template text",
        ) from None
    finally:
        compiling.reset(token)
    with _compiled_lock:
        _compiled[(name, source)] = template
        if len(_compiled) > _CACHE:
            _compiled.popitem(last=False)
    return template


_NESTING_HINT = "nest fewer tags, brackets or filters; {% set %} can hold a part of the work"


def compile_template(source: str, name: str = "letter") -> tuple[jinja2.Template, list[str]]:
    """The compiled template for `source` and the literal texts it reads."""
    if len(source) > MAX_SOURCE:
        raise TemplateError(
            f"{name}: the template is longer than {MAX_SOURCE // 1024} KiB "
            f"({len(source):,} characters)",
            "shorten it; a letter needs a page or two",
        )
    # Jinja reads \r\n and a lone \r as line breaks and writes "\n"; so must the literals.
    source = source.replace("\r\n", "\n").replace("\r", "\n")
    split = _skeleton(source)
    if split is not None:
        hit = _cached(split[0], name)
        if hit is not None:
            return hit, split[1]
        # The skeleton has the tags of the text as written (and one plain tag per gap), so
        # the text's shape stands for it, and a refusal names the text's own lines.
        _check_shape(source, name)
        try:
            return _compile(split[0], name, shaped=True), split[1]
        except TemplateError:
            pass  # report the error against the text as written
    return _compile(source, name), []


def _check_shape(source: str, name: str) -> None:
    try:
        check_shape(source, name)
    except TemplateSyntaxError:
        pass  # the parser reports it, with the same line
    except TooDeep as exc:
        raise TemplateError(f"{name}, line {exc.line}: {exc}", _NESTING_HINT) from None


@dataclass(frozen=True, slots=True)
class Output:
    text: str
    missing: dict[str, Fix]  # label -> what fills it in, in order of appearance


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
    seen: dict[str, Fix] = {}
    missing_token = rendered_missing.set(seen)
    budget_token = budget.set(Budget(min(max_seconds, MAX_SECONDS)))
    parts: list[str] = []
    total = 0
    try:
        for chunk in template.generate(context):
            total += len(chunk)
            if total > MAX_OUTPUT:
                raise TooMuch(f"the letter is longer than {MAX_OUTPUT:,} characters")
            parts.append(chunk)
    except OutOfTime as exc:
        raise TemplateTimeout(f"{name}: {exc}", _SANDBOX_HINT) from None
    except Unprintable as exc:
        raise TemplateError(f"{name}, line {_line(exc, name)}: {exc}") from None
    except Refused as exc:
        raise TemplateError(f"{name}: {exc}", _SANDBOX_HINT) from None
    except UndefinedError as exc:
        raise TemplateError(
            f"{name}, line {_line(exc, name)}: {_short(_undefined_text(exc, context))}",
            "see templates/letters/README.md for the fields a letter can use",
        ) from None
    except SecurityError as exc:
        raise TemplateError(
            f"{name}, line {_line(exc, name)}: not allowed in a letter ({_short(exc)})",
            _SANDBOX_HINT,
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
            f"{name}, line {_line(exc, name)}: {type(exc).__name__}: {_short(exc)}",
            "fix the expression on that line",
        ) from None
    finally:
        budget.reset(budget_token)
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


def _short(message: object, limit: int = 300) -> str:
    """An error's own text, cut short: it may quote a value the template built (a key of
    100,000 characters), and the message is shown on one line."""
    text = str(message)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _undefined_text(exc: UndefinedError, context: dict[str, Any]) -> str:
    text = exc.message or "a field is undefined"
    found = re.fullmatch(r"'(\w+)' is undefined", text)
    if found:
        near = difflib.get_close_matches(found[1], list(context), n=1)
        text = f"there is no field '{found[1]}'"
        if near:
            text += f"; did you mean {near[0]}?"
    return text
