"""The demo clients at the end: settling the last invoice, and closed (offboarded or kept).

Every business, address and letter here is invented; email addresses use reserved example
domains only. Each story is told in the order things happened (see `Story`).
"""

from __future__ import annotations

from decimal import Decimal

from ..domain.models import (
    Archetype,
    Category,
    Channel,
    Decision,
    HandoverKind,
    HandoverStatus,
    Invoice,
    LessonCategory,
    RepairOutcome,
    Stage,
)
from .story import Board, Story
from .taught import CHECK_IN, FEEDBACK_RHYTHM, MEETING_CAP


def _final_cover_en(s: Story, inv: Invoice) -> str:
    return (
        "Hello,\n\n"
        f"Attached is the final invoice {inv.number} for {s.money(inv.amount)}, itemised with "
        f"all work done up to the handover. It is due on {s.text(inv.due)}.\n\n"
        "Thank you for the time we worked together."
    )


def fenwick(board: Board) -> None:
    """Settlement; a non-payer; the final invoice is overdue and part-paid."""
    s = Story(
        board,
        -450,
        "Fenwick & Daughters Bakery",
        email="accounts@fenwickbakery.example.com",
        locale="en",
        currency="EUR",
        archetype=Archetype.NON_PAYER,
        notice_period="30 days",
        payment_terms_days=14,
        hourly_rate="60.00",
    )
    a = s.invoice(-190, "FD-0411", "1200.00", -176)
    s.pay(-140, a)
    s.flag(-140, Category.PAYMENT, 2, "FD-0411 paid 36 days late.", "Invoice FD-0411")
    attempt = s.repair(-138, "Work on the next phase starts once the open invoice is paid", -110)
    s.enter(-138, Stage.REPAIR)
    b = s.invoice(-130, "FD-0428", "1650.00", -116)
    s.repair_outcome(-110, attempt, RepairOutcome.NO_CHANGE, "Work paused twice; payments late.")
    s.pay(-85, b)
    s.flag(
        -84,
        Category.PAYMENT,
        2,
        "FD-0428 paid 31 days late; asked to start the next phase before paying.",
        "Invoice FD-0428",
    )
    s.flag(
        -75,
        Category.PAYMENT,
        3,
        "Refused to sign the new payment terms (deposit, 14 days).",
        "Email 'Terms'",
    )
    s.tick_all(-72, Stage.ASSESSMENT)
    s.assess(
        -72,
        "6400.00",
        "102.00",
        financial="About 63 EUR an hour on paper; every invoice arrives a month late.",
        operational="Cash flow planning around this client is a monthly chore.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -70,
        Decision.OFFBOARD,
        "Payment of open invoices comes before further work, and it has been late too often.",
    )
    s.move(-70, Stage.PREPARATION)
    s.tick_all(-55, Stage.PREPARATION, waived=["legal-advice"])
    menus = s.deliverable(-55, "Autumn menu print files", -40)
    last = s.converse(-52, Channel.PHONE, "30 days").last_day
    s.letter(
        -52,
        "termination-payment",
        "Ending our agreement",
        "Hello Fenwick & Daughters team,\n\n"
        "Following our call today, I confirm that I am ending our agreement with 30 days' "
        f"notice; my last working day is {s.text(last)}. Payment of open invoices "
        "has to come before any further work, and it has been late too often.\n\n"
        "I will finish the autumn menu print files and send a final, itemised invoice after "
        "the handover.\n\nThank you for the work we did together.",
    )
    s.enter(-52, Stage.NOTICE)
    s.deliver(-41, menus)
    s.move(-35, Stage.HANDOVER)
    files = s.handover(-35, HandoverKind.FILE, "Print-ready files for menus and labels")
    login = s.handover(-35, HandoverKind.CREDENTIAL, "Website admin login")
    printer = s.handover(-35, HandoverKind.CONTACT, "Print shop contact and order history")
    s.hand_over(-30, files)
    s.hand_over(-26, login)
    s.hand_over(-26, printer)
    s.tick_all(-24, Stage.HANDOVER, waived=["brief-successor"])
    s.move(-22, Stage.SETTLEMENT)
    final = s.invoice(-22, "FD-0460", "2150.00", -8, final=True)
    s.letter(-22, "final-invoice", "Final invoice FD-0460", _final_cover_en(s, final))
    partial = Decimal("650.00")
    s.pay(-12, final, str(partial))
    s.letter(
        -2,
        "payment-reminder",
        "Reminder: invoice FD-0460",
        "Hello,\n\n"
        f"Invoice FD-0460 was due on {s.text(final.due)}. Thank you for the partial payment of "
        f"{s.money(partial)}; {s.money(s.invoice_now(final.id).outstanding)} is still open.\n\n"
        f"Please settle the balance by {s.text(7)}. If it has already been sent, please "
        "ignore this message.\n\nThank you,",
    )
    s.tick(-2, Stage.SETTLEMENT, ["final-invoice", "follow-up"], waived=["refund"])


