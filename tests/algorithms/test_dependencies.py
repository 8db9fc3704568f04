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
    assert "OSGeo4W Shell" in message and "macOS" in message
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
