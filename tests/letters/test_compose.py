"""One letter for one client: the subject and body as sent, and their checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from offboard.config import Config
from offboard.domain.errors import NotFound
from offboard.domain.fixes import Fix
from offboard.domain.models import Client, Stage
from offboard.letters.checks import ERROR
from offboard.letters.compose import compose, compose_source, prepare, tidy
from offboard.letters.context import WHERE_REPAIR, WHERE_SENDER, build_context
from offboard.letters.library import SHIPPED, USER, Library

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("raw", "tidied"),
    [
        ("a  \nb\t\n", "a\nb\n"),
        ("\n\n\nDear Sam,\n\nBye\n\n\n\n", "Dear Sam,\n\nBye\n"),
        ("one\r\ntwo \r\n", "one\ntwo\n"),
        ("  indented first line\n", "  indented first line\n"),
        ("no final newline", "no final newline\n"),
        ("middle\n\n\n\nblank lines kept\n", "middle\n\n\n\nblank lines kept\n"),
        ("   \n \n", "\n"),
        ("", "\n"),
    ],
)
def test_tidy(raw: str, tidied: str) -> None:
    assert tidy(raw) == tidied
    assert tidy(tidied) == tidied


@pytest.fixture
def lakeside(demo_client) -> Client:
    return demo_client("Lakeside Pilates Collective")


def test_compose_a_shipped_letter(
    shipped_library: Library, lakeside: Client, letters_config: Config
) -> None:
    req = prepare(shipped_library, lakeside, "termination", letters_config, TODAY)
    assert (req.locale, req.info.origin) == ("en", SHIPPED)
    letter = compose(req.info, req.context, locale=req.locale)
    assert letter.ready and letter.error == ""
    assert letter.subject == "Ending our work together"
    assert letter.body.startswith("Dear Lakeside Pilates Collective,\n")
    assert letter.body.endswith("Alex Morgan\nMorgan Studio\n")
    assert letter.body == tidy(letter.body)


def test_subject_spanning_lines(
    shipped_library: Library, lakeside: Client, letters_config: Config
) -> None:
    req = prepare(shipped_library, lakeside, "termination", letters_config, TODAY)
    letter = compose(
        req.info,
        req.context,
        locale="en",
        subject_source="Ending\n  our work with {{ client.name }}",
    )
    assert letter.subject == "Ending our work with Lakeside Pilates Collective"
    assert letter.findings[0].id == "subject" and letter.findings[0].severity == ERROR
    assert letter.findings[0].title == "Subject spans lines"
    assert not letter.ready
    # a subject whose tags leave blank lines around it is fine
    ok = compose(req.info, req.context, locale="en", subject_source="\n{{ client.name }}\n")
    assert ok.subject == "Lakeside Pilates Collective" and ok.ready


def test_body_template_error_is_a_finding_not_an_exception(
    shipped_library: Library, lakeside: Client, letters_config: Config
) -> None:
    req = prepare(shipped_library, lakeside, "termination", letters_config, TODAY)
    letter = compose(req.info, req.context, locale="en", body_source="Hi\n{{ client.nmae }}\n")
    assert (letter.subject, letter.body) == ("", "")
    assert "body, line 2" in letter.error and "did you mean client.name" in letter.error
    assert [(f.id, f.title) for f in letter.findings] == [("template", "Template error")]
    assert not letter.ready


def test_compose_source_with_a_bad_header(
    shipped_library: Library, lakeside: Client, letters_config: Config
) -> None:
    req = prepare(shipped_library, lakeside, "termination", letters_config, TODAY)
    bad = compose_source(
        "+++\nsubject = 'x'\nstages = ['limbo']\n+++\nBody\n",
        req.info,
        req.context,
        locale="en",
    )
    assert not bad.ready and (bad.subject, bad.body) == ("", "")
    assert "unknown stages limbo" in bad.error
    assert [(f.id, f.title) for f in bad.findings] == [("template", "Template header")]
    unclosed = compose_source("+++\nsubject = 'x'\nBody\n", req.info, req.context, locale="en")
    assert "not closed" in unclosed.error


def test_compose_source_uses_the_edited_header(
    shipped_library: Library, lakeside: Client, letters_config: Config
) -> None:
    req = prepare(shipped_library, lakeside, "termination", letters_config, TODAY)
    source = req.info.source.replace(
        'subject = "Ending our work together"', 'subject = "Goodbye {{ client.name }}"'
    )
    assert source != req.info.source
    letter = compose_source(source, req.info, req.context, locale="en")
    assert letter.subject == "Goodbye Lakeside Pilates Collective"
    assert letter.body == compose(req.info, req.context, locale="en").body
    # require comes from the edited header too
    shorter = source.replace("max_words = 250", "max_words = 10")
    assert "length" in [
        f.id for f in compose_source(shorter, req.info, req.context, locale="en").findings
    ]


def test_user_override_rendered_via_prepare(
    tmp_path: Path, lakeside: Client, letters_config: Config
) -> None:
    user = tmp_path / "user"
    (user / "en").mkdir(parents=True)
    (user / "en" / "termination.j2").write_text(
        "+++\nsubject = \"Mine: {{ client.company }}\"\nrequire = ['thanks']\n+++\n"
        "Hello {{ client.name }}, last day {{ notice.last_day }}.\n",
        encoding="utf-8",
    )
    lib = Library(user=user)
    req = prepare(lib, lakeside, "termination", letters_config, TODAY)
    assert req.info.origin == USER
    letter = compose(req.info, req.context, locale=req.locale)
    assert letter.subject == "Mine: Lakeside Pilates Collective"
    assert letter.body.startswith("Hello Lakeside Pilates Collective, last day ")
    assert [f.id for f in letter.findings] == ["thanks_missing"]
    # other locales and names still come from the shipped folder
    assert prepare(lib, lakeside, "confirmation", letters_config, TODAY).info.origin == SHIPPED


def test_prepare_locale_choice(
    shipped_library: Library, demo_client, letters_config: Config
) -> None:
    finnish = demo_client("Kuvaamo Revontuli")
    assert prepare(shipped_library, finnish, "termination", letters_config, TODAY).locale == "fi"
    req = prepare(shipped_library, finnish, "termination", letters_config, TODAY, "en")
    assert req.locale == "en" and req.context["client"]["locale"] == "en"
    with pytest.raises(NotFound, match="no letter templates in locale 'de'"):
        prepare(shipped_library, finnish, "termination", letters_config, TODAY, "de")
    german = Client(name="Berlin GmbH", locale="de")
    assert prepare(shipped_library, german, "termination", letters_config, TODAY).locale == "en"


def test_prepare_explicit_locale_with_region(
    shipped_library: Library, demo_client, letters_config: Config
) -> None:
    finnish = demo_client("Kuvaamo Revontuli")
    req = prepare(shipped_library, finnish, "termination", letters_config, TODAY, "fi_FI")
    assert req.locale == "fi"


READY_STAGES = (Stage.NOTICE, Stage.HANDOVER, Stage.SETTLEMENT)


def _meant_for(info, client: Client) -> bool:
    arch = client.archetype.value if client.archetype else None
    return client.stage.value in info.stages and (not info.archetypes or arch in info.archetypes)


def test_prepared_demo_clients_have_no_errors(
    shipped_library: Library, demo_clients: list[Client], letters_config: Config
) -> None:
    checked = 0
    for client in demo_clients:
        if client.stage not in READY_STAGES:
            continue
        assert client.conversation is not None
        locale = shipped_library.resolve_locale(client.locale)
        for info in shipped_library.suggest(client, locale):
            if not _meant_for(info, client) or info.name == "refund-notice":
                continue  # no demo client has a refund recorded (tests/test_refunds_*)
            req = prepare(shipped_library, client, info.name, letters_config, TODAY)
            letter = compose(req.info, req.context, locale=req.locale)
            assert letter.errors == [], (client.name, info.name, letter.errors)
            assert letter.ready
            assert "[[" not in letter.body and "[[" not in letter.subject
            checked += 1
    assert checked >= 12


def test_refund_notice_without_a_refund_asks_to_record_it_first(
    shipped_library: Library, demo_client, letters_config: Config
) -> None:
    client = demo_client("Fenwick & Daughters Bakery")
    req = prepare(shipped_library, client, "refund-notice", letters_config, TODAY)
    letter = compose(req.info, req.context, locale=req.locale)
    missing = [f for f in letter.errors if f.id == "missing"]
    assert [f.title for f in missing] == ["Missing: the refund (record it first)"]
    assert missing[0].fix is Fix.REFUND


def test_missing_sender_is_an_error_with_where(shipped_library: Library, lakeside: Client) -> None:
    req = prepare(shipped_library, lakeside, "termination", Config(), TODAY)
    letter = compose(req.info, req.context, locale="en")
    missing = {f.title: f for f in letter.errors}
    assert missing["Missing: your name"].fix is WHERE_SENDER
    assert not letter.ready


def test_assessment_client_repair_proposal_names_where_to_fill_in(
    shipped_library: Library, demo_clients: list[Client], letters_config: Config
) -> None:
    client = next(c for c in demo_clients if c.stage is Stage.ASSESSMENT and not c.repairs)
    info = shipped_library.get("repair-proposal", "en")
    letter = compose(info, build_context(client, letters_config, TODAY, "en"), locale="en")
    found = next(f for f in letter.errors if f.title == "Missing: repair attempt")
    assert found.fix is WHERE_REPAIR