def hrncirka(board: Board) -> None:
    """Settlement; a scope creeper; final invoice sent, due in six days, and a follow-up to
    check it arrived."""
    s = Story(
        board,
        -300,
        "Studio Hrnčířka",
        company="Studio Hrnčířka s.r.o.",
        email="obchod@hrncirka.example.org",
        locale="cs",
        currency="EUR",
        archetype=Archetype.SCOPE_CREEPER,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="55.00",
    )
    s.flag(
        -120,
        Category.SCOPE,
        2,
        "Product photo job grew to include styling, props and a price-list redesign.",
        "Order confirmation vs. final shot list",
    )
    photos = s.invoice(-110, "HR-70", "1650.00", -96)
    s.pay(-97, photos)
    s.flag(
        -95,
        Category.SCOPE,
        2,
        "Last-minute reshoot of 40 items the evening before the shop went live.",
    )
    s.flag(-80, Category.VALUES, 1, "Asked to copy a competitor's shop design one to one.")
    photos = s.invoice(-75, "HR-73", "1650.00", -61)
    s.tick_all(-64, Stage.ASSESSMENT)
    s.assess(
        -64,
        "4950.00",
        "112.00",
        financial="About 44 EUR an hour against 55 agreed; extras were never billed.",
        recommendation=Decision.OFFBOARD,
    )
    s.pay(-62, photos)
    s.decide(
        -60,
        Decision.OFFBOARD,
        "The scope keeps widening beyond what was agreed, and quality suffers.",
    )
    s.move(-60, Stage.PREPARATION)
    s.tick_all(-48, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    shop = s.deliverable(-46, "Product photos for the e-shop, 60 items", -25)
    last = s.converse(-45, Channel.EMAIL, "1 month").last_day
    s.letter(
        -45,
        "termination",
        "Ukončení spolupráce",
        "Dobrý den,\n\n"
        "děkuji za dosavadní spolupráci. Po zvážení ji ukončuji: rozsah práce se opakovaně "
        "rozšiřuje nad rámec dohody a to se projevuje na kvalitě, kterou vám mohu nabídnout. "
        f"Výpovědní lhůta je jeden měsíc, poslední pracovní den je {s.text(last)}.\n\n"
        "Do té doby dokončím rozpracované fotografie pro e-shop a předám všechny podklady. "
        "Mohu doporučit dvě studia, která se věnují průběžné správě e-shopů.\n\nS pozdravem",
    )
    s.enter(-45, Stage.NOTICE)
    s.deliver(-26, shop)
    s.move(-24, Stage.HANDOVER)
    raw = s.handover(-24, HandoverKind.FILE, "Edited photos and RAW files")
    shots = s.handover(-24, HandoverKind.DOCUMENT, "Shot list and styling notes")
    admin = s.handover(-24, HandoverKind.CREDENTIAL, "E-shop admin account of my studio")
    s.hand_over(-20, raw)
    s.hand_over(-18, shots)
    s.hand_over(-17, admin, HandoverStatus.REVOKED)
    s.tick_all(-14, Stage.HANDOVER)
    s.move(-10, Stage.SETTLEMENT)
    final = s.invoice(-8, "HR-77", "1980.00", 6, final=True)
    s.letter(
        -8,
        "final-invoice",
        f"Konečná faktura {final.number}",
        "Dobrý den,\n\n"
        f"v příloze posílám konečnou fakturu {final.number} na {s.money(final.amount)} "
        f"s rozpisem všech dokončených prací. Splatnost je {s.text(final.due)}.\n\n"
        "Děkuji za spolupráci a přeji hodně úspěchů.",
    )
    s.tick(-8, Stage.SETTLEMENT, ["final-invoice"], waived=["refund"])
    # Paid in full before then, it stops being a deadline on its own.
    s.follow_up(-8, f"Check that invoice {final.number} reached their accounts team", 2, final)


def greyfield(board: Board) -> None:
    """Closed, offboarded; a time sink; a disputed small invoice was written off."""
    s = Story(
        board,
        -620,
        "Greyfield Analytics",
        company="Greyfield Analytics Inc.",
        email="finance@greyfield-analytics.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.TIME_SINK,
        notice_period="30 days",
        payment_terms_days=30,
        hourly_rate="110.00",
    )
    s.flag(-260, Category.TIME, 2, "Weekly status meeting with no agenda, usually 90 minutes.")
    s.flag(
        -210,
        Category.MONEY,
        2,
        "Dashboard maintenance took 3 times the estimate for the quarter.",
        "timesheets/greyfield.csv",
    )
    s.flag(-180, Category.STAGNATION, 1, "Six months on, priorities still change every sprint.")
    s.tick_all(-170, Stage.ASSESSMENT)
    s.assess(
        -170,
        "18400.00",
        "260.00",
        financial="About 71 USD an hour against 110 agreed.",
        operational="Meetings take a full day a week, unbilled.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-165, Decision.OFFBOARD, "The engagement no longer fits the business I am building.")
    s.move(-165, Stage.PREPARATION)
    disputed = s.invoice(-150, "GA-219", "330.00", -120)
    s.tick_all(-130, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-120, Channel.VIDEO, "30 days").last_day
    s.letter(
        -120,
        "confirmation",
        "Confirming our call today",
        "Hello Greyfield team,\n\n"
        "Thank you for the call. As discussed, I am ending our engagement with 30 days' notice; "
        f"my last working day is {s.text(last)}. The engagement no longer fits the "
        "business I am building.\n\nI will finish the quarterly dashboard and hand over "
        "everything with notes. Thank you for the work together.",
    )
    s.enter(-120, Stage.NOTICE)
    dashboard = s.deliverable(-120, "Quarterly revenue dashboard", -100)
    s.deliver(-101, dashboard)
    s.move(-100, Stage.HANDOVER)
    s.hand_over_all(
        -100,
        (HandoverKind.FILE, "Dashboard source and SQL queries", -96),
        (HandoverKind.DOCUMENT, "Data pipeline runbook", -95),
        (HandoverKind.CREDENTIAL, "Warehouse service account handed over", -95),
        (HandoverKind.CONTACT, "BI vendor account manager", -94),
    )
    s.tick_all(-93, Stage.HANDOVER)
    s.move(-90, Stage.SETTLEMENT)
    final = s.invoice(-90, "GA-241", "5200.00", -60, final=True)
    s.letter(-90, "final-invoice", "Final invoice GA-241", _final_cover_en(s, final))
    s.pay(-62, final)
    s.write_off(-60, disputed)
    s.tick_all(-60, Stage.SETTLEMENT, waived=["refund", "escalation"])
    s.letter(
        -58,
        "thank-you",
        "Thank you",
        "Hello Greyfield team,\n\n"
        "Thank you for the time we worked together. If a reference would help you with a "
        "future provider, I am glad to give one.\n\nAll the best,",
    )
    s.lesson(
        -57,
        LessonCategory.MISSED_RED_FLAG,
        "No agenda for the first three meetings: the meetings were the work, from the start.",
    )
    s.lesson(-57, LessonCategory.CONTRACT_CLAUSE, MEETING_CAP)
    s.lesson(
        -57,
        LessonCategory.SCREENING_QUESTION,
        "Ask who decides and how meetings are prepared; start with a paid discovery phase.",
    )
    s.enter(-57, Stage.CLOSED)


def kuusi(board: Board) -> None:
    """Closed, retained; a micromanager; a fortnightly call fixed it."""
    s = Story(
        board,
        -360,
        "Kahvila Kuusi",
        company="Kahvila Kuusi Oy",
        email="kahvila@kuusi.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.MICROMANAGER,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="70.00",
    )
    s.flag(-130, Category.RESPECT, 2, "Every menu layout rejected twice before any discussion.")
    s.flag(-115, Category.COMMUNICATION, 1, "Changes requested by voice message late at night.")
    s.tick_all(-105, Stage.ASSESSMENT, waived=["long-term"])
    s.assess(
        -105,
        "5200.00",
        "80.00",
        financial="65 EUR an hour, close to target.",
        operational="Feedback arrives in bursts and at odd hours.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-104, Decision.REPAIR, "A fixed rhythm for feedback may solve the friction.")
    attempt = s.repair(-100, CHECK_IN, -70)
    s.move(-100, Stage.REPAIR)
    s.letter(
        -100,
        "repair-proposal",
        "Ehdotus: tarkistuspuhelu kahden viikon välein",
        "Hei,\n\n"
        "ehdotan, että pidämme kahden viikon välein puolen tunnin puhelun, jossa käymme läpi "
        "avoimet asiat, ja kirjaamme muutospyynnöt yhteiseen muutoslokiin. Näin palaute kulkee "
        f"yhtä reittiä ja aikataulu pitää. Arvioidaan järjestelyä yhdessä {s.text(-70)}."
        "\n\nYstävällisin terveisin",
    )
    s.tick_all(-100, Stage.REPAIR)
    menu = s.invoice(-90, "KU-30", "1300.00", -76)
    s.pay(-80, menu)
    s.repair_outcome(
        -70, attempt, RepairOutcome.IMPROVED, "Layouts approved in one round since the calls."
    )
    s.decide(
        -68, Decision.KEEP, "The fortnightly call has settled the review rounds; work flows again."
    )
    s.lesson(-68, LessonCategory.COMMUNICATION, FEEDBACK_RHYTHM)
    menu = s.invoice(-50, "KU-31", "1300.00", -36)
    s.pay(-40, menu)
    menu = s.invoice(-20, "KU-32", "1300.00", -6)
    s.pay(-10, menu)


STORIES = (fenwick, hrncirka, greyfield, kuusi)
