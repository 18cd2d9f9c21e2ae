"""Every shipped letter, in every language, rendered on the demo data and compared with the
text kept in tests/letters/golden/<locale>/<template>.txt.

After a deliberate change to a template or to the demo data, rewrite the files with
`OFFBOARD_UPDATE_GOLDEN=1 .venv/bin/pytest tests/letters/test_golden.py` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from offboard.config import Config
from offboard.domain.models import Client
from offboard.letters.compose import compose, prepare
from offboard.letters.library import Library

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("OFFBOARD_UPDATE_GOLDEN") == "1"

# The demo client each letter is shown on: one whose stage and archetype the letter is meant
# for (see the template's `stages` and `archetypes`), so the golden text is the letter as it
# would really go out.
CLIENT_FOR = {
    "confirmation": "Lakeside Pilates Collective",  # notice
    "final-invoice": "Fenwick & Daughters Bakery",  # settlement, final invoice on record
    "handover-confirmation": "Saltmarsh Studio",  # handover
    "payment-reminder": "Fenwick & Daughters Bakery",  # non-payer in settlement
    "refund-notice": "Studio Hrnčířka",  # settlement
    "repair-check-in": "Cobalt Kettle Coffee Roasters",  # repair
    "repair-proposal": "Kırmızı Kapı Mimarlık",  # repair, a repair attempt on record
    "termination-abusive": "Saltmarsh Studio",  # the abusive client
    "termination-micromanager": "Kuvaamo Revontuli",  # micromanager in notice
    "termination-outgrown": "Ekin Yazılım",  # outgrown, conversation held
    "termination-payment": "Pražírna Modrý Kos",  # non-payer in preparation
    "termination-scope-creep": "Brightmoss Landscaping",  # scope-creeper in preparation
    "termination": "Lakeside Pilates Collective",  # notice, no special archetype
    "thank-you": "Greyfield Analytics",  # closed
}


def golden_text(subject: str, body: str) -> str:
    return f"Subject: {subject}\n\n{body}"


def _client(clients: list[Client], name: str) -> Client:
    return next(c for c in clients if c.name == name)


def test_mapping_covers_every_template_and_fits_it(
    shipped_library: Library, demo_clients: list[Client]
) -> None:
    assert sorted(CLIENT_FOR) == shipped_library.names("en")
    for name, who in CLIENT_FOR.items():
        info = shipped_library.get(name, "en")
        client = _client(demo_clients, who)
        arch = client.archetype.value if client.archetype else None
        fits_stage = not info.stages or client.stage.value in info.stages
        fits_arch = not info.archetypes or arch in info.archetypes
        assert fits_stage or (info.archetypes and fits_arch), (name, who)
        assert fits_arch, (name, who)


def test_golden(
    shipped_template: tuple[str, str],
    shipped_library: Library,
    demo_clients: list[Client],
    letters_config: Config,
    demo_day: dt.date,
) -> None:
    locale, name = shipped_template
    client = _client(demo_clients, CLIENT_FOR[name])
    req = prepare(shipped_library, client, name, letters_config, demo_day, locale)
    assert req.locale == locale
    letter = compose(req.info, req.context, locale=locale)
    assert letter.error == "", letter.error
    text = golden_text(letter.subject, letter.body)
    path = GOLDEN / locale / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {path}; run with OFFBOARD_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert text == expected


def test_no_stray_golden_files(shipped_library: Library) -> None:
    assert GOLDEN.is_dir(), f"no golden files in {GOLDEN}; run with OFFBOARD_UPDATE_GOLDEN=1"
    wanted = {(loc, n) for loc in shipped_library.locales() for n in shipped_library.names(loc)}
    found = {(p.parent.name, p.stem) for p in GOLDEN.glob("*/*.txt")}
    assert found <= wanted, sorted(found - wanted)
