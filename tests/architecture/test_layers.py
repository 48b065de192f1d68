"""A newcomer can trust the tree: code depends one way, from the site down to the base, with
no cycles between packages or files (imports inside functions count), and no model looked up
by name to dodge an import."""

import re
import subprocess
import sys
from pathlib import Path

import grimp

PROJECT = Path(__file__).resolve().parents[2]
ROOT_PACKAGES = ("cirsite", "articles", "podcasts", "ingest")


def import_graph():
    return grimp.build_graph(*ROOT_PACKAGES, cache_dir=None)


def strongly_connected(nodes, edges):
    """Tarjan's algorithm: the groups of nodes that can all reach one another."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in nodes:
        if node not in index:
            visit(node)
    return [group for group in groups if len(group) > 1]


def component(module):
    """The package a module belongs to for the layering: cirsite and ingest are split into
    their sub-packages (cirsite.base, cirsite.site, ingest.pipeline, ...); their top-level
    modules (urls, settings, models, wagtail_hooks) stand for themselves."""
    parts = module.split(".")
    if parts[0] in ("cirsite", "ingest") and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def test_the_import_linter_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_no_file_imports_itself_through_others():
    graph = import_graph()
    modules = graph.modules
    edges = {m: graph.find_modules_directly_imported_by(m) & modules for m in modules}
    # A package's __init__ re-exporting its own submodules is how Python packages work, not a
    # cycle of design; everything else must be acyclic.
    for module, targets in edges.items():
        edges[module] = {t for t in targets if not t.startswith(module + ".")}
    assert strongly_connected(sorted(modules), edges) == []


def test_no_package_depends_on_another_that_depends_back():
    graph = import_graph()
    edges = {}
    for module in graph.modules:
        for target in graph.find_modules_directly_imported_by(module):
            if target.split(".")[0] not in ROOT_PACKAGES:
                continue
            source, destination = component(module), component(target)
            if source != destination:
                edges.setdefault(source, set()).add(destination)
    assert strongly_connected(sorted(edges), edges) == []


def test_application_code_never_looks_models_up_by_name():
    offenders = []
    for package in ROOT_PACKAGES:
        for path in (PROJECT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"\bget_model\(", line):
                    offenders.append(f"{path.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert offenders == []
