"""The package's layers and the direction imports may point, read from the source's AST.

Every import counts: at module top, inside functions and under TYPE_CHECKING. A module may import
from its own folder and from layers below its own; siblings of one rank (ctgov and store,
schedule and demo) do not import each other. Within a folder, imports form no cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

RANKS = {
    "errors": 0,
    "domain": 1,
    "config": 2,
    "ctgov": 3,
    "store": 3,
    "report": 4,
    "alerts": 5,
    "services": 6,
    "schedule": 7,
    "demo": 7,
    "cli": 8,
    "__main__": 9,
}
# Libraries that do I/O or draw: the pure domain layer imports none of them.
NOT_IN_DOMAIN = (
    "sqlalchemy", "requests", "urllib3", "jinja2", "markupsafe", "pandas",
    "matplotlib", "apscheduler", "click", "alembic", "openpyxl", "filelock",
)  # fmt: skip


def _imports(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in the file, relative ones resolved."""
    package = module.rsplit(".", 1)[0] if not path.name == "__init__.py" else module
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            yield base, node.lineno
            for alias in node.names:  # `from trialwatch.domain import records` names a module
                yield f"{base}.{alias.name}", node.lineno


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "trialwatch" else None


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package at `root`."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def violations(root: Path) -> list[str]:
    """Every import that points the wrong way, and every cycle inside a folder."""
    found = modules(root)
    problems: list[str] = []
    edges: dict[str, set[str]] = {m: set() for m in found}
    for module, path in found.items():
        layer = _layer(module)
        if layer is None:
            continue
        for target, line in _imports(path, module):
            where = f"{path.relative_to(root.parent)}:{line}"
            top = target.split(".")[0]
            if layer == "domain" and top in NOT_IN_DOMAIN:
                problems.append(f"{where}: domain imports {target}")
            other = _layer(target)
            if other is None or target not in found:
                continue
            if other == layer:
                inside = module.startswith(target + ".")  # a module's own package __init__
                if target != module and not inside:
                    edges[module].add(target)
            elif RANKS.get(other, 99) >= RANKS.get(layer, 99):
                problems.append(f"{where}: {layer} imports {target} ({other} is not below it)")
    problems.extend(_cycles(edges))
    return problems


def _cycles(edges: dict[str, set[str]]) -> list[str]:
    problems: list[str] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                problems.append("cycle: " + " -> ".join(path[path.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return problems
