"""Insight: the computed recommendation for one client, and the exit report across clients.

Both only read. The recommendation is computed afresh each time from the client as stored, so
it can never go stale; the user's own decision is a record of its own (DecisionRecord, or the
pick saved with the assessment) and is shown beside it, never replaced by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from .. import formats
from ..domain import validate as v
from ..domain.errors import InvalidInput
from ..domain.figures import Money
from ..domain.models import Client, Decision
from ..domain.recommend import Recommendation, recommend
from ..domain.report import Report, exit_report
from ..domain.weights import Weights
from .core import ServiceCore

# Without --from, a report looks back one year.
DEFAULT_PERIOD_DAYS = 365
# How often a long report tells its caller how far it is (clients).
PROGRESS_EVERY = 250

Progress = Callable[[int, int], None]  # (done, of)


@dataclass(frozen=True)
class Advice:
    """The recommendation for a client, its reasons written out, and the user's own view."""

    client: Client
    recommendation: Recommendation
    reasons: tuple[str, ...]  # the reasons' sentences, figures written in the client's language
    notes: tuple[str, ...]
    missing: tuple[str, ...]
    yours: Decision | None  # the user's decision, else the pick saved with the assessment
    yours_reason: str
    yours_on: dt.date | None
    yours_source: str | None  # "decision", "assessment" or None

    @property
    def differs(self) -> bool:
        """Whether the user decided otherwise than computed: then both are shown."""
        return self.yours is not None and self.yours is not self.recommendation.decision


class InsightServices(ServiceCore):
    """The computed recommendation and the exit report."""

    _weights: Weights | None = None

    @property
    def weights(self) -> Weights:
        """The shipped weights with the user's overrides, read on first use."""
        if self._weights is None:
            from ..weights import load_weights

            self._weights = load_weights()
        return self._weights

    @weights.setter
    def weights(self, value: Weights) -> None:
        self._weights = value

    def target_rate(self) -> Money | None:
        """The hourly rate the user aims for, in the currency the settings give new clients."""
        from ..weights import target_rate

        return target_rate(self.config)

    def recommendation(self, ref: str) -> Advice:
        return self.advise(self.resolve(ref))

    def advise(self, client: Client) -> Advice:
        """The advice for a client already in hand (the TUI's, after a change): no reading."""
        rec = recommend(client, self.clock.today(), self.target_rate(), self.weights)
        loc = client.locale
        yours, reason, on, source = None, "", None, None
        if client.decision is not None:
            d = client.decision
            yours, reason, on, source = d.decision, d.reason, d.on, "decision"
        elif client.assessment.recommendation is not None:
            a = client.assessment
            yours, on, source = a.recommendation, a.on, "assessment"
        return Advice(
            client,
            rec,
            tuple(formats.sentence(r.sentence, loc) for r in rec.reasons),
            tuple(formats.sentence(n, loc) for n in rec.notes),
            tuple(formats.sentence(m.sentence, loc) for m in rec.missing),
            yours,
            reason,
            on,
            source,
        )

    def report_period(
        self, start: dt.date | str | None = None, end: dt.date | str | None = None
    ) -> tuple[dt.date, dt.date]:
        """The period as typed (the forms of every date field); by default the year to today."""
        today = self.clock.today()
        last = today if end is None else v.day(end, "the end of the period", today)
        first = (
            last - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
            if start is None
            else v.day(start, "the start of the period", today)
        )
        if first > last:
            raise InvalidInput(
                f"the period starts ({first}) after it ends ({last})",
                "give --from a date before --to",
            )
        return first, last

    def report(
        self,
        start: dt.date | str | None = None,
        end: dt.date | str | None = None,
        *,
        clients: Collection[Client] | None = None,
        progress: Progress | None = None,
    ) -> Report:
        """The exit report over start..end (see domain/report.py for what counts where), on
        `clients` when given (the TUI's snapshot, read already), else on the stored ones.
        `progress(done, of)` is called as the clients are gone through (from a worker)."""
        first, last = self.report_period(start, end)
        pool = self.repo.clients() if clients is None else clients
        every: Iterable[Client] = pool
        if progress is not None:
            every = _counted(pool, progress)
        return exit_report(every, first, last, self.clock.today(), self.weights)


def _counted(clients: Collection[Client], progress: Progress) -> Iterator[Client]:
    total = len(clients)
    for n, client in enumerate(clients, 1):
        if n % PROGRESS_EVERY == 0 or n == total:
            progress(n, total)
        yield client
