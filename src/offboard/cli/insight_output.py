"""What `assess CLIENT` and `report` print: their JSON (part of the JSON contract, documented in
the README's "JSON output" section: keys must stay stable), the text, and the report as
Markdown.

The report's text and Markdown are the same sections (`report_sections`), drawn as aligned
columns for the terminal or as Markdown tables for pasting into notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain.report import Report
from ..domain.trouble import VITAL_SHARE, Pareto
from ..formats import counted, day, money, number
from .fixes import fix_command
from .output import table

if TYPE_CHECKING:
    from ..services import Advice

# A missing figure the domain gives no Fix for (it lives in the settings, not a client).
SETTING_COMMANDS = {
    "target-rate": "offboard config set defaults.target_rate AMOUNT",
}


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- the recommendation ---------------------------------------------------------------------------


def _missing_command(advice: Advice, n: int) -> str | None:
    item = advice.recommendation.missing[n]
    return fix_command(item.fix) if item.fix else SETTING_COMMANDS.get(item.kind)


def advice_json(advice: Advice) -> dict[str, Any]:
    rec, c = advice.recommendation, advice.client
    return {
        "id": c.id,
        "name": c.name,
        "recommendation": rec.decision.value,
        "score": rec.score,
        "thresholds": {"repair": rec.repair_from, "offboard": rec.offboard_from},
        "abuse": rec.abuse,
        "reasons": [
            {"kind": r.kind, "points": r.points, "text": text, "figures": r.sentence.data()}
            for r, text in zip(rec.reasons, advice.reasons, strict=True)
        ],
        "notes": list(advice.notes),
        "missing": [
            {"kind": m.kind, "text": text, "fix": _missing_command(advice, n)}
            for n, (m, text) in enumerate(zip(rec.missing, advice.missing, strict=True))
        ],
        "yours": None
        if advice.yours is None
        else {
            "decision": advice.yours.value,
            "reason": advice.yours_reason,
            "on": advice.yours_on.isoformat() if advice.yours_on else None,
            "source": advice.yours_source,
        },
        "differs": advice.differs,
    }


def advice_lines(advice: Advice) -> list[str]:
    rec = advice.recommendation
    head = f"{advice.client.name}: {rec.decision.value}"
    if rec.abuse:
        head += f" (abuse decides it; score {rec.score:g})"
    else:
        head += (
            f" (score {rec.score:g}; repair from {rec.repair_from:g}, "
            f"offboard from {rec.offboard_from:g})"
        )
    lines = [head]
    lines += [
        f"  {'ABUSE' if r.kind == 'abuse' else format(r.points, '+.1f'):>6}  {text}"
        for r, text in zip(rec.reasons, advice.reasons, strict=True)
    ]
    if not rec.reasons:
        lines.append("  nothing on record weighs against the account")
    lines += [f"  note:   {text}" for text in advice.notes]
    for n, text in enumerate(advice.missing):
        command = _missing_command(advice, n)
        lines.append(f"  needs:  {text}" + (f" (run: {command})" if command else ""))
    if advice.yours is not None:
        where = "your decision" if advice.yours_source == "decision" else "your assessment says"
        when = f" on {advice.yours_on}" if advice.yours_on else ""
        why = f": {advice.yours_reason}" if advice.yours_reason else ""
        lines.append(f"  {where}: {advice.yours.value}{when}{why}")
        if advice.differs:
            lines.append(
                f"  (it differs from the computed {rec.decision.value}; both stay on record)"
            )
    return lines


# --- the report: JSON -------------------------------------------------------------------------


def _pareto_json(p: Pareto, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "total": p.total,
        "vital_few": p.vital_few,
        "out_of": p.out_of,
        "share": _share(p.share),
        "rows": rows,
    }


def report_json(r: Report) -> dict[str, Any]:
    c = r.counts
    troubles = {t.client_id: t for t in r.troubles}
    return {
        "from": r.start.isoformat(),
        "to": r.end.isoformat(),
        "counts": {
            "in_scope": c.in_scope,
            "assessed": c.assessed,
            "repaired": c.repaired,
            "retained": c.retained,
            "offboarded": c.offboarded,
        },
        "left": [
            {
                "id": x.client_id,
                "name": x.name,
                "archetype": x.archetype,
                "reason": x.reason,
                "closed": x.closed.isoformat(),
                "decided": x.decided.isoformat(),
                "first_flag": x.first_flag.isoformat() if x.first_flag else None,
                "lead_days": x.lead_days,
                "flags": {k.value: n for k, n in x.flags.items()},
            }
            for x in r.leavers
        ],
        "archetypes": r.archetypes,
        "flags_before_exit": {k.value: n for k, n in r.flags_before_exit.items()},
        "median_lead_days": r.median_lead_days,
        "repairs": [
            {
                "strategy": s.strategy,
                "tried": s.tried,
                "improved": s.improved,
                "no_change": s.no_change,
                "worse": s.worse,
                "running": s.running,
                "success_rate": _share(s.success_rate),
            }
            for s in r.repairs
        ],
        "stages": [
            {"stage": s.stage.value, "stays": s.stays, "median_days": s.median_days}
            for s in r.stages
        ],
        "money": [
            {
                "currency": m.currency,
                "earned": str(m.earned),
                "written_off": str(m.written_off),
                "refunded": str(m.refunded),
                "owed": str(m.owed),
            }
            for m in r.money
        ],
        "refunds_recorded": r.refunds_recorded,
        "unbilled_hours": str(r.unbilled_hours),
        "unbilled_unknown": r.unbilled_unknown,
        "pareto": {
            "clients": _pareto_json(
                r.clients,
                [
                    {
                        "id": row.key,
                        "name": row.label,
                        "points": row.points,
                        "share": _share(row.share),
                        "cumulative": _share(row.cumulative),
                        "vital": row.vital,
                        "flags": troubles[row.key].flags,
                        "flag_points": troubles[row.key].flag_points,
                        "unpaid": {k: str(v) for k, v in troubles[row.key].unpaid.items()},
                        "unpaid_hours": str(troubles[row.key].unpaid_hours),
                        "unbilled_hours": str(troubles[row.key].unbilled_hours),
                    }
                    for row in r.clients.rows
                ],
            ),
            "categories": _pareto_json(
                r.categories,
                [
                    {
                        "category": row.key,
                        "points": row.points,
                        "share": _share(row.share),
                        "cumulative": _share(row.cumulative),
                        "vital": row.vital,
                    }
                    for row in r.categories.rows
                ],
            ),
        },
    }


# --- the report: text and Markdown --------------------------------------------------------------


@dataclass
class Section:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    right: set[int] = field(default_factory=set)  # columns of figures, aligned right
    lines: list[str] = field(default_factory=list)  # sentences under the table
    empty: str = ""  # said instead of a table without rows


def _percent(value: float | None, locale: str) -> str:
    return "-" if value is None else number(Decimal(str(value * 100)), locale, decimals=0) + " %"


def _points(value: float, locale: str) -> str:
    return number(Decimal(str(value)), locale, decimals=1)


def _hours(value: Decimal, locale: str) -> str:
    return number(value, locale, decimals=1)


def _days(value: float | None, locale: str) -> str:
    if value is None:
        return "-"
    return number(Decimal(str(value)), locale, decimals=0 if value == int(value) else 1)


def report_sections(r: Report, locale: str) -> tuple[str, list[Section]]:
    c = r.counts
    title = f"Exit report, {day(r.start, locale, 'medium')} to {day(r.end, locale, 'medium')}"

    sections = [
        Section(
            "Clients",
            ["", "clients"],
            [
                ["in the period", str(c.in_scope)],
                ["assessed", str(c.assessed)],
                ["repair attempted", str(c.repaired)],
                ["retained", str(c.retained)],
                ["offboarded", str(c.offboarded)],
            ],
            right={1},
        )
    ]

    left = Section(
        "Those who left",
        ["client", "closed", "archetype", "reason", "flags before", "first flag to decision"],
        [
            [
                x.name,
                x.closed.isoformat(),
                x.archetype or "-",
                x.reason or "-",
                str(sum(x.flags.values())),
                "-" if x.lead_days is None else counted(x.lead_days, "day"),
            ]
            for x in r.leavers
        ],
        right={4, 5},
        empty="No client was offboarded in the period.",
    )
    if r.leavers:
        left.lines.append(
            "Archetypes: " + ", ".join(f"{k} {n}" for k, n in r.archetypes.items()) + "."
        )
        if r.flags_before_exit:
            left.lines.append(
                "Red flags logged before they left: "
                + ", ".join(f"{k.value} {n}" for k, n in r.flags_before_exit.items())
                + "."
            )
        if r.median_lead_days is not None:
            left.lines.append(
                "From the first red flag to the decision: "
                f"{_days(r.median_lead_days, locale)} days (median)."
            )
    sections.append(left)

    sections.append(
        Section(
            "Repair attempts by strategy",
            ["strategy", "tried", "improved", "no change", "worse", "running", "success"],
            [
                [
                    s.strategy,
                    str(s.tried),
                    str(s.improved),
                    str(s.no_change),
                    str(s.worse),
                    str(s.running),
                    _percent(s.success_rate, locale),
                ]
                for s in r.repairs
            ],
            right={1, 2, 3, 4, 5, 6},
            empty="No repair attempt started in the period.",
        )
    )
    sections.append(
        Section(
            "Days in each stage",
            ["stage", "stays ended", "median days"],
            [[s.stage.value, str(s.stays), _days(s.median_days, locale)] for s in r.stages],
            right={1, 2},
            empty="No stay in a stage ended in the period.",
        )
    )

    money_section = Section(
        "Money",
        ["currency", "earned", "written off", "refunded", "still owed"],
        [
            [
                m.currency,
                money(m.earned, m.currency, locale),
                money(m.written_off, m.currency, locale),
                money(m.refunded, m.currency, locale),
                money(m.owed, m.currency, locale),
            ]
            for m in r.money
        ],
        right={1, 2, 3, 4},
        empty="No money was paid, written off, refunded or owed in the period.",
    )
    money_section.lines.append(
        "Each currency on its own line, never added together. Earned: payments received in the "
        "period; written off: on invoices of the period; refunded: refunds paid out in the "
        "period; still owed: open at its end."
    )
    unknown = (
        f" (not known for {counted(r.unbilled_unknown, 'client')}: no revenue, hours or agreed "
        "rate)"
        if r.unbilled_unknown
        else ""
    )
    money_section.lines.append(f"Unbilled hours: {_hours(r.unbilled_hours, locale)}{unknown}.")
    sections.append(money_section)

    sections.append(_client_pareto(r, locale))
    sections.append(_category_pareto(r, locale))
    return title, sections


def _vital_line(p: Pareto, noun: str, plural: str, of: str, locale: str) -> str:
    if p.share is None:
        return f"No trouble on record in the period for these {plural}."
    return (
        f"{p.vital_few} of the {counted(p.out_of, noun, plural)} "
        f"({_percent(p.share, locale)}) {'makes' if p.vital_few == 1 else 'make'} "
        f"{_percent(VITAL_SHARE, locale)} of {of} "
        "(marked *)."
    )


def _client_pareto(r: Report, locale: str) -> Section:
    troubles = {t.client_id: t for t in r.troubles}
    section = Section(
        "Who caused the trouble",
        [
            "#",
            "client",
            "trouble",
            "share",
            "cumulative",
            "flags",
            "unpaid hours",
            "unbilled hours",
        ],
        [
            [
                f"{n}{' *' if row.vital else ''}",
                row.label,
                _points(row.points, locale),
                _percent(row.share, locale),
                _percent(row.cumulative, locale),
                str(troubles[row.key].flags),
                _hours(troubles[row.key].unpaid_hours, locale),
                _hours(troubles[row.key].unbilled_hours, locale),
            ]
            for n, row in enumerate(r.clients.rows, 1)
        ],
        right={0, 2, 3, 4, 5, 6, 7},
        empty="",
    )
    section.lines.append(_vital_line(r.clients, "client", "clients", "the trouble", locale))
    section.lines.append(
        "Trouble: red flags of the period weighted by severity and category, money left unpaid "
        "as the hours of work it stands for, and unbilled hours (weights: recommendation.toml)."
    )
    return section


def _category_pareto(r: Report, locale: str) -> Section:
    section = Section(
        "Trouble by red-flag category",
        ["category", "points", "share", "cumulative"],
        [
            [
                f"{row.label}{' *' if row.vital else ''}",
                _points(row.points, locale),
                _percent(row.share, locale),
                _percent(row.cumulative, locale),
            ]
            for row in r.categories.rows
        ],
        right={1, 2, 3},
    )
    section.lines.append(
        _vital_line(r.categories, "category", "categories", "the flag points", locale)
    )
    return section


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(r: Report, locale: str) -> str:
    title, sections = report_sections(r, locale)
    out = [f"# {title}", ""]
    for s in sections:
        out += [f"## {s.title}", ""]
        if s.rows:
            out.append("| " + " | ".join(_md_cell(h) for h in s.headers) + " |")
            out.append(
                "|"
                + "|".join("---:" if i in s.right else "---" for i in range(len(s.headers)))
                + "|"
            )
            out += ["| " + " | ".join(_md_cell(x) for x in row) + " |" for row in s.rows]
            out.append("")
        elif s.empty:
            out += [s.empty, ""]
        if s.lines:
            out += [*s.lines, ""]
    return "\n".join(out).rstrip() + "\n"


def report_text(r: Report, locale: str) -> str:
    title, sections = report_sections(r, locale)
    out = [title, "=" * len(title)]
    for s in sections:
        out += ["", s.title, "-" * len(s.title)]
        if s.rows:
            out.append(table(s.rows, s.headers))
        elif s.empty:
            out.append(s.empty)
        if s.lines:
            out += ["", *s.lines]
    return "\n".join(out) + "\n"
