"""The words domain/clauses.py reads notice periods with, in English, Turkish, Finnish and Czech:
numbers, units, what qualifies a unit (calendar, business), and the words that say a sentence
is about notice.

Every word is matched after `fold`: lower case, accents and the Turkish dotless i taken off,
apostrophes dropped. So "MONTH'S" is "months", "päivää" is "paivaa", "ALTI" (Turkish capitals
have no dot on the i of "altı") is "alti", and a Czech clause typed without its accents
("mesice") reads as the written one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

EN, TR, FI, CS = "en", "tr", "fi", "cs"

CALENDAR, BUSINESS = "calendar", "business"


def fold(text: str) -> str:
    """Text as the readers match it (see the module's docstring)."""
    text = text.replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = re.sub(r"['\u2019\u2018\u02bc`]", "", bare)
    return bare.lower()


@dataclass(frozen=True)
class NumberWord:
    language: str
    value: int
    # "ones" (1-9) may follow a "tens" word of the same language: "twenty one", "kırk beş".
    role: str = "whole"


def _words(language: str, table: dict[str, int], role: str = "whole") -> dict[str, NumberWord]:
    return {fold(word): NumberWord(language, value, role) for word, value in table.items()}


_EN_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9}  # fmt: skip
_EN_WHOLE = {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
             "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
             "nineteen": 19}  # fmt: skip
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}  # fmt: skip

_TR_ONES = {"bir": 1, "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7, "sekiz": 8,
            "dokuz": 9}  # fmt: skip
# Turkish says 14 as "on dört": ten, then four.
_TR_TENS = {"on": 10, "yirmi": 20, "otuz": 30, "kırk": 40, "elli": 50, "altmış": 60,
            "yetmiş": 70, "seksen": 80, "doksan": 90}  # fmt: skip

# Finnish: the nominative ("kolme kuukautta") and the genitive ("kolmen kuukauden").
_FI_ONES_NOM = ("yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "seitsemän", "kahdeksan",
                "yhdeksän")  # fmt: skip
_FI_ONES_GEN = ("yhden", "kahden", "kolmen", "neljän", "viiden", "kuuden", "seitsemän",
                "kahdeksan", "yhdeksän")  # fmt: skip


def _finnish() -> dict[str, NumberWord]:
    words: dict[str, int] = {"kymmenen": 10}
    ones: dict[str, int] = {}
    tens: dict[str, int] = {}
    for n, (nom, gen) in enumerate(zip(_FI_ONES_NOM, _FI_ONES_GEN, strict=True), start=1):
        ones[nom] = ones[gen] = n
        words[nom + "toista"] = words[gen + "toista"] = 10 + n
        if n >= 2:
            tens[nom + "kymmentä"] = tens[gen + "kymmenen"] = 10 * n
    # Written as one word: "kolmekymmentäyksi", "neljänkymmenenviiden".
    for ten, t in tens.items():
        genitive = ten.endswith("kymmenen")
        for n, (nom, gen) in enumerate(zip(_FI_ONES_NOM, _FI_ONES_GEN, strict=True), start=1):
            words[ten + (gen if genitive else nom)] = t + n
    return {
        **_words(FI, words),
        **_words(FI, ones, "ones"),
        **_words(FI, tens, "tens"),
    }


# Czech: the forms a count takes before a noun, in the cases a clause uses them.
_CS_ONES = {
    1: ("jeden", "jedna", "jedno", "jednoho", "jedné", "jednu", "jednom", "jedním"),
    2: ("dva", "dvě", "dvou", "dvěma"),
    3: ("tři", "tří", "třech", "třem", "třemi"),
    4: ("čtyři", "čtyř", "čtyřech", "čtyřem", "čtyřmi"),
    5: ("pět", "pěti"),
    6: ("šest", "šesti"),
    7: ("sedm", "sedmi"),
    8: ("osm", "osmi"),
    9: ("devět", "devíti"),
}
_CS_WHOLE = {
    10: ("deset", "deseti"), 11: ("jedenáct", "jedenácti"), 12: ("dvanáct", "dvanácti"),
    13: ("třináct", "třinácti"), 14: ("čtrnáct", "čtrnácti"), 15: ("patnáct", "patnácti"),
    16: ("šestnáct", "šestnácti"), 17: ("sedmnáct", "sedmnácti"), 18: ("osmnáct", "osmnácti"),
    19: ("devatenáct", "devatenácti"),
}  # fmt: skip
_CS_TENS = {20: "dvacet", 30: "třicet", 40: "čtyřicet", 50: "padesát", 60: "šedesát",
            70: "sedmdesát", 80: "osmdesát", 90: "devadesát"}  # fmt: skip
