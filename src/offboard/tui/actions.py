"""Every key offboard binds, declared once: its binding id (what a keymap names), its keys,
the footer's word for it, the command palette's title and line of explanation, the line in
`?` help, and the scope it works in.

A scope is the `ACTION_SCOPE` of the screen or widget that owns the key: "board", "agenda",
"client" (the client screen) and "client.flags" (its Red flags tab), and so on; a scope that
several widgets share ("client.records", the keys of every tab that lists records) is bound
by each of them. Screens and widgets build their BINDINGS with `bindings(scope)`; the help
screen and the palette read the same entries, so a key, a label or a help text is never
written twice. Which screen or widget owns a scope, and its title, is tui/scopes.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import format_key


@dataclass(frozen=True)
class Action:
    id: str  # the binding id; a keymap remaps the key by it ("board.flag" = "F")
    scope: str  # the ACTION_SCOPE of the screen or widget the key belongs to
    keys: str  # Textual's key names, comma-separated
    action: str  # the action method and its arguments, as a Binding writes them
    label: str  # the footer's words
    show: bool = True  # in the footer
    title: str = ""  # the palette's name; without one it is offered as "<Scope>: <label>"
    hint: str = ""  # the palette's line under the title
    help: str = ""  # the line in `?` help; the title, else the label, when empty
    key_display: str | None = None
    priority: bool = False  # before the focused widget's own use of the key
    group: str = ""  # keys shown together in the footer under this description
    builtin: bool = False  # Textual binds it itself: described here, not bound again
    card: bool = False  # acts on the board's focused card: offered from the board only
    opens: str = ""  # the scope of the screen it opens: not offered from that screen
    any_tab: bool = False  # a client tab's key that works from every tab, showing its tab
    # When the footer is too narrow for every key, the lowest ranks are left out first (0 goes
    # first, 3 stays: the way back and help); the rest are in help and the palette.
    rank: int = 1

    @property
    def words(self) -> str:
        """What `?` help says it does."""
        return self.help or self.title or self.label

    @property
    def name(self) -> str:
        """The action method's name, without its arguments."""
        return self.action.partition("(")[0]


