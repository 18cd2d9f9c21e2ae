"""The demo clients still being weighed up: in assessment, in repair, and in preparation.

Every business, address and letter here is invented; email addresses use reserved example
domains only. Each story is told in the order things happened (see `Story`).
"""

from __future__ import annotations

from ..domain.models import Archetype, Category, Decision, RepairOutcome, Stage
from .story import Board, Story


def juniper_vale(board: Board) -> None:
    """Assessment; a time sink; flags still being collected, numbers half done."""
    s = Story(
        board,
        -210,
        "Juniper & Vale Interiors",
        company="Juniper & Vale Interiors Ltd",
        email="studio@junipervale.example.com",
        locale="en",
        currency="GBP",
        archetype=Archetype.TIME_SINK,
        notice_period="30 days",
        termination_clause="Either party may end the agreement with 30 days' written notice.",
        payment_terms_days=30,
        hourly_rate="65.00",
    )
    first = s.invoice(-75, "JV-1041", "1950.00", -45)
    s.flag(
        -62,
        Category.TIME,
        2,
        "Third planning call in a row started without the agreed samples; it ran 40 minutes over.",
        "Calendar: showroom planning call",
    )
    s.pay(-41, first)
    s.flag(
        -35,
        Category.COMMUNICATION,
        1,
        "Approval of the showroom mood boards took 19 days; the schedule slipped by two weeks.",
        "Email 'Re: Mood boards v2'",
    )
    s.invoice(-14, "JV-1058", "2250.00", 16)
    s.flag(
        -9,
        Category.MONEY,
        2,
        "Hours logged over the last quarter exceed the estimate by 38 %, with no extra budget.",
        "timesheets/juniper-vale-last-90-days.csv",
    )
    s.tick(-8, Stage.ASSESSMENT, ["log-incidents"])
    s.assess(
        -6,
        "4200.00",
        "96.00",
        financial="About 44 GBP an hour against a target of 65; overruns are not billed.",
        operational="Overrunning calls and late approvals push two other projects back.",
    )
    s.tick(-6, Stage.ASSESSMENT, ["effective-rate"])


def tupa_outdoor(board: Board) -> None:
    """Assessment; outgrown; the review says offboard, the cool-off is still running."""
    s = Story(
        board,
        -400,
        "Tupa Outdoor",
        company="Tupa Outdoor Oy",
        email="toimisto@tupaoutdoor.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.OUTGROWN,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="80.00",
    )
    s.flag(
        -50,
        Category.SCOPE,
        2,
        "Asked for a full web-shop integration; my work is brand and print design.",
        "Meeting notes, web-shop kickoff",
    )
    inv = s.invoice(-40, "TO-2207", "3400.00", -26)
    s.pay(-27, inv)
    s.flag(
        -20,
        Category.STAGNATION,
        1,
        "Three months without a brief for the print work the contract is about.",
    )
    s.flag(
        -4,
        Category.SCOPE,
        1,
        "Catalogue job now includes mapping product data from their ERP system.",
        "Email 'Tuotedata'",
    )
    s.tick(-3, Stage.ASSESSMENT, ["log-incidents", "effective-rate", "hidden-costs", "long-term"])
    s.assess(
        -2,
        "11500.00",
        "150.00",
        financial="Rate is still fine (about 77 EUR an hour), but the print work is drying up.",
        operational="New requests would mean subcontracting e-commerce work I do not offer.",
        long_term="A friendly client; a warm handover to a web agency keeps the referral.",
        recommendation=Decision.OFFBOARD,
    )


