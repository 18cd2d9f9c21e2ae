"""The letter editor: the draft on the left, on the right exactly what will go out, and checks.

The draft is the letter's own template text (it may still use fields such as
{{ notice.last_day }}); the preview renders it with the client's data as you type. ctrl+t
switches to the template file itself, with the same preview; ctrl+s there saves it as your own
template. Drafts save themselves a moment after typing stops, and when the editor closes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from ...domain.errors import InvalidInput
from ...letters.checks import ERROR, Finding
from ...letters.compose import Composed, compose, compose_source
from ...letters.drafts import Draft
from ...letters.library import USER, TemplateInfo
from ...letters.render import MAX_SECONDS
from ..actions import bindings, key_text
from ..core import core
from ..dialogs import ConfirmScreen
from ..messages import DataChanged, OpenLetter
from ..widgets.footer import Footer
from ..workers import thread_work
from .letter_outbox import LetterOutbox
from .letter_preview import checks_text, preview_text

QUICK = 0.02  # seconds a key waits for a render that has been cheap, to paint it at once
DEADLINE = MAX_SECONDS + 0.5  # seconds after which the preview says the render takes too long
SAVE_DELAY = 1.0  # seconds of quiet typing before the draft is written to disk


class DraftArea(TextArea):
    """A TextArea that tells the editor about an edit at once, not through a Changed message:
    the preview is then updated by the same key event and painted in the same frame."""

    def edit(self, edit: Any) -> Any:
        result = super().edit(edit)
        screen = self.screen
        if isinstance(screen, LetterEditor):
            screen.text_edited(self.text)
        return result


class LetterEditor(LetterOutbox):
    CSS_PATH = str(Path(__file__).with_name("letter.tcss"))
    ACTION_SCOPE = "letter.editor"
    BINDINGS = bindings(ACTION_SCOPE)

    def __init__(self, client_id: str, info: TemplateInfo, locale: str, draft: Draft) -> None:
        super().__init__()
        self.client_id = client_id
        self.info = info
        self.locale = locale
        self.draft = draft
        self.composed: Composed | None = None
        self.renders = 0  # finished renders, for tests and the bench
        self.shown_at = 0  # perf_counter_ns() of the latest preview update, for the bench
        self._preview_lines = -1
        self._findings: list[Finding] | None = None
        self._renderer: ThreadPoolExecutor | None = None
        self._asked = 0  # renders asked for so far; one at a time, numbered from 1
        self._shown = 0  # the latest of them on screen
        self._cheap = False  # the last render took under QUICK / 2: worth waiting for
        self._stale = False
        self._deadline: Timer | None = None
        self._version = 0  # changes of the client's data or of the template
        self._shown_key: tuple | None = None  # what the preview (self.composed) was made from
        self._save_timer: Timer | None = None
        self._unsaved = False
        self._closing = False
        self._edits = 0  # changes made so far; tells a finished background save if it is current
        self._written_edits = -1
        self._save_lock = threading.Lock()
        self._fields: dict[str, Any] = {}

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="letter-head")
        with Horizontal(id="letter-main"):
            with Vertical(id="letter-left"):
                yield Input(self.draft.subject, id="letter-subject", placeholder="Subject")
                yield DraftArea(
                    self._editor_text(), id="letter-text", soft_wrap=True, show_line_numbers=False
                )
            with Vertical(id="letter-right"):
                with VerticalScroll(id="letter-preview-scroll"):
                    yield Static("", id="letter-preview")
                yield Static("", id="letter-checks")
        yield Footer()

    def on_mount(self) -> None:
        self._fields = self._build_context()
        self._update_head()
        self._apply_mode()
        self.query_one("#letter-text", TextArea).focus()
        self._schedule_render()

    # --- the client's data ------------------------------------------------------------------

    def _build_context(self) -> dict[str, Any]:
        return core(self).services.letter_context(self.client, self.locale)

    def on_data_changed(self, _: DataChanged) -> None:
        if self.client_id not in core(self).clients:
            self.notify("This client no longer exists; the draft is kept.", severity="warning")
            return
        self._fields = self._build_context()
        self._version += 1
        self._update_head()
        self._schedule_render()

    # --- modes ------------------------------------------------------------------------------

    def _editor_text(self) -> str:
        if self.draft.mode == "source":
            return self.draft.source if self.draft.source is not None else self.info.source
        return self.draft.body

    def _apply_mode(self) -> None:
        source = self.draft.mode == "source"
        subject = self.query_one("#letter-subject", Input)
        subject.disabled = source
        self.query_one("#letter-left").border_title = (
            f"Template source ({key_text(self, 'letter.editor.save')} saves it as your template)"
            if source
            else "Draft"
        )
        self.query_one("#letter-right").border_title = "Preview: exactly what goes out"

    def _update_head(self) -> None:
        c = self.client
        to = f"{c.name} <{c.email}>" if c.email else f"{c.name} (no email address)"
        mode = "template source" if self.draft.mode == "source" else "draft"
        origin = "yours" if self.info.origin == USER else "shipped"
        state = (
            "unsaved changes"
            if self._unsaved
            else (f"saved {self.draft.saved[11:16]}" if self.draft.saved else "not saved yet")
        )
        head = Text()
        head.append(f"To {to}", style="bold")
        head.append(f"  ·  {self.info.title} ({self.info.name}, {self.locale}, {origin})")
        head.append(f"  ·  {mode}  ·  {state}", style="dim")
        self.query_one("#letter-head", Static).update(head)

    def action_toggle_source(self) -> None:
        area = self.query_one("#letter-text", TextArea)
        if self.draft.mode == "draft":
            self.draft.body = area.text
            self.draft.mode = "source"
        else:
            self.draft.source = area.text
            self.draft.mode = "draft"
        area.load_text(self._editor_text())
        self._apply_mode()
        self._changed()

    # --- typing, rendering, checks ----------------------------------------------------------

    def text_edited(self, text: str) -> None:
        if self.draft.mode == "source":
            self.draft.source = text
        else:
            self.draft.body = text
        self._changed()

    @on(TextArea.Changed, "#letter-text")
    def _text_replaced(self) -> None:
        # load_text() replaces the whole text without an edit(); catch up with it here.
        text = self.query_one("#letter-text", TextArea).text
        if text != self._editor_text():
            self.text_edited(text)

    @on(Input.Changed, "#letter-subject")
    def _subject_changed(self, event: Input.Changed) -> None:
        if event.value != self.draft.subject:
            self.draft.subject = event.value
            self._changed()

    def _changed(self) -> None:
        self._edits += 1
        if not self._unsaved:
            self._unsaved = True
            self._update_head()
        self._schedule_render()
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self._autosave)

    class Rendered(Message):
        """A render finished on the renderer thread."""

        def __init__(self, number: int, key: tuple, result: Composed, seconds: float) -> None:
            super().__init__()
            self.number = number
            self.key = key
            self.result = result
            self.seconds = seconds

    def _schedule_render(self) -> None:
        # Templates are data and may be hostile, so they always render on a thread of their
        # own with the sandbox's full budget; the UI thread only ever waits QUICK for one.
        # While renders are proven cheap, a key does wait that long, so the preview is
        # painted in the same frame as the keystroke; otherwise it returns at once and the
        # result is shown when it comes (or, past DEADLINE, a note that it takes too long).
        # While a render runs, further keys only mark the preview stale and one more render
        # follows it.
        if self._shown < self._asked:  # a render is under way, or its result on the way
            self._stale = True
            return
        self._stale = False
        self._asked += 1
        key = self._key()
        job = self._pool().submit(self._render_job, self._asked, key, self._fields, self.info)
        if self._cheap:
            try:
                self._finish(*job.result(timeout=QUICK))
                return
            except FutureTimeout:
                self._cheap = False
        if self._deadline is not None:
            self._deadline.stop()
        self._deadline = self.set_timer(DEADLINE, functools.partial(self._too_long, self._asked))

    def _key(self) -> tuple:
        return (self.draft.mode, self.draft.subject, self._editor_text(), self._version)

    def _pool(self) -> ThreadPoolExecutor:
        if self._renderer is None:
            self._renderer = ThreadPoolExecutor(1, thread_name_prefix="offboard-letter-render")
        return self._renderer

    def _render_job(
        self, number: int, key: tuple, fields: dict[str, Any], info: TemplateInfo
    ) -> tuple[int, tuple, Composed, float]:
        """On the renderer thread: render, and post the result to the screen (which ignores
        it if it waited for it and has shown it already)."""
        started = time.perf_counter()
        try:
            result = self._make_letter(key[0], key[1], key[2], fields=fields, info=info)
        except Exception as exc:  # a bug must show in the preview, not kill the thread
            message = f"The letter could not be rendered ({type(exc).__name__}: {exc})."
            result = Composed(
                "", "", [Finding("template", ERROR, "Template error", message)], message
            )
        seconds = time.perf_counter() - started
        with contextlib.suppress(RuntimeError):  # the app has closed its event loop
            self.post_message(self.Rendered(number, key, result, seconds))
        return number, key, result, seconds

    @on(Rendered)
    def _rendered(self, message: Rendered) -> None:
        if message.number > self._shown:
            self._finish(message.number, message.key, message.result, message.seconds)

    def _finish(self, number: int, key: tuple, result: Composed, seconds: float) -> None:
        self._shown = number
        self._cheap = seconds < QUICK / 2
        if self._deadline is not None:
            self._deadline.stop()
            self._deadline = None
        if not self.is_mounted or self._closing:
            return
        self._shown_key = key
        self._show_result(result)
        if self._stale:
            self._schedule_render()  # the text changed while the render ran

    def _too_long(self, number: int) -> None:
        self._deadline = None
        if self._shown >= number or not self.is_mounted or self._closing:
            return
        self._cheap = False
        self._preview_lines = -1
        note = Text(
            f"The template is taking too long to render (more than {DEADLINE:g} s): it may "
            "loop too often or build very large values. Edit it; the preview follows as soon "
            "as the render ends.",
            style="bold red",
        )
        self.query_one("#letter-preview", Static).update(note)

    @property
    def pending(self) -> bool:
        """A render is running or due: the preview does not show the latest text yet."""
        return self._shown < self._asked or self._stale

    def current(self) -> Composed:
        """The letter for what is in the editor now (for send, export, tests): the preview's
        own result when it is up to date, else rendered on this thread."""
        if self.composed is not None and self._shown_key == self._key():
            return self.composed
        return self._make_letter(self.draft.mode, self.draft.subject, self._editor_text())

    def _make_letter(
        self,
        mode: str,
        subject: str,
        text: str,
        seconds: float = MAX_SECONDS,
        *,
        fields: dict[str, Any] | None = None,
        info: TemplateInfo | None = None,
    ) -> Composed:
        fields = self._fields if fields is None else fields
        info = self.info if info is None else info
        if mode == "source":
            return compose_source(text, info, fields, locale=self.locale, max_seconds=seconds)
        return compose(
            info,
            fields,
            locale=self.locale,
            body_source=text,
            subject_source=subject,
            max_seconds=seconds,
        )

    def _show_result(self, result: Composed) -> None:
        self.composed = result
        self.renders += 1
        self.shown_at = time.perf_counter_ns()
        # A layout pass costs as much as the repaint itself; only pay it when a box changes
        # height. Most keystrokes change neither the checks nor the number of preview lines.
        preview = self.query_one("#letter-preview", Static)
        text = preview_text(result, self.client)
        lines = len(text.wrap(self.app.console, max(preview.content_size.width, 1)))
        preview.update(text, layout=lines != self._preview_lines)
        self._preview_lines = lines
        if result.findings != self._findings:
            self._findings = result.findings
            self.query_one("#letter-checks", Static).update(checks_text(result.findings))

    # --- saving -----------------------------------------------------------------------------

    def _autosave(self) -> None:
        # Off the UI thread: a keystroke never waits for the disk. A copy is written, so
        # typing meanwhile cannot change what is being saved.
        self._save_timer = None
        self._write_in_background(dataclasses.replace(self.draft), self._edits)

    @work(thread=True, group="letter-draft")
    def _write_in_background(self, draft: Draft, edits: int) -> None:
        with thread_work(), self._save_lock:
            if edits < self._written_edits:
                return  # a newer copy is already on disk
            try:
                self._store().save(draft, core(self).clock.now())
            except InvalidInput as exc:
                self.app.call_from_thread(
                    self.notify, exc.one_line(), title="Draft not saved", severity="error"
                )
                return
            self._written_edits = edits
        self.app.call_from_thread(self._written, draft.saved, edits)

    def _written(self, saved: str, edits: int) -> None:
        self.draft.saved = saved
        if edits == self._edits and not self._closing:
            self._unsaved = False
            self._update_head()

    def _save_draft(self, *, quiet: bool) -> bool:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        try:
            with self._save_lock:
                self._store().save(self.draft, core(self).clock.now())
                self._written_edits = self._edits
        except InvalidInput as exc:
            self.notify(exc.one_line(), title="Draft not saved", severity="error", timeout=8)
            return False
        self._unsaved = False
        if self.is_mounted and not self._closing:
            self._update_head()
        if not quiet:
            self.notify("Draft saved.")
        return True

    def action_save(self) -> None:
        if self.draft.mode == "source":
            self._save_template()
        else:
            self._save_draft(quiet=False)

    def _save_template(self) -> None:
        # A template that does not render is not saved: it would break every later letter.
        text = self.query_one("#letter-text", TextArea).text
        result = self._rendered_now("save it")
        if result is None:
            return
        if text != self._editor_text():
            result = self._make_letter("source", "", text)
        try:
            if result.error:
                raise InvalidInput(result.error)
            library = core(self).services.letter_library()
            info = library.save_user_template(self.info.name, self.locale, text)
        except InvalidInput as exc:
            self.notify(exc.one_line(), title="Template not saved", severity="error", timeout=8)
            return
        old = self.info
        self.info = info
        self._version += 1
        # Keep what the user wrote in the draft; only an untouched draft follows the template.
        if self.draft.body == old.body:
            self.draft.body = info.body
        if self.draft.subject in (old.subject, ""):
            self.draft.subject = info.subject
        self.draft.source = None
        self._save_draft(quiet=True)
        self._update_head()
        self._schedule_render()  # the preview now comes from the saved template
        self.notify(f"Saved as your template {info.path}; it now replaces the shipped one.")

    def action_pick(self) -> None:
        """Start over with another template; the current draft is replaced, so ask first."""

        def replace(yes: bool | None) -> None:
            if yes:
                self._store().discard(self.client_id)
                self._unsaved = False
                self.dismiss(None)
                self.app.post_message(OpenLetter(self.client_id, resume=False))

        if self.draft.body == self.info.body and self.draft.source is None:
            replace(True)
            return
        self.app.push_screen(
            ConfirmScreen(
                "Choose another template?",
                ["The draft you have edited here will be replaced."],
                "Start a new letter from another template?",
                yes="Replace",
            ),
            replace,
        )

    def action_reset(self) -> None:
        self.draft.body, self.draft.subject, self.draft.source = (
            self.info.body,
            self.info.subject,
            None,
        )
        self.query_one("#letter-subject", Input).value = self.draft.subject
        area = self.query_one("#letter-text", TextArea)
        # An edit, not load_text(), so ctrl+z in the text brings the old draft back.
        area.replace(self._editor_text(), (0, 0), area.document.end)
        self._changed()
        self.notify("The draft starts again from the template (ctrl+z in the text undoes it).")

    def action_close(self) -> None:
        if self._unsaved:
            self._save_draft(quiet=True)
        self.dismiss(None)

    def on_unmount(self) -> None:
        # Closing the app with the editor open must not lose the last words typed.
        self._closing = True
        if self._renderer is not None:
            # a render still running ends within the sandbox's limit; nothing waits for it
            self._renderer.shutdown(wait=False, cancel_futures=True)
        if self._unsaved:
            self._save_draft(quiet=True)

    # --- leaving the editor with the letter --------------------------------------------------