# "jednadvacet" (one-and-twenty) is as common as "dvacet jedna".
_CS_INVERTED = {1: "jedna", 2: "dva", 3: "tři", 4: "čtyři", 5: "pět", 6: "šest", 7: "sedm",
                8: "osm", 9: "devět"}  # fmt: skip


def _czech() -> dict[str, NumberWord]:
    ones = {form: n for n, forms in _CS_ONES.items() for form in forms}
    whole = {form: n for n, forms in _CS_WHOLE.items() for form in forms}
    tens: dict[str, int] = {}
    for t, word in _CS_TENS.items():
        tens[word] = tens[word + "i"] = t
        for n, one in _CS_INVERTED.items():
            joined = one + ("" if one.endswith("a") else "a") + word
            whole[joined] = whole[joined + "i"] = t + n
    return {**_words(CS, whole), **_words(CS, ones, "ones"), **_words(CS, tens, "tens")}


NUMBERS: dict[str, NumberWord] = {
    **_words(EN, _EN_ONES, "ones"),
    **_words(EN, _EN_WHOLE),
    **_words(EN, _EN_TENS, "tens"),
    **_words(TR, _TR_ONES, "ones"),
    **_words(TR, _TR_TENS, "tens"),
    **_finnish(),
    **_czech(),
}
# "a month's notice": one, but only right before an English unit (the unit's language must
# match the number's, so the Czech "a" ("and") never counts).
ARTICLES = {"a": NumberWord(EN, 1), "an": NumberWord(EN, 1)}


@dataclass(frozen=True)
class UnitWord:
    language: str
    unit: str  # days, weeks, months
    counting: str | None = None  # CALENDAR or BUSINESS when the word itself says so


# Ordered: a compound that names its counting comes before the plain unit it ends in.
_UNITS: tuple[tuple[re.Pattern[str], UnitWord], ...] = tuple(
    (re.compile(pattern), unit)
    for pattern, unit in (
        (r"weekdays?", UnitWord(EN, "days", BUSINESS)),
        (r"days?", UnitWord(EN, "days")),
        (r"weeks?", UnitWord(EN, "weeks")),
        (r"months?", UnitWord(EN, "months")),
        (r"isgun\w*", UnitWord(TR, "days", BUSINESS)),
        (r"gun(?:u|luk|de|den|e|un|ler\w*)?", UnitWord(TR, "days")),
        (r"hafta(?:lik|dan|ya|da|nin|lar\w*)?", UnitWord(TR, "weeks")),
        (r"ay(?:lik|dan|a|da|lar\w*)?", UnitWord(TR, "months")),
        (r"kalenteripaiv\w*", UnitWord(FI, "days", CALENDAR)),
        (r"(?:arki|tyo|pankki)paiv\w*", UnitWord(FI, "days", BUSINESS)),
        (r"paiv\w*", UnitWord(FI, "days")),
        (r"vuorokau\w*", UnitWord(FI, "days", CALENDAR)),
        (r"viik\w*", UnitWord(FI, "weeks")),
        (r"(?:kalenteri)?kuuka\w*|kk", UnitWord(FI, "months")),
        (r"den|dne|dnu|dnem|dny|dni|dnech|dnum", UnitWord(CS, "days")),
        (r"tyd(?:en|ne|nu|nem|ny|nech|num)", UnitWord(CS, "weeks")),
        (r"mesic(?:e|i|em|u|ich|um)?", UnitWord(CS, "months")),
    )
)


def unit_word(word: str) -> UnitWord | None:
    for pattern, unit in _UNITS:
        if pattern.fullmatch(word):
            return unit
    return None


# Between a count and its unit: "30 calendar days", "15 iş günü", "10 pracovních dnů".
_QUALIFIERS = {
    "calendar": CALENDAR, "business": BUSINESS, "working": BUSINESS, "banking": BUSINESS,
    "full": None, "clear": None, "consecutive": None, "whole": None,
    "takvim": CALENDAR, "is": BUSINESS, "tam": None,
    "taytta": None, "tayden": None,
}  # fmt: skip
_CS_QUALIFIER = re.compile(r"(kalendarn|pracovn|cel[yeych])\w*")


def qualifier(word: str) -> tuple[bool, str | None]:
    """(whether `word` may stand between a count and its unit, the counting it names)."""
    if word in _QUALIFIERS:
        return True, _QUALIFIERS[word]
    found = _CS_QUALIFIER.fullmatch(word)
    if found:
        stem = found.group(1)
        return True, CALENDAR if stem == "kalendarn" else BUSINESS if stem == "pracovn" else None
    return False, None


