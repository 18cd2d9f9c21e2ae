"""Counts read naturally everywhere: one helper writes "1 deadline" and "2 deadlines", and no
text in the source falls back on "deadline(s)"."""

from __future__ import annotations

import ast
from pathlib import Path

from offboard import formats
from offboard.domain.wording import counted, plural_of

SRC = Path(__file__).resolve().parents[2] / "src" / "offboard"


def test_counted_takes_the_form_the_count_needs() -> None:
    assert counted(1, "deadline") == "1 deadline"
    assert counted(2, "deadline") == "2 deadlines"
    assert counted(0, "red flag") == "0 red flags"
    assert counted(3, "reply", "replies") == "3 replies"
    assert plural_of(1, "day") == "day" and plural_of(7, "day") == "days"
    # The front ends reach the same function through formats.
    assert formats.counted is counted


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes: a docstring may quote the form it forbids."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def test_no_text_in_the_source_writes_a_plural_with_s_in_brackets() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and "(s)" in text and id(node) not in skip:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {text!r}")
    for path in sorted(SRC.rglob("*.j2")):
        lines = path.read_text(encoding="utf-8").splitlines()
        found += [f"{path.relative_to(SRC)}: {line}" for line in lines if "(s)" in line]
    assert not found, "\n".join(found)


def test_large_counts_group_their_digits_as_the_sentences_around_them_do() -> None:
    # offboard's own sentences are English: so is the grouping ("10,000 clients").
    assert counted(10000, "client") == "10,000 clients"
    assert counted(1234567, "deadline") == "1,234,567 deadlines"
    assert counted(999, "day") == "999 days"
