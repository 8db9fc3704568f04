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


def test_engine_map_names_every_module_and_what_imports_keras():
    """engine/__init__.py's map lists each module, and those it marks "Keras at import"
    are the only ones that import TensorFlow or Keras when imported."""
    with open(os.path.join(ROOT, "engine", "__init__.py"), encoding="utf-8") as f:
        lines = ast.get_docstring(ast.parse(f.read())).splitlines()
    listed = {line.split()[0] for line in lines if line.startswith("    ") and line.split()
              and not line.startswith("     ")}
    modules = {name[:-3] for name in os.listdir(os.path.join(ROOT, "engine"))
               if name.endswith(".py") and not name.startswith("_")}
    assert listed == modules
    heavy = {os.path.basename(path)[:-3] for path in python_files("engine")
             if any(m.split(".")[0] in ("tensorflow", "keras")
                    for m in _top_level_imports(path))}
    assert heavy == {line.split()[0] for line in lines if "Keras at import" in line
                     and line.startswith("    ")}
