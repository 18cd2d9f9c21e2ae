"""Closed demo clients that were offboarded calmly, over the last year and a half.

Two left more than a year ago (before the exit report's default year), so a report over an
earlier period has leavers too; one outgrew the work and left a few months ago with a warm
handover and referrals.

Every business, address and letter here is invented; email addresses use reserved example
domains only. Each story is told in the order things happened (see `Story`).
"""

from __future__ import annotations

from ..domain.models import (
    Archetype,
    Category,
    Channel,
    Decision,
    HandoverKind,
    LessonCategory,
    RepairOutcome,
    Stage,
)
from .story import Board, Story
from .taught import CHANGE_ORDER_FORM, CHANGE_ORDERS, DISMISSIVE, FEEDBACK_RHYTHM


def quillon(board: Board) -> None:
    """Closed a year and a half ago, offboarded; a micromanager; left after one season."""
    s = Story(
        board,
        -980,
        "Quillon & Byrne Solicitors",
        company="Quillon & Byrne LLP",
        email="office@quillonbyrne.example.com",
        locale="en",
        currency="EUR",
        archetype=Archetype.MICROMANAGER,
        notice_period="30 days",
        payment_terms_days=30,
        hourly_rate="90.00",
    )
    s.flag(
        -640,
        Category.RESPECT,
        2,
        "Every draft of the client newsletter rewritten line by line by a partner.",
        "Email 'Newsletter draft 5'",
    )
    first = s.invoice(-630, "QB-210", "2700.00", -600)
    s.flag(-622, Category.COMMUNICATION, 2, "Eleven emails in one day about a comma in a headline.")
    s.flag(-604, Category.RESPECT, 1, "Asked for a screenshot of the work every two hours.")
    s.pay(-601, first)
    s.tick_all(-600, Stage.ASSESSMENT)
    s.assess(
        -600,
        "8100.00",
        "118.00",
        financial="About 69 EUR an hour against 90 agreed, because of the review rounds.",
        operational="Review rounds fill the mornings I keep for other clients.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -598, Decision.OFFBOARD, "Our working styles differ too much for me to do my best work."
    )
    s.move(-598, Stage.PREPARATION)
    template = s.deliverable(-596, "Spring newsletter template", -575)
    s.tick_all(-590, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-588, Channel.VIDEO, "30 days").last_day
    s.letter(
        -588,
        "termination-micromanager",
        "Ending our work together",
        "Hello,\n\n"
        "Thank you for the call today. As discussed, I am ending our agreement with 30 days' "
        f"notice; my last working day is {s.text(last)}. Our ways of working differ too much "
        "for me to do my best work for you.\n\nI will finish the spring newsletter template "
        "and hand over every file.\n\nKind regards,",
    )
    s.enter(-588, Stage.NOTICE)
    s.deliver(-576, template)
    s.move(-560, Stage.HANDOVER)
    files = s.handover(-560, HandoverKind.FILE, "Newsletter templates and image library")
    mail = s.handover(-560, HandoverKind.CREDENTIAL, "Mailing platform account, to their office")
    s.hand_over(-556, files)
    s.hand_over(-556, mail)
    s.tick_all(-555, Stage.HANDOVER)
    s.move(-554, Stage.SETTLEMENT)
    final = s.invoice(-554, "QB-231", "1950.00", -524, final=True)
    s.letter(
        -554,
        "final-invoice",
        "Final invoice QB-231",
        "Hello,\n\n"
        f"Attached is the final invoice QB-231 for {s.money(final.amount)}, due on "
        f"{s.text(final.due)}.\n\nThank you for the work together.",
    )
    s.pay(-527, final)
    s.tick_all(-527, Stage.SETTLEMENT, waived=["refund", "escalation"])
    s.lesson(-525, LessonCategory.COMMUNICATION, FEEDBACK_RHYTHM)
    s.lesson(-525, LessonCategory.MISSED_RED_FLAG, DISMISSIVE)
    s.enter(-525, Stage.CLOSED)


