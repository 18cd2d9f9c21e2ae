"""The three closed demo clients that cost the most: the few behind most of the trouble.

Each was offboarded within the last year after months of red flags, failed repairs and unpaid
work, so the exit report's Pareto view has its vital few: a retainer that took three times the
hours it paid for, a client that disputed or sat on its invoices, and one whose messages
turned abusive. Their figures are large on purpose, and consistent: the assessment's hours and
revenue, the written-off invoices and the flags tell the same story as the letters.

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
    HandoverStatus,
    LessonCategory,
    RepairOutcome,
    Stage,
)
from .story import Board, Story
from .taught import (
    CHECK_IN,
    DEPOSIT,
    DEPOSIT_FIRST,
    DISMISSIVE,
    HOURS_CAP,
    LATE_FROM_START,
    MEETING_CAP,
    SUPPORT_QUESTION,
)


def orchard_lane(board: Board) -> None:
    """Closed, offboarded; a time sink; the retainer took three times the hours it paid for."""
    s = Story(
        board,
        -760,
        "Orchard Lane Media",
        company="Orchard Lane Media Ltd",
        email="studio@orchardlane.example.com",
        locale="en",
        currency="GBP",
        archetype=Archetype.TIME_SINK,
        notice_period="30 days",
        termination_clause="Monthly retainer of 40 hours; 30 days' written notice by either side.",
        payment_terms_days=30,
        hourly_rate="60.00",
    )
    retainer = s.invoice(-355, "OL-401", "2400.00", -325)
    s.flag(
        -352,
        Category.TIME,
        2,
        "A daily stand-up added 'just for this month' is still running four months later.",
        "Calendar: Orchard Lane stand-up",
    )
    s.flag(
        -340,
        Category.MONEY,
        3,
        "The retainer covers 40 hours a month; last month took 131.",
        "timesheets/orchard-lane-march.csv",
    )
    s.flag(-333, Category.COMMUNICATION, 2, "Urgent calls on Sunday evenings, three weeks running.")
    s.decide(
        -331, Decision.REPAIR, "The hours might come down with one fixed channel for requests."
    )
    calls = s.repair(-330, CHECK_IN, -300)
    s.enter(-330, Stage.REPAIR)
    s.pay(-326, retainer)
    retainer = s.invoice(-325, "OL-407", "2400.00", -295)
    s.flag(-318, Category.SCOPE, 2, "Podcast editing added to a retainer for web and brand work.")
    s.flag(
        -305,
        Category.MONEY,
        3,
        "A second month over 120 hours; the overtime is called 'part of the retainer'.",
        "timesheets/orchard-lane-april.csv",
    )
    s.repair_outcome(
        -300, calls, RepairOutcome.NO_CHANGE, "Calls were held; requests kept coming by phone."
    )
    cap = s.repair(-298, HOURS_CAP, -268)
    s.pay(-296, retainer)
    s.flag(-296, Category.TIME, 3, "A 'quick' rebrand review took three full days of meetings.")
    overtime = s.invoice(-295, "OL-412", "3480.00", -265)  # 58 hours over the cap
    s.flag(-288, Category.STAGNATION, 1, "The brand guide is on its ninth revision since spring.")
    s.flag(
        -280,
        Category.SCOPE,
        3,
        "Asked for a second website, for a sister company, inside the same retainer.",
        "Email 'One more small site'",
    )
    s.flag(
        -272,
        Category.PAYMENT,
        2,
        "Overtime invoice OL-412 disputed as work the retainer already covers.",
        "Invoice OL-412",
    )
    s.flag(-270, Category.MONEY, 3, "Requests marked 'urgent' again and again to get past the cap.")
    s.repair_outcome(
        -268, cap, RepairOutcome.WORSE, "Requests were relabelled urgent; the overtime is unpaid."
    )
    s.tick_all(-264, Stage.ASSESSMENT)
    s.assess(
        -264,
        "57600.00",
        "3040.00",
        financial="About 19 GBP an hour against the 60 agreed; overtime goes unpaid.",
        operational="The retainer takes the hours of every other client; evenings too.",
        long_term="Good for the portfolio once; it has crowded out every new client since.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -262,
        Decision.OFFBOARD,
        "The retainer takes three times the hours it pays for, and neither repair held.",
    )
    s.move(-262, Stage.PREPARATION)
    pages = s.deliverable(-262, "Spring campaign landing pages", -236)
    s.tick_all(-248, Stage.PREPARATION, waived=["legal-advice"])
    last = s.converse(-244, Channel.VIDEO, "30 days").last_day
    s.letter(
        -244,
        "termination",
        "Ending our retainer",
        "Hello Orchard Lane team,\n\n"
        "Thank you for the call today. As discussed, I am ending our retainer with the 30 "
        f"days' notice it sets out; my last working day is {s.text(last)}. The work now takes "
        "far more hours than the retainer pays for, and the changes we tried have not "
        "brought that back.\n\nI will finish the spring campaign pages and hand over every "
        "file and login with notes for the agency that follows.\n\nThank you,",
    )
    s.enter(-244, Stage.NOTICE)
    s.deliver(-237, pages)
    s.move(-214, Stage.HANDOVER)
    files = s.handover(-214, HandoverKind.FILE, "Brand files, web source and podcast projects")
    cms = s.handover(-214, HandoverKind.CREDENTIAL, "CMS and hosting logins moved to the client")
    notes = s.handover(-214, HandoverKind.DOCUMENT, "Handover notes for the incoming agency")
    vendors = s.handover(-214, HandoverKind.CONTACT, "Podcast host and printer contacts")
    s.hand_over(-210, files)
    s.hand_over(-210, cms)
    s.hand_over(-208, notes)
    s.hand_over(-208, vendors)
    s.tick_all(-207, Stage.HANDOVER)
    s.move(-205, Stage.SETTLEMENT)
    final = s.invoice(-205, "OL-430", "4800.00", -175, final=True)
    s.letter(
        -205,
        "final-invoice",
        "Final invoice OL-430",
        "Hello,\n\n"
        f"Attached is the final invoice OL-430 for {s.money(final.amount)}, for the work up to "
        f"the handover. It is due on {s.text(final.due)}. Invoice OL-412 for the overtime "
        "remains open as well.\n\nThank you,",
    )
    s.pay(-178, final, "1800.00")
    s.write_off(-160, overtime)
    s.write_off(-160, final)
    s.tick_all(-160, Stage.SETTLEMENT, waived=["refund"])
    s.lesson(-158, LessonCategory.CONTRACT_CLAUSE, MEETING_CAP)
    s.lesson(-158, LessonCategory.SCREENING_QUESTION, SUPPORT_QUESTION)
    s.lesson(
        -158,
        LessonCategory.MISSED_RED_FLAG,
        "Expected daily availability from a retainer of 40 hours a month.",
    )
    s.enter(-158, Stage.CLOSED)


def bellwether(board: Board) -> None:
    """Closed, offboarded; a non-payer; three invoices disputed and in the end written off."""
    s = Story(
        board,
        -700,
        "Bellwether Freight",
        company="Bellwether Freight Inc.",
        email="ap@bellwether-freight.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.NON_PAYER,
        notice_period="30 days",
        payment_terms_days=30,
        hourly_rate="95.00",
    )
    first = s.invoice(-362, "BF-1152", "9500.00", -332)
    s.flag(-350, Category.RESPECT, 2, "Called my payment reminders 'harassment' in a meeting.")
    phase = s.invoice(-336, "BF-1160", "12350.00", -306)
    s.decide(-329, Decision.REPAIR, "Late payment is the problem; a deposit may fix it.")
    deposit = s.repair(-328, DEPOSIT_FIRST, -298)
    s.enter(-328, Stage.REPAIR)
    s.letter(
        -328,
        "repair-proposal",
        "Deposits from the next phase on",
        "Hello,\n\n"
        "From the next phase on, I will ask for a 50 % deposit before the work starts, with "
        "the rest due on delivery. Open invoices need to be settled before a new phase "
        f"begins. Let us look at how this works on {s.text(-298)}.\n\nThank you,",
    )
    s.flag(-320, Category.PAYMENT, 3, "Deposit paid, then invoice BF-1160 disputed line by line.")
    s.flag(
        -300,
        Category.PAYMENT,
        3,
        "BF-1160 disputed in full, though the work was accepted in writing.",
        "Acceptance email, route planner phase 2",
    )
    s.repair_outcome(
        -298, deposit, RepairOutcome.NO_CHANGE, "One deposit arrived; the next phase had none."
    )
    s.flag(-290, Category.VALUES, 2, "Asked me to backdate an invoice to fit their budget year.")
    phase2 = s.invoice(-288, "BF-1171", "11400.00", -258)
    s.pay(-283, first)
    s.flag(-283, Category.PAYMENT, 2, "BF-1152 paid 51 days late, after four reminders.")
    s.flag(
        -276, Category.PAYMENT, 3, "Payment of BF-1160 promised 'this Friday' for a fourth week."
    )
    s.flag(-268, Category.MONEY, 2, "Expects weekend support through their peak season, unpaid.")
    s.flag(
        -255,
        Category.PAYMENT,
        3,
        "Two invoices overdue, USD 23,750 open; reminders unanswered for three weeks.",
        "Invoices BF-1160, BF-1171",
    )
    s.pay(-252, phase2, "4000.00")
    s.flag(-251, Category.PAYMENT, 3, "Paid 4,000 of BF-1171 and called it 'settled in full'.")
    s.tick_all(-250, Stage.ASSESSMENT)
    s.assess(
        -250,
        "114000.00",
        "2420.00",
        financial="About 47 USD an hour against 95 agreed, and USD 19,750 still open.",
        operational="Chasing money takes a day a week; disputes take the rest.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -249,
        Decision.OFFBOARD,
        "Invoices are disputed or paid months late, and the deposit did not hold.",
    )
    s.move(-249, Stage.PREPARATION)
    dashboard = s.deliverable(-249, "Route planner dashboard, final release", -228)
    s.tick_all(-240, Stage.PREPARATION)
    last = s.converse(-238, Channel.PHONE, "30 days").last_day
    s.letter(
        -238,
        "termination-payment",
        "Ending our agreement",
        "Hello,\n\n"
        "Following our call today, I confirm that I am ending our agreement with 30 days' "
        f"notice; my last working day is {s.text(last)}. Invoices have been disputed or paid "
        "months late, and the deposit arrangement did not hold.\n\n"
        "I will finish the route planner release and send a final, itemised invoice after "
        "the handover.\n\nRegards,",
    )
    s.enter(-238, Stage.NOTICE)
    s.deliver(-229, dashboard)
    s.move(-205, Stage.HANDOVER)
    s.hand_over_all(
        -205,
        (HandoverKind.FILE, "Dashboard source code and deployment scripts", -201),
        (HandoverKind.CREDENTIAL, "Cloud account ownership", -201),
        (HandoverKind.DOCUMENT, "Runbook for the route planner", -200),
    )
    s.tick_all(-200, Stage.HANDOVER, waived=["brief-successor"])
    s.move(-198, Stage.SETTLEMENT)
    final = s.invoice(-198, "BF-1190", "6650.00", -168, final=True)
    s.letter(
        -198,
        "final-invoice",
        "Final invoice BF-1190",
        "Hello,\n\n"
        f"Attached is the final invoice BF-1190 for {s.money(final.amount)}, itemised up to "
        f"the handover and due on {s.text(final.due)}. Invoices BF-1160 and BF-1171 are still "
        "open as well.\n\nRegards,",
    )
    for invoice in (phase, phase2, final):
        s.write_off(-140, invoice)
    s.tick_all(-140, Stage.SETTLEMENT, waived=["refund", "escalation"])
    s.lesson(-138, LessonCategory.PAYMENT_TERMS, DEPOSIT)
    s.lesson(-138, LessonCategory.MISSED_RED_FLAG, LATE_FROM_START)
    s.lesson(
        -138,
        LessonCategory.CONTRACT_CLAUSE,
        "Work that was accepted in writing is billable in full; say so in the contract.",
    )
    s.enter(-138, Stage.CLOSED)


def demirci(board: Board) -> None:
    """Closed, offboarded; abusive; a quick exit by email, without a referral."""
    s = Story(
        board,
        -620,
        "Demirci Mobilya",
        company="Demirci Mobilya San. ve Tic. A.Ş.",
        email="satinalma@demircimobilya.example.org",
        locale="tr",
        currency="EUR",
        archetype=Archetype.ABUSIVE,
        notice_period="14 days",
        payment_terms_days=30,
        hourly_rate="70.00",
    )
    paid = s.invoice(-362, "DM-85", "6300.00", -332)
    s.flag(-360, Category.COMMUNICATION, 2, "Replies demanded within the hour, at night as well.")
    s.flag(-352, Category.RESPECT, 2, "Mocked the catalogue layouts in front of their staff.")
    s.flag(-345, Category.ABUSE, 2, "Shouted at my assistant on a call over a typo in a proof.")
    open_work = s.invoice(-340, "DM-91", "7000.00", -310)
    s.flag(-340, Category.TIME, 2, "Photo shoot cancelled on the morning, unpaid, again.")
    s.flag(
        -336,
        Category.ABUSE,
        3,
        "Insulting voice messages about my work, sent to my personal number.",
        "Voice messages (saved)",
    )
    s.pay(-332, paid)
    s.flag(
        -331,
        Category.COMMUNICATION,
        3,
        "Threatened to warn 'every furniture maker in İzmir' unless the catalogue is redone free.",
        "Email 'Son uyarı' (saved as PDF)",
    )
    s.flag(
        -329,
        Category.ABUSE,
        3,
        "Insults in a group email copied to their suppliers.",
        "Email 'Katalog' (saved as PDF)",
    )
    s.flag(-327, Category.VALUES, 2, "Asked me to use a competitor's photos without a licence.")
    s.flag(
        -325,
        Category.ABUSE,
        3,
        "Threatened to withhold every payment unless I worked through a public holiday.",
        "Email 'Bayram' (saved as PDF)",
    )
    s.tick_all(-324, Stage.ASSESSMENT, waived=["cool-off"])
    s.assess(
        -324,
        "42000.00",
        "1820.00",
        financial="About 23 EUR an hour against 70 agreed.",
        operational="My assistant no longer takes their calls; the stress reaches every project.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-323, Decision.OFFBOARD, "The tone of the messages means the work cannot continue.")
    s.move(-323, Stage.PREPARATION)
    s.tick_all(-322, Stage.PREPARATION, waived=["referrals", "talking-points"])
    last = s.converse(-321, Channel.EMAIL, "14 days").last_day
    s.letter(
        -321,
        "termination-abusive",
        "Sözleşmenin feshi",
        "Merhaba,\n\n"
        "Sözleşmemizi, öngördüğü 14 günlük bildirim süresiyle sona erdiriyorum. Son çalışma "
        f"günüm {s.text(last)}.\n\n"
        "O tarihe kadar katalog dosyalarını ve açık işlerin listesini ileteceğim. Bundan "
        "sonra yalnızca yazılı olarak, e-posta ile yanıt vereceğim.\n\nSaygılarımla,",
    )
    s.enter(-321, Stage.NOTICE)
    s.move(-312, Stage.HANDOVER)
    files = s.handover(-312, HandoverKind.FILE, "Catalogue source files and photo selects")
    access = s.handover(-312, HandoverKind.CREDENTIAL, "My team's access to their web shop")
    s.hand_over(-308, files)
    s.hand_over(-308, access, HandoverStatus.REVOKED)
    s.tick_all(-307, Stage.HANDOVER, waived=["brief-successor", "transition-notes"])
    s.move(-306, Stage.SETTLEMENT)
    final = s.invoice(-306, "DM-97", "2800.00", -292, final=True)
    s.write_off(-290, open_work)
    s.write_off(-290, final)
    s.tick_all(-290, Stage.SETTLEMENT, waived=["refund", "escalation"])
    s.lesson(-289, LessonCategory.MISSED_RED_FLAG, DISMISSIVE)
    s.lesson(
        -289,
        LessonCategory.OTHER,
        "Agree that requests and feedback come in writing, never as voice messages.",
    )
    s.enter(-289, Stage.CLOSED)


STORIES = (orchard_lane, bellwether, demirci)
