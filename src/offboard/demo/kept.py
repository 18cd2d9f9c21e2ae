"""Closed demo clients that were kept: a repair worked, and the work goes on.

Each went through an assessment and one repair attempt that improved things, then a decision
to keep, which closes the case as retained; invoices go on being issued and paid after that.

Every business, address and letter here is invented; email addresses use reserved example
domains only. Each story is told in the order things happened (see `Story`).
"""

from __future__ import annotations

from ..domain.models import (
    Archetype,
    Category,
    Decision,
    LessonCategory,
    RepairOutcome,
    Stage,
)
from .story import Board, Story
from .taught import (
    CHANGE_ORDER_FORM,
    CHANGE_ORDERS,
    CHECK_IN,
    DEPOSIT,
    DEPOSIT_FIRST,
    FEEDBACK_RHYTHM,
    HOURS_CAP,
    LATE_FROM_START,
    MEETING_CAP,
    SUPPORT_QUESTION,
)


def kielo(board: Board) -> None:
    """Retained most of a year ago; a micromanager; the fortnightly call fixed it."""
    s = Story(
        board,
        -640,
        "Kukkakauppa Kielo",
        company="Kukkakauppa Kielo Oy",
        email="kauppa@kielo.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.MICROMANAGER,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="70.00",
    )
    brochure = s.invoice(-358, "KI-12", "1400.00", -344)
    s.flag(-352, Category.RESPECT, 2, "Every brochure layout sent back twice before any talk.")
    s.flag(-347, Category.COMMUNICATION, 1, "Change requests by voice message after midnight.")
    s.pay(-345, brochure)
    s.tick_all(-344, Stage.ASSESSMENT, waived=["long-term"])
    s.assess(
        -344,
        "6300.00",
        "88.00",
        financial="About 72 EUR an hour, on target.",
        operational="Feedback comes in bursts, at night.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-343, Decision.REPAIR, "A fixed rhythm for feedback may end the late-night requests.")
    attempt = s.repair(-340, CHECK_IN, -310)
    s.enter(-340, Stage.REPAIR)
    brochure = s.invoice(-330, "KI-15", "1400.00", -316)
    s.pay(-318, brochure)
    s.repair_outcome(-310, attempt, RepairOutcome.IMPROVED, "Layouts approved in one round.")
    s.decide(-308, Decision.KEEP, "The fortnightly call has settled the feedback.")
    s.lesson(-308, LessonCategory.COMMUNICATION, FEEDBACK_RHYTHM)
    for number, issued in (("KI-19", -280), ("KI-24", -200), ("KI-31", -90)):
        invoice = s.invoice(issued, number, "1400.00", issued + 14)
        s.pay(issued + 12, invoice)


def hollis_reed(board: Board) -> None:
    """Retained; a scope creeper; change orders now hold the scope, one invoice not yet due."""
    s = Story(
        board,
        -560,
        "Hollis & Reed Bookbinders",
        company="Hollis & Reed Bookbinders LLC",
        email="studio@hollisreed.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.SCOPE_CREEPER,
        notice_period="30 days",
        payment_terms_days=30,
        hourly_rate="85.00",
    )
    s.flag(
        -330,
        Category.SCOPE,
        2,
        "Gold-foil cover mockups for 40 titles expected inside a quote for 12.",
        "Quote HR-Q7 vs. the request",
    )
    covers = s.invoice(-322, "HR-501", "3400.00", -292)
    s.flag(-316, Category.SCOPE, 1, "A 'small' addition: a second catalogue in a new format.")
    s.tick_all(-305, Stage.ASSESSMENT)
    s.assess(
        -305,
        "9350.00",
        "110.00",
        financial="85 USD an hour, on target so far; the extras are the risk.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-304, Decision.REPAIR, "Quoting every extra before doing it may hold the scope.")
    attempt = s.repair(-300, CHANGE_ORDER_FORM, -270)
    s.enter(-300, Stage.REPAIR)
    s.letter(
        -300,
        "repair-proposal",
        "Quoting extras before the work",
        "Hello Hollis & Reed team,\n\n"
        "To keep our projects clear for both of us, I will send a short change order for "
        "anything beyond the signed quote, with its price, before I start on it. Work starts "
        f"once you have signed it. Shall we look at how this works on {s.text(-270)}?"
        "\n\nThank you,",
    )
    s.pay(-295, covers)
    catalogue = s.invoice(-285, "HR-509", "2550.00", -255)
    s.repair_outcome(-270, attempt, RepairOutcome.IMPROVED, "Four change orders signed and paid.")
    s.decide(-268, Decision.KEEP, "Change orders now hold the scope; extras are quoted and paid.")
    s.lesson(-268, LessonCategory.CONTRACT_CLAUSE, CHANGE_ORDERS)
    s.pay(-258, catalogue)
    spring = s.invoice(-150, "HR-522", "2975.00", -120)
    s.pay(-121, spring)
    s.invoice(-12, "HR-540", "1275.00", 18)


def yildiz(board: Board) -> None:
    """Retained; a non-payer; deposits fixed the late payments."""
    s = Story(
        board,
        -520,
        "Yıldız Seramik",
        company="Yıldız Seramik Ltd. Şti.",
        email="muhasebe@yildizseramik.example.org",
        locale="tr",
        currency="EUR",
        archetype=Archetype.NON_PAYER,
        notice_period="30 days",
        payment_terms_days=30,
        hourly_rate="65.00",
    )
    a = s.invoice(-300, "YS-40", "2600.00", -270)
    b = s.invoice(-280, "YS-44", "2100.00", -250)
    s.pay(-258, a)
    s.flag(-258, Category.PAYMENT, 2, "YS-40 paid 12 days late, after two reminders.", "YS-40")
    s.pay(-245, b, "1000.00")
    s.pay(-236, b)
    s.flag(-236, Category.PAYMENT, 2, "YS-44 paid in two parts, the second after a reminder.")
    s.tick_all(-230, Stage.ASSESSMENT)
    s.assess(
        -230,
        "7800.00",
        "118.00",
        financial="About 66 EUR an hour, on target; payment comes two weeks late.",
        long_term="Beautiful work for the portfolio.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-228, Decision.REPAIR, "Late payment is the one problem; deposits may fix it.")
    attempt = s.repair(-225, DEPOSIT_FIRST, -195)
    s.enter(-225, Stage.REPAIR)
    s.letter(
        -225,
        "repair-proposal",
        "Ödeme düzeni için öneri",
        "Merhaba,\n\n"
        "bundan sonra her aşamanın başında %50 avans, kalan tutarın teslimde ödenmesini "
        f"öneriyorum. {s.text(-195)} tarihinde bu düzeni birlikte değerlendirelim."
        "\n\nSaygılarımla,",
    )
    deposit = s.invoice(-224, "YS-49", "1300.00", -210)
    s.pay(-216, deposit)
    rest = s.invoice(-200, "YS-52", "1300.00", -186)
    s.repair_outcome(
        -195, attempt, RepairOutcome.IMPROVED, "Deposits arrive before each phase, on time."
    )
    s.decide(-193, Decision.KEEP, "Deposits have fixed the late payments; the work is good.")
    s.lesson(-193, LessonCategory.PAYMENT_TERMS, DEPOSIT)
    s.lesson(-193, LessonCategory.MISSED_RED_FLAG, LATE_FROM_START)
    s.pay(-190, rest)
    later = s.invoice(-60, "YS-61", "2600.00", -30)
    s.pay(-32, later)


def orech(board: Board) -> None:
    """Retained two months ago; a time sink; an hours cap brought the meetings back in line."""
    s = Story(
        board,
        -480,
        "Tiskárna Ořech",
        company="Tiskárna Ořech s.r.o.",
        email="tiskarna@orech.example.org",
        locale="cs",
        currency="CZK",
        archetype=Archetype.TIME_SINK,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="1500.00",
    )
    labels = s.invoice(-130, "TO-301", "24000.00", -116)
    s.pay(-118, labels)
    s.flag(-112, Category.TIME, 2, "Weekly meetings run two hours, without an agenda.")
    s.flag(
        -98,
        Category.MONEY,
        1,
        "Support outside the print jobs takes 10 hours a month, unbilled.",
        "timesheets/orech-support.csv",
    )
    s.tick_all(-92, Stage.ASSESSMENT)
    s.assess(
        -92,
        "96000.00",
        "62.00",
        financial="About 1,550 CZK an hour, on target for the print work itself.",
        operational="Meetings and support eat a day a month.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-90, Decision.REPAIR, "A cap on meetings and support may bring the hours back.")
    attempt = s.repair(-90, HOURS_CAP, -60)
    s.enter(-90, Stage.REPAIR)
    labels = s.invoice(-85, "TO-309", "18000.00", -71)
    s.pay(-72, labels)
    s.repair_outcome(
        -60, attempt, RepairOutcome.IMPROVED, "Meetings fit the cap; extra hours are billed."
    )
    s.decide(-58, Decision.KEEP, "The hours cap holds, and the extra hours are paid.")
    s.lesson(-58, LessonCategory.CONTRACT_CLAUSE, MEETING_CAP)
    s.lesson(-58, LessonCategory.SCREENING_QUESTION, SUPPORT_QUESTION)
    extra = s.invoice(-30, "TO-317", "9000.00", -16)
    s.pay(-17, extra)
    s.invoice(-6, "TO-320", "24000.00", 8)


STORIES = (kielo, hollis_reed, yildiz, orech)
