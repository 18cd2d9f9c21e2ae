"""Insight: the exit report across clients (and the recommendation `assess CLIENT` shows)."""

from __future__ import annotations

import sys

from .insight_output import advice_json, advice_lines, report_json, report_markdown, report_text
from .output import emit_json
from .registry import Context, arg, command, date_arg, one_of


def show_advice(ctx: Context, ref: str) -> None:
    """The computed recommendation for one client: `assess CLIENT` without figures to save."""
    advice = ctx.services.recommendation(ref)
    if ctx.args.json:
        emit_json(advice_json(advice))
    else:
        print("\n".join(advice_lines(advice)))


# json=False: --json comes with --md here, as options that exclude each other.
@command(
    "report",
    "the exit report: outcomes, money, who caused trouble",
    date_arg("--from", "the first day of the period, default a year before --to"),
    date_arg("--to", "the last day of the period, default today"),
    one_of(
        arg("--json", action="store_true", help="print JSON"),
        arg("--md", action="store_true", help="print Markdown to paste into notes"),
    ),
    json=False,
)
def report(ctx: Context) -> None:
    a = ctx.args
    svc = ctx.services
    found = svc.report(getattr(a, "from"), a.to)
    locale = svc.config.locale
    if a.json:
        emit_json(report_json(found))
    elif a.md:
        sys.stdout.write(report_markdown(found, locale))
    else:
        sys.stdout.write(report_text(found, locale))