ACTIONS: tuple[Action, ...] = (
    # --- the app: everywhere ---------------------------------------------------------------
    # Textual's own ctrl+q comes first, as it does in the app's bindings: help lists it
    # on one line with q.
    Action("textual.quit", "app", "ctrl+q", "quit", "Quit", show=False, builtin=True),
    Action("quit", "app", "q", "quit", "Quit", rank=0),
    Action(
        "undo", "app", "ctrl+z", "undo", "Undo", title="Undo",
        hint="Take back the last change made in this window",
    ),
    Action(
        "redo", "app", "ctrl+y", "redo", "Redo", show=False, title="Redo",
        hint="Bring back what undo took back, until the next new change",
    ),
    Action("retry_saves", "app", "ctrl+s", "retry_saves", "Retry saves", show=False),
    Action(
        "help", "app", "question_mark", "help", "Help", title="Show help",
        hint="Every key, and how stages and gates work", opens="help", rank=3,
    ),
    Action(
        "settings", "app", "comma", "settings", "Settings", show=False, title="Settings",
        hint="Your name, email and signature, defaults for new clients, mail server, keys",
        opens="settings",
    ),
    Action(
        "textual.command_palette", "app", App.COMMAND_PALETTE_BINDING, "command_palette",
        "palette", builtin=True, help="Command palette: every action, jump to a client",
    ),
    # --- the board ---------------------------------------------------------------------------
    Action("board.left", "board", "left,h", "focus_move(-1, 0)", "Left", show=False),
    Action("board.right", "board", "right,l", "focus_move(1, 0)", "Right", show=False),
    Action("board.up", "board", "up,k", "focus_move(0, -1)", "Up", show=False),
    Action("board.down", "board", "down,j", "focus_move(0, 1)", "Down", show=False),
    Action("board.page_up", "board", "pageup", "focus_move(0, -5)", "Page up", show=False),
    Action("board.page_down", "board", "pagedown", "focus_move(0, 5)", "Page down", show=False),
    Action("board.first", "board", "home", "jump('first')", "First card", show=False),
    Action("board.last", "board", "end", "jump('last')", "Last card", show=False),
    Action(
        "board.move_next", "board", "shift+right,greater_than_sign", "move_next", "Move →",
        title="Move the card to the next stage", hint="The stage's gate is checked first",
        card=True, rank=2,
    ),
    Action(
        "board.move_prev", "board", "shift+left,less_than_sign", "move_prev", "Move ←",
        title="Move the card to the previous stage", hint="Going back after notice asks why",
        card=True, rank=0,
    ),
    Action(
        "board.open", "board", "enter", "open", "Open", title="Open the focused client",
        hint="Details, checklists, history and letters", card=True, rank=2,
    ),
    Action(
        "board.new", "board", "n", "new_client", "New", title="New client",
        hint="Add a client; the card starts in assessment", rank=2,
    ),
    Action(
        "board.flag", "board", "f", "flag", "Flag", title="Log a red flag",
        hint="Record a warning sign on the focused client", card=True, rank=2,
    ),
    Action(
        "board.repair", "board", "r", "repair", "Repair", title="Start a repair attempt",
        hint="A strategy to try, with a date to review it", card=True,
    ),
    Action(
        "board.letter", "board", "w", "letter", "Letter", title="Write a letter",
        hint="The right letter for the client's stage", card=True, rank=2,
    ),
    Action(
        "board.agenda", "board", "t", "agenda", "Agenda", title="Show the agenda",
        hint="Every deadline of every client, earliest first", opens="agenda", rank=2,
    ),
    Action(
        "board.report", "board", "R", "report", "Report", title="Show the exit report",
        hint="Outcomes, money, and the few clients who cause most of the trouble",
        opens="report", rank=0,
    ),
    Action(
        "board.screening", "board", "S", "screening", "Screen", title="Screen a new client",
        hint="Check a prospect against the lessons of past clients: go, caution or decline",
        opens="screening", rank=0,
    ),
    Action(
        "board.filter", "board", "slash", "filter", "Filter", title="Filter the board",
        hint="Show only the clients whose name matches",
    ),
    Action(
        "board.archived", "board", "a", "toggle_archived", "Archived",
        title="Toggle archived clients", hint="Every closed client, or only recent ones",
        rank=0,
    ),
    Action("board.clear_filter", "board", "escape", "clear_filter", "Clear filter", show=False),
    # --- the agenda --------------------------------------------------------------------------
    Action("agenda.close", "agenda", "escape,t", "close", "Back", rank=3),
    Action(
        "agenda.open", "agenda", "enter", "open", "Open client",
        hint="The client of the highlighted deadline",
    ),
    Action("agenda.down", "agenda", "down,j", "cursor(1)", "Next deadline", show=False),
    Action("agenda.up", "agenda", "up,k", "cursor(-1)", "Previous deadline", show=False),
    Action("agenda.page_down", "agenda", "pagedown", "page(1)", "Page down", show=False),
    Action("agenda.page_up", "agenda", "pageup", "page(-1)", "Page up", show=False),
    Action("agenda.first", "agenda", "home", "edge(0)", "First deadline", show=False),
    Action("agenda.last", "agenda", "end", "edge(1)", "Last deadline", show=False),
    Action(
        "agenda.calendar", "agenda", "c", "calendar", "Calendar",
        title="Export every deadline as a calendar file",
        hint="offboard.ics beside the database, with alarms; exporting again updates it",
        rank=0,
    ),
    # Keys 1-6 narrow the agenda to one kind of deadline; 0 shows every kind again.
    Action("agenda.kind_all", "agenda", "0", "kind('')", "All kinds", group="Show kind"),
    Action("agenda.kind_1", "agenda", "1", "kind('last-day')", "Last days only", group="Show kind"),
    Action("agenda.kind_2", "agenda", "2", "kind('review')", "Reviews only", group="Show kind"),
    Action("agenda.kind_3", "agenda", "3", "kind('invoice')", "Invoices only", group="Show kind"),
    Action(
        "agenda.kind_4", "agenda", "4", "kind('deliverable')", "Deliverables only",
        group="Show kind",
    ),
    Action("agenda.kind_5", "agenda", "5", "kind('refund')", "Refunds only", group="Show kind"),
    Action(
        "agenda.kind_6", "agenda", "6", "kind('follow-up')", "Follow-ups only", group="Show kind"
    ),
    # --- the exit report -----------------------------------------------------------------------
    Action("report.close", "report", "escape,R", "close", "Back", rank=3),
    Action(
        "report.open", "report", "enter", "open", "Open client", priority=True,
        hint="The client of the highlighted row",
    ),
    Action(
        "report.period", "report", "p", "period", "Period",
        hint="The last 12 months, the last 90 days, or all time",
    ),
    # --- screening a prospect ----------------------------------------------------------------
    Action("screening.close", "screening", "escape,S", "close", "Back", rank=3),
    Action(
        "screening.yes", "screening", "y", "answer('yes')", "Yes", group="Answer",
        help="Answer the highlighted item yes",
    ),
    Action(
        "screening.no", "screening", "n", "answer('no')", "No", group="Answer",
        help="Answer the highlighted item no",
    ),
    Action(
        "screening.unknown", "screening", "u", "answer('unknown')", "Unknown", group="Answer",
        help="Leave the highlighted item unanswered",
    ),
    Action(
        "screening.add_client", "screening", "c", "add_client", "Add as client", rank=2,
        title="Add the prospect as a client",
        hint="The new-client form; the answers are kept as its intake notes",
    ),
    Action(
        "screening.add_item", "screening", "a", "add_item", "Add item",
        title="Add a screening item of your own", hint="A warning sign, question or clause",
    ),
    Action(
        "screening.edit_item", "screening", "e", "edit_item", "Reword", rank=0,
        title="Reword the highlighted screening item", hint="Its lessons' words back undo it",
    ),
    Action(
        "screening.hide_item", "screening", "x", "hide_item", "Hide", rank=0,
        title="Hide the highlighted screening item, or show a hidden one again",
        hint="Not asked any more; H lists the hidden items, x on one brings it back",
    ),
    Action(
        "screening.show_hidden", "screening", "H", "toggle_hidden", "Hidden", rank=0,
        title="List the hidden screening items too, or stop listing them",
        hint="Marked hidden; x on one puts it back on the checklist",
    ),
    Action(
        "screening.export", "screening", "ctrl+f", "export", "Export…", rank=0,
        title="Export the screening checklist as Markdown", hint="To a file, private to you",
    ),
    Action("screening.clear", "screening", "ctrl+r", "clear", "Clear answers", show=False),
    # --- help --------------------------------------------------------------------------------
    Action("help.close", "help", "escape,question_mark,q", "close", "Close help", rank=3),
    Action("help.down", "help", "j", "scroll('down')", "Scroll down", show=False),
    Action("help.up", "help", "k", "scroll('up')", "Scroll up", show=False),
    # --- settings ----------------------------------------------------------------------------
    Action("settings.save", "settings", "ctrl+s", "save", "Save", rank=2),
    Action("settings.close", "settings", "escape", "close", "Close", rank=3),
    # --- the client screen: its tabs ---------------------------------------------------------
    Action("client.back", "client", "escape", "back", "Back", rank=3),
    Action(
        "client.next_tab", "client", "right_square_bracket", "next_tab", "Next tab",
        key_display="]", rank=2,
    ),
    Action(
        "client.previous_tab", "client", "left_square_bracket", "previous_tab",
        "Previous tab", key_display="[", show=False,
    ),
    Action(
        "client.tab.overview", "client", "1", "show_tab('overview')", "Show Overview", show=False
    ),
    Action("client.tab.flags", "client", "2", "show_tab('flags')", "Show Red flags", show=False),
    Action(
        "client.tab.assessment", "client", "3", "show_tab('assessment')", "Show Assessment",
        show=False,
    ),
    Action("client.tab.repair", "client", "4", "show_tab('repair')", "Show Repair", show=False),
    Action(
        "client.tab.checklist", "client", "5", "show_tab('checklist')", "Show Checklist",
        show=False,
    ),
    Action(
        "client.tab.deliverables", "client", "6", "show_tab('deliverables')",
        "Show Deliverables", show=False,
    ),
    Action(
        "client.tab.handover", "client", "7", "show_tab('handover')", "Show Handover", show=False
    ),
    Action(
        "client.tab.invoices", "client", "8", "show_tab('invoices')", "Show Invoices", show=False
    ),
    Action("client.tab.letters", "client", "9", "show_tab('letters')", "Show Letters", show=False),
    Action("client.tab.history", "client", "0", "show_tab('history')", "Show History", show=False),
    # The client screen: keys that work on every tab.
    Action(
        "client.letter", "client", "w", "write_letter", "Write letter", title="Write a letter",
        hint="The right letter for this client's stage",
    ),
    # Recorded on the Overview tab, which they switch to, but shown from every tab.
    Action("client.decide", "client", "D", "tab_action('overview', 'decide')", "Decision"),
    Action(
        "client.calendar", "client", "c", "calendar", "Calendar",
        title="Export this client's deadlines as a calendar file",
        hint="A .ics file beside the database, with alarms; exporting again updates it",
        rank=0,
    ),
    Action(
        "client.conversation", "client", "N", "tab_action('overview', 'conversation')",
        "Notice talk",
    ),
    # Correcting a record: declared once for every tab that lists records (flags, repair,
    # deliverables, handover, invoices and payments), which binds this scope beside its own.
    Action(
        "client.edit_record", "client.records", "e", "edit_record", "Edit",
        title="Edit the highlighted record",
        hint="In the form that added it, filled in with what is stored",
    ),
    Action(
        "client.delete_record", "client.records", "x,delete", "delete_record", "Delete",
        title="Delete the highlighted record", hint="Asks first; undo brings it back",
    ),
    # Each tab's own keys. `any_tab`: adding something works from every tab and switches to
    # the tab that shows it; the footer shows the key on its own tab.
    Action("client.edit", "client.overview", "e", "edit_details", "Edit details", any_tab=True),
    Action(
        "client.add_flag", "client.flags", "f", "add_flag", "Log flag", any_tab=True,
        title="Log a red flag", hint="Record a warning sign on this client",
    ),
    Action(
        "client.assess", "client.assessment", "a", "edit_assessment", "Edit assessment",
        any_tab=True,
    ),
    Action(
        "client.add_repair", "client.repair", "r", "add_repair", "Add attempt", any_tab=True,
        title="Start a repair attempt", hint="A strategy to try, with a date to review it",
    ),
    Action("client.repair_outcome", "client.repair", "o", "outcome", "Outcome"),
    Action("client.checklist.toggle", "client.checklist", "space", "tick", "Done/open"),
    Action("client.checklist.waive", "client.checklist", "x", "waive", "Waive"),
    Action("client.checklist.next", "client.checklist", "s", "stage(1)", "Other stage"),
    Action(
        "client.checklist.previous", "client.checklist", "S", "stage(-1)", "Previous stage",
        show=False,
    ),
    Action(
        "client.add_deliverable", "client.deliverables", "d", "add_deliverable",
        "Add deliverable", any_tab=True,
    ),
    Action("client.deliverable.toggle", "client.deliverables", "space", "tick", "Done/open"),
    Action(
        "client.add_handover", "client.handover", "h", "add_handover", "Add handover item",
        any_tab=True,
    ),
    Action("client.handover.cycle", "client.handover", "space", "cycle", "Next status"),
    Action(
        "client.add_invoice", "client.invoices", "i", "add_invoice", "Add invoice", any_tab=True
    ),
    Action("client.payment", "client.invoices", "p", "record_payment", "Payment"),
    Action("client.write_off", "client.invoices", "W", "write_off", "Write off"),
    Action(
        "client.add_refund", "client.invoices", "R", "add_refund", "Refund", any_tab=True,
        title="Record a refund",
        hint="Money going back for prepaid work not delivered; the amount is suggested",
    ),
    Action(
        "client.refund_paid", "client.invoices", "P", "refund_paid", "Paid out",
        title="Mark the highlighted refund paid out", hint="Today; e corrects the day",
    ),
    Action(
        "client.add_follow_up", "client.invoices", "u", "add_follow_up", "Follow up",
        any_tab=True, title="Record a follow-up",
        hint="A day to chase something still owed, such as an unpaid invoice", rank=0,
    ),
    Action(
        "client.follow_up_done", "client.invoices", "U", "follow_up_done", "Followed up",
        title="Mark the highlighted follow-up done", hint="Today; e corrects the day", rank=0,
    ),
    # Priority: the table's own enter would otherwise take the key (and hide it in the footer).
    Action("client.read_letter", "client.letters", "enter", "read", "Read", priority=True),
    # The soft gate into closed offers this key too, while it asks about missing lessons.
    Action(
        "client.add_lesson", "client.lessons", "L", "add_lesson", "Add lesson", any_tab=True,
        title="Record a lesson learned", hint="What to do differently with the next client",
    ),
    # --- a sent letter, read-only --------------------------------------------------------------
    Action("letter.close", "letter.view", "escape,q", "close", "Close", rank=3),
    # --- the letter editor and its dialogs ---------------------------------------------------
    Action("letter.editor.close", "letter.editor", "escape", "close", "Close", rank=3),
    Action("letter.editor.toggle", "letter.editor", "ctrl+t", "toggle_source", "Draft/template"),
    Action("letter.editor.save", "letter.editor", "ctrl+s", "save", "Save", rank=2),
    Action("letter.editor.send", "letter.editor", "ctrl+g", "send", "Send…", rank=2),
    Action("letter.editor.mark_sent", "letter.editor", "ctrl+l", "mark_sent", "Mark sent…"),
    Action("letter.editor.export", "letter.editor", "ctrl+f", "export", "Export…", rank=2),
    Action("letter.editor.copy", "letter.editor", "ctrl+b", "copy", "Copy"),
    Action("letter.editor.pick", "letter.editor", "ctrl+o", "pick", "Other template"),
    Action("letter.editor.reset", "letter.editor", "ctrl+r", "reset", "Restart draft", show=False),
    Action("picker.cancel", "letter.picker", "escape", "cancel", "Cancel", rank=3),
    Action("picker.locale", "letter.picker", "ctrl+l", "next_locale", "Language"),
    Action("export.cancel", "letter.export", "escape", "cancel", "Cancel", rank=3),
    Action("marksent.cancel", "letter.mark_sent", "escape", "cancel", "Cancel", rank=3),
    Action("marksent.confirm", "letter.mark_sent", "ctrl+s", "confirm", "Record"),
    Action("send.yes", "letter.send", "ctrl+g", "answer(True)", "Send now"),
    Action("send.no", "letter.send", "escape", "answer(False)", "Cancel", rank=3),
    # --- small questions ---------------------------------------------------------------------
    Action("dialog.yes", "dialog.confirm", "y", "answer(True)", "Yes"),
    Action("dialog.no", "dialog.confirm", "n,escape", "answer(False)", "No"),
    Action("dialog.cancel", "dialog.reason", "escape", "cancel", "Cancel"),
)  # fmt: skip

