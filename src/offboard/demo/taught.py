"""What several demo clients share word for word: lessons and repair strategies.

The screening checklist merges lessons that say the same thing, and the exit report groups
repair attempts by their strategy; written once here, the stories that share them can never
drift apart by a word.
"""

from __future__ import annotations

# --- lessons ---------------------------------------------------------------------------------

FEEDBACK_RHYTHM = (
    "Agree a fixed feedback rhythm, and one channel for changes, before the work starts."
)
MEETING_CAP = "A capped monthly meeting budget, with meetings beyond it billed by the hour."
CHANGE_ORDERS = "A change-order clause: new requests are quoted before they are done."
SUPPORT_QUESTION = "Ask how much support is expected beyond the project itself."
DEPOSIT = "Ask for a 50 % deposit before work starts, and pause the work when an invoice is late."
LATE_FROM_START = (
    "The first invoice was paid only after reminders: late payment was there from the start."
)
DISMISSIVE = "Dismissive remarks in the first call were a warning sign."

# --- repair strategies -----------------------------------------------------------------------

CHECK_IN = "Fortnightly check-in call and one shared change log"
HOURS_CAP = "Capped monthly hours, with hours beyond the cap billed at the full rate"
DEPOSIT_FIRST = "50 % deposit before each phase"
CHANGE_ORDER_FORM = "Change-order form for anything outside the signed scope"
