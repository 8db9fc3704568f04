"""Rules the code keeps: the security scan is clean, the engine and the
models never import QGIS, Qt comes only through qgis.PyQt."""

import ast
import json
import os
import subprocess  # nosec B404

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Bandit is a development tool: it lives in the venv, not in QGIS's Python.
VENV_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
PLUGIN_PACKAGES = ("seg_plugin", "algorithms", "engine", "models")


def python_files(*folders):
    for folder in folders:
        for dirpath, _dirs, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith(".py"):
                    yield os.path.join(dirpath, name)


def imported_modules(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_bandit_finds_no_issue():
    run = subprocess.run(  # nosec B603
        [VENV_PYTHON, "-m", "bandit", "-q", "-r", *PLUGIN_PACKAGES, "-c", ".bandit.yml",
         "-f", "json"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads(run.stdout)
    issues = [f"{i['filename']}:{i['line_number']} {i['test_id']} {i['issue_text']}"
              for i in report["results"]]
    assert issues == []


def test_engine_and_models_never_import_qgis():
    offenders = [(path, module) for path in python_files("engine", "models")
                 for module in imported_modules(path)
                 if module == "qgis" or module.startswith(("qgis.", "processing"))]
    assert offenders == []


def test_qt_only_through_qgis_pyqt():
    offenders = [(path, module) for path in python_files(*PLUGIN_PACKAGES)
                 for module in imported_modules(path)
                 if module.startswith(("PyQt5", "PyQt6", "PySide"))]
    assert offenders == []


def test_plugin_side_never_imports_tensorflow():
    offenders = [(path, module) for path in python_files("seg_plugin", "algorithms")
                 for module in imported_modules(path)
                 if module.split(".")[0] in ("tensorflow", "keras")]
    assert offenders == []


def _top_level_imports(path):
    """Modules imported when ``path`` is imported (its body's own import statements)."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def _engine_modules():
    """Every engine module as the map names it: "options", "data/raster", ..."""
    engine = os.path.join(ROOT, "engine")
    for path in python_files("engine"):
        rel = os.path.relpath(path, engine)[:-3]
        if not os.path.basename(rel).startswith("_"):
            yield rel.replace(os.sep, "/"), path


def test_engine_map_names_every_module_and_what_imports_keras():
    """engine/__init__.py's map lists each module, and those it marks "Keras at import"
    are the only ones that import TensorFlow or Keras when imported."""
    with open(os.path.join(ROOT, "engine", "__init__.py"), encoding="utf-8") as f:
        lines = ast.get_docstring(ast.parse(f.read())).splitlines()
    listed = {line.split()[0] for line in lines if line.startswith("    ") and line.split()
              and not line.startswith("     ")}
    modules = dict(_engine_modules())
    assert listed == set(modules)
    heavy = {name for name, path in modules.items()
             if any(m.split(".")[0] in ("tensorflow", "keras")
                    for m in _top_level_imports(path))}
    assert heavy == {line.split()[0] for line in lines if "Keras at import" in line
                     and line.startswith("    ")}


def test_engine_subpackages_import_nothing_when_imported():
    """QGIS imports predict.drift and formats.modelfile: a subpackage's __init__.py must
    not pull its siblings (and Keras) in with them."""
    for name in os.listdir(os.path.join(ROOT, "engine")):
        init = os.path.join(ROOT, "engine", name, "__init__.py")
        if os.path.isfile(init):
            assert list(_top_level_imports(init)) == [], init
            with open(init, encoding="utf-8") as f:
                body = ast.parse(f.read()).body
            assert all(isinstance(node, ast.Expr) for node in body), init


# The plugin's own modules as dotted names relative to the plugin folder
# ("engine.data.raster"); imports resolved to the module they load.
def _module_name(path):
    rel = os.path.relpath(path, ROOT)[:-3].split(os.sep)
    return ".".join(rel[:-1] if rel[-1] == "__init__" else rel)


def _is_package(name):
    return os.path.isfile(os.path.join(ROOT, *name.split("."), "__init__.py"))


def _is_module(name):
    return (_is_package(name)
            or os.path.isfile(os.path.join(ROOT, *name.split(".")) + ".py"))


def plugin_imports(path):
    """The plugin's own modules that ``path`` imports, anywhere in its body
    (an import inside a function closes a cycle as surely as one at the top)."""
    name = _module_name(path)
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        parts = package.split(".") if package else []
        base = parts[:len(parts) - (node.level - 1)] + (node.module.split(".")
                                                         if node.module else [])
        base = ".".join(base)
        for alias in node.names:
            child = f"{base}.{alias.name}" if base else alias.name
            yield child if _is_module(child) else base


def import_graph():
    graph = {}
    for path in python_files(*PLUGIN_PACKAGES):
        graph.setdefault(_module_name(path), set()).update(
            target for target in plugin_imports(path) if target != _module_name(path))
    return graph


def find_cycles(graph):
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
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
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_no_import_cycle():
    assert find_cycles(import_graph()) == []


def test_cycle_rule_finds_a_planted_cycle():
    graph = import_graph()
    graph["engine.formats.modelfile"] = graph["engine.formats.modelfile"] | {
        "engine.predict.prediction"}
    cycles = find_cycles(graph)
    assert any({"engine.formats.modelfile", "engine.predict.prediction"} <= set(c)
               for c in cycles)


# The engine's layers, lowest first: a module may import its own subpackage and any
# lower layer, never a higher one or a sibling of its own rank.
ENGINE_LAYERS = {"": 0, "formats": 1, "data": 2, "train": 3, "predict": 3, "evaluate": 3,
                 "runtime": 4}


def engine_layer_offenders(graph):
    def layer(module):
        parts = module.split(".")
        if parts == ["engine", "__main__"]:
            return "__main__", 5
        sub = parts[1] if len(parts) > 2 else ""
        return sub, ENGINE_LAYERS[sub]

    offenders = []
    for module, targets in graph.items():
        if not module.startswith("engine.") or module.count(".") == 1 and _is_package(module):
            continue
        sub, rank = layer(module)
        for target in targets:
            if not target.startswith("engine.") or _is_package(target):
                continue
            target_sub, target_rank = layer(target)
            if target_sub != sub and target_rank >= rank:
                offenders.append((module, target))
    return sorted(offenders)


def test_engine_layers_import_downward_only():
    assert engine_layer_offenders(import_graph()) == []


def test_layer_rule_finds_an_upward_import():
    graph = import_graph()
    graph["engine.data.tiling"] = graph["engine.data.tiling"] | {"engine.train.training"}
    graph["engine.predict.drift"] = graph["engine.predict.drift"] | {"engine.evaluate.metrics"}
    assert engine_layer_offenders(graph) == [
        ("engine.data.tiling", "engine.train.training"),
        ("engine.predict.drift", "engine.evaluate.metrics")]
