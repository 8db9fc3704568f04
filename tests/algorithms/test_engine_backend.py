"""The Keras backend on the QGIS side: the Processing setting "Engine backend" and how
it reaches the engine's process, Engine status's report of the backends, and what
Set up the engine chooses (and logs) with a faked NVIDIA driver."""

import os

import pytest

from test_setup_engine import PROBE, _Recorder, make_wheel

VENV_PYTHON = os.environ["SEMSEG_PYTHON"]  # the project's .venv (tests/conftest.py)


@pytest.fixture
def backend_setting(qgis_app, monkeypatch):
    """The setting, back to auto afterwards; no SEMSEG_BACKEND or KERAS_BACKEND here."""
    from processing.core.ProcessingConfig import ProcessingConfig

    from semantic_segmentation.engine import backends
    from semantic_segmentation.seg_plugin import engine_setting

    monkeypatch.delenv("SEMSEG_BACKEND", raising=False)
    monkeypatch.delenv("KERAS_BACKEND", raising=False)

    def choose(name):
        ProcessingConfig.setSettingValue(engine_setting.BACKEND_SETTING,
                                         backends.CHOICES.index(name))

    yield choose
    choose("auto")


def test_engine_backend_is_a_processing_setting(backend_setting):
    from processing.core.ProcessingConfig import ProcessingConfig, Setting

    from semantic_segmentation.seg_plugin import engine_setting
    from semantic_segmentation.seg_plugin.i18n import tr

    registered = ProcessingConfig.settings["SEMSEG_BACKEND"]
    assert registered.group == tr("Semantic Segmentation")
    assert registered.valuetype == Setting.SELECTION
    assert registered.options == ["auto", "tensorflow", "torch", "jax"]
    assert engine_setting.engine_backend() == "auto"
    backend_setting("jax")
    assert engine_setting.engine_backend() == "jax"


def test_the_setting_reaches_the_engine_process_unless_the_environment_names_one(
        backend_setting, monkeypatch):
    from semantic_segmentation.seg_plugin import engine_setting

    backend_setting("torch")
    _argv, env = engine_setting.engine_command("/opt/engine/bin/python", "--status")
    assert env["SEMSEG_BACKEND"] == "torch"
    monkeypatch.setenv("SEMSEG_BACKEND", "jax")
    _argv, env = engine_setting.engine_command("/opt/engine/bin/python", "--status")
    assert env["SEMSEG_BACKEND"] == "jax"


def test_engine_status_reports_the_backend_the_setting_chooses(run, backend_setting):
    if not os.path.exists(VENV_PYTHON):
        pytest.skip(f"{VENV_PYTHON} is missing (make install)")
    log = _Recorder()
    result = run("semseg:enginestatus", {"PYTHON": VENV_PYTHON}, log)
    assert result["BACKEND"] == "tensorflow" and result["READY"] is True
    block = "\n".join(log.lines)
    assert "Engine backend: tensorflow (auto)" in block
    assert "  TensorFlow 2." in block and "ONNX Runtime: 1." in block
    assert "CPUExecutionProvider" in block
    backend_setting("jax")
    log = _Recorder()
    result = run("semseg:enginestatus", {"PYTHON": VENV_PYTHON}, log)
    if result["BACKEND"] != "jax":
        pytest.skip("the project's venv has no JAX")
    assert result["READY"] is True  # training runs on JAX too
    assert "Engine backend: jax (setting)" in "\n".join(log.lines)


def test_backend_lines_of_a_status():
    from semantic_segmentation.algorithms.engine_status import backend_lines

    lines = backend_lines({
        "backend": "torch", "backend_source": "environment",
        "backends": {"torch": {"version": "2.5.1", "error": "", "devices": [
            {"type": "GPU", "name": "NVIDIA H100", "memory_mb": 81559},
            {"type": "CPU", "name": "CPU", "memory_mb": None}]},
            "jax": {"version": "", "devices": [], "error": "ImportError: libcuda"}},
        "onnxruntime": "1.32.0",
        "onnx_providers": ["CUDAExecutionProvider", "CPUExecutionProvider"]})
    assert lines == ["Engine backend: torch (KERAS_BACKEND)",
                     "  PyTorch 2.5.1: GPU NVIDIA H100 (79.6 GiB), CPU",
                     "  JAX: cannot be imported (ImportError: libcuda)",
                     "ONNX Runtime: 1.32.0 (CUDAExecutionProvider, CPUExecutionProvider)"]


def test_setup_engine_logs_each_choice_for_a_faked_nvidia_driver(run, tmp_path, monkeypatch):
    """NVIDIA = yes and Backend = torch on this Linux machine: the log says what is
    installed and why (PyTorch trains and predicts, TensorFlow for the CPU converts); pip then
    fails offline (no TensorFlow wheel here) and the folder is removed."""
    from qgis.core import QgsProcessingException

    monkeypatch.delenv("SEMSEG_PYTHON", raising=False)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"{PROBE}==0.1\ntensorflow-cpu==2.21.0\nonnxruntime==1.32.0\n")
    wheels = str(tmp_path / "wheels")
    make_wheel(wheels)
    folder = tmp_path / "engine"
    feedback = _Recorder()
    with pytest.raises(QgsProcessingException):
        run("semseg:setupengine", {"FOLDER": str(folder), "REQUIREMENTS": str(requirements),
                                   "WHEELS": wheels, "NVIDIA_GPU": "yes", "BACKEND": "torch"},
            feedback)
    text = "\n".join(feedback.lines)
    assert "Installing tensorflow-cpu beside torch: Train Model and Predict Raster run " \
        "on torch" in text
    assert "Backend torch chosen: installing torch>=2.4" in text
    assert "installing onnxruntime-gpu, ONNX Runtime with its CUDA provider" in text
    assert not folder.exists()
