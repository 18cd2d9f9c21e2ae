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
)
from .dates import (
    day as day,
)
from .dates import (
    due_after_issue as due_after_issue,
)
from .dates import (
    iso_date as iso_date,
)
from .dates import (
    not_future as not_future,
)
from .dates import (
    optional_day as optional_day,
)
from .dates import (
    optional_iso_date as optional_iso_date,
)
from .dates import (
    review_after_start as review_after_start,
)
from .limits import (
    DATE_MAX as DATE_MAX,
)
from .limits import (
    DATE_MIN as DATE_MIN,
)
from .limits import (
    MAX_AMOUNT as MAX_AMOUNT,
)
from .limits import (
    MAX_EMAIL as MAX_EMAIL,
)
from .limits import (
    MAX_LETTER as MAX_LETTER,
)
from .limits import (
    MAX_LINE as MAX_LINE,
)
from .limits import (
    MAX_NAME as MAX_NAME,
)
from .limits import (
    MAX_RELATIVE_DAYS as MAX_RELATIVE_DAYS,
)
from .limits import (
    MAX_TERMS_DAYS as MAX_TERMS_DAYS,
)
from .limits import (
    MAX_TEXT as MAX_TEXT,
)
from .limits import (
    E as E,
)
from .numbers import (
    amount as amount,
)
from .numbers import (
    optional_amount as optional_amount,
)
from .numbers import (
    payment_terms as payment_terms,
)
from .numbers import (
    positive_amount as positive_amount,
)
from .numbers import (
    severity as severity,
)
from .numbers import (
    whole_number as whole_number,
)
from .records import (
    handover_label as handover_label,
)
from .records import (
    letter_channel as letter_channel,
)
from .records import (
    new_invoice_number as new_invoice_number,
)
from .records import (
    notice_channel as notice_channel,
)
from .records import (
    payment_fits as payment_fits,
)
from .records import (
    payments_fit as payments_fit,
)
from .records import (
    repair_dates as repair_dates,
)
from .records import (
    unique as unique,
)
from .text import (
    COMMON_LOCALES as COMMON_LOCALES,
)
from .text import (
    ZERO_UUID as ZERO_UUID,
)
from .text import (
    choice as choice,
)
from .text import (
    client_name as client_name,
)
from .text import (
    currency as currency,
)
from .text import (
    email as email,
)
from .text import (
    free_text as free_text,
)
from .text import (
    known_locale as known_locale,
)
from .text import (
    letter_text as letter_text,
)
from .text import (
    locale as locale,
)
from .text import (
    one_line as one_line,
)
from .text import (
    record_id as record_id,
)
