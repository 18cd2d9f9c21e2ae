"""No import cycle anywhere in src/offboard.

Every import counts: at module level, inside a function, and under `if TYPE_CHECKING:`. A
function-local or type-only import still ties two modules together: it only hides the cycle
from the interpreter, not from the reader who has to understand one to change the other. The
graph is read from the source with `ast`, so nothing is imported to check it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import offboard

ROOT = Path(offboard.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = ["offboard", *path.relative_to(ROOT).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The modules of ours that `name` imports, wherever in the file the import is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                # `from pkg import sub` imports the submodule; `from mod import name`, the module.
                sub = f"{source}.{alias.name}"
                yield sub if sub in known else source


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        graph[name] = {target for target in imported(name, path, known) if target in known}
        graph[name].discard(name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def describe(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    edges = [
        f"    {source} -> {target}"
        for source in component
        for target in sorted(graph[source] & members)
    ]
    return f"  {len(component)} modules import one another:\n" + "\n".join(edges)


def test_the_graph_is_read() -> None:
    graph = import_graph()
    # A few edges that certainly exist, so an empty graph cannot pass for an acyclic one.
    assert "offboard.domain.models" in graph["offboard.domain.timers"]
    assert "offboard.tui.messages" in graph["offboard.tui.app"]
    assert len(graph) > 50


def test_the_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles in src/offboard:\n" + "\n".join(
        describe(component, graph) for component in found
    )


# The TUI's screens, by the group of modules each is made of. They never import one another:
# a screen asks for another by posting a navigation message, and the App opens it.
SCREEN_GROUPS = {
    "board": ("offboard.tui.board",),
    "client": ("offboard.tui.client",),
    "agenda": ("offboard.tui.screens.agenda",),
    "help": ("offboard.tui.screens.help",),
    "letter": ("offboard.tui.screens.letter",),  # the editor, its dialogs, its start
    "palette": ("offboard.tui.commands", "offboard.tui.palette"),  # and palette_clients
}


def group_of(module: str) -> str | None:
    for group, prefixes in SCREEN_GROUPS.items():
        if any(module == p or module.startswith((f"{p}.", f"{p}_")) for p in prefixes):
            return group
    return None


def test_screens_do_not_import_one_another_and_only_the_app_imports_them() -> None:
    graph = import_graph()
    wrong = []
    for source, targets in graph.items():
        mine = group_of(source)
        for target in targets:
            theirs = group_of(target)
            if theirs is None or theirs == mine or source == "offboard.tui.app":
                continue
            wrong.append(f"{source} -> {target}")
    assert not wrong, "screens imported outside the App:\n" + "\n".join(wrong)
    # The App does import them (lazily, when asked to show one).
    assert "offboard.tui.client.screen" in graph["offboard.tui.app"]
    assert "offboard.tui.board.screen" in graph["offboard.tui.app"]
