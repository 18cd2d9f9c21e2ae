"""Reading the notice period out of a termination clause as contracts write it, in English,
Turkish, Finnish and Czech: the table of clauses and what each one says, the refusals (with
their reasons), and the properties the rule must keep (what it stores reads back the same)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from offboard.domain.clauses import MAX_CLAUSE, notice_period, stored_notice
from offboard.domain.errors import InvalidInput
from offboard.domain.notice import NoticePeriod, end_date, last_working_day, parse_period

D = date.fromisoformat
EOM = " to the end of a calendar month"

# (clause, the period it gives, as offboard stores it)
ENGLISH = [
    ("Either party may terminate this Agreement by giving the other party thirty (30) days' "
     "written notice.", "30 days"),
    ("This Agreement may be terminated by either party upon one (1) month's prior written "
     "notice to the other party.", "1 month"),
    ("Either party may terminate this Agreement for convenience on 30 calendar days' notice in "
     "writing.", "30 days"),
    ("The Contractor may end the engagement by giving two weeks' notice.", "2 weeks"),
    ("Either party may terminate this contract with 1 month's notice.", "1 month"),
    ("Termination takes effect at the end of the following month.", "1 month" + EOM),
    ("Either party may terminate this Agreement by giving not less than 3 months' notice "
     "expiring at the end of a calendar month.", "3 months" + EOM),
    ("The Client may terminate this Agreement by giving three (3) months' notice to the end of "
     "a calendar month.", "3 months" + EOM),
    ("Either party may terminate with 30 business days' written notice.", "30 business days"),
    ("Notice of termination must be given in writing no less than ten (10) working days before "
     "the termination date.", "10 business days"),
    ("Either party may terminate this Agreement at any time by giving sixty (60) days' prior "
     "written notice to the other.", "60 days"),
    ("This agreement may be terminated by either party on ninety (90) days written notice.",
     "90 days"),
    ("Either Party may terminate this SOW upon fourteen (14) days' written notice. Fees for "
     "work performed up to the date of termination remain payable.", "14 days"),
    ("The Supplier may terminate the Services on giving not less than forty-five (45) days’ "
     "notice in writing to the Customer.", "45 days"),
    ("Either party may terminate this Agreement by giving a month's written notice.", "1 month"),
    ("Either party may end this agreement by giving six months' notice.", "6 months"),
    ("Termination by either party requires twenty-one (21) days' written notice, delivered by "
     "email.", "21 days"),
    ("Either party may terminate this Agreement on 4 weeks' notice. All invoices are payable "
     "within 14 days of issue.", "4 weeks"),
    ("The Agreement may be terminated by either party giving the other not less than one (1) "
     "week's notice.", "1 week"),
    ("Either party may terminate this Agreement with effect from the end of the month following "
     "the month in which notice is given.", "1 month" + EOM),
    ("The Consultant shall give twenty-eight (28) days' notice of termination; days are "
     "calendar days.", "28 days"),
    ("Either party may terminate this Agreement by giving 5 business days' notice.",
     "5 business days"),
    ("Either party may terminate this Agreement by notice, which takes effect at the end of "
     "the month.", "end of month"),
    ("EITHER PARTY MAY TERMINATE THIS AGREEMENT BY GIVING TWELVE (12) MONTHS' NOTICE.",
     "12 months"),
    ("Either party may terminate this agreement on thirty-one (31) days notice", "31 days"),
    ("This contract can be cancelled with 15 days notice", "15 days"),
    ("The Client may terminate on two (2) months' written notice, such notice to expire on the "
     "last day of a calendar month.", "2 months" + EOM),
    ("Each party may terminate with 20 working days' written notice.", "20 business days"),
    ("Either party may terminate this Agreement by giving the other party at least 30 days' "
     "notice, counted in business days.", "30 business days"),
]  # fmt: skip

TURKISH = [
    ("Taraflardan her biri, 30 gün önceden yazılı bildirimde bulunmak suretiyle işbu "
     "sözleşmeyi feshedebilir.", "30 days"),
    ("İşbu sözleşme, taraflardan birinin bir ay önceden yazılı ihbarı ile feshedilebilir.",
     "1 month"),
    ("Sözleşme, otuz (30) gün önceden yapılacak yazılı bildirimle sona erdirilebilir.",
     "30 days"),
    ("Taraflar, 15 iş günü önceden yazılı bildirimde bulunarak sözleşmeyi feshedebilir.",
     "15 business days"),
    ("Fesih bildirimi en az iki hafta önceden yapılmalıdır.", "2 weeks"),
    ("Taraflardan her biri üç (3) ay önceden yazılı bildirimde bulunarak sözleşmeyi "
     "feshedebilir.", "3 months"),
    ("Sözleşme, fesih bildiriminin yapıldığı ayı takip eden ayın sonunda sona erer.",
     "1 month" + EOM),
    ("İşbu sözleşme 60 günlük fesih ihbar süresine uyularak feshedilebilir.", "60 days"),
    ("Taraflar sözleşmeyi on dört (14) gün önceden bildirerek feshedebilir.", "14 days"),
    ("Hizmet sağlayıcı, 2 ay önceden bildirimde bulunarak ve takvim ayının sonunda geçerli "
     "olmak üzere sözleşmeyi feshedebilir.", "2 months" + EOM),
    ("Taraflardan her biri kırk beş (45) gün önceden yazılı bildirim ile sözleşmeyi "
     "feshedebilir.", "45 days"),
    ("Sözleşmenin feshi için 10 işgünü önceden bildirim gereklidir.", "10 business days"),
    ("Fesih, doksan (90) günlük bildirim süresinin sonunda hüküm ifade eder.", "90 days"),
    ("Taraflar bir hafta önceden haber vererek sözleşmeyi sona erdirebilir.", "1 week"),
    ("Her iki taraf da 20 takvim günü önceden yazılı bildirimle sözleşmeyi feshedebilir.",
     "20 days"),
    ("TARAFLAR SÖZLEŞMEYİ ALTI AY ÖNCEDEN BİLDİREREK FESHEDEBİLİR.", "6 months"),
]  # fmt: skip

FINNISH = [
    ("Kummallakin osapuolella on oikeus irtisanoa sopimus 30 päivän irtisanomisajalla.",
     "30 days"),
    ("Sopimuksen irtisanomisaika on kuukausi.", "1 month"),
    ("Sopimus voidaan irtisanoa kuukauden irtisanomisajalla.", "1 month"),
    ("Irtisanomisaika on 30 päivää.", "30 days"),
    ("Osapuolet voivat irtisanoa sopimuksen kolmen (3) kuukauden irtisanomisajalla.",
     "3 months"),
    ("Toimeksiantaja voi irtisanoa sopimuksen päättymään kahden viikon kuluttua "
     "irtisanomisesta.", "2 weeks"),
    ("Sopimuksen irtisanomisaika on 14 arkipäivää.", "14 business days"),
    ("Irtisanomisaika on kaksi (2) kuukautta, ja se lasketaan kalenterikuukauden loppuun.",
     "2 months" + EOM),
    ("Sopimus päättyy irtisanomista seuraavan kuukauden lopussa.", "1 month" + EOM),
    ("Kumpikin osapuoli voi irtisanoa sopimuksen kirjallisesti kuuden (6) kuukauden "
     "irtisanomisajalla.", "6 months"),
    ("Irtisanomisaika on kolmekymmentä (30) kalenteripäivää.", "30 days"),
    ("Sopimuksen voi irtisanoa 10 työpäivän irtisanomisajalla.", "10 business days"),
    ("Irtisanomisaika on yksi kuukausi.", "1 month"),
    ("Palveluntarjoaja voi irtisanoa sopimuksen neljäntoista (14) päivän irtisanomisajalla.",
     "14 days"),
    ("Irtisanomisaika on kuusikymmentä päivää.", "60 days"),
    ("Irtisanomisaika on 21 vuorokautta.", "21 days"),
]  # fmt: skip

CZECH = [
    ("Každá ze smluvních stran je oprávněna tuto smlouvu vypovědět s výpovědní lhůtou 30 dnů.",
     "30 days"),
    ("Výpovědní lhůta činí jeden měsíc a počíná běžet dnem doručení výpovědi.", "1 month"),
    ("Výpovědní lhůta 2 měsíce.", "2 months"),
    ("Smlouvu lze vypovědět písemnou výpovědí s výpovědní lhůtou třicet (30) dnů.", "30 days"),
    ("Výpovědní doba činí dva (2) měsíce a začíná běžet prvním dnem kalendářního měsíce "
     "následujícího po doručení výpovědi.", "2 months" + EOM),
    ("Výpovědní lhůta je 14 kalendářních dnů ode dne doručení výpovědi.", "14 days"),
    ("Smlouvu lze ukončit výpovědí s výpovědní lhůtou 10 pracovních dnů.", "10 business days"),
    ("Výpovědní lhůta je tři měsíce a končí posledním dnem kalendářního měsíce.",
     "3 months" + EOM),
    ("Objednatel může smlouvu vypovědět s dvouměsíční výpovědní lhůtou.", "2 months"),
    ("Smlouva skončí ke konci následujícího kalendářního měsíce po doručení výpovědi.",
     "1 month" + EOM),
    ("Výpovědní lhůta činí šedesát (60) dní.", "60 days"),
    ("Kterákoli strana může smlouvu vypovědět s výpovědní lhůtou dvou týdnů.", "2 weeks"),
    ("Smlouvu lze vypovědět s měsíční výpovědní lhůtou.", "1 month"),
    ("Výpovědní lhůta činí devadesát dnů.", "90 days"),
    ("Smlouvu lze vypovědět s výpovědní lhůtou patnácti (15) dnů.", "15 days"),
    ("Výpovědní lhůta je čtrnáct dní.", "14 days"),
    ("Výpovědní lhůta činí jeden týden.", "1 week"),
]  # fmt: skip

# The short phrases the issue names, typed on their own.
SHORT = [
    ("thirty (30) days' written notice", "30 days"),
    ("one (1) month", "1 month"),
    ("30 calendar days", "30 days"),
    ("two weeks' notice", "2 weeks"),
    ("1 month's notice", "1 month"),
    ("end of the following month", "1 month" + EOM),
    ("3 months to the end of a calendar month", "3 months" + EOM),
    ("30 gün", "30 days"),
    ("bir ay", "1 month"),
    ("30 päivää", "30 days"),
    ("kuukauden irtisanomisaika", "1 month"),
    ("30 dnů", "30 days"),
    ("jeden měsíc", "1 month"),
    ("výpovědní lhůta 2 měsíce", "2 months"),
    ("30 business days", "30 business days"),
    ("5 iş günü", "5 business days"),
    ("10 arkipäivää", "10 business days"),
    ("20 pracovních dnů", "20 business days"),
    # What offboard stored before clauses were read keeps its meaning.
    ("30 days", "30 days"),
    ("10 working days", "10 business days"),
    ("end of month", "end of month"),
    ("until 2027-01-31", "until 2027-01-31"),
    ("30", "30 days"),
]

TABLE = ENGLISH + TURKISH + FINNISH + CZECH


def test_the_table_is_big_enough_in_every_language() -> None:
    assert len(TABLE) >= 60
    assert min(len(ENGLISH), len(TURKISH), len(FINNISH), len(CZECH)) >= 14


@pytest.mark.parametrize(("clause", "stored"), TABLE + SHORT, ids=lambda x: str(x)[:40])
def test_reads_the_period_a_clause_gives(clause: str, stored: str) -> None:
    period = notice_period(clause)
    assert period.describe() == stored
    # What is stored reads back, strictly, to the same period.
    assert parse_period(stored) == period


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("one (1) month", "1 month, calendar days, from the day notice is given"),
        ("thirty (30) days' written notice",
         "30 days, calendar days, from the day notice is given"),
        ("10 iş günü", "10 days, business days, from the day notice is given"),
        ("3 months to the end of a calendar month",
         "3 months, calendar days, to the end of a calendar month"),
        ("end of the month", "to the end of the month in which notice is given"),
        ("until 2027-01-31", "until 2027-01-31, a fixed date"),
    ],
)  # fmt: skip
def test_explains_what_it_understood(text: str, explained: str) -> None:
    assert notice_period(text).explain() == explained


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Either party may terminate on 30 days' notice, or on 60 days' notice if the Client has "
         "paid in advance.", "more than one notice period (30 days and 60 days)"),
        ("Notice: one (1) month (30 days).", "more than one notice period (1 month and 30 days)"),
        ("Fesih ihbar süresi altı ay olup, ödemeler 14 gün içinde yapılır.",
         "more than one notice period (6 months and 14 days)"),
        ("Výpovědní lhůta je 2 měsíce nebo 3 měsíce.", "more than one notice period"),
        ("Irtisanomisaika on 3 kuukautta tai 90 päivää.", "more than one notice period"),
        ("Either party may terminate on 30, 60 or 90 days' notice.",
         "more than one notice period (30 days, 60 days and 90 days)"),
        ("irtisanomisaika 2-3 kuukautta", "more than one notice period (2 months and 3 months)"),
        ("thirty (20) days' notice", "thirty is 30"),
        ("Either party may terminate this Agreement at any time.", "no period was found"),
        ("forever", "no period was found"),
        ("30 calendar days, counted in business days", "both calendar and business days"),
        ("30 business calendar days", "both calendar and business days"),
        ("1.5 months' notice", "whole"),
        ("-3 days", "negative"),
        ("9999999 days", "longer than this app allows"),
        ("3651 calendar days", "longer than this app allows"),
        ("Notice must be given before the end of the month.", "deadline"),
        ("until 2027-02-30", "2027-02-30"),
    ],
)  # fmt: skip
def test_refuses_ambiguous_text_and_says_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        notice_period(text)
    assert reason in caught.value.one_line()


@pytest.mark.parametrize("value", ["", "   ", None, 30, ["30 days"]])
def test_refuses_what_is_not_text_or_empty(value: object) -> None:
    with pytest.raises(InvalidInput):
        notice_period(value)


def test_stored_notice_is_blank_for_blank_and_canonical_otherwise() -> None:
    assert stored_notice("") == ""
    assert stored_notice("  ") == ""
    assert stored_notice("thirty (30) days' written notice") == "30 days"
    assert stored_notice("kuukauden irtisanomisaika") == "1 month"


def test_a_clause_may_span_lines_but_not_hold_control_characters() -> None:
    assert (
        notice_period("Either party may terminate\nwith 30 days' notice.").describe() == "30 days"
    )
    with pytest.raises(InvalidInput):
        notice_period("30 days\x00")
    with pytest.raises(InvalidInput):
        notice_period("30 days " + "x" * MAX_CLAUSE)


@pytest.mark.parametrize(
    ("start", "text", "end", "last"),
    [
        # 10 March + 3 months = 10 June, then to the end of June (a Tuesday).
        ("2026-03-10", "3 months to the end of a calendar month", "2026-06-30", "2026-06-30"),
        # End of the following month: 31 January + 1 month shrinks to 28 February 2027 (Sunday).
        ("2027-01-31", "end of the following month", "2027-02-28", "2027-02-26"),
        ("2026-11-02", "end of the following month", "2026-12-31", "2026-12-31"),
        # Czech: two months from the first day of the month after notice is delivered.
        ("2026-03-10", "Výpovědní doba činí dva (2) měsíce a začíná běžet prvním dnem "
         "kalendářního měsíce následujícího po doručení výpovědi.", "2026-05-31", "2026-05-29"),
        # 20 business days, then on to the end of that month.
        ("2026-11-02", "20 business days to the end of a calendar month", "2026-11-30",
         "2026-11-30"),
    ],
)  # fmt: skip
def test_last_day_for_the_month_end_anchors(start: str, text: str, end: str, last: str) -> None:
    period = notice_period(text)
    assert end_date(D(start), period) == D(end)
    assert last_working_day(D(start), period) == D(last)


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        period = notice_period(text)
    except InvalidInput:
        return
    assert isinstance(period, NoticePeriod)
    assert parse_period(period.describe()) == period


@given(
    st.lists(st.sampled_from([c for c, _ in TABLE]), min_size=1, max_size=1),
    st.text(alphabet=st.sampled_from(" \n\t,.;"), max_size=5),
)
def test_surrounding_whitespace_and_punctuation_change_nothing(
    clauses: list[str], padding: str
) -> None:
    clause = clauses[0]
    assert notice_period(padding + clause + padding) == notice_period(clause)


def test_a_long_clause_is_read_quickly() -> None:
    import time

    text = ("The parties agree that the services are provided as described. " * 70) + (
        "Either party may terminate with thirty (30) days' written notice."
    )
    started = time.perf_counter()
    assert notice_period(text).describe() == "30 days"
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("clause", "stored"),
    [
        # A phone number's "+" is not a sign, a clause number is not a count.
        ("Call +358 40 123 4567 to agree a date. Notice 30 days.", "30 days"),
        ("Section 12.3: Either party may terminate with 30 days notice.", "30 days"),
        # "the end of each month" about invoices does not move the notice's end.
        ("Invoices are issued at the end of each month. Either party may terminate with 30 "
         "days' notice.", "30 days"),
        # The contract's term, in its own sentence, is not the notice period.
        ("The term of this Agreement is 12 months. Either party may terminate on 1 month's "
         "notice.", "1 month"),
        # Said twice, the same period is one period.
        ("Either party may terminate on 30 days' notice. The 30 days run from delivery.",
         "30 days"),
        ("one month's notice, to expire at the end of the following month", "1 month" + EOM),
        ("Irtisanomisaika 1 kk.", "1 month"),
        ("Vypovedni lhuta je mesic.", "1 month"),  # typed without the accents
    ],
)  # fmt: skip
def test_other_words_in_the_clause_do_not_get_in_the_way(clause: str, stored: str) -> None:
    assert notice_period(clause).describe() == stored


@pytest.mark.parametrize("text", ["٣ days", "zero days", "3 fortnights", "end of week"])
def test_what_is_not_a_period_here_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        notice_period(text)
    assert "is not understood" in caught.value.message
    assert "no period was found" in caught.value.one_line()


@pytest.mark.parametrize(
    ("text", "count", "unit", "business", "to_month_end"),
    [
        ("thirty (30) days' written notice", 30, "days", False, False),
        ("10 iş günü", 10, "days", True, False),
        ("kahden viikon irtisanomisaika", 2, "weeks", False, False),
        ("výpovědní lhůta 2 měsíce ke konci kalendářního měsíce", 2, "months", False, True),
        ("end of the following month", 1, "months", False, True),
    ],
)
def test_the_period_is_structured(
    text: str, count: int, unit: str, business: bool, to_month_end: bool
) -> None:
    period = notice_period(text)
    assert (period.count, period.unit, period.business, period.to_month_end) == (
        count,
        unit,
        business,
        to_month_end,
    )
