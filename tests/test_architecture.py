"""The package's shape: layers point down, no import circles, small modules, no hidden globals.

Read from the source with :mod:`ast` (nothing is imported), so a test fails on the line that
breaks the rule. Imports inside ``if TYPE_CHECKING:`` only name types and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generators"

#: Layers, highest first; a module may import its own layer or a lower one.
CONTENT_MODULES = {"models", "checkcache", "messages", "privacy", "scaffold", "schema"}
GENERATORS = ("site", "search", "booklet")

#: Generators may not import each other, except these (importer package, imported module).
PEER_IMPORTS = {("site", "generators.search.related")}

#: Module-level state allowed, and why: a fork pool's only per-child channel is its initializer.
CHILD_STATE = {"generators.parallel"}

MAX_LINES = 400
LONG_MODULES = {"generators.models"}

_MUTATORS = {
    "append",
    "add",
    "clear",
    "discard",
    "extend",
    "insert",
    "pop",
    "popitem",
    "remove",
    "setdefault",
    "update",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def layer(module: str) -> tuple[int, str]:
    """(rank, group) of a module: 5 cli, 4 pipeline, 3 generators, 2 content, 1 primitives."""
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else ""
    if top == "cli":
        return 5, "cli"
    if top == "pipeline":
        return 4, "pipeline"
    if top in GENERATORS:
        return 3, top
    if top == "content" or top in CONTENT_MODULES:
        return 2, "content"
    return 1, "primitives"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def imports_of(module: str) -> list[tuple[str, int]]:
    """The ``generators`` modules ``module`` imports, with the line of each import."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    edges = []
    for node in _import_nodes(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [f"{stem}.{alias.name}" for alias in node.names]
            targets = [t if t in MODULES else stem for t in targets]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target.startswith("generators") and target != module:
                edges.append((target, node.lineno))
    return edges


GRAPH = {module: imports_of(module) for module in MODULES}


def test_the_walk_sees_the_package() -> None:
    assert {"generators.cli", "generators.content", "generators.site.plugin"} <= set(MODULES)
    cli = [m for m in MODULES if m == "generators.cli" or m.startswith("generators.cli.")]
    assert len(cli) > 1  # a package: the commands' modules are walked too
    assert any(target == "generators.content" for m in cli for target, _ in GRAPH[m])


def test_nothing_imports_the_cli() -> None:
    offenders = [
        f"{MODULES[m].relative_to(PACKAGE.parent)}:{line}"
        for m, edges in GRAPH.items()
        for target, line in edges
        if target == "generators.cli"
    ]
    assert not offenders, offenders


def test_layers_point_down() -> None:
    offenders = []
    for module, edges in GRAPH.items():
        rank, group = layer(module)
        for target, line in edges:
            t_rank, t_group = layer(target)
            upward = t_rank > rank
            sideways = rank == t_rank == 3 and group != t_group
            if upward or (sideways and (group, target) not in PEER_IMPORTS):
                where = f"{MODULES[module].relative_to(PACKAGE.parent)}:{line}"
                offenders.append(f"{where}: {group} → {t_group} ({target})")
    assert not offenders, "\n".join(offenders)


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target, _ in GRAPH[node]:
            if MODULES[node].name == "__init__.py" and target.startswith(node + "."):
                continue  # a package re-exporting its own modules is not a dependency circle
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in MODULES:
        if module not in index:
            connect(module)
    return found


def test_no_import_circles() -> None:
    assert not _cycles(), _cycles()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_are_small(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert module in LONG_MODULES or lines <= MAX_LINES, f"{module}: {lines} lines"


def _module_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                names.add(target.id)
    return names


def _local_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = {a.arg for a in [*func.args.args, *func.args.kwonlyargs, *func.args.posonlyargs]}
    for extra in (func.args.vararg, func.args.kwarg):
        if extra is not None:
            names.add(extra.arg)
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def hidden_state(module: str) -> list[str]:
    """Functions that rebind (``global``) or mutate a module-level name."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    shared = _module_names(tree)
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local = _local_names(func) - {
            n for g in ast.walk(func) if isinstance(g, ast.Global) for n in g.names
        }
        for node in ast.walk(func):
            name = None
            if isinstance(node, ast.Global):
                found.append(f"line {node.lineno}: global {', '.join(node.names)}")
                continue
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _MUTATORS
                and isinstance(node.func.value, ast.Name)
            ):
                name = node.func.value.id
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del):
                if isinstance(node.value, ast.Name):
                    name = node.value.id
            if name and name in shared and name not in local:
                found.append(f"line {node.lineno}: {func.name} changes module-level {name}")
    return found


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_level_state(module: str) -> None:
    if module in CHILD_STATE:
        assert [h.split(": ", 1)[1] for h in hidden_state(module)] == ["global _CHILD_STATE"]
    else:
        assert not hidden_state(module), hidden_state(module)
