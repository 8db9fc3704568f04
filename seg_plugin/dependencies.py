"""Can the engine's Python train and predict? The self-check, and what to tell the user.

QGIS itself never imports TensorFlow (docs/architecture.md): the engine's self-check
(``python -m <package>.engine --status``, engine/runtime/status.py) runs in a child
process, so it is safe to call from the plugin, off the GUI thread, and it
costs nothing when the plugin merely loads. When the engine cannot run, the
message names what is missing and points to "Set up the engine"; it never
suggests pip-installing into QGIS's own (externally managed) Python.
"""

import json
import os
import subprocess  # nosec B404 - we start the configured interpreter with a list argv
import sys

from .engine_setting import ENV_KEY, engine_command, missing_module, python_interpreter
from .i18n import tr, tr_engine

PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REQUIREMENTS = os.path.join(PLUGIN_DIR, "requirements.txt")
TIMEOUT_S = 180  # TensorFlow's first import on a cold disk can take a minute
VERSION_FIELDS = ("tensorflow", "keras", "numpy", "gdal")


def _not_run(python, reason):
    """A self-check result for an interpreter that could not run it."""
    status = {"python": python or "", "ready": False, "devices": [], "missing": [],
              "problems": [], "error": reason}
    status.update({field: "" for field in VERSION_FIELDS})
    module = missing_module(reason)
    if module:
        status["missing"].append(module)
    return status


def self_check(python, timeout=TIMEOUT_S):
    """The engine's self-check as run by ``python``: a dict (see engine/runtime/status.py).

    Never raises: when ``python`` cannot run it, ``ready`` is False, the
    versions are "" and ``error`` says why.
    """
    if not python:
        return _not_run("", tr("no engine is configured"))
    argv, env = engine_command(python, "--status")
    try:
        proc = subprocess.run(  # nosec B603 - argv list, our own module
            argv, capture_output=True, text=True, timeout=timeout, env=env,
            encoding="utf-8", errors="replace")
    except OSError as exc:
        return _not_run(python, str(exc))
    except subprocess.TimeoutExpired:
        return _not_run(python, tr("no answer in {0} s").format(timeout))
    lines = proc.stdout.strip().splitlines()
    try:
        status = json.loads(lines[-1])
        if not isinstance(status, dict):
            raise ValueError(status)
    except (IndexError, ValueError):
        last = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        return _not_run(python, last[-1] if last else
                        tr("exit code {0}").format(proc.returncode))
    status.setdefault("missing", [])
    status.setdefault("problems", [])
    status["ready"] = bool(status.get("ready"))
    return status


def manual_commands(platform=None):
    """How to make the engine's environment by hand, on this system only
    (``platform``: ``sys.platform``'s value, for tests)."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return tr(
            "By hand, in the OSGeo4W Shell:\n"
            "    python -m venv --system-site-packages %USERPROFILE%\\semseg-venv\n"
            "    %USERPROFILE%\\semseg-venv\\Scripts\\pip install -r {0}").format(REQUIREMENTS)
    if platform == "darwin":
        return tr(
            "By hand, in a terminal:\n"
            "    /Applications/QGIS.app/Contents/MacOS/bin/python3 -m venv "
            "--system-site-packages ~/semseg-venv\n"
            "    ~/semseg-venv/bin/pip install -r {0} (with tensorflow instead of "
            "tensorflow-cpu)").format(REQUIREMENTS)
    return tr(
        "By hand, in a terminal:\n"
        "    /usr/bin/python3 -m venv --system-site-packages ~/semseg-venv\n"
        "    ~/semseg-venv/bin/pip install -r {0}").format(REQUIREMENTS)


def setup_hint():
    """Where to go: Set up the engine, the setting, the manual commands."""
    return tr(
        "Run \"Set up the engine\" (Processing Toolbox > Semantic Segmentation): it makes a "
        "Python environment with TensorFlow, Keras and NumPy beside QGIS's GDAL and selects "
        "it. Or make one yourself and name its Python in Settings > Options > Processing > "
        "Providers > Semantic Segmentation > Engine Python interpreter (or in the "
        "environment variable {0}).").format(ENV_KEY) + "\n" + manual_commands()


def no_engine_message():
    """No engine interpreter is configured at all."""
    return tr("No Python is set up to run the segmentation engine (TensorFlow and Keras "
              "never run inside QGIS).") + "\n\n" + setup_hint()


def problems_text(status):
    """The self-check's problems, translated, one a line."""
    return "\n".join(tr_engine(p.get("template"), p.get("values"), fallback=p.get("message"))
                     if p.get("template") else str(p.get("message", ""))
                     for p in status.get("problems", []) if isinstance(p, dict))


def install_message(python, missing=(), reason=""):
    """The engine's Python lacks ``missing`` modules (or failed for ``reason``): what to do."""
    if missing:
        text = tr("The engine's Python {0} cannot import {1}.").format(
            python, ", ".join(missing))
    else:
        text = tr("The engine's Python {0} cannot run the engine.").format(python)
    if reason:
        text += "\n" + reason
    return text + "\n\n" + setup_hint()


def status_message(status):
    """Why the self-check ``status`` is not ready, and what to do."""
    if not status.get("python"):
        return no_engine_message()
    if status.get("error") and not status.get("missing"):
        return install_message(status["python"], reason=str(status["error"]))
    return install_message(status["python"], status.get("missing", []), problems_text(status))


def headline(status):
    """One line for the message bar: why the engine cannot run yet (details go to the
    log)."""
    if not status.get("python"):
        return tr("The segmentation engine is not set up yet.")
    if status.get("missing"):
        return tr("The segmentation engine's Python cannot import {0}.").format(
            ", ".join(status["missing"]))
    return tr("The segmentation engine's Python cannot run the engine.")


def check_engine(python=None, timeout=TIMEOUT_S):
    """(ok, message): can ``python`` (default: the engine's interpreter) run the engine?

    The self-check runs in a child process; ``message`` says what to do when it fails.
    """
    python = python or python_interpreter()
    status = self_check(python, timeout)
    if not status["ready"]:
        return False, status_message(status)
    return True, tr("The engine's Python {0} is ready: TensorFlow {1}, Keras {2}.").format(
        python, status.get("tensorflow", ""), status.get("keras", ""))
