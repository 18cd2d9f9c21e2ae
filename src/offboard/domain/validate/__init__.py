"""Every input rule, once. The services enforce these, the TUI's forms call them for live
feedback, the CLI accepts the forms they accept, and the decoder runs stored and imported
records through them, so no front end or file can hold what another would refuse.

Each rule takes what was typed or stored (text, or the already typed value) and returns the
clean value, or raises InvalidInput with a one-line message and a hint. Messages say what is
wrong with the value; they never name a key or a command, so each front end can add its own
way to fix it.
"""

from __future__ import annotations

from .dates import (
    DATE_FORMS as DATE_FORMS,
    DATE_FORMS_SHORT as DATE_FORMS_SHORT,
    DAY_FORMS as DAY_FORMS,
    PAST_DATE_FORMS as PAST_DATE_FORMS,
    PAST_DATE_FORMS_SHORT as PAST_DATE_FORMS_SHORT,
    day as day,
    due_after_issue as due_after_issue,
    iso_date as iso_date,
    not_future as not_future,
    optional_day as optional_day,
    optional_iso_date as optional_iso_date,
    paid_after_agreed as paid_after_agreed,
    review_after_start as review_after_start,
)
from .limits import (
    DATE_MAX as DATE_MAX,
    DATE_MIN as DATE_MIN,
    MAX_AMOUNT as MAX_AMOUNT,
    MAX_EMAIL as MAX_EMAIL,
    MAX_LETTER as MAX_LETTER,
    MAX_LINE as MAX_LINE,
    MAX_NAME as MAX_NAME,
    MAX_RELATIVE_DAYS as MAX_RELATIVE_DAYS,
    MAX_TERMS_DAYS as MAX_TERMS_DAYS,
    MAX_TEXT as MAX_TEXT,
    E as E,
)
from .numbers import (
    amount as amount,
    optional_amount as optional_amount,
    payment_terms as payment_terms,
    positive_amount as positive_amount,
    severity as severity,
    whole_number as whole_number,
)
from .records import (
    handover_label as handover_label,
    letter_channel as letter_channel,
    new_invoice_number as new_invoice_number,
    notice_channel as notice_channel,
    payment_fits as payment_fits,
    payments_fit as payments_fit,
    repair_dates as repair_dates,
    unique as unique,
)
from .text import (
    COMMON_LOCALES as COMMON_LOCALES,
    ZERO_UUID as ZERO_UUID,
    choice as choice,
    client_name as client_name,
    currency as currency,
    email as email,
    free_text as free_text,
    known_locale as known_locale,
    letter_text as letter_text,
    locale as locale,
    one_line as one_line,
    record_id as record_id,
)
