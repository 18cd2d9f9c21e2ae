"""Errors that reach the user. Each carries a one-line message and, where useful, a hint.

A message says what is wrong; it never names a command or a key, because the CLI and the TUI
say how to fix things differently. What fixes it travels as data (`fix`, a domain.fixes.Fix),
and each front end words it its own way.
"""

from __future__ import annotations

from .fixes import Fix, Requirement


class OffboardError(Exception):
    """Base for every error the CLI and TUI show as a message instead of a traceback."""

    def __init__(self, message: str, hint: str | None = None, *, fix: Fix | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.fix = fix

    def one_line(self) -> str:
        text = self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return " ".join(text.split())


class InvalidInput(OffboardError, ValueError):
    """A value typed by the user (date, amount, period, stage, ...) cannot be used."""


class NotFound(OffboardError, LookupError):
    """No client (or flag, invoice, ...) matches what the user named."""


class Ambiguous(OffboardError, LookupError):
    """What the user named matches more than one client."""

    def __init__(self, message: str, candidates: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.candidates = candidates


class GateBlocked(OffboardError):
    """A hard gate refuses a stage move; `missing` lists what has to be done first."""

    def __init__(self, message: str, missing: list[Requirement]) -> None:
        super().__init__(message)
        self.missing = missing

    def one_line(self) -> str:
        return f"{self.message}: " + "; ".join(self.missing)


class NeedsConfirmation(OffboardError):
    """A soft gate or a backward move wants the user to confirm (and maybe give a reason)."""

    def __init__(
        self, message: str, warnings: list[Requirement], needs_reason: bool = False
    ) -> None:
        super().__init__(message)
        self.warnings = warnings
        self.needs_reason = needs_reason

    def one_line(self) -> str:
        return f"{self.message}: " + "; ".join(self.warnings)


class StaleEdit(OffboardError):
    """The record changed since the caller read it; saving would overwrite someone's change."""


class NothingToUndo(OffboardError):
    """The undo journal has nothing this caller may undo."""