def cobalt_kettle(board: Board) -> None:
    """Repair; a micromanager; a weekly call is being tried, review in two days."""
    s = Story(
        board,
        -300,
        "Cobalt Kettle Coffee Roasters",
        company="Cobalt Kettle Coffee Roasters LLC",
        email="ops@cobaltkettle.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.MICROMANAGER,
        notice_period="30 days",
        payment_terms_days=30,
        hourly_rate="90.00",
    )
    s.flag(
        -70,
        Category.RESPECT,
        2,
        "Packaging proposal returned with line-by-line rewrites; third round on the same label.",
        "Email 'Label v3 comments'",
    )
    paid = s.invoice(-60, "CK-311", "4800.00", -30)
    s.flag(
        -48,
        Category.COMMUNICATION,
        2,
        "Six follow-up messages between 9 pm and midnight about a non-urgent colour choice.",
        "Chat export, label channel",
    )
    s.flag(-33, Category.RESPECT, 1, "Asked for hourly status updates during the product shoot.")
    s.pay(-31, paid)
    s.tick_all(-30, Stage.ASSESSMENT)
    s.assess(
        -30,
        "14800.00",
        "210.00",
        financial="Pays on time; the rate falls below target because of extra review rounds.",
        operational="Late-evening messages break focus for the next morning.",
        long_term="Long relationship with good referrals in the local food scene.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-29, Decision.REPAIR, "Review rounds clash with my way of working; try a cadence.")
    s.repair(
        -28,
        "Weekly check-in call on Mondays; feedback collected in one shared document",
        2,
    )
    s.move(-28, Stage.REPAIR)
    s.letter(
        -28,
        "repair-proposal",
        "A steadier rhythm for our work together",
        "Hello Cobalt Kettle team,\n\n"
        "To keep the packaging work moving, I suggest a 30-minute call every Monday morning. "
        "Between calls, please collect feedback in the shared document rather than in chat; "
        "I will work through it before each call. I will reply to messages on weekdays between "
        "9:00 and 17:00.\n\n"
        f"Let us look at how this works on {s.text(2)}.\n\nThank you,",
    )
    s.tick(-28, Stage.REPAIR, ["own-part", "cadence", "review-date"])
    s.invoice(-10, "CK-327", "3600.00", 20)


def kirmizi_kapi(board: Board) -> None:
    """Repair; a non-payer; the payment-plan review is overdue and an invoice is past due."""
    s = Story(
        board,
        -260,
        "Kırmızı Kapı Mimarlık",
        company="Kırmızı Kapı Mimarlık Ltd. Şti.",
        email="muhasebe@kirmizikapi.example.org",
        locale="tr",
        currency="EUR",
        archetype=Archetype.NON_PAYER,
        notice_period="30 days",
        payment_terms_days=15,
        hourly_rate="70.00",
    )
    a = s.invoice(-140, "KK-118", "2800.00", -125)
    b = s.invoice(-100, "KK-131", "3200.00", -85)
    s.pay(-80, a)
    s.flag(
        -80,
        Category.PAYMENT,
        2,
        "KK-118 paid 45 days after its due date, after three reminders.",
        "Invoice KK-118",
    )
    reminders = s.repair(-78, "Reminder on the due date and again one week later", -50)
    s.move(-78, Stage.REPAIR)
    s.repair_outcome(
        -50,
        reminders,
        RepairOutcome.NO_CHANGE,
        "Reminders were acknowledged; payments stayed late.",
    )
    s.pay(-45, b, "1600.00")
    s.flag(
        -44,
        Category.PAYMENT,
        2,
        "Disputed the hours on KK-131 without naming a specific item; paid in two parts.",
        "Invoice KK-131; email 'Fatura hakkında'",
    )
    c = s.invoice(-42, "KK-140", "2600.00", -27)
    s.tick_all(-32, Stage.ASSESSMENT)
    s.assess(
        -32,
        "8600.00",
        "130.00",
        financial="About 66 EUR an hour; the real cost is the cash flow gap of 4-6 weeks.",
        operational="Chasing payments takes two to three hours a month.",
        long_term="Interesting projects and a good portfolio piece if payment can be fixed.",
        recommendation=Decision.REPAIR,
    )
    s.decide(-31, Decision.REPAIR, "Late payment is the one real problem; try a deposit model.")
    s.repair(-30, "50 % deposit before each phase, and a payment plan for KK-140", -3)
    s.letter(
        -30,
        "repair-proposal",
        "Ödeme düzeni için öneri",
        "Merhaba,\n\n"
        "çalışmalarımızı düzenli sürdürebilmek için bir öneride bulunmak istiyorum: bundan "
        "sonra her aşamanın başında %50 avans, kalan tutar teslimde ödenir. KK-140 numaralı "
        f"faturanın açık tutarı için iki eşit taksit öneriyorum: {s.text(-16)} ve {s.text(-3)}."
        "\n\nUygunsa bu e-postayı yanıtlamanız yeterli. Teşekkür ederim.\n\nSaygılarımla,",
    )
    s.tick(-30, Stage.REPAIR, ["own-part", "new-agreement", "review-date"], waived=["cadence"])
    s.pay(-20, b)
    s.pay(-14, c, "1300.00")
    s.flag(
        -2,
        Category.PAYMENT,
        3,
        "Second instalment of KK-140 not paid on the agreed date; asked for a 20 % discount.",
        "Invoice KK-140",
    )


def brightmoss(board: Board) -> None:
    """Preparation; a scope creeper; the change-order attempt failed, planning the exit."""
    s = Story(
        board,
        -330,
        "Brightmoss Landscaping",
        company="Brightmoss Landscaping Ltd",
        email="office@brightmoss.example.com",
        locale="en",
        currency="GBP",
        archetype=Archetype.SCOPE_CREEPER,
        notice_period="30 days",
        payment_terms_days=30,
        hourly_rate="60.00",
    )
    s.flag(
        -120,
        Category.SCOPE,
        2,
        "Booking form grew from 4 to 11 fields plus a quote calculator, inside the fixed price.",
        "Email 'Small additions'",
    )
    s.flag(
        -90,
        Category.SCOPE,
        2,
        "Asked for a full redesign of the gallery two days before launch.",
        "Launch checklist, gallery section",
    )
    attempt = s.repair(-85, "Change-order form for anything outside the signed scope", -55)
    s.move(-85, Stage.REPAIR)
    s.tick(-85, Stage.REPAIR, ["own-part", "new-agreement", "review-date"], waived=["cadence"])
    old = s.invoice(-60, "BM-2071", "2400.00", -30)
    s.flag(
        -58,
        Category.VALUES,
        1,
        "Called the change-order form unnecessary paperwork and asked to drop it.",
    )
    s.repair_outcome(
        -55, attempt, RepairOutcome.WORSE, "Requests moved to phone calls to avoid the form."
    )
    s.pay(-29, old)
    s.flag(
        -25,
        Category.SCOPE,
        3,
        "Fourth unpaid extra this month: seasonal landing pages expected at no charge.",
        "Change log, entries 14-17",
    )
    s.invoice(-25, "BM-2090", "1450.00", 5)
    s.tick_all(-20, Stage.ASSESSMENT)
    s.assess(
        -20,
        "7900.00",
        "205.00",
        financial="About 39 GBP an hour against a target of 60; extras are never paid.",
        operational="Unplanned requests break the schedule for two other clients.",
        long_term="Some local referrals, but the work no longer shows what I do best.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -16,
        Decision.OFFBOARD,
        "The work requested keeps growing beyond the agreed scope; change orders have not held.",
    )
    s.move(-16, Stage.PREPARATION)
    spam_filter = s.deliverable(-16, "Contact form spam filter", -5)
    s.deliverable(-16, "Seasonal planting guide page", 12)
    # Reading the contract for the exit is when its termination clause gets written down.
    s.edit(
        -12,
        termination_clause=(
            "30 days' written notice by either party; work in progress is invoiced pro rata."
        ),
    )
    s.tick(-12, Stage.PREPARATION, ["termination-clause", "obligations", "documentation"])
    s.deliver(-6, spam_filter)
    s.tick(-4, Stage.PREPARATION, ["timing"])


def modry_kos(board: Board) -> None:
    """Preparation; a non-payer; collecting what is owed before announcing anything."""
    s = Story(
        board,
        -280,
        "Pražírna Modrý Kos",
        company="Pražírna Modrý Kos s.r.o.",
        email="fakturace@modrykos.example.org",
        locale="cs",
        currency="CZK",
        archetype=Archetype.NON_PAYER,
        notice_period="1 month",
        payment_terms_days=14,
        hourly_rate="1600.00",
    )
    first = s.invoice(-120, "MK-2301", "38000.00", -106)
    s.pay(-70, first)
    s.flag(
        -70,
        Category.PAYMENT,
        2,
        "MK-2301 paid five weeks late, after two reminders.",
        "Invoice MK-2301",
    )
    second = s.invoice(-62, "MK-2309", "42500.00", -48)
    s.flag(
        -40,
        Category.PAYMENT,
        2,
        "Asked for a 30 % discount on MK-2309 after the work had been approved.",
        "Email 'Sleva'",
    )
    third = s.invoice(-27, "MK-2314", "24000.00", -13)
    s.flag(
        -12,
        Category.PAYMENT,
        3,
        "Two invoices overdue; no reply to reminders for ten days.",
        "Invoices MK-2309, MK-2314",
    )
    s.tick_all(-10, Stage.ASSESSMENT)
    s.assess(
        -10,
        "104500.00",
        "68.00",
        financial="The rate on paper is fine, but 66,500 CZK is open and two months late.",
        operational="Chasing payments now takes more time than the roasting-label work itself.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-8, Decision.OFFBOARD, "Invoices are paid late again and again despite agreed terms.")
    s.move(-8, Stage.PREPARATION)
    s.tick(-7, Stage.PREPARATION, ["termination-clause", "obligations", "documentation"])
    s.letter(
        -5,
        "payment-reminder",
        f"Upomínka: faktury {second.number} a {third.number}",
        "Dobrý den,\n\n"
        f"připomínám dvě neuhrazené faktury: {second.number} na {s.money(second.amount)} "
        f"se splatností {s.text(second.due)} a {third.number} na {s.money(third.amount)} "
        f"se splatností {s.text(third.due)}.\n\n"
        f"Prosím o úhradu do {s.text(2)}. Pokud platba mezitím odešla, považujte tuto zprávu "
        "za bezpředmětnou.\n\nDěkuji a přeji hezký den,",
    )


STORIES = (juniper_vale, tupa_outdoor, cobalt_kettle, kirmizi_kapi, brightmoss, modry_kos)
