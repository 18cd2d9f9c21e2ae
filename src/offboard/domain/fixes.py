"""Where the user puts right what a message is about, as data.

The domain and the services say *what* is missing or wrong; each front end says *how* to fix
it in its own language: the CLI as a command to run, the TUI as a key to press. So a message
never names a command or a key itself; it carries a `Fix`, and the front end looks up its own
wording (cli/fixes.py and tui/fixes.py hold the two tables, and tests check every Fix has an
entry in both).
"""

from __future__ import annotations

from enum import StrEnum


class Fix(StrEnum):
    FIND_CLIENT = "find-client"  # how to see which clients there are
    CLIENT_DETAILS = "client-details"  # name, email, company, language, currency
    CONTRACT = "contract"  # notice period, clause, contract end, terms, rate
    FLAG = "flag"
    ASSESSMENT = "assessment"
    REPAIR = "repair"
    DECISION = "decision"
    CONVERSATION = "conversation"
    NOTICE_LETTER = "notice-letter"
    CHECKLIST = "checklist"
    DELIVERABLES = "deliverables"
    HANDOVER = "handover"
    INVOICES = "invoices"
    SETTLE = "settle"  # pay or write off what is open
    REFUND = "refund"  # record the refund agreed with the client
    REFUND_PAID = "refund-paid"  # mark a refund paid out
    DELIVERABLE_VALUE = "deliverable-value"  # what each deliverable is worth
    LESSONS = "lessons"
    SENDER = "sender"  # the config's [sender] name, email, signature
    SMTP = "smtp"  # the config's [smtp] settings
    DRAFT = "draft"  # type it into the letter's draft
    LOCALE = "locale"  # see which languages offboard knows


class Requirement(str):
    """The text of a gate item or a warning, with the Fix that deals with it.

    A str, so it joins, compares and prints as the text it is; `fix` is extra data for the
    front ends (None when there is nothing to point at), and so is `items`: when the text
    counts things ("3 preparation checklist items still open"), the things themselves, for a
    front end with room to list them.
    """

    fix: Fix | None
    items: tuple[str, ...]

    def __new__(cls, text: str, fix: Fix | None = None, items: tuple[str, ...] = ()) -> Requirement:
        item = super().__new__(cls, text)
        item.fix = fix
        item.items = tuple(items)
        return item

    def __reduce__(self) -> tuple[object, ...]:
        return (Requirement, (str(self), self.fix, self.items))
