"""`w`: continue the client's unsent draft, or pick a template and start a new letter.

Run by the App when a screen asks for a letter (OpenLetter): it pushes the template picker
and the editor, which live beside it.
"""

from __future__ import annotations

from typing import Any

from textual.app import App

from ...domain.errors import InvalidInput, OffboardError
from ...domain.models import Client
from ...letters.drafts import Draft
from ...letters.library import TemplateInfo
from ..core import core
from .letter import LetterEditor
from .letter_dialogs import TemplatePicker


def open_letter_editor(app: App[Any], client_id: str, *, resume: bool = True) -> None:
    """Continue the client's draft if there is one (and `resume`), else pick a template."""
    client = core(app).client(client_id)
    services = core(app).services
    library = services.letter_library()
    store = services.drafts()
    draft = None
    try:
        draft = store.load(client_id) if resume else None
    except InvalidInput as exc:
        app.notify(exc.one_line(), title="Draft set aside", severity="warning", timeout=10)
    if draft is not None:
        try:
            req = services.prepare_letter(client, draft.template, draft.locale)
        except OffboardError as exc:
            app.notify(
                f"{exc.one_line()} Pick another template; the old draft is kept until then.",
                severity="warning",
            )
        else:
            app.push_screen(LetterEditor(client_id, req.info, req.locale, draft))
            return
    locale = library.resolve_locale(client.locale or services.config.locale)
    locales = library.locales()
    suggest: dict[str, list[tuple[TemplateInfo, bool]]] = {}
    for loc in locales:
        ranked = library.suggest(client, loc)
        suggest[loc] = [(info, _fits(info, client)) for info in ranked]
    broken: dict[str, list[tuple[str, str]]] = {}
    for entry in library.entries():
        if entry.active and entry.info is None:
            broken.setdefault(entry.locale, []).append((entry.name, entry.error))

    def chosen(answer: tuple[str, str] | None) -> None:
        if answer is None:
            return
        name, loc = answer
        try:
            req = services.prepare_letter(client, name, loc)
        except OffboardError as exc:
            app.notify(exc.one_line(), severity="error")
            return
        fresh = Draft(client_id, name, req.locale, req.info.subject, req.info.body)
        app.push_screen(LetterEditor(client_id, req.info, req.locale, fresh))

    app.push_screen(TemplatePicker(client.name, locale, locales, suggest, broken), chosen)


def _fits(info: TemplateInfo, client: Client) -> bool:
    """Meant for this client now: their stage, and their archetype if the letter names any."""
    arch = client.archetype.value if client.archetype else None
    return client.stage.value in info.stages and (not info.archetypes or arch in info.archetypes)