def peltola(board: Board) -> None:
    """Closed over a year ago, offboarded; a scope creeper; the change-order form did not hold."""
    s = Story(
        board,
        -820,
        "Rakennus Peltola",
        company="Rakennus Peltola Oy",
        email="toimisto@rakennuspeltola.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.SCOPE_CREEPER,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="75.00",
    )
    s.flag(
        -570,
        Category.SCOPE,
        2,
        "A five-page site grew to fourteen pages and a booking system, at the same price.",
        "Quote vs. the current site map",
    )
    first = s.invoice(-555, "RP-31", "3000.00", -541)
    s.flag(-548, Category.SCOPE, 3, "Asked for three more languages two days before launch.")
    s.decide(-545, Decision.REPAIR, "A change-order form could hold the scope.")
    orders = s.repair(-544, CHANGE_ORDER_FORM, -514)
    s.enter(-544, Stage.REPAIR)
    s.pay(-540, first)
    s.flag(-530, Category.VALUES, 1, "Called the change orders 'bureaucracy' and skipped them.")
    s.repair_outcome(
        -514, orders, RepairOutcome.NO_CHANGE, "Requests moved to phone calls, past the form."
    )
    s.tick_all(-512, Stage.ASSESSMENT)
    s.assess(
        -512,
        "6000.00",
        "132.00",
        financial="About 45 EUR an hour against 75 agreed; extras are never paid.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -510,
        Decision.OFFBOARD,
        "The work keeps growing beyond the agreed scope; change orders have not held.",
    )
    s.move(-510, Stage.PREPARATION)
    booking = s.deliverable(-510, "Booking page, Finnish version", -490)
    s.tick_all(-500, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-498, Channel.PHONE, "1 month").last_day
    s.letter(
        -498,
        "termination-scope-creep",
        "Yhteistyön päättäminen",
        "Hei,\n\n"
        "kiitos tähänastisesta yhteistyöstä. Päätän sopimuksemme: työn laajuus kasvaa "
        "toistuvasti sovitun ulkopuolelle, eikä muutostilauskäytäntö ole auttanut. "
        f"Irtisanomisaika on yksi kuukausi, ja viimeinen työpäiväni on {s.text(last)}.\n\n"
        "Sitä ennen viimeistelen ajanvaraussivun ja luovutan kaikki tiedostot ohjeineen."
        "\n\nYstävällisin terveisin",
    )
    s.enter(-498, Stage.NOTICE)
    s.deliver(-491, booking)
    s.move(-462, Stage.HANDOVER)
    source = s.handover(-462, HandoverKind.FILE, "Site source and images")
    hosting = s.handover(-462, HandoverKind.CREDENTIAL, "Hosting login moved to their account")
    notes = s.handover(-462, HandoverKind.DOCUMENT, "Notes for the next web agency")
    s.hand_over(-459, source)
    s.hand_over(-459, hosting)
    s.hand_over(-458, notes)
    s.tick_all(-458, Stage.HANDOVER)
    s.move(-456, Stage.SETTLEMENT)
    final = s.invoice(-456, "RP-39", "2250.00", -442, final=True)
    s.letter(
        -456,
        "final-invoice",
        "Loppulasku RP-39",
        "Hei,\n\n"
        f"liitteenä loppulasku RP-39, {s.money(final.amount)}, kaikista luovutukseen asti "
        f"tehdyistä töistä. Eräpäivä on {s.text(final.due)}.\n\nKiitos yhteistyöstä.",
    )
    s.pay(-440, final)
    s.tick_all(-440, Stage.SETTLEMENT, waived=["refund", "escalation"])
    s.lesson(-430, LessonCategory.CONTRACT_CLAUSE, CHANGE_ORDERS)
    s.lesson(
        -430,
        LessonCategory.SCREENING_QUESTION,
        "Ask who approves changes, and how new requests reach you.",
    )
    s.enter(-430, Stage.CLOSED)


