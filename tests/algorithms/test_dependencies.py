"""The engine check: which Python runs the engine, and what to install when it lacks TF."""

import subprocess  # nosec B404
import sys

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"


def _has_tensorflow(python):
    try:
        return subprocess.run([python, "-c", "import tensorflow"],  # nosec B603
                              capture_output=True, timeout=60).returncode == 0
    except OSError:
        return None


def test_check_engine_accepts_the_venv_python():
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    ok, message = check_engine(sys.executable)
    assert ok, message
    assert sys.executable in message


def test_check_engine_without_tensorflow_says_what_to_install():
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    if _has_tensorflow(SYSTEM_PYTHON) is not False:
        pytest.skip(f"{SYSTEM_PYTHON} is missing or has TensorFlow")
    ok, message = check_engine(SYSTEM_PYTHON)
    assert not ok
    assert (f'{SYSTEM_PYTHON} -m pip install "tensorflow-cpu==2.21.0" "keras==3.15.1" '
            f'"numpy<2"') in message
    assert "SEMSEG_PYTHON" in message and "semantic_segmentation/python" in message
    assert "tensorflow" in message.lower()


def test_check_engine_with_missing_interpreter_is_not_ok(tmp_path):
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    missing = str(tmp_path / "no-such-python")
    ok, message = check_engine(missing)
    assert not ok
    assert f"{missing} -m pip install" in message


def test_check_engine_defaults_to_the_configured_python(monkeypatch):
    from semantic_segmentation.seg_plugin.dependencies import check_engine

    monkeypatch.setenv("SEMSEG_PYTHON", SYSTEM_PYTHON)
    ok, message = check_engine()
    assert SYSTEM_PYTHON in message
    assert ok == bool(_has_tensorflow(SYSTEM_PYTHON))


def test_engine_without_tensorflow_fails_with_the_install_command(qgis_app, tmp_path,
                                                                   monkeypatch):
    import processing
    from qgis.core import QgsProcessingException

    if _has_tensorflow(SYSTEM_PYTHON) is not False:
        pytest.skip(f"{SYSTEM_PYTHON} is missing or has TensorFlow")
    dataset = tmp_path / "dataset"
    (dataset / "train").mkdir(parents=True)
    monkeypatch.setenv("SEMSEG_PYTHON", SYSTEM_PYTHON)
    with pytest.raises(QgsProcessingException) as error:
        processing.run("semseg:trainmodel", {"DATASET": str(dataset), "EPOCHS": 1,
                                            "OUTPUT_MODEL": str(tmp_path / "m.keras")})
    assert f"{SYSTEM_PYTHON} -m pip install" in str(error.value)
