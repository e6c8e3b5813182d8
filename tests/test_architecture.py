"""The shape of the code: the import graph of the project's own modules has no circle, its
dependencies point the way the README's architecture section says, and no module is too long.

The graph is read from the source with ``ast`` (imports inside functions included), so it sees
what a reader sees, whatever is imported at run time."""

from __future__ import annotations

import ast
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("policytrack", "departments", "documents", "tasks")
MAX_LINES = 520


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imported_names(module: str, path: Path, tree: ast.AST) -> set[str]:
    """Every dotted name an import statement of the module refers to, relative imports resolved;
    ``from a import b`` gives both ``a`` and ``a.b`` (b may be a module or a name in a)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base_parts = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*base_parts, *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph = {}
    for module, path in modules.items():
        names = imported_names(module, path, ast.parse(path.read_text(encoding="utf-8")))
        graph[module] = {name for name in names if name in modules and name != module}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


class ImportGraphTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.modules = project_modules()
        cls.graph = import_graph(cls.modules)

    def imports_of(self, package: str) -> set[tuple[str, str]]:
        return {(module, target) for module, targets in self.graph.items() if inside(module, package) for target in targets}

    def assert_never_imports(self, package: str, *forbidden: str, allowed: tuple[str, ...] = ()) -> None:
        wrong = sorted(
            (module, target) for module, target in self.imports_of(package)
            if any(inside(target, other) for other in forbidden) and target not in allowed
        )
        self.assertEqual(wrong, [], f"{package} must not import {', '.join(forbidden)}")

    def test_the_graph_is_read(self):
        # the reader itself: a known edge, a function-level one and a relative one are all seen
        self.assertIn("tasks.notify.outbox", self.graph["tasks.workflow.reports"])
        self.assertIn("tasks.changes", self.graph["tasks.apps"])  # imported inside ready()
        tree = ast.parse("from . import b\nfrom .c import d\nfrom .. import e\n")
        self.assertEqual(imported_names("p.q.a", Path("a.py"), tree), {"p.q", "p.q.b", "p.q.c", "p.q.c.d", "p", "p.e"})

    def test_the_cycle_finder_finds_a_circle(self):
        self.assertEqual(cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}), [["a", "b", "c"]])
        self.assertEqual(cycles({"a": {"b"}, "b": set()}), [])

    def test_no_circle_of_imports(self):
        self.assertEqual(cycles(self.graph), [])

    def test_departments_import_neither_documents_nor_tasks(self):
        self.assert_never_imports("departments", "documents", "tasks")

    def test_documents_do_not_import_tasks(self):
        self.assert_never_imports("documents", "tasks")

    def test_notify_never_imports_the_workflow_or_the_numbers(self):
        self.assert_never_imports("tasks.notify", "tasks.workflow", "tasks.dashboard", "tasks.spreadsheets", "tasks.api",
                                  "tasks.filtersets")

    def test_the_workflow_does_not_import_the_dashboard_pages(self):
        self.assert_never_imports("tasks.workflow", "tasks.dashboard.views", "tasks.dashboard.bulletins",
                                  "tasks.spreadsheets", "tasks.api")

    def test_the_dashboard_numbers_import_no_page(self):
        # tasks.filtersets and the workspace's lists count by these modules, so they stay below every page
        for module in ("windows", "counting", "scoring", "filtering", "presentation", "numbers"):
            self.assert_never_imports(f"tasks.dashboard.{module}", "tasks.workflow", "tasks.notify", "tasks.filtersets",
                                      "tasks.dashboard.views", "tasks.dashboard.bulletins", "tasks.spreadsheets", "tasks.api")

    def test_the_rollups_import_no_page_and_no_outbox(self):
        # every writer calls them, and the dashboard reads their models: they stay below both
        self.assert_never_imports("tasks.rollups", "tasks.workflow", "tasks.notify", "tasks.dashboard",
                                  "tasks.spreadsheets", "tasks.api", "tasks.filtersets")

    def test_the_dashboard_reads_only_the_rollups_models(self):
        wrong = sorted((module, target) for module, target in self.imports_of("tasks.dashboard")
                       if inside(target, "tasks.rollups") and target not in ("tasks.rollups", "tasks.rollups.models"))
        self.assertEqual(wrong, [])

    def test_transports_know_nothing_of_the_outbox_or_its_callers(self):
        allowed = {"tasks.notify", "tasks.notify.models", "tasks.notify.links"}
        project = {target for target in self.graph["tasks.notify.transports"]}
        self.assertLessEqual(project, allowed)



class CeleryTaskNameTests(unittest.TestCase):
    def test_the_tasks_keep_the_names_the_schedules_and_queued_messages_use(self):
        from policytrack.celery import app
        from tasks import tasks

        app.loader.import_default_modules()
        for name, task in [("tasks.tasks.deliver", tasks.deliver), ("tasks.tasks.run_reminder_sweep", tasks.run_reminder_sweep),
                           ("tasks.tasks.retry_deliveries", tasks.retry_deliveries),
                           ("tasks.tasks.rebuild_rollups", tasks.rebuild_rollups)]:
            self.assertEqual(task.name, name)
            self.assertIs(app.tasks[name], task._get_current_object())  # shared_task gives a proxy


class ModuleSizeTests(unittest.TestCase):
    def test_no_module_is_over_the_limit(self):
        long = {
            module: lines for module, path in project_modules().items()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        }
        self.assertEqual(long, {}, f"modules over {MAX_LINES} lines: split them along their seams")
