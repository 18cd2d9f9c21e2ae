"""Dependencies point inward (DESIGN.md section 3), and time only comes from the clock.

The checks parse the source with `ast`, so a comment or a string that mentions a library does
not count, and an aliased import (`import datetime as dt`, `from datetime import date as D`) does.
Every failure names the module and the line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import offboard

PACKAGE = Path(offboard.__file__).resolve().parent
DOMAIN = PACKAGE / "domain"
STORAGE = PACKAGE / "storage"
LETTERS = PACKAGE / "letters"
SERVICES = PACKAGE / "services"

UI_AND_STORAGE_LIBRARIES = {
    "textual", "tinydb", "jinja2", "babel", "orjson", "platformdirs", "rich", "aiosmtpd",
}  # fmt: skip


@dataclass(frozen=True)
class Found:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        try:
            shown = self.path.relative_to(PACKAGE.parent)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.what}"


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, tree: ast.AST | None = None) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import, relative ones resolved."""
    tree = tree or ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")
                prefix = ".".join(base[: len(base) - (node.level - 1)])
                target = f"{prefix}.{target}" if target else prefix
            # `from offboard import services` imports offboard.services: name each imported
            # thing, so the check sees which part of the package it comes from.
            for alias in node.names:
                yield node.lineno, target if alias.name == "*" else f"{target}.{alias.name}"


def forbidden_imports(
    path: Path, banned_roots: set[str], allowed_offboard: str | None, tree: ast.AST | None = None
) -> list[Found]:
    found = []
    for line, name in imports(path, tree):
        root = name.split(".")[0]
        if root in banned_roots:
            found.append(Found(path, line, f"imports {name}"))
        elif (
            allowed_offboard is not None
            and root == "offboard"
            and not (name == allowed_offboard or name.startswith(allowed_offboard + "."))
        ):
            found.append(Found(path, line, f"imports {name} from outside {allowed_offboard}"))
    return found


# --- calls that read the system clock ------------------------------------------------------------

CLOCK_METHODS = {"today", "now", "utcnow"}


