"""The package's shape: no import circles, and no subpackage reaching into another's privates.

The import graph is read from the source with :mod:`ast`, nothing is imported. Every import
statement counts wherever it stands: at module level, inside a function, under
``if TYPE_CHECKING:`` or in a ``try``; relative imports are resolved; ``from .x import y`` where
``y`` is a submodule of ``.x`` is an import of that submodule; ``importlib.import_module`` and
``__import__`` count where their module name is a string literal. Importing ``a.b.c`` also runs
the package faces ``a/__init__.py`` and ``a/b/__init__.py``; those implicit steps are not edges
(a lazy face that names its submodules under ``TYPE_CHECKING`` would otherwise close a circle
with each of them), a face is an edge only where it is imported by name.

A *unit* is a subpackage of the package (``geo``, ``optics``, ``report``, ...) or a top-level
module (``plan``, ``scenario``, ...). A name whose first character is ``_`` (not a dunder) is
private to the unit that defines it, and so is every module under a ``_``-named module path.
The top-level private modules (``_io``, ``_json``, ...) are shared infrastructure: anyone may
import them and any name out of them.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "transcaspian"


@dataclass(frozen=True)
class Edge:
    """One import: ``importer`` takes ``target`` (or the name ``name`` out of it) at ``line``."""

    importer: str
    target: str
    line: int
    name: str | None = None


@dataclass(frozen=True)
class Source:
    """The modules of one package tree, by dotted name, and their parsed source."""

    root: Path
    package: str

    @property
    def files(self) -> dict[str, Path]:
        return _module_files(self.root, self.package)

    def is_package(self, module: str) -> bool:
        return self.files[module].name == "__init__.py"

    def tree(self, module: str) -> ast.Module:
        return _parse(self.files[module])

    def where(self, module: str, line: int) -> str:
        """``src/pkg/mod.py:12``: the file as seen from the folder above the source root."""
        return f"{self.files[module].relative_to(self.root.parent).as_posix()}:{line}"


@cache
def _module_files(root: Path, package: str) -> dict[str, Path]:
    files = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        files[".".join(parts)] = path
    return files


@cache
def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _anchor(src: Source, module: str, level: int) -> str:
    """The package that a relative import of ``level`` dots in ``module`` starts from."""
    base = module if src.is_package(module) else module.rpartition(".")[0]
    for _ in range(level - 1):
        base = base.rpartition(".")[0]
    return base


def _dynamic_target(src: Source, module: str, call: ast.Call) -> str | None:
    """The module that ``import_module("…", anchor)`` or ``__import__("…")`` names, if literal."""
    func = call.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if called not in ("import_module", "__import__") or not call.args:
        return None
    first = call.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    name = first.value
    if not name.startswith("."):
        return name
    if called != "import_module" or len(call.args) < 2:
        return None
    anchor_node = call.args[1]
    if isinstance(anchor_node, ast.Name) and anchor_node.id == "__name__":
        anchor = module
    elif isinstance(anchor_node, ast.Name) and anchor_node.id == "__package__":
        anchor = _anchor(src, module, 1)
    elif isinstance(anchor_node, ast.Constant) and isinstance(anchor_node.value, str):
        anchor = anchor_node.value
    else:
        return None
    level = len(name) - len(name.lstrip("."))
    for _ in range(level - 1):
        anchor = anchor.rpartition(".")[0]
    rest = name[level:]
    return f"{anchor}.{rest}" if rest else anchor


def edges(src: Source, module: str) -> Iterator[Edge]:
    """Every import of a module of the package that ``module`` makes, anywhere in its source."""
    files = src.files
    for node in ast.walk(src.tree(module)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in files:
                    yield Edge(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _anchor(src, module, node.level)
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            if source not in files:
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in files:
                    yield Edge(module, submodule, node.lineno)
                else:
                    yield Edge(module, source, node.lineno, alias.name)
        elif isinstance(node, ast.Call):
            target = _dynamic_target(src, module, node)
            if target in files:
                yield Edge(module, target, node.lineno)


def import_graph(src: Source) -> dict[str, dict[str, Edge]]:
    """``graph[a][b]``: the first import of module ``b`` in module ``a``."""
    graph: dict[str, dict[str, Edge]] = {m: {} for m in src.files}
    for module in src.files:
        for edge in sorted(edges(src, module), key=lambda e: e.line):
            graph[module].setdefault(edge.target, edge)
    return graph


def strongly_connected(graph: dict[str, dict[str, Edge]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or with a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    for start in sorted(graph):
        if start in index:
            continue
        # iterative Tarjan: (node, iterator over its successors)
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph[node]:
                        found.append(sorted(component))
    return sorted(found)


def describe_cycles(src: Source) -> list[str]:
    """Each circle: its modules, then every import that ties two of them, where it stands."""
    graph = import_graph(src)
    lines = []
    for component in strongly_connected(graph):
        ties = [
            graph[importer][target]
            for importer in component
            for target in sorted(graph[importer])
            if target in component
        ]
        steps = "\n".join(
            f"    {src.where(e.importer, e.line)}: {e.importer} -> {e.target}"
            + (f" ({e.name})" if e.name else "")
            for e in ties
        )
        lines.append(f"circle of {len(component)}: {', '.join(component)}\n{steps}")
    return lines


def unit(module: str) -> str:
    """The subpackage or top-level module that ``module`` belongs to (``""``: the root face)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_shared(module: str) -> bool:
    """A top-level private module of the package: infrastructure open to every unit."""
    parts = module.split(".")
    return len(parts) == 2 and _is_private(parts[1])


