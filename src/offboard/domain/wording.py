"""How a count is written in offboard's own sentences: "1 deadline", "2 deadlines", never
"deadline(s)". Here, in the domain, because gate messages count things too; formats.py hands
the same function to the front ends, so there is one rule for every place a count is shown."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun in the form the count takes: counted(1, "day") -> "1 day",
    counted(3, "day") -> "3 days", counted(2, "reply", "replies") -> "2 replies". Digits are
    grouped as English writes them ("10,000 clients"): the sentence around them is English."""
    return f"{n:,} {plural_of(n, noun, plural)}"


def plural_of(n: int, noun: str, plural: str | None = None) -> str:
    """Just the noun, for a sentence that writes the number apart ("3 of 4 deliverables")."""
    if n == 1:
        return noun
    return plural if plural is not None else noun + "s"
