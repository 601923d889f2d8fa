"""The layers of the code, read from the imports of every module (with ``ast``).

CLI -> core <- files; scheduling -> engine; reports and trackers -> core. Each rule is a
test, so a break names the module, the line and the import that crossed a layer:

- the engine (``planner.engine``) imports nothing of the planner outside itself;
- scheduling and reports do not import each other (reports receive finished data);
- the core (the modules directly in ``planner/`` and ``planner/forecast/``) opens no file and
  imports no loader, report, CLI or integration;
- reports return text: they import no loader and write no file;
- trackers' adapters (``integrations``) import no scheduling and no CLI, and never print;
- the plan checker shares nothing with what it checks (no scheduling, no engine);
- third-party libraries stay in their place: ortools in the engine, yaml in the loaders,
  jira in its adapter, typer in the CLI.

Every import counts, also one made lazily inside a function.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("planner", "integrations", "catalog")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    line: int
    target: str  # the imported module, dotted and absolute

    def __str__(self) -> str:
        path = self.module.replace(".", "/")
        return f"{path}.py:{self.line}: imports {self.target}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield _module_name(path), path


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module)
            yield Import(module, node.lineno, base)
            for alias in node.names:
                # `from planner import files` imports the module planner.files
                yield Import(module, node.lineno, f"{base}.{alias.name}")


ALL_IMPORTS: list[Import] = [imp for name, path in _modules() for imp in _imports_of(name, path)]


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _is_core(module: str) -> bool:
    parts = module.split(".")
    if parts[0] != "planner":
        return False
    if len(parts) == 2 and (ROOT / "planner" / f"{parts[1]}.py").is_file():
        return parts[1] not in {"__main__"}
    return _within(module, "planner.forecast")


def _is_planner_module(target: str) -> bool:
    return _within(target, "planner") and target != "planner"


def _breaks(module_rule: object, target_rule: object) -> list[str]:
    assert callable(module_rule) and callable(target_rule)
    return sorted(
        str(imp) for imp in ALL_IMPORTS if module_rule(imp.module) and target_rule(imp.target)
    )


def test_the_modules_are_found() -> None:
    names = {name for name, _ in _modules()}
    # A rule over no module holds vacuously: make sure the walk sees the layers.
    layers = ("planner.engine.cpsat", "planner.scheduling", "planner.reports", "planner.cli")
    for expected in layers:
        assert any(_within(name, expected) for name in names), expected
    assert len(ALL_IMPORTS) > 200


def test_the_engine_knows_nothing_of_roadmaps() -> None:
    assert (
        _breaks(
            lambda m: _within(m, "planner.engine"),
            lambda t: _is_planner_module(t) and not _within(t, "planner.engine"),
        )
        == []
    )


@pytest.mark.parametrize(
    ("low", "high"),
    [("planner.scheduling", "planner.reports"), ("planner.reports", "planner.scheduling")],
)
def test_scheduling_and_reports_do_not_import_each_other(low: str, high: str) -> None:
    assert _breaks(lambda m: _within(m, low), lambda t: _within(t, high)) == []


def test_the_core_imports_no_edge() -> None:
    edges = ("planner.files", "planner.cli", "planner.reports", "integrations")
    assert _breaks(_is_core, lambda t: any(_within(t, edge) for edge in edges)) == []


FILE_CALLS = {"open", "read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink"}


def _file_calls(module_rule: object) -> list[str]:
    assert callable(module_rule)
    found = []
    for name, path in _modules():
        if not module_rule(name):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called in FILE_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: calls {called}()")
    return found


def test_the_core_opens_no_file() -> None:
    assert _file_calls(_is_core) == []


def test_reports_return_text() -> None:
    assert (
        _breaks(
            lambda m: _within(m, "planner.reports"),
            lambda t: _within(t, "planner.files") or _within(t, "planner.cli"),
        )
        == []
    )
    writes = [
        call for call in _file_calls(lambda m: _within(m, "planner.reports")) if "write" in call
    ]
    assert writes == []


def test_adapters_import_no_scheduling_and_no_cli() -> None:
    assert (
        _breaks(
            lambda m: _within(m, "integrations"),
            lambda t: any(_within(t, x) for x in ("planner.scheduling", "planner.cli", "typer")),
        )
        == []
    )


def test_adapters_never_print() -> None:
    printing = []
    for name, path in _modules():
        if not _within(name, "integrations"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "print"
            ):
                printing.append(f"{path.relative_to(ROOT)}:{node.lineno}: print()")
    assert printing == []
    assert _breaks(lambda m: _within(m, "integrations"), lambda t: _within(t, "rich")) == []


def test_the_plan_checker_shares_nothing_with_what_it_checks() -> None:
    checkers = {"planner.scheduling.check_plan", "planner.scheduling.check_people"}
    assert (
        _breaks(
            lambda m: m in checkers,
            lambda t: not any(_within(t, c) for c in checkers)
            and (_within(t, "planner.scheduling") or _within(t, "planner.engine")),
        )
        == []
    )


@pytest.mark.parametrize(
    ("library", "home"),
    [
        ("ortools", "planner.engine"),
        ("yaml", "planner.files"),
        ("jira", "integrations.jira"),
        ("typer", "planner.cli"),
    ],
)
def test_third_party_libraries_stay_in_their_layer(library: str, home: str) -> None:
    assert _breaks(lambda m: not _within(m, home), lambda t: _within(t, library)) == []


def test_a_crossing_is_caught(tmp_path: Path) -> None:
    """The reader itself: a lazy import inside a function is seen, relative imports resolved."""
    source = "def f():\n    from ..files import plan_file\n    import ortools.sat\n"
    path = tmp_path / "planner" / "reports" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    imports = list(_imports_of("planner.reports.x", path))
    targets = {imp.target for imp in imports}
    assert "planner.files.plan_file" in targets
    assert "ortools.sat" in targets
