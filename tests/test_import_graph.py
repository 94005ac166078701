"""The import graph of bot/, handlers/ and storage/: no cycles, and features that stand apart.

Every ``import`` is read with ``ast``, at module level and inside functions alike (an import
moved into a function still runs, and still closes a cycle; it only hides it until then).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage")


def module_files() -> dict[str, Path]:
    """Every module of the three packages by dotted name (a package by its ``__init__.py``)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = module_files()


def imported(name: str, path: Path) -> Iterator[str]:
    """The project modules ``name`` imports (``from a import b``: module ``a.b`` if it exists, else ``a``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
            targets = [target if target in MODULES else base for target in targets]
        else:
            continue
        for target in targets:
            if target in MODULES and target != name:
                yield target


GRAPH = {name: sorted(set(imported(name, path))) for name, path in MODULES.items()}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    """The scan sees the modules and the edges everyone knows are there."""
    assert "handlers.router" in GRAPH and "storage.sqlite" in GRAPH
    assert "handlers.router" in GRAPH["bot.app"]


def test_no_import_cycles() -> None:
    """No module reaches itself through imports, wherever in the module the import stands."""
    assert cycles(GRAPH) == []


def test_cycle_finder_finds_one() -> None:
    """The finder itself: a → b → c → a is reported, d hanging off it is not."""
    graph = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": []}
    assert cycles(graph) == [["a", "b", "c"]]


SHARED = ("handlers.common", "handlers.understanding")
FEATURES = sorted(
    {name.split(".")[1] for name in MODULES if name.count(".") >= 2 and name.startswith("handlers.")}
    - {"common", "understanding"}
)


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_features_are_found() -> None:
    assert {"queue", "emergency", "checkin", "lovebank", "registry", "digest", "admin"} <= set(FEATURES)


def test_features_import_only_common_understanding_and_storage() -> None:
    """The rule: a feature package under handlers/ (queue, checkin, lovebank, …) imports only itself,
    handlers.common, handlers.understanding and storage, never another feature nor bot/. What one
    feature must ask of another goes through handlers/common/events.py, wired in handlers/router.py,
    the one module that sees every feature."""
    wrong = []
    for feature in FEATURES:
        own = f"handlers.{feature}"
        for name in (m for m in GRAPH if within(m, own)):
            allowed = (own, *SHARED, "storage")
            wrong += [f"{name} → {t}" for t in GRAPH[name] if not any(within(t, a) for a in allowed)]
    assert wrong == []


def test_the_shared_packages_sit_below_the_features() -> None:
    """handlers.understanding (the parser) imports nothing else of the project; handlers.common
    imports only itself, the parser and storage; storage imports neither handlers/ nor bot/."""
    layers = {
        "handlers.understanding": ("handlers.understanding",),
        "handlers.common": ("handlers.common", "handlers.understanding", "storage"),
        "storage": ("storage",),
    }
    wrong = []
    for package, allowed in layers.items():
        for name in (m for m in GRAPH if within(m, package)):
            wrong += [f"{name} → {t}" for t in GRAPH[name] if not any(within(t, a) for a in allowed)]
    assert wrong == []
