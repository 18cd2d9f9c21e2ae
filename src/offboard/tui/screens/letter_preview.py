"""What the letter editor shows beside the draft: the letter as it goes out, and the checks."""

from __future__ import annotations

import re

from rich.text import Text

from ...domain.models import Client
from ...letters.checks import ERROR, Finding
from ...letters.compose import Composed
from ..fixes import fix_text

# The most of a letter the preview shows: a letter is a page or two (a 250-word one is ~1,500
# characters in ~30 lines), and laying out 20,000 lines would hold the UI for a second.
PREVIEW_CHARS = 20_000
PREVIEW_LINES = 400
_PLACEHOLDER = re.compile(r"\[\[.+?\]\]")


def preview_text(result: Composed, c: Client) -> Text:
    """The letter as it goes out, with the fields the records lack marked in red."""
    if result.error:
        return Text(result.error, style="bold red")
    out = Text()
    out.append("To: ", style="dim")
    out.append(f"{c.company or c.name} <{c.email or '?'}>\n")
    out.append("Subject: ", style="dim")
    out.append(f"{result.subject}\n\n", style="bold")
    start = len(out)
    body = result.body
    cut = preview_cut(body)
    out.append(body[:cut])
    for m in _PLACEHOLDER.finditer(body, 0, cut):
        out.stylize("bold red reverse", start + m.start(), start + m.end())
    if cut < len(body):
        out.append(
            f"\n… the preview stops here; the letter goes on for {len(body) - cut:,} more "
            "characters (the checks below read all of it).",
            style="dim italic",
        )
    return out


def preview_cut(body: str) -> int:
    """Where the preview stops: laying out and painting text costs the UI thread time by the
    line, and a template may write 100,000 characters in 30,000 lines."""
    end = min(len(body), PREVIEW_CHARS)
    at = -1
    for _ in range(PREVIEW_LINES):
        at = body.find("\n", at + 1, end)
        if at < 0:
            return end
    return at


def checks_text(findings: list[Finding]) -> Text:
    out = Text()
    if not findings:
        out.append("✓ No problems found.", style="green")
        return out
    for f in findings:
        mark, style = ("✗", "bold red") if f.severity == ERROR else ("!", "bold yellow")
        out.append(f"{mark} {f.title}: ", style=style)
        how = fix_text(f.fix)
        out.append(f"{f.detail} {how[:1].upper()}{how[1:]}.\n" if how else f"{f.detail}\n")
    out.rstrip()
    return out
