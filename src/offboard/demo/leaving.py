"""The demo clients on their way out: notice given, and files and logins being handed over.

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
    HandoverStatus as Status,
    RepairOutcome,
    Stage,
)
from .story import Board, Story


def lakeside(board: Board) -> None:
    """Notice, running; a time sink; notice given by phone nine days ago."""
    s = Story(
        board,
        -380,
        "Lakeside Pilates Collective",
        email="hello@lakesidepilates.example.com",
        locale="en",
        currency="USD",
        archetype=Archetype.TIME_SINK,
        notice_period="30 days",
        termination_clause="Monthly retainer; either side may end it with 30 days' notice.",
        payment_terms_days=14,
        hourly_rate="75.00",
    )
    s.flag(
        -110,
        Category.TIME,
        2,
        "Spring campaign schedule changed four times; the class list is still not decided.",
    )
    retainer = s.invoice(-95, "LP-75", "750.00", -81)
    s.flag(
        -84,
        Category.TIME,
        2,
        "Two review meetings cancelled at short notice; the site launch moved twice.",
        "Calendar, review meetings",
    )
    s.pay(-83, retainer)
    retainer = s.invoice(-65, "LP-78", "750.00", -51)
    s.flag(
        -60,
        Category.MONEY,
        2,
        "The retainer covers 10 hours a month; the last three months took 19, 22 and 17.",
        "timesheets/lakeside-retainer.csv",
    )
    s.pay(-53, retainer)
    s.flag(-41, Category.COMMUNICATION, 1, "Text for the timetable page missing after 5 requests.")
    s.tick_all(-38, Stage.ASSESSMENT)
    s.assess(
        -38,
        "9000.00",
        "186.00",
        financial="About 48 USD an hour against a retainer priced at 75.",
        operational="Rescheduled meetings fragment the week for other clients.",
        long_term="A pleasant team, but the work will not grow into what I want to do.",
        recommendation=Decision.OFFBOARD,
    )
    retainer = s.invoice(-35, "LP-81", "750.00", -21)
    s.decide(-33, Decision.OFFBOARD, "The engagement no longer fits how my business runs.")
    s.move(-33, Stage.PREPARATION)
    widget = s.deliverable(-30, "Booking widget fix", -20)
    s.pay(-23, retainer)
    s.deliver(-21, widget)
    s.tick_all(-15, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-9, Channel.PHONE, "30 days").last_day
    s.letter(
        -9,
        "confirmation",
        "Confirming our conversation today",
        "Hello Lakeside team,\n\n"
        "Thank you for the call this morning. As discussed, I am ending our retainer: the "
        "engagement no longer fits how my business runs. My last working day for you is "
        f"{s.text(last)}.\n\n"
        f"Before then I will deliver the spring class timetable page ({s.text(7)}) and the "
        f"newsletter template ({s.text(15)}), and hand over the site files and logins. "
        "If it helps, I can suggest two studios that could take over the site.\n\n"
        "Thank you for the year of good work together.",
    )
    s.move(-9, Stage.NOTICE)
    s.tick(-9, Stage.NOTICE, ["conversation", "written-notice", "last-day-shared"])
    s.deliverable(-9, "Spring class timetable page", 7)
    s.deliverable(-9, "Newsletter template", 15)
    s.handover(-8, HandoverKind.FILE, "Website source files and image library")
    s.handover(-8, HandoverKind.CREDENTIAL, "Hosting control panel login (to the studio's account)")
    s.invoice(-5, "LP-84", "750.00", 9)


def revontuli(board: Board) -> None:
    """Notice, running; a micromanager; notice by video call three days ago."""
    s = Story(
        board,
        -240,
        "Kuvaamo Revontuli",
        company="Kuvaamo Revontuli Oy",
        email="studio@revontulikuvaamo.example.org",
        locale="fi",
        currency="EUR",
        archetype=Archetype.MICROMANAGER,
        notice_period="10 business days",
        payment_terms_days=14,
        hourly_rate="85.00",
    )
    s.flag(
        -95,
        Category.RESPECT,
        2,
        "Approved retouching choices reversed afterwards; fourth round on the same set.",
        "Shared folder spring-catalogue/round-4",
    )
    s.flag(-66, Category.RESPECT, 2, "Asked to watch my screen during every editing session.")
    attempt = s.repair(-60, "Two fixed feedback rounds per set, collected in one document", -30)
    s.move(-60, Stage.REPAIR)
    s.tick(-60, Stage.REPAIR, ["own-part", "cadence", "review-date"], waived=["new-agreement"])
    paid = s.invoice(-45, "RK-55", "2100.00", -31)
    s.flag(
        -40,
        Category.COMMUNICATION,
        1,
        "Instructions split over email, chat and voice messages, often contradicting each other.",
    )
    s.pay(-33, paid)
    s.repair_outcome(
        -30, attempt, RepairOutcome.NO_CHANGE, "Feedback kept arriving outside the agreed rounds."
    )
    s.tick_all(-28, Stage.ASSESSMENT)
    s.assess(
        -28,
        "6200.00",
        "110.00",
        financial="About 56 EUR an hour against a target of 85.",
        operational="Extra rounds push the other studio work into evenings.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -24, Decision.OFFBOARD, "Our working styles differ too much for me to do my best work."
    )
    s.move(-24, Stage.PREPARATION)
    portraits = s.deliverable(-24, "Retouched portraits, 12 images", -10)
    s.deliver(-11, portraits)
    s.tick_all(-10, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-3, Channel.VIDEO, "10 business days").last_day
    s.letter(
        -3,
        "confirmation",
        "Vahvistus tämänpäiväisestä keskustelustamme",
        "Hei,\n\n"
        "kiitos tämänpäiväisestä keskustelusta. Kuten kerroin, yhteistyömme päättyy: "
        "työskentelytapamme eroavat liikaa, jotta voisin tehdä parhaan työni teille. "
        f"Viimeinen työpäiväni on {s.text(last)}.\n\n"
        f"Sitä ennen toimitan kesäkuvaston tuotekuvat ({s.text(6)}) ja kaikki lähdetiedostot "
        "järjestettyinä. Voin suositella kahta kuvaajaa, jotka työskentelevät mielellään "
        "tiiviisti asiakkaan kanssa.\n\nKiitos yhteistyöstä.\n\nYstävällisin terveisin",
    )
    s.move(-3, Stage.NOTICE)
    s.tick(-3, Stage.NOTICE, ["conversation", "written-notice"])
    s.deliverable(-3, "Product photos, summer catalogue", 6)
    s.invoice(-3, "RK-61", "1700.00", 11)


def saltmarsh(board: Board) -> None:
    """Handover; abusive; the last working day has passed and one item is still pending."""
    s = Story(
        board,
        -190,
        "Saltmarsh Studio",
        company="Saltmarsh Studio Ltd",
        email="admin@saltmarsh-studio.test",
        locale="en",
        currency="GBP",
        archetype=Archetype.ABUSIVE,
        notice_period="14 days",
        payment_terms_days=14,
        hourly_rate="70.00",
    )
    early = s.invoice(-70, "SM-301", "1800.00", -56)
    s.pay(-57, early)
    s.flag(
        -52,
        Category.COMMUNICATION,
        2,
        "Messages demanding a reply within the hour, weekends included.",
        "Chat export, weekend of the homepage launch",
    )
    s.flag(
        -38,
        Category.ABUSE,
        3,
        "Insulting remarks about my assistant's work in a group email.",
        "Email 'Re: Homepage copy' (saved as PDF)",
    )
    second = s.invoice(-35, "SM-309", "1400.00", -21)
    s.flag(
        -31,
        Category.ABUSE,
        3,
        "Threatened a public negative review unless the next phase was delivered free.",
        "Email 'Last chance' (saved as PDF)",
    )
    s.tick_all(-30, Stage.ASSESSMENT, waived=["cool-off"])
    s.assess(
        -30,
        "5600.00",
        "88.00",
        operational="My assistant no longer works on this account; stress spills into other work.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(-29, Decision.OFFBOARD, "The tone of recent messages means the work cannot continue.")
    s.move(-29, Stage.PREPARATION)
    homepage = s.deliverable(-29, "Homepage copy, final version", -24)
    s.pay(-27, second)
    s.deliver(-24, homepage)
    s.tick_all(-23, Stage.PREPARATION, waived=["referrals"])
    last = s.converse(-22, Channel.EMAIL, "14 days").last_day
    s.letter(
        -22,
        "termination-abusive",
        "Notice of termination",
        "Hello,\n\n"
        "I am ending our agreement with the 14 days' notice it sets out. My last working day "
        f"on the account is {s.text(last)}.\n\n"
        "Before then you will receive the final homepage files, the status notes and the "
        "transfer of the domain to your registrar account. From now on I will answer in "
        "writing only, by email.\n\nThank you,",
    )
    s.enter(-22, Stage.NOTICE)
    files = s.handover(-20, HandoverKind.FILE, "Final homepage files and image library")
    notes = s.handover(-20, HandoverKind.DOCUMENT, "Status notes: open tasks and next steps")
    accounts = s.handover(-20, HandoverKind.CREDENTIAL, "CMS editor accounts of my team removed")
    s.handover(-20, HandoverKind.CREDENTIAL, "Domain transfer to the client's registrar account")
    s.hand_over(-13, files)
    s.hand_over(-13, notes)
    s.hand_over(-12, accounts, Status.REVOKED)
    s.move(-12, Stage.HANDOVER)
    s.tick(
        -12,
        Stage.HANDOVER,
        ["finish-deliverables", "files", "transition-notes"],
        waived=["brief-successor"],
    )


def ekin(board: Board) -> None:
    """Handover, running; outgrown; warm exit with referrals, handing over to an in-house team."""
    s = Story(
        board,
        -520,
        "Ekin Yazılım",
        company="Ekin Yazılım A.Ş.",
        email="iletisim@ekinyazilim.example.com",
        locale="tr",
        currency="USD",
        archetype=Archetype.OUTGROWN,
        notice_period="1 month",
        termination_clause="One month's written notice; source files belong to the client.",
        payment_terms_days=30,
        hourly_rate="95.00",
    )
    monthly = s.invoice(-100, "EK-900", "4800.00", -70)
    s.flag(-90, Category.STAGNATION, 1, "Briefs shrink as the new in-house team takes over design.")
    s.pay(-73, monthly)
    monthly = s.invoice(-70, "EK-904", "4800.00", -40)
    s.flag(-60, Category.SCOPE, 1, "Asked for backend API work, which is outside my field.")
    s.flag(
        -45,
        Category.TIME,
        1,
        "Approvals now pass through three departments and take weeks.",
        "Approval thread for the icon set",
    )
    s.pay(-43, monthly)
    monthly = s.invoice(-40, "EK-908", "4800.00", -10)
    s.tick_all(-40, Stage.ASSESSMENT)
    s.assess(
        -40,
        "22000.00",
        "240.00",
        financial="About 92 USD an hour, close to target; volume is falling.",
        long_term="A strong reference; a product agency will serve their new direction better.",
        recommendation=Decision.OFFBOARD,
    )
    s.decide(
        -36,
        Decision.OFFBOARD,
        "The company has grown in a direction a larger team will serve better.",
    )
    s.move(-36, Stage.PREPARATION)
    docs = s.deliverable(-30, "Design system documentation", -4)
    s.tick_all(-20, Stage.PREPARATION, waived=["collect-first", "legal-advice"])
    last = s.converse(-14, Channel.IN_PERSON, "1 month").last_day
    s.letter(
        -14,
        "confirmation",
        "Bugünkü görüşmemizin teyidi",
        "Merhaba,\n\n"
        "bugünkü görüşmemiz için teşekkür ederim. Konuştuğumuz gibi işbirliğimizi "
        "sonlandırıyoruz: şirketiniz, daha büyük bir ekibin daha iyi hizmet verebileceği bir "
        f"yöne büyüdü. Son çalışma günüm {s.text(last)}.\n\n"
        f"O tarihe kadar son ikon setini ({s.text(6)}) teslim edeceğim ve tüm tasarım "
        "dosyalarını notlarıyla birlikte ekibinize aktaracağım. Ürün tasarımında uzman iki "
        "ajansın iletişim bilgilerini de ekte bulabilirsiniz.\n\n"
        "Birlikte geçirdiğimiz yıllar için içtenlikle teşekkür ederim.\n\nSaygılarımla,",
    )
    s.enter(-14, Stage.NOTICE)
    s.deliverable(-14, "Final icon set", 6)
    s.pay(-13, monthly)
    s.invoice(-12, "EK-912", "5400.00", 18)
    s.move(-6, Stage.HANDOVER)
    files = s.handover(-6, HandoverKind.FILE, "Design source files and exported assets")
    hosting = s.handover(-6, HandoverKind.CREDENTIAL, "Hosting admin login")
    vendors = s.handover(-6, HandoverKind.CONTACT, "Printer and font vendor contacts")
    archive = s.handover(
        -6, HandoverKind.FILE, "Brand photo archive (the client holds the originals)"
    )
    s.handover(-6, HandoverKind.DOCUMENT, "Transition notes for the in-house design team")
    s.handover(-6, HandoverKind.CREDENTIAL, "Analytics account ownership")
    s.deliver(-5, docs)
    s.hand_over(-5, files)
    s.hand_over(-5, hosting)
    s.hand_over(-4, vendors)
    s.hand_over(-4, archive, Status.WAIVED)
    s.tick(-4, Stage.HANDOVER, ["files"])


STORIES = (lakeside, revontuli, saltmarsh, ekin)
