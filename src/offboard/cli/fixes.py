"""How the CLI words what fixes a message: the command that puts it right.

The services and the domain say what is wrong and carry a `Fix` (domain/fixes.py) on the
error (`exc.fix`), a gate's items (`Requirement.fix`) or a letter's checks (`Finding.fix`);
the TUI names keys for the same Fix (tui/fixes.py). A message the CLI prints never names a
tab or a key.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.fixes import Fix

FIX_COMMANDS: dict[Fix, str] = {
    Fix.FIND_CLIENT: "offboard list",
    Fix.CLIENT_DETAILS: "offboard edit CLIENT --email ADDRESS (or --name, --company, ...)",
    Fix.CONTRACT: "offboard edit CLIENT --notice PERIOD (or --clause, --contract-end, ...)",
    Fix.FLAG: "offboard flag CLIENT CATEGORY TEXT",
    Fix.ASSESSMENT: "offboard assess CLIENT --revenue AMOUNT --hours HOURS",
    Fix.REPAIR: "offboard repair CLIENT STRATEGY --review DATE",
    Fix.DECISION: "offboard decide CLIENT offboard REASON",
    Fix.CONVERSATION: "offboard notice CLIENT --on DATE --channel phone",
    Fix.NOTICE_LETTER: "offboard letter CLIENT confirmation, then offboard mark-sent CLIENT",
    Fix.CHECKLIST: "offboard checklist CLIENT, then offboard check CLIENT STAGE ITEM",
    Fix.DELIVERABLES: "offboard done CLIENT DELIVERABLE",
    Fix.HANDOVER: "offboard handed CLIENT ITEM handed-over",
    Fix.INVOICES: "offboard invoice CLIENT NUMBER AMOUNT",
    Fix.SETTLE: "offboard pay CLIENT INVOICE, or offboard write-off CLIENT INVOICE",
    Fix.REFUND: "offboard refund CLIENT AMOUNT --reason TEXT (or --suggested for AMOUNT)",
    Fix.REFUND_PAID: "offboard refund-paid CLIENT REFUND --on DATE",
    Fix.DELIVERABLE_VALUE: "offboard edit-deliverable CLIENT DELIVERABLE --value AMOUNT",
    Fix.LESSONS: "offboard lessons CLIENT TEXT --category CATEGORY",
    Fix.SENDER: "offboard config set sender.email ADDRESS (and sender.name NAME)",
    Fix.SMTP: "offboard config set smtp.host HOST (and smtp.port, smtp.security)",
    Fix.DRAFT: "write it into the letter (offboard letter CLIENT TEMPLATE --out FILE)",
    Fix.LOCALE: "offboard locales LANGUAGE",
}


def fix_command(fix: Fix | None) -> str | None:
    """The command for one Fix, or None when there is nothing to point at."""
    return None if fix is None else FIX_COMMANDS[fix]


def fix_hint(items: Sequence[object]) -> str:
    """The commands that put right what `items` (Requirements) are about, once each."""
    commands: list[str] = []
    for item in items:
        command = fix_command(getattr(item, "fix", None))
        if command is not None and command not in commands:
            commands.append(command)
    return "; ".join(f"`{c}`" for c in commands)
