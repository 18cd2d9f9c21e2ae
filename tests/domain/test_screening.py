"""The screening checklist learned from closed clients' lessons, and the suggestion a
prospect's answers give: hand-built cases with figures worked out by hand, and properties
that hold for any thresholds the loader accepts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from offboard.domain.errors import InvalidInput
from offboard.domain.models import Answer, Client, ItemKind, Lesson, LessonCategory, Stage
from offboard.domain.screening import (
    KIND_OF,
    Edits,
    Suggestion,
    Thresholds,
    answers_by_ref,
    answers_in_order,
    evaluate,
    find,
    gather,
    item_points,
    markdown,
    normalised,
    parse_answer,
)
from offboard.domain.screening_edits import add_own, hide, reword

DAY = dt.date(2026, 11, 1)
SHIPPED = Thresholds(
    points={ItemKind.WARNING_SIGN: 3, ItemKind.QUESTION: 1, ItemKind.CLAUSE: 2},
    per_further_client=0.5,
    further_clients_max=2,
    decline_from=6,
    unanswered_max_share=0.5,
)


def closed(name: str, *lessons: tuple[LessonCategory, str], stage: Stage = Stage.CLOSED) -> Client:
    client = Client(name=name, stage=stage)
    client.lessons = [Lesson(cat, text, DAY) for cat, text in lessons]
    return client


W, Q, C = (
    LessonCategory.MISSED_RED_FLAG,
    LessonCategory.SCREENING_QUESTION,
    LessonCategory.CONTRACT_CLAUSE,
)


def board() -> list[Client]:
    return [
        closed("Acme", (W, "Haggled over the first quote."), (C, "A change-order clause")),
        closed("Birch", (W, "haggled over the  first quote"), (Q, "Who signs off the work?")),
        closed("Cedar", (W, "Haggled over the first quote!"), (W, "Haggled over the first quote")),
        # Not closed: what it teaches is not learned yet.
        closed("Dune", (W, "Never replies"), stage=Stage.HANDOVER),
    ]


def test_every_lesson_category_has_a_kind() -> None:
    assert set(KIND_OF) == set(LessonCategory)
    assert KIND_OF[LessonCategory.PAYMENT_TERMS] is ItemKind.CLAUSE
    assert KIND_OF[LessonCategory.COMMUNICATION] is ItemKind.QUESTION


def test_lessons_that_say_the_same_thing_merge_and_remember_who_taught_them() -> None:
    checklist = gather(board())
    assert (checklist.clients, checklist.lessons) == (3, 6)
    assert [i.kind for i in checklist.items] == [
        ItemKind.WARNING_SIGN, ItemKind.QUESTION, ItemKind.CLAUSE,
    ]  # fmt: skip
    sign = checklist.items[0]
    assert sign.id.startswith("w-") and sign.times == 4
    assert [(t.name, t.times) for t in sign.taught_by] == [("Cedar", 2), ("Acme", 1), ("Birch", 1)]
    assert all("Never replies" not in i.text for i in checklist.items)


def test_ids_are_stable_and_independent_of_order() -> None:
    first = [i.id for i in gather(board()).items]
    again = [i.id for i in gather(list(reversed(board()))).items]
    assert first == again and len(set(first)) == 3


def test_normalised_ignores_case_spacing_and_punctuation() -> None:
    assert normalised("  Ask for a DEPOSIT! ") == normalised("ask for a deposit") != ""
    assert normalised("...") == ""


def test_a_warning_sign_seen_counts_against_with_the_clients_who_taught_it() -> None:
    checklist = gather(board())
    sign = checklist.items[0]
    # 3 clients taught the sign: 3 points and half again for each of the 2 further clients.
    assert item_points(sign, SHIPPED) == 6
    verdict = evaluate(checklist.items, {sign.id: Answer.YES}, SHIPPED)
    assert verdict.suggestion is Suggestion.DECLINE and verdict.score == 6
    said = [r.sentence.plain() for r in verdict.reasons]
    assert said[0] == "1 warning sign seen that 3 past clients taught"
    assert "2 of 3 unanswered: too many to suggest go" in said
    assert said[-1] == "6 points in all, at or over the 6 that means decline"


def test_answers_in_favour_give_go_and_say_so() -> None:
    checklist = gather(board())
    sign, question, clause = checklist.items
    answers = {sign.id: Answer.NO, question.id: Answer.YES, clause.id: Answer.YES}
    verdict = evaluate(checklist.items, answers, SHIPPED)
    assert verdict.suggestion is Suggestion.GO and verdict.score == 0
    assert [r.sentence.plain() for r in verdict.reasons] == [
        "all 3 answered, none against the prospect"
    ]


def test_a_refused_clause_and_a_bad_answer_mean_caution() -> None:
    checklist = gather(board())
    sign, question, clause = checklist.items
    answers = {sign.id: Answer.NO, question.id: Answer.NO, clause.id: Answer.NO}
    verdict = evaluate(checklist.items, answers, SHIPPED)
    assert verdict.suggestion is Suggestion.CAUTION and verdict.score == 3
    said = [r.sentence.plain() for r in verdict.reasons]
    assert said[:2] == [
        "1 question answered badly that 1 past client taught",
        "1 clause refused that 1 past client taught",
    ]


def test_nothing_answered_is_never_a_go_and_says_it_is_not_screened() -> None:
    checklist = gather(board())
    verdict = evaluate(checklist.items, {}, SHIPPED)
    assert verdict.suggestion is Suggestion.CAUTION and verdict.unscreened
    assert verdict.reasons[0].sentence.plain().startswith("nothing answered yet (3 items)")


def test_answers_in_order_need_one_per_item() -> None:
    items = gather(board()).items
    assert list(answers_in_order(items, ["y", "no", "U"]).values()) == [
        Answer.YES, Answer.NO, Answer.UNKNOWN,
    ]  # fmt: skip
    with pytest.raises(InvalidInput, match="2 answers given for 3 items"):
        answers_in_order(items, ["y", "n"])
    with pytest.raises(InvalidInput, match="'maybe' is not an answer"):
        parse_answer("maybe")


def test_answers_by_id_number_or_start_of_an_id() -> None:
    items = gather(board()).items
    got = answers_by_ref(items, {items[0].id[:4]: "y", "3": "n"})
    assert got == {items[0].id: Answer.YES, items[2].id: Answer.NO}
    with pytest.raises(InvalidInput, match="no screening item has the id 'x-1'"):
        find(items, "x-1")
    with pytest.raises(InvalidInput, match="there is no item 9"):
        find(items, "9")
    with pytest.raises(InvalidInput, match="answered twice"):
        answers_by_ref(items, {"1": "y", items[0].id: "n"})


def test_own_items_rewording_and_hiding_apply_on_top() -> None:
    checklist = gather(board())
    sign, question, clause = checklist.items
    edits, mine = add_own(Edits(), checklist, ItemKind.CLAUSE, "Half the fee up front.")
    assert mine.own and mine.id.startswith("my-")
    with pytest.raises(InvalidInput, match="already has this warning sign as " + sign.id):
        add_own(edits, checklist, ItemKind.WARNING_SIGN, "haggled over the first QUOTE")
    edits = reword(edits, question, "Who approves the work, by name?")
    edits = hide(edits, sign)
    after = gather(board(), edits)
    assert [i.id for i in after.items] == [question.id, clause.id, mine.id]
    assert after.items[0].text == "Who approves the work, by name?"
    assert after.items[0].learned == "Who signs off the work?"
    assert [i.id for i in after.hidden] == [sign.id]
    # Its lessons' own words back: a learned item again.
    back = reword(edits, after.items[0], "who signs off the work")
    assert question.id not in back.reworded
    assert gather(board(), hide(edits, sign, False)).items[0].id == sign.id


def test_an_own_item_counts_against_as_your_own() -> None:
    checklist = gather(board())
    edits, mine = add_own(Edits(), checklist, ItemKind.WARNING_SIGN, "Wants to start unsigned")
    items = gather(board(), edits).items
    verdict = evaluate(items, {mine.id: Answer.YES}, SHIPPED)
    assert verdict.reasons[0].sentence.plain() == "1 warning sign seen (1 of your own)"
    assert verdict.score == 3 and verdict.suggestion is Suggestion.CAUTION


def test_markdown_lists_each_item_with_who_taught_it() -> None:
    text = markdown(gather(board()))
    assert text.startswith("# Screening checklist\n")
    assert "## Warning signs to look for" in text and "yes counts against them" in text
    assert "taught by Cedar (2×), Acme, Birch" in text
    assert "- [ ] A change-order clause (`c-" in text


# --- properties ------------------------------------------------------------------------------

thresholds = st.builds(
    Thresholds,
    points=st.fixed_dictionaries({k: st.floats(0.1, 1000, allow_nan=False) for k in ItemKind}),
    per_further_client=st.floats(0, 10, allow_nan=False),
    further_clients_max=st.integers(0, 100),
    decline_from=st.floats(0.1, 10000, allow_nan=False),
    unanswered_max_share=st.floats(0, 1, allow_nan=False),
)
texts = st.sampled_from(["Haggles", "Slow replies", "No deposit", "Scope clause", "Who signs?"])
lessons = st.lists(st.tuples(st.sampled_from(list(LessonCategory)), texts), min_size=1, max_size=6)
boards = st.lists(lessons, min_size=1, max_size=4).map(
    lambda each: [closed(f"Client {n}", *ls) for n, ls in enumerate(each)]
)
answer = st.sampled_from(list(Answer))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(boards, thresholds, st.data())
def test_an_answer_against_never_moves_the_suggestion_towards_go(
    clients: list[Client], t: Thresholds, data: st.DataObject
) -> None:
    items = gather(clients).items
    answers = {i.id: data.draw(answer) for i in items}
    item = data.draw(st.sampled_from(items))
    before = evaluate(items, answers, t)
    answers[item.id] = item.against
    after = evaluate(items, answers, t)
    assert after.suggestion.rank >= before.suggestion.rank
    assert after.score >= before.score


@SETTINGS
@given(boards, thresholds, st.data())
def test_an_answer_in_favour_never_moves_the_suggestion_towards_decline(
    clients: list[Client], t: Thresholds, data: st.DataObject
) -> None:
    items = gather(clients).items
    answers = {i.id: data.draw(answer) for i in items}
    item = data.draw(st.sampled_from(items))
    if answers[item.id] is item.against:
        return  # taking back an answer against is the other property's mirror
    before = evaluate(items, answers, t)
    answers[item.id] = Answer.NO if item.against is Answer.YES else Answer.YES
    after = evaluate(items, answers, t)
    assert after.suggestion.rank <= before.suggestion.rank


@SETTINGS
@given(boards, thresholds)
def test_all_unknown_is_never_go_and_always_says_unscreened(
    clients: list[Client], t: Thresholds
) -> None:
    items = gather(clients).items
    verdict = evaluate(items, dict.fromkeys((i.id for i in items), Answer.UNKNOWN), t)
    assert verdict.suggestion is not Suggestion.GO and verdict.unscreened
    assert any(r.kind == "unscreened" for r in verdict.reasons)


@SETTINGS
@given(boards, thresholds, st.data())
def test_go_only_when_nothing_counts_against(
    clients: list[Client], t: Thresholds, data: st.DataObject
) -> None:
    items = gather(clients).items
    verdict = evaluate(items, {i.id: data.draw(answer) for i in items}, t)
    if verdict.suggestion is Suggestion.GO:
        assert not verdict.against and verdict.answered > 0


@SETTINGS
@given(boards)
def test_every_item_id_is_unique_and_found_by_itself(clients: list[Client]) -> None:
    items = gather(clients).items
    assert len({i.id for i in items}) == len(items)
    for item in items:
        assert find(items, item.id) is item
