"""The engine check: which Python runs the engine, and what the user is told when it
cannot (the missing module, "Set up the engine", the commands to do it by hand)."""

import os
import re
import subprocess  # nosec B404

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
VENV_PYTHON = os.environ["SEMSEG_PYTHON"]  # the project's .venv (tests/conftest.py)


def _has_tensorflow(python):
    try:
        return subprocess.run([python, "-c", "import tensorflow"],  # nosec B603
                              capture_output=True, timeout=60).returncode == 0
    except OSError:
        return None


def test_check_engine_accepts_the_venv_python(qgis_app):
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    if not os.path.exists(VENV_PYTHON):
        pytest.skip(f"{VENV_PYTHON} is missing (make install)")
    ok, message = check_engine(VENV_PYTHON)
    assert ok, message
    assert VENV_PYTHON in message


def test_check_engine_without_tensorflow_names_it_and_points_to_setup(qgis_app):
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    if _has_tensorflow(SYSTEM_PYTHON) is not False:
        pytest.skip(f"{SYSTEM_PYTHON} is missing or has TensorFlow")
    ok, message = check_engine(SYSTEM_PYTHON)
    assert not ok
    assert f"{SYSTEM_PYTHON} cannot import tensorflow" in message
    assert '"Set up the engine"' in message
    assert "/usr/bin/python3 -m venv --system-site-packages ~/semseg-venv" in message
    # this system's commands only (Linux here), not every system's
    assert "OSGeo4W Shell" not in message and "/Applications/QGIS.app" not in message
    assert "SEMSEG_PYTHON" in message and "Engine Python interpreter" in message
    # never pip into QGIS's own (externally managed) Python
    assert f"{SYSTEM_PYTHON} -m pip" not in message


def test_check_engine_with_missing_interpreter_is_not_ok(qgis_app, tmp_path):
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    missing = str(tmp_path / "no-such-python")
    ok, message = check_engine(missing)
    assert not ok
    assert missing in message and "Set up the engine" in message


def test_check_engine_defaults_to_the_configured_python(qgis_app, monkeypatch):
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    monkeypatch.setenv("SEMSEG_PYTHON", SYSTEM_PYTHON)
    ok, message = check_engine()
    assert SYSTEM_PYTHON in message
    assert ok == bool(_has_tensorflow(SYSTEM_PYTHON))


def test_missing_module_is_read_from_the_import_error():
    from semantic_segmentation.seg_plugin.engine_setting import missing_module

    assert missing_module("ModuleNotFoundError: No module named 'osgeo'") == "osgeo"
    assert missing_module("No module named 'tensorflow.python'") == "tensorflow"
    assert missing_module("Killed") is None


def test_engine_without_tensorflow_fails_naming_the_module(qgis_app, tiny_dataset, tmp_path,
                                                          monkeypatch):
    import processing
    from qgis.core import QgsProcessingException

    if _has_tensorflow(SYSTEM_PYTHON) is not False:
        pytest.skip(f"{SYSTEM_PYTHON} is missing or has TensorFlow")
    monkeypatch.setenv("SEMSEG_PYTHON", SYSTEM_PYTHON)
    with pytest.raises(QgsProcessingException) as error:
        processing.run("semseg:trainmodel", {"DATASET": tiny_dataset, "EPOCHS": 1,
                                            "OUTPUT_MODEL": str(tmp_path / "m.keras")})
    # the engine imports Keras first: the module it could not import is named
    assert re.search(rf"{SYSTEM_PYTHON} cannot import (tensorflow|keras)\.", str(error.value))
    assert "Set up the engine" in str(error.value)


def test_manual_commands_are_this_systems_only(qgis_app):
    from semantic_segmentation.seg_plugin.dependencies import manual_commands

    windows, mac, linux = (manual_commands(p) for p in ("win32", "darwin", "linux"))
    assert "OSGeo4W Shell" in windows and "Scripts\\pip install" in windows
    assert "/usr/bin/python3" not in windows and "/Applications" not in windows
    assert "/Applications/QGIS.app/Contents/MacOS/bin/python3" in mac
    assert "OSGeo4W" not in mac and "/usr/bin/python3" not in mac
    assert "/usr/bin/python3 -m venv --system-site-packages ~/semseg-venv" in linux
    assert "OSGeo4W" not in linux and "/Applications" not in linux


def test_headline_is_one_line(qgis_app):
    from semantic_segmentation.seg_plugin.dependencies import headline

    assert headline({"python": ""}) == "The segmentation engine is not set up yet."
    line = headline({"python": "/x/python", "missing": ["tensorflow"]})
    assert line == "The segmentation engine's Python cannot import tensorflow."
    assert "\n" not in headline({"python": "/x/python", "missing": [], "error": "boom"})


class _Bar:
    """The part of QgsMessageBar the plugin uses, around a real QgsMessageBar item."""

    def __init__(self):
        from qgis.gui import QgsMessageBar

        self.bar = QgsMessageBar()
        self.pushed, self.popped = [], []

    def createMessage(self, title, text):  # noqa: N802 (QGIS's name)
        return self.bar.createMessage(title, text)

    def pushWidget(self, item, level, duration):  # noqa: N802
        self.pushed.append((item, level, duration))

    def popWidget(self, item):  # noqa: N802
        self.popped.append(item)


class _Iface:
    def __init__(self):
        self.bar = _Bar()

    def messageBar(self):  # noqa: N802
        return self.bar


def test_engine_missing_gives_one_line_and_a_set_up_button(qgis_app, monkeypatch):
    """Without an engine, the message bar says it in one line, with a button that opens
    "Set up the engine"'s dialog; the whole message, with the commands, goes to the log."""
    from qgis.core import Qgis, QgsApplication
    from qgis.PyQt.QtWidgets import QPushButton

    from semantic_segmentation.seg_plugin import plugin as plugin_module

    iface = _Iface()
    plugin = plugin_module.SegmentationPlugin(iface)
    plugin.provider = object()  # as after initProcessing
    opened = []
    monkeypatch.setattr(plugin_module.SegmentationPlugin, "open_setup_dialog",
                        staticmethod(lambda: opened.append("semseg:setupengine")))
    logged = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: logged.append(message))
    plugin._engine_checked(None, {"python": "", "ready": False, "missing": [],
                                  "problems": []})
    item, level, duration = iface.bar.pushed[0]
    assert level == Qgis.MessageLevel.Warning and duration == 0
    assert item.text() == ("The segmentation engine is not set up yet. "
                           "Details are in the Log Messages panel.")
    assert "\n" not in item.text()
    button = item.findChild(QPushButton, "semsegSetUpEngine")
    assert button is not None and button.text() == "Set up the engine…"
    button.click()
    assert opened == ["semseg:setupengine"] and iface.bar.popped == [item]
    assert any("Set up the engine" in m and "-m venv" in m for m in logged)