BY_ID: dict[str, Action] = {action.id: action for action in ACTIONS}

# How help and the palette name each scope's keys.

_GROUPS: dict[str, Binding.Group] = {}


def _group(description: str) -> Binding.Group | None:
    if not description:
        return None
    return _GROUPS.setdefault(description, Binding.Group(description, compact=True))


def _binding(action: Action, run: str | None = None, *, show: bool | None = None) -> Binding:
    return Binding(
        action.keys,
        run or action.action,
        action.label,
        show=action.show if show is None else show,
        key_display=action.key_display,
        priority=action.priority,
        tooltip=action.hint,
        id=action.id,
        group=_group(action.group),
    )


def in_scope(scope: str) -> list[Action]:
    return [action for action in ACTIONS if action.scope == scope]


def family(scope: str) -> list[Action]:
    """A scope's actions and those of its parts ("client" and "client.flags", ...)."""
    return [a for a in ACTIONS if a.scope == scope or a.scope.startswith(f"{scope}.")]


def bindings(scope: str) -> list[BindingType]:
    """The BINDINGS of the screen or widget whose ACTION_SCOPE is `scope`."""
    return [_binding(action) for action in in_scope(scope) if not action.builtin]


def reach_from(scope: str, forward: str) -> list[BindingType]:
    """Hidden bindings for the `any_tab` keys of a scope's parts: the owner of `scope` runs
    `forward(part, action)`, which shows the part and runs the action there. Same ids, so a
    keymap moves both."""
    prefix = f"{scope}."
    return [
        _binding(a, f"{forward}('{a.scope.removeprefix(prefix)}', '{a.action}')", show=False)
        for a in ACTIONS
        if a.any_tab and a.scope.startswith(prefix)
    ]


def current_keys(action: Action, keymap: dict[str, str]) -> list[str]:
    """The keys that do it now: the user's keymap replaces the declared ones."""
    return [key.strip() for key in keymap.get(action.id, action.keys).split(",") if key.strip()]


def key_names(app: App[object], action: Action) -> list[str]:
    """The keys as the footer writes them ("^z", "shift+→", "]")."""
    keymap = getattr(app, "_keymap", None) or {}
    remapped = action.id in keymap
    return [
        app.get_key_display(
            Binding(key, action.action, key_display=None if remapped else action.key_display)
        )
        for key in current_keys(action, keymap)
    ]


def keys_text(node: DOMNode, action_id: str) -> list[str]:
    """An action's keys as a sentence or a button writes them ("f", "ctrl+s", "escape",
    "?"), the user's keymap applied: for the hints that name a key."""
    keymap = getattr(node.app, "_keymap", None) or {}
    written = []
    for key in current_keys(BY_ID[action_id], keymap):
        symbol = format_key(key)
        written.append(symbol if len(symbol) == 1 and symbol.isascii() else key)
    return written


def key_text(node: DOMNode, action_id: str) -> str:
    """An action's first key, as a sentence or a button writes it."""
    return keys_text(node, action_id)[0]