# A unit on its own means one, where the language says so: Finnish "kuukauden
# irtisanomisaika" (a month's notice) or "irtisanomisaika on kuukausi", Czech "výpovědní lhůta
# je měsíc".
BARE_GENITIVE = {
    "kuukauden": "months", "kalenterikuukauden": "months", "viikon": "weeks",
}  # fmt: skip
BARE_NOMINATIVE = {
    fold(word): unit
    for word, unit in (("kuukausi", "months"), ("kalenterikuukausi", "months"),
                       ("viikko", "weeks"), ("měsíc", "months"), ("týden", "weeks"))
}  # fmt: skip
# Czech adjectives: "dvouměsíční výpovědní lhůta" (a two-month notice period).
CS_ADJECTIVE = re.compile(
    r"(jedno|dvou|tri|ctyr|peti|sesti|sedmi|osmi|deviti|deseti|dvanacti|ctrnacti|patnacti"
    r"|dvaceti|triceti|sedesati|devadesati)?(mesicni|tydenni|denni)\w*"
)
CS_ADJECTIVE_COUNT = {
    None: 1, "jedno": 1, "dvou": 2, "tri": 3, "ctyr": 4, "peti": 5, "sesti": 6, "sedmi": 7,
    "osmi": 8, "deviti": 9, "deseti": 10, "dvanacti": 12, "ctrnacti": 14, "patnacti": 15,
    "dvaceti": 20, "triceti": 30, "sedesati": 60, "devadesati": 90,
}  # fmt: skip
CS_ADJECTIVE_UNIT = {"mesicni": "months", "tydenni": "weeks", "denni": "days"}

# Between the counts of a list or a range: "30, 60 or 90 days", "30 to 60 days", "2-3 kuukautta".
LIST_WORDS = frozenset(
    fold(word)
    for word in ("or", "and", "to", "veya", "ya", "da", "ile", "ila", "tai", "ja", "nebo", "až",
                 "a", "či")
)  # fmt: skip

# A sentence with one of these is about notice (matched at the start of a word).
NOTICE_STEMS = (
    "notic", "terminat",
    "bildir", "ihbar", "fesih", "feshi", "fesh", "onel", "onceden",
    "irtisano", "ilmoit",
    "vypoved", "ukonc",
)  # fmt: skip

# Phrases about the end of a month, matched on folded text before it is split into words.
# "end of the following month": one month, then to the end of that month.
FOLLOWING_MONTH_END = re.compile(
    r"\bend\s+of\s+the\s+(?:following|next|subsequent|succeeding)\s+(?:calendar\s+)?month\b"
    r"|\bend\s+of\s+the\s+(?:calendar\s+)?month\s+(?:following|after)\b"
    r"|\b(?:takip\s+eden|izleyen|bir\s+sonraki|sonraki|muteakip)\s+(?:takvim\s+)?ayin\s+son\w*"
    r"|\bseuraavan\s+(?:kalenteri)?kuukauden\s+"
    r"(?:loppuun|lopussa|lopulla|paattyessa|viimeise\w*(?:\s+paiva\w*)?)"
    r"|\b(?:do|ke|k)\s+konc\w*\s+nasledujiciho\s+(?:kalendarniho\s+)?mesice\b"
    r"|\b(?:poslednim\s+dnem|koncem)\s+nasledujiciho\s+(?:kalendarniho\s+)?mesice\b"
)
# "to the end of a calendar month": the count runs, then the notice runs on to the month's end.
# The Czech "prvním dnem měsíce následujícího" (from the first day of the next month) comes to
# the same end: N whole months from the 1st end on the last day of a month.
MONTH_END = re.compile(
    r"\b(?:end|last\s+day)\s+of\s+(?:a|the|any|each|that|such)\s+(?:calendar\s+)?month\b"
    r"|\bmonth[\s-]end\b"
    r"|\b(?:takvim\s+)?ay(?:in|inin)?\s+son(?:u|una|unda|uyla|unu)?\b"
    r"|\b(?:kalenteri)?kuukauden\s+(?:loppuun|lopussa|lopulla|paattyessa|viimeise\w*"
    r"(?:\s+paiva\w*)?)"
    r"|\b(?:do|ke|k)\s+konc\w*\s+(?:kalendarniho\s+)?mesice\b"
    r"|\b(?:poslednim\s+dnem|koncem)\s+(?:kalendarniho\s+)?mesice\b"
    r"|\bprvnim\s+dnem\s+(?:kalendarniho\s+)?mesice\s+nasledujiciho\b"
)
# "before the end of the month" sets when notice must be given, not how long it runs.
BEFORE_MONTH_END = re.compile(
    r"\b(?:before|prior\s+to|preceding)\s+the\s+end\s+of\s+(?:a|the|any|each)\s+"
    r"(?:calendar\s+)?month\b"
)