def _private_module(module: str) -> bool:
    """A module whose path inside its unit runs through a ``_``-named module."""
    return any(_is_private(part) for part in module.split(".")[2:])


def defined_in(src: Source, module: str, name: str, seen: frozenset[str] = frozenset()) -> str:
    """The module that defines ``name`` found in ``module``, following re-exports."""
    if module in seen:
        return module
    for node in ast.walk(src.tree(module)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) != name:
                    continue
                if node.level:
                    base = _anchor(src, module, node.level)
                    source = f"{base}.{node.module}" if node.module else base
                else:
                    source = node.module or ""
                if f"{source}.{alias.name}" in src.files:
                    return f"{source}.{alias.name}"
                if source in src.files:
                    return defined_in(src, source, alias.name, seen | {module})
    return module


def _module_aliases(src: Source, module: str) -> dict[str, tuple[str, int]]:
    """Local names bound to a module of the package: ``import a.b as z``, ``from a import b``."""
    aliases = {}
    for node in ast.walk(src.tree(module)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in src.files:
                    aliases[alias.asname] = (alias.name, node.lineno)
    for edge in edges(src, module):
        if edge.name is None:
            leaf = edge.target.rpartition(".")[2]
            for node in ast.walk(src.tree(module)):
                if isinstance(node, ast.ImportFrom) and node.lineno == edge.line:
                    for alias in node.names:
                        if alias.name == leaf:
                            aliases[alias.asname or alias.name] = (edge.target, edge.line)
    return aliases


def private_crossings(src: Source) -> list[str]:
    """Each place where one unit takes a private name or module defined in another unit."""
    found = []

    def check(importer: str, line: int, name: str, definer: str, what: str) -> None:
        if _is_shared(definer) or unit(definer) == unit(importer):
            return
        if _is_private(name) or _private_module(definer):
            found.append(f"{src.where(importer, line)}: {what} (defined in {definer})")

    for module in src.files:
        for edge in edges(src, module):
            if edge.name is None:
                leaf = edge.target.rpartition(".")[2]
                check(module, edge.line, leaf, edge.target, f"imports module {leaf}")
            else:
                definer = defined_in(src, edge.target, edge.name)
                check(module, edge.line, edge.name, definer, f"imports {edge.name}")
        aliases = _module_aliases(src, module)
        for node in ast.walk(src.tree(module)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _is_private(node.attr)
            ):
                target = aliases[node.value.id][0]
                definer = defined_in(src, target, node.attr)
                what = f"reads {node.value.id}.{node.attr}"
                check(module, node.lineno, node.attr, definer, what)
    return sorted(set(found))


# --- the package ---------------------------------------------------------------------------


def test_the_package_has_no_import_circles() -> None:
    circles = describe_cycles(Source(SRC, PACKAGE))
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_no_unit_imports_another_units_private_names() -> None:
    crossings = private_crossings(Source(SRC, PACKAGE))
    assert not crossings, "private names taken across units:\n" + "\n".join(crossings)


# --- the checks themselves, on small packages written for them ------------------------------


def _write_package(root: Path, modules: dict[str, str]) -> Source:
    for name, text in modules.items():
        path = root.joinpath("src", *name.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return Source(root / "src", "pkg")


@pytest.fixture
def toy(tmp_path: Path) -> Source:
    return _write_package(
        tmp_path,
        {
            "pkg.__init__": "",
            "pkg._io": "def _shared(): ...\n",
            "pkg.a.__init__": "",
            "pkg.a.one": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from .two import Two
            """,
            "pkg.a.two": """
                def late():
                    from . import three
            """,
            "pkg.a.three": "import pkg.a.one as first\n",
            "pkg.b.__init__": "",
            "pkg.b.user": """
                import importlib
                from .._io import _shared
                from ..a.two import _hidden
                from ..a import three
                three._peek
                importlib.import_module("..c", __package__)
            """,
            "pkg.c": "from .b import user\n",
        },
    )


def test_every_kind_of_import_is_an_edge(toy: Source) -> None:
    graph = import_graph(toy)
    assert set(graph["pkg.a.one"]) == {"pkg.a.two"}  # under TYPE_CHECKING
    assert set(graph["pkg.a.two"]) == {"pkg.a.three"}  # in a function; a submodule by from-import
    assert set(graph["pkg.a.three"]) == {"pkg.a.one"}  # absolute, aliased
    assert set(graph["pkg.b.user"]) == {"pkg._io", "pkg.a.two", "pkg.a.three", "pkg.c"}
    assert graph["pkg.b.user"]["pkg.a.two"].name == "_hidden"


def test_a_circle_is_named_with_its_imports(toy: Source) -> None:
    circles = describe_cycles(toy)
    assert len(circles) == 2
    assert circles[0].startswith("circle of 3: pkg.a.one, pkg.a.three, pkg.a.two")
    assert "src/pkg/a/one.py:4: pkg.a.one -> pkg.a.two (Two)" in circles[0]
    assert "src/pkg/a/two.py:3: pkg.a.two -> pkg.a.three" in circles[0]
    assert "src/pkg/a/three.py:1: pkg.a.three -> pkg.a.one" in circles[0]
    assert circles[1].startswith("circle of 2: pkg.b.user, pkg.c")  # through import_module


def test_private_names_across_units_are_found(toy: Source) -> None:
    assert private_crossings(toy) == [
        "src/pkg/b/user.py:4: imports _hidden (defined in pkg.a.two)",
        "src/pkg/b/user.py:6: reads three._peek (defined in pkg.a.three)",
    ]


def test_a_private_name_is_found_where_it_is_defined(tmp_path: Path) -> None:
    src = _write_package(
        tmp_path,
        {
            "pkg.__init__": "",
            "pkg.a.__init__": "from .deep import _inner\n",
            "pkg.a.deep": "_inner = 1\n",
            "pkg.a.near": "from . import _inner\n",
            "pkg.b.__init__": "from ..a import _inner\n",
            "pkg.b._helpers": "",
            "pkg.b.sibling": "from . import _helpers\n",
            "pkg.top": "from .b._helpers import anything\n",
        },
    )
    assert private_crossings(src) == [
        "src/pkg/b/__init__.py:1: imports _inner (defined in pkg.a.deep)",
        "src/pkg/top.py:1: imports anything (defined in pkg.b._helpers)",
    ]