class ClockCalls(ast.NodeVisitor):
    """Finds date.today(), datetime.now(), datetime.today(), time.time() however imported."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[Found] = []
        self.datetime_modules: set[str] = set()  # names bound to the datetime module
        self.date_classes: set[str] = set()  # names bound to datetime.date / datetime.datetime
        self.time_modules: set[str] = set()
        self.time_functions: set[str] = set()  # names bound to time.time
        self.classes: list[str] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name
            if alias.name == "datetime":
                self.datetime_modules.add(bound)
            elif alias.name == "time":
                self.time_modules.add(bound)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name
            if node.module == "datetime" and alias.name in ("date", "datetime"):
                self.date_classes.add(bound)
            elif node.module == "time" and alias.name == "time":
                self.time_functions.add(bound)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def _is_date_class(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.date_classes
        return (
            isinstance(node, ast.Attribute)
            and node.attr in ("date", "datetime")
            and isinstance(node.value, ast.Name)
            and node.value.id in self.datetime_modules
        )

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        text = None
        if isinstance(func, ast.Attribute):
            date_call = func.attr in CLOCK_METHODS and self._is_date_class(func.value)
            time_call = (
                func.attr == "time"
                and isinstance(func.value, ast.Name)
                and func.value.id in self.time_modules
            )
            if date_call or time_call:
                text = ast.unparse(func)
        elif isinstance(func, ast.Name) and func.id in self.time_functions:
            text = func.id
        if text is not None:
            where = f" in class {self.classes[-1]}" if self.classes else ""
            self.found.append(Found(self.path, node.lineno, f"calls {text}(){where}"))
        self.generic_visit(node)


def clock_calls(path: Path, source: str | None = None) -> list[Found]:
    source = path.read_text(encoding="utf-8") if source is None else source
    visitor = ClockCalls(path)
    visitor.visit(ast.parse(source, str(path)))
    return visitor.found


def is_the_system_clock(found: Found) -> bool:
    return found.path == DOMAIN / "clock.py" and found.what.endswith("in class SystemClock")


def report(found: list[Found]) -> str:
    return "\n".join(str(f) for f in found)


# --- the checkers catch what they should (so a green run means something) -----------------------


def test_clock_checker_sees_every_spelling():
    source = (
        "import datetime as dt\n"
        "import time\n"
        "from datetime import date as D, datetime\n"
        "from time import time as now_seconds\n"
        "a = dt.date.today()\n"
        "b = datetime.now()\n"
        "c = D.today()\n"
        "d = dt.datetime.today()\n"
        "e = time.time()\n"
        "f = now_seconds()\n"
        "class SystemClock:\n"
        "    def today(self):\n"
        "        return dt.date.today()\n"
        "ok = self.clock.today()\n"
        "ok2 = clock.now()\n"
        "ok3 = time.monotonic()\n"
    )
    found = clock_calls(Path("example.py"), source)
    assert [(f.line, f.what) for f in found] == [
        (5, "calls dt.date.today()"),
        (6, "calls datetime.now()"),
        (7, "calls D.today()"),
        (8, "calls dt.datetime.today()"),
        (9, "calls time.time()"),
        (10, "calls now_seconds()"),
        (13, "calls dt.date.today() in class SystemClock"),
    ]


def test_import_checker_resolves_relative_imports():
    fake = DOMAIN / "fake_module.py"  # never written: only its name is used to resolve
    tree = ast.parse(
        "from ..storage import repository\n"
        "from . import models\n"
        "from .errors import InvalidInput\n"
        "import tinydb.table\n"
    )
    assert list(imports(fake, tree)) == [
        (1, "offboard.storage.repository"),
        (2, "offboard.domain.models"),
        (3, "offboard.domain.errors.InvalidInput"),
        (4, "tinydb.table"),
    ]


def test_import_checker_flags_libraries_and_outer_offboard_code():
    tree = ast.parse(
        "import json\n"
        "from .models import Client\n"
        "import tinydb\n"
        "from ..storage.repository import TinyRepository\n"
        "from textual.app import App\n"
        "from offboard.domain import notice\n"
        "from offboard import services\n"
    )
    found = forbidden_imports(DOMAIN / "fake.py", UI_AND_STORAGE_LIBRARIES, "offboard.domain", tree)
    assert [str(f) for f in found] == [
        "offboard/domain/fake.py:3: imports tinydb",
        "offboard/domain/fake.py:4: imports offboard.storage.repository.TinyRepository from "
        "outside offboard.domain",
        "offboard/domain/fake.py:5: imports textual.app.App",
        "offboard/domain/fake.py:7: imports offboard.services from outside offboard.domain",
    ]


# --- the rules -----------------------------------------------------------------------------------


def test_domain_modules_exist():
    names = {p.name for p in modules(DOMAIN)}
    assert {"models.py", "stages.py", "timers.py", "clock.py", "notice.py"} <= names


@pytest.mark.parametrize("path", modules(DOMAIN), ids=lambda p: p.name)
def test_domain_imports_no_ui_storage_or_outer_offboard_code(path):
    found = forbidden_imports(path, UI_AND_STORAGE_LIBRARIES, "offboard.domain")
    assert not found, "the domain must stay pure:\n" + report(found)


@pytest.mark.parametrize("path", modules(DOMAIN), ids=lambda p: p.name)
def test_domain_never_reads_the_system_clock_except_system_clock(path):
    found = [f for f in clock_calls(path) if not is_the_system_clock(f)]
    assert not found, "time must come from the injected clock:\n" + report(found)


def test_system_clock_is_the_one_place_that_reads_the_time():
    found = clock_calls(DOMAIN / "clock.py")
    assert found and all(is_the_system_clock(f) for f in found)


@pytest.mark.parametrize(
    "path",
    [*modules(SERVICES), *modules(STORAGE)],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_services_and_storage_import_no_textual(path):
    found = forbidden_imports(path, {"textual"}, None)
    found += [
        Found(path, line, f"imports {name}")
        for line, name in imports(path)
        if name.startswith(("offboard.tui", "offboard.cli"))
    ]
    assert not found, "services and storage must not depend on the UI:\n" + report(found)


@pytest.mark.parametrize("path", modules(LETTERS), ids=lambda p: p.name)
def test_letters_import_no_ui_no_storage_and_no_services(path):
    # Letters sit beside storage: the TUI and the services call them, never the reverse.
    found = forbidden_imports(path, {"textual", "tinydb", "orjson", "rich"}, None)
    found += [
        Found(path, line, f"imports {name}")
        for line, name in imports(path)
        if name.startswith(
            ("offboard.tui", "offboard.cli", "offboard.services", "offboard.storage")
        )
    ]
    assert not found, "letters must not depend on the UI, services or storage:\n" + report(found)


def test_no_module_outside_clock_py_reads_the_system_clock():
    found = []
    for path in modules(PACKAGE):
        if path == DOMAIN / "clock.py":
            continue
        found += clock_calls(path)
    assert not found, "use the injected Clock instead:\n" + report(found)
