"""The notice period, read out of what the user types or pastes: a short form ("30 days") or a
whole termination clause as a contract writes it, in English, Turkish, Finnish or Czech.

`notice_period` is the one rule for a notice period given by the user: the CLI (`--notice`,
`--period`), the TUI's fields, the services and the config's default all go through it, and
store what it returns as `describe()` (the short form domain/notice.py reads back exactly, so
what was stored before clauses were read decodes as it always did).

How a clause is read:

- A period is a count and a unit: digits or number words ("thirty (30) days", "kolmen
  kuukauden", "on dört gün"), then words that qualify the unit ("calendar", "iş",
  "pracovních"), then the unit. When words and figures are both given they must agree.
- A unit alone counts as one where the language says so ("kuukauden irtisanomisaika",
  "výpovědní lhůta je měsíc", "a month's notice").
- "to the end of a calendar month" (and its Turkish, Finnish and Czech forms) makes the notice
  run on to the end of the month the count ends in; "end of the following month" is one month
  run on so. A clause with no count but "the end of the month" ends at the end of the month
  notice is given in.
- "calendar days" or "business days" without a count ("days are business days") says how every
  count of days in the clause is meant.
- Refused, with the reason: no period at all; more than one different period (when several are
  named, the ones in sentences about notice are preferred, so a payment term elsewhere in the
  clause does not get in the way); calendar and business days both claimed; words and figures
  that disagree; fractions, signs; "before the end of the month" (a deadline for giving notice,
  not a period).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from . import clause_words as w, validate
from .errors import InvalidInput
from .notice import ACCEPTED_FORMS, LIMITS, NoticePeriod, parse_period, too_long

# A clause pasted from a contract, with room to spare; a whole contract is not a notice period.
MAX_CLAUSE = 5_000

EXAMPLES = (
    '"30 days", "1 month", "10 business days", "3 months to the end of a calendar month", '
    "or the clause from the contract"
)

# Figures are 0-9 only: a digit from another script is not a count the user meant to type.
_TOKEN = re.compile(
    r"(?P<num>[0-9]+(?:[.,][0-9]+)*)|(?P<word>[^\W\d_]+)|(?P<open>\()|(?P<close>\))"
    r"|(?P<stop>[.;!?\n])|(?P<comma>[,\-\u2013])"
)
# A sign right before a count of some unit: "-3 days". (A phone number's "+358" is no count.)
_SIGNED = re.compile(r"(?<![\w)])([-\u2212+])([0-9]+)\s*([^\W\d_]+)")
# Stand-ins for the month-end phrases, put in before the text is split into words.
_FOLLOWING, _ANCHOR = "qqfollowingmonthendqq", "qqmonthendqq"
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])[-\u2010\u2011](?=[^\W\d_])")
_FIXED_DATE = re.compile(r"\s*until\s+\d", re.IGNORECASE)
_MAX_QUALIFIERS = 3
_BARE_LOOKBACK = 3  # how far back a notice word makes a Czech or Finnish unit alone mean one


@dataclass(frozen=True)
class _Token:
    kind: str  # num, word, open, close, comma (also a dash)
    text: str  # folded (see clause_words.fold)
    sentence: int


@dataclass(frozen=True)
class _Mention:
    count: int
    unit: str
    counting: str | None
    sentence: int
    month_end: bool = False


def notice_period(value: Any) -> NoticePeriod:
    """The notice period `value` gives (see the module's docstring), or InvalidInput saying why
    it cannot be read as exactly one."""
    # The answer depends on the text alone, and the same few texts come back again and again
    # (every client's own period, every conversation's): they are read once. A NoticePeriod
    # is frozen, so sharing one is safe; a refusal is not kept.
    return _read_text(value) if isinstance(value, str) else _read(value)


def _read(value: Any) -> NoticePeriod:
    text = validate.free_text(value, "the notice period", max_len=MAX_CLAUSE)
    if not text:
        raise InvalidInput("the notice period is empty", hint=f"give one, e.g. {EXAMPLES}")
    try:
        return parse_period(text)
    except InvalidInput:
        # A fixed date has only the short form: its own refusal is the precise one.
        if _FIXED_DATE.match(text):
            raise
    return _read_clause(text)


_read_text = functools.lru_cache(maxsize=256)(_read)


def stored_notice(value: Any) -> str:
    """What a notice field stores: the short form of notice_period, or "" when left blank or
    None (no period of the client's own)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return notice_period(value).describe()


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _tokens(folded: str) -> list[_Token]:
    out: list[_Token] = []
    sentence = 0
    for found in _TOKEN.finditer(folded):
        kind = found.lastgroup or "word"
        if kind == "stop":
            sentence += 1
            continue
        out.append(_Token(kind, found.group(), sentence))
    return out


def _read_clause(text: str) -> NoticePeriod:
    signed = next((s for s in _SIGNED.finditer(text) if w.unit_word(w.fold(s.group(3)))), None)
    if signed:
        raise InvalidInput(
            f"{signed.group(1)}{signed.group(2)} in {_shown(text)!r} has a sign; a notice "
            "period is never negative",
            hint="give its length, e.g. 30 days",
        )
    # A hyphen between letters joins a word ("thirty-one"); between figures it is a range.
    folded = _WORD_HYPHEN.sub(" ", w.fold(text))
    if w.BEFORE_MONTH_END.search(folded):
        raise InvalidInput(
            f"{_shown(text)!r} sets a deadline for giving notice (before a month's end), not "
            "how long the notice runs",
            hint="give the notice period itself, e.g. 1 month",
        )
    folded = w.FOLLOWING_MONTH_END.sub(f" {_FOLLOWING} ", folded)
    folded = w.MONTH_END.sub(f" {_ANCHOR} ", folded)
    tokens = _tokens(folded)
    reader = _Reader(tokens, text)
    reader.scan()
    return reader.resolve()


class _Reader:
    def __init__(self, tokens: list[_Token], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.mentions: list[_Mention] = []
        self.declared: set[str] = set()  # countings named without a count
        self.anchors: list[int] = []  # sentences with "to the end of a month"
        self.notice_sentences = {
            t.sentence for t in tokens if t.kind == "word" and t.text.startswith(w.NOTICE_STEMS)
        }

    # --- numbers ---------------------------------------------------------------------------

    def _number(self, i: int) -> tuple[int, str | None, int, str] | None:
        """(value, language or None for figures, index after it, the words) at token i."""
        tok = self.tokens[i]
        if tok.kind == "num":
            if not tok.text.isdigit():
                return None
            # Beyond six digits every limit is far exceeded; int() of a huge run is not tried.
            return (int(tok.text) if len(tok.text) <= 6 else 10**7), None, i + 1, tok.text
        if tok.kind != "word":
            return None
        word = w.NUMBERS.get(tok.text) or w.ARTICLES.get(tok.text)
        if word is None:
            return None
        value, end = word.value, i + 1
        if word.role == "tens" and end < len(self.tokens):
            nxt = w.NUMBERS.get(self.tokens[end].text) if self.tokens[end].kind == "word" else None
            if nxt and nxt.role == "ones" and nxt.language == word.language:
                value, end = value + nxt.value, end + 1
        words = " ".join(t.text for t in self.tokens[i:end])
        return value, word.language, end, words

    def _count(self, i: int) -> tuple[int, str | None, int] | None:
        """A count at token i, with the figures in brackets after words (or the words after
        figures) checked against each other: "thirty (30)"."""
        first = self._number(i)
        if first is None:
            return None
        value, language, end, words = first
        toks = self.tokens
        if end + 2 < len(toks) and toks[end].kind == "open":
            second = self._number(end + 1)
            if second is not None and second[2] < len(toks) and toks[second[2]].kind == "close":
                if second[0] != value:
                    raise InvalidInput(
                        f"the words and the figures disagree in {_shown(self.text)!r}: "
                        f"{words} is {value}, {second[3]} is {second[0]}",
                        hint="correct one of them",
                    )
                language = language or second[1]
                end = second[2] + 1
        return value, language, end

    # --- units -----------------------------------------------------------------------------

    def scan(self) -> None:
        toks = self.tokens
        consumed: set[int] = set()
        i = 0
        while i < len(toks):
            tok = toks[i]
            if tok.kind == "word" and tok.text == _FOLLOWING:
                self.mentions.append(_Mention(1, "months", None, tok.sentence, month_end=True))
                self.anchors.append(tok.sentence)
                i += 1
                continue
            if tok.kind == "word" and tok.text == _ANCHOR:
                self.anchors.append(tok.sentence)
                i += 1
                continue
            end = self._mention_at(i)
            if end is not None:
                consumed.update(range(i, end))
                i = end
                continue
            i += 1
        for j, tok in enumerate(toks):
            if j not in consumed and tok.kind == "word":
                self._bare(j)

    def _mention_at(self, i: int) -> int | None:
        """Read "count [qualifiers] unit" at token i; the index after it, or None."""
        toks = self.tokens
        if toks[i].kind == "num" and not toks[i].text.isdigit():
            self._fraction(i)
            return None
        count = self._count(i)
        if count is None:
            return None
        value, language, j = count
        # "30, 60 or 90 days", "30-60 days": every count of the list is a period of that unit,
        # so the list is refused as more than one period unless they are all the same.
        values = [value]
        while (listed := self._next_in_list(j)) is not None:
            more = self._count(listed)
            if more is None:
                break
            values.append(more[0])
            language = language or more[1]
            j = more[2]
        countings: set[str] = set()
        for _ in range(_MAX_QUALIFIERS + 1):
            if j >= len(toks) or toks[j].kind != "word":
                return None
            unit = w.unit_word(toks[j].text)
            if unit is not None and (language is None or unit.language == language):
                if unit.counting:
                    countings.add(unit.counting)
                for each in values:
                    self._add(each, unit.unit, countings, toks[j].sentence, j + 1)
                return j + 1
            allowed, counting = w.qualifier(toks[j].text)
            if not allowed:
                return None
            if counting:
                countings.add(counting)
            j += 1
        return None

    def _next_in_list(self, j: int) -> int | None:
        """Where the next count of a list starts after a count ending at j: after a comma, a
        dash or "or", "and", "to" (in any of the languages), else None."""
        toks = self.tokens
        k = j
        while k < len(toks) and (
            toks[k].kind == "comma" or (toks[k].kind == "word" and toks[k].text in w.LIST_WORDS)
        ):
            k += 1
        if k == j or k >= len(toks):
            return None
        return k if toks[k].kind == "num" or toks[k].text in w.NUMBERS else None

    def _fraction(self, i: int) -> None:
        toks = self.tokens
        if i + 1 < len(toks) and toks[i + 1].kind == "word" and w.unit_word(toks[i + 1].text):
            raise InvalidInput(
                f"{toks[i].text} {toks[i + 1].text} is not a whole number; a notice period is "
                "counted in whole days, weeks or months",
                hint="e.g. 6 weeks instead of 1.5 months",
            )

    def _add(self, count: int, unit: str, countings: set[str], sentence: int, end: int) -> int:
        if len(countings) > 1:
            raise self._both()
        counting = next(iter(countings), None)
        kind = "business_days" if unit == "days" and counting == w.BUSINESS else unit
        if count > LIMITS[kind]:
            raise too_long(_shown(self.text), kind)
        self.mentions.append(_Mention(count, unit, counting if unit == "days" else None, sentence))
        return end

    def _bare(self, j: int) -> None:
        """A unit with no count before it: one, where the language means that; "calendar days"
        or "business days" alone, a word on how days are counted."""
        toks = self.tokens
        word = toks[j].text
        nxt = toks[j + 1].text if j + 1 < len(toks) and toks[j + 1].kind == "word" else ""
        before = [t.text for t in toks[max(0, j - _BARE_LOOKBACK) : j] if t.kind == "word"]
        adjective = w.CS_ADJECTIVE.fullmatch(word)
        if word in w.BARE_GENITIVE and nxt.startswith("irtisano"):
            self._add(1, w.BARE_GENITIVE[word], set(), toks[j].sentence, j + 1)
        elif word in w.BARE_NOMINATIVE and any(b.startswith(w.NOTICE_STEMS) for b in before):
            self._add(1, w.BARE_NOMINATIVE[word], set(), toks[j].sentence, j + 1)
        elif adjective and nxt.startswith("vypoved"):
            count = w.CS_ADJECTIVE_COUNT[adjective.group(1)]
            unit = w.CS_ADJECTIVE_UNIT[adjective.group(2)]
            self._add(count, unit, set(), toks[j].sentence, j + 1)
        else:
            days = w.unit_word(word)
            if days is None or days.unit != "days":
                return
            counting = days.counting
            if counting is None and j > 0 and toks[j - 1].kind == "word":
                counting = w.qualifier(toks[j - 1].text)[1]
            if counting:
                self.declared.add(counting)

    # --- the answer ------------------------------------------------------------------------

    def _both(self) -> InvalidInput:
        return InvalidInput(
            f"{_shown(self.text)!r} counts in both calendar and business days",
            hint="keep the one the contract means",
        )

    def _period(self, m: _Mention, month_end: bool) -> NoticePeriod:
        counting = m.counting
        if m.unit == "days" and self.declared:
            if len(self.declared) > 1 or (counting and counting not in self.declared):
                raise self._both()
            counting = next(iter(self.declared))
        kind = "business_days" if m.unit == "days" and counting == w.BUSINESS else m.unit
        if m.count > LIMITS[kind]:
            raise too_long(_shown(self.text), kind)
        return NoticePeriod(kind, m.count, to_month_end=m.month_end or month_end)

    def resolve(self) -> NoticePeriod:
        if len(self.declared) > 1:
            raise self._both()
        mentioned = {m.sentence for m in self.mentions}
        # "the end of each month" in a sentence about invoices says nothing about notice; a
        # text of one sentence ("at the month's end") is only about notice.
        single = len({t.sentence for t in self.tokens}) <= 1
        month_end = any(
            single or s in self.notice_sentences or s in mentioned for s in self.anchors
        )
        if not self.mentions:
            if month_end:
                return NoticePeriod("end_of_month")
            raise InvalidInput(
                f"notice period {_shown(self.text)!r} is not understood",
                hint=f"no period was found in it; use one of {ACCEPTED_FORMS}, or paste the "
                "termination clause as the contract words it",
            )
        periods = [self._period(m, month_end) for m in self.mentions]
        distinct = list(dict.fromkeys(periods))
        if len(distinct) > 1:
            about_notice = [
                p
                for p, m in zip(periods, self.mentions, strict=True)
                if m.sentence in self.notice_sentences
            ]
            narrowed = list(dict.fromkeys(about_notice))
            if len(narrowed) == 1:
                return narrowed[0]
            named = narrowed or distinct
            listed = ", ".join(p.describe() for p in named[:-1]) + f" and {named[-1].describe()}"
            raise InvalidInput(
                f"{_shown(self.text)!r} names more than one notice period ({listed})",
                hint="keep only the one that applies when the contract is ended",
            )
        return distinct[0]