def pod_lipou(board: Board) -> None:
    """Closed, offboarded; outgrown; a warm exit with referrals a few months ago."""
    s = Story(
        board,
        -1000,
        "Knihkupectví Pod Lípou",
        company="Knihkupectví Pod Lípou s.r.o.",
        email="obchod@podlipou.example.org",
        locale="cs",
        currency="CZK",
        archetype=Archetype.OUTGROWN,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="1400.00",
    )
    posters = s.invoice(-160, "PL-88", "42000.00", -146)
    s.flag(
        -150, Category.STAGNATION, 1, "Print work for the shop has dried up since it went online."
    )
    s.pay(-147, posters)
    deposit = s.invoice(-145, "PL-91", "14000.00", -131)
    s.flag(-135, Category.SCOPE, 1, "Asked for stock and warehouse integration, not my field.")
    s.pay(-132, deposit)
    s.tick_all(-130, Stage.ASSESSMENT)
    s.assess(
        -130,
        "180000.00",
        "124.00",
        financial="About 1,450 CZK an hour, on target; the volume is falling.",
        long_term="A loyal client and a good reference; an e-commerce agency fits them now.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -128,
        Decision.OFFBOARD,
        "The bookshop has grown into an online business a larger team will serve better.",
    )
    s.move(-128, Stage.PREPARATION)
    s.tick_all(-124, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    catalogue = s.deliverable(-122, "Autumn catalogue, print files", -100)
    last = s.converse(-122, Channel.IN_PERSON, "1 month").last_day
    s.letter(
        -122,
        "termination-outgrown",
        "Ukončení spolupráce",
        "Dobrý den,\n\n"
        "děkuji za léta dobré spolupráce. Vaše knihkupectví vyrostlo v internetový obchod, "
        "kterému lépe poslouží větší tým, a proto naši spolupráci ukončuji. Výpovědní lhůta "
        f"je jeden měsíc, poslední pracovní den je {s.text(last)}.\n\n"
        "Do té doby dokončím podzimní katalog a předám všechny podklady s poznámkami. Rád "
        "vám doporučím dvě agentury, které se věnují internetovým obchodům.\n\nS pozdravem",
    )
    s.enter(-122, Stage.NOTICE)
    s.deliver(-101, catalogue)
    s.move(-98, Stage.HANDOVER)
    s.hand_over_all(
        -98,
        (HandoverKind.FILE, "Catalogue and poster source files", -95),
        (HandoverKind.CONTACT, "Printer and paper supplier contacts", -95),
        (HandoverKind.DOCUMENT, "Notes for the e-commerce agency", -95),
    )
    s.tick_all(-94, Stage.HANDOVER)
    s.move(-90, Stage.SETTLEMENT)
    final = s.invoice(-90, "PL-97", "28000.00", -76, final=True)
    s.letter(
        -90,
        "final-invoice",
        "Konečná faktura PL-97",
        "Dobrý den,\n\n"
        f"v příloze posílám konečnou fakturu PL-97 na {s.money(final.amount)} za práce do "
        f"předání. Splatnost je {s.text(final.due)}.\n\nDěkuji za spolupráci.",
    )
    # The spring catalogue was paid for up front and will not be made: its deposit goes back.
    s.refund(-90, "14000.00", "Deposit PL-91 for the spring catalogue, which will not be made")
    s.letter(
        -90,
        "refund-notice",
        "Vrácení zálohy PL-91",
        "Dobrý den,\n\n"
        f"zálohu {s.money('14000.00')} na jarní katalog, který už nevznikne, vám vracím. "
        f"Částka odejde na váš účet do {s.text(-80)}.\n\nS pozdravem",
    )
    s.refund_paid(-80)
    s.pay(-78, final)
    s.tick_all(-78, Stage.SETTLEMENT, waived=["escalation"])
    s.letter(
        -77,
        "thank-you",
        "Poděkování",
        "Dobrý den,\n\n"
        "děkuji za všechna společná léta. Pokud by se vám hodila reference pro nového "
        "dodavatele, rád ji poskytnu.\n\nS pozdravem",
    )
    s.lesson(
        -76, LessonCategory.SCREENING_QUESTION, "Ask where the business wants to be in two years."
    )
    s.lesson(
        -76,
        LessonCategory.OTHER,
        "Agree up front who owns the files and logins when the work ends.",
    )
    s.enter(-76, Stage.CLOSED)


STORIES = (quillon, peltola, pod_lipou)
