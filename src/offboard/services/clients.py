"""Adding, editing, deleting and listing clients."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .. import formats, workcalendar
from ..collector import paused_gc
from ..domain import validate as v
from ..domain.clauses import stored_notice
from ..domain.errors import (
    InvalidInput,
)
from ..domain.listing import LISTED_FIELDS, Listed, ListReader, list_order
from ..domain.models import (
    Archetype,
    Client,
    Contract,
    IntakeAnswer,
    Stage,
)
from ..domain.stages import check_move, enforce
from ..domain.validate import choice

if TYPE_CHECKING:
    pass

from .core import Change, ServiceCore, plain


class ClientServices(ServiceCore):
    """Adding, editing, deleting and listing clients."""

    def add_client(
        self,
        name: str,
        *,
        email: str = "",
        company: str = "",
        notice_period: str | None = None,
        archetype: str | None = None,
        stage: str | None = None,
        locale: str | None = None,
        currency: str | None = None,
        country: str | None = None,
        force: bool = False,
        intake: Sequence[IntakeAnswer] = (),
        intake_note: str = "",
        **contract: Any,
    ) -> Client:
        """Add a client; `contract` takes termination_clause, contract_end,
        payment_terms_days and hourly_rate, checked as `edit_client` checks them. `intake`:
        the answers of its screening as a prospect, kept as its intake notes; `intake_note`
        ends the history line (what the screening suggested)."""
        name = v.client_name(name)
        unknown = set(contract) - set(CONTRACT_CHECKS)
        if unknown:
            raise InvalidInput(f"a new client has no {', '.join(sorted(unknown))}")
        terms = {
            key: CONTRACT_CHECKS[key](value)
            for key, value in contract.items()
            if value not in (None, "")
        }
        written_in = formats.writable_locale(locale or self.config.locale)
        if "contract_end" in terms:
            terms["contract_end"] = self._opt_day(terms["contract_end"], "the contract end")
        if "hourly_rate" in terms:
            terms["hourly_rate"] = self._opt_amount(
                terms["hourly_rate"], "the hourly rate", written_in
            )
        period = notice_period if notice_period is not None else self.config.default_notice
        period = stored_notice(period)
        client = Client(
            name=name,
            email=v.email(email),
            company=_company(company),
            locale=written_in,
            currency=v.currency(currency or self.config.currency),
            country=workcalendar.country(country or ""),
            archetype=choice(Archetype, archetype, "archetype") if archetype else None,
            created=self.clock.today(),
            contract=Contract(notice_period=period, **terms),
        )
        target = choice(Stage, stage, "stage") if stage else Stage.ASSESSMENT
        summary = f"added {name}"
        client.intake = list(intake)
        if target is not Stage.ASSESSMENT:
            check = check_move(client, target, self.checklists)
            enforce(client, check.missing, check.warnings, False, None, force, target)
            client.stage = target
            summary += f" in {target.value}"
        if intake:
            summary += f" after screening{': ' + intake_note if intake_note else ''}"
        client.history.append(self._event("create", summary, None, target.value))
        with self.repo.transaction() as tx:
            tx.put(client, None)
            self._journal(
                tx, summary, [{"client_id": client.id, "before": None, "after_rev": client.rev}]
            )
        if self._bulk is not None:
            self._bulk_keep(self._bulk, client)
        return client

    def edit_client(self, ref: str, expected_rev: int | None = None, **fields: Any) -> Client:
        checks: dict[str, Callable[[Any], Any]] = {
            "name": v.client_name,
            "email": v.email,
            "company": _company,
            "locale": formats.writable_locale,
            "currency": v.currency,
            "country": workcalendar.country,
            "archetype": lambda v: choice(Archetype, v, "archetype") if v else None,
        }
        contract_checks = CONTRACT_CHECKS
        unknown = set(fields) - set(checks) - set(contract_checks)
        if unknown:
            raise InvalidInput(f"cannot edit {', '.join(sorted(unknown))}")
        clean = {k: checks[k](v) for k, v in fields.items() if k in checks}
        clean_contract = {
            k: contract_checks[k](v) for k, v in fields.items() if k in contract_checks
        }

        if "contract_end" in clean_contract:
            clean_contract["contract_end"] = self._opt_day(
                clean_contract["contract_end"], "the contract end"
            )

        def change(c: Client) -> Change:
            if "hourly_rate" in clean_contract:
                locale = clean.get("locale", c.locale)
                clean_contract["hourly_rate"] = self._opt_amount(
                    fields["hourly_rate"], "the hourly rate", locale
                )
            old: dict[str, Any] = {}
            new: dict[str, Any] = {}
            for key, value in clean.items():
                old[key], new[key] = plain(getattr(c, key)), plain(value)
                setattr(c, key, value)
            for key, value in clean_contract.items():
                old[key], new[key] = plain(getattr(c.contract, key)), plain(value)
                setattr(c.contract, key, value)
            return "edited " + ", ".join(sorted(new)), old, new

        return self._change(ref, "edit", change, expected_rev)

    def listing(self, stage: str | None = None, include_closed: bool = True) -> list[Listed]:
        """The clients as a list shows them, filtered and ordered as `clients()` does: each
        read from its stored record without decoding the rest of it (domain/listing.py), or
        decoded in full when the record is not in the form offboard writes. Raises
        InvalidInput for an unknown stage."""
        which = choice(Stage, stage, "stage") if stage else None
        view = self.repo.fields_view(LISTED_FIELDS)
        found: list[Listed] = []
        listed = ListReader()
        with paused_gc():  # many small acyclic objects, as when loading
            for key, record in view.docs():
                entry = listed(key, record) or Listed.of(view[key])
                if which is not None:
                    if entry.stage is not which:
                        continue
                elif not include_closed and not entry.active:
                    continue
                found.append(entry)
        found.sort(key=list_order)
        return found

    def delete_client(self, ref: str) -> Client:
        with self.repo.transaction() as tx:
            client = tx.get(self._resolve_in(tx, ref))
            tx.delete(client.id)
            self._journal(
                tx,
                f"deleted {client.name}",
                [{"client_id": client.id, "before": client.to_dict(), "after_rev": None}],
            )
        return client


CONTRACT_CHECKS: dict[str, Callable[[Any], Any]] = {
    # A short form or the clause as the contract words it; stored as the short form.
    "notice_period": stored_notice,
    "termination_clause": lambda x: v.free_text(x, "the termination clause"),
    # Read with the clock by add_client and edit_client (today, +N, ... like every date).
    "contract_end": lambda x: x,
    "payment_terms_days": v.payment_terms,
    # Read in the client's language by add_client and edit_client (see _rate).
    "hourly_rate": lambda x: x,
}


def _company(value: Any) -> str:
    return v.one_line(value, "the company", max_len=v.MAX_NAME)
