"""The engine's backend and device choices with faked facts: the Keras backend a job
runs on (engine/backends.py, the worker), what Set up the engine installs on each
kind of machine (engine/runtime/environment.py), and ONNX Runtime's execution
providers (formats/onnx_backend.py) with a faked provider list."""

import os

import numpy as np
import pytest

from semantic_segmentation.engine import backends
from semantic_segmentation.engine.errors import InputError
from semantic_segmentation.engine.progress import Progress
from semantic_segmentation.engine.runtime import environment

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(autouse=True)
def _keep_environment():
    """The worker's backend choice writes KERAS_BACKEND (and JAX's memory switch) into
    os.environ, as it must in its own process; here that would leak into every later
    test of this pytest worker (and the engine processes they start)."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def _having(*names):
    return lambda name: name in names


# ---------------------------------------------------------------- the Keras backend
@pytest.mark.parametrize("have, expected", [
    (("tensorflow", "torch", "jax"), "tensorflow"),
    (("torch", "jax"), "torch"),
    (("jax",), "jax"),
    ((), "tensorflow"),  # an ONNX-only engine: nothing to choose, no error yet
])
def test_auto_is_tensorflow_else_the_first_installed(have, expected):
    assert backends.choose("auto", {}, _having(*have)) == (expected, "auto")
    assert backends.choose(None, {}, _having(*have)) == (expected, "auto")


def test_the_setting_comes_from_the_environment_and_keras_backend_overrides_it():
    every = _having("tensorflow", "torch", "jax")
    assert backends.choose(None, {"SEMSEG_BACKEND": "jax"}, every) == ("jax", "setting")
    assert backends.choose("torch", {}, every) == ("torch", "setting")
    assert backends.choose("torch", {"KERAS_BACKEND": "JAX"}, every) == ("jax", "environment")


def test_a_backend_that_is_not_installed_names_what_to_install():
    with pytest.raises(InputError, match="setting is torch, which is not installed.*install "
                                         "torch there"):
        backends.choose("torch", {}, _having("tensorflow"))
    with pytest.raises(InputError, match="KERAS_BACKEND names jax.*install jax"):
        backends.choose("auto", {"KERAS_BACKEND": "jax"}, _having("tensorflow"))
    with pytest.raises(InputError, match="Unknown engine backend mxnet"):
        backends.choose("mxnet", {}, _having("tensorflow"))
    with pytest.raises(InputError, match="KERAS_BACKEND is numpy"):
        backends.choose("auto", {"KERAS_BACKEND": "numpy"}, _having("tensorflow"))


def test_select_sets_keras_backend_before_keras_is_imported():
    environ = {"SEMSEG_BACKEND": "jax"}
    assert backends.select(None, environ, _having("jax")) == ("jax", "setting")
    assert environ["KERAS_BACKEND"] == "jax"
    assert environ["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false"  # memory on demand


def test_auto_is_the_backend_set_up_recorded(tmp_path):
    """Set up the engine records its choice (PyTorch's CUDA build on Windows with an
    NVIDIA GPU, say) in the environment; auto runs on it there, while it is installed."""
    every = _having("tensorflow", "torch", "jax")
    assert backends.recorded(str(tmp_path)) == ""
    backends.record(str(tmp_path), "torch")
    assert backends.recorded(str(tmp_path)) == "torch"
    chosen = backends.recorded(str(tmp_path))
    assert backends.choose("auto", {}, every, chosen) == ("torch", "auto")
    assert backends.choose("auto", {}, _having("tensorflow"), chosen) == \
        ("tensorflow", "auto")  # uninstalled since: the usual order
    assert backends.choose("jax", {}, every, chosen) == ("jax", "setting")
    assert backends.choose("auto", {"KERAS_BACKEND": "jax"}, every, chosen) == \
        ("jax", "environment")
    (tmp_path / backends.RECORD).write_text("mxnet\n")
    assert backends.recorded(str(tmp_path)) == ""


def test_export_runs_on_tensorflow_whatever_the_setting():
    """Export Model converts on TensorFlow (tf2onnx); Train Model and Predict Raster
    run on the backend chosen."""
    environ = {"SEMSEG_BACKEND": "torch", "KERAS_BACKEND": "jax"}
    installed = _having("tensorflow", "torch", "jax")
    assert backends.select_for_task("export", None, environ, installed) == \
        ("tensorflow", "task")
    assert environ["KERAS_BACKEND"] == "tensorflow"
    environ = {"SEMSEG_BACKEND": "torch"}
    assert backends.select_for_task("train", None, environ, installed) == ("torch", "setting")
    with pytest.raises(InputError, match="Export Model converts the model on TensorFlow"):
        backends.select_for_task("export", None, {}, _having("torch"))


class _Channel:
    def __init__(self):
        self.messages = []

    def emit(self, kind, /, **fields):
        self.messages.append(dict(type=kind, **fields))


def test_the_worker_exports_on_tensorflow_whatever_the_backend(monkeypatch):
    from semantic_segmentation.engine.runtime import worker

    monkeypatch.setenv("KERAS_BACKEND", "torch")
    monkeypatch.setattr(backends, "installed", _having("tensorflow", "torch"))
    channel = _Channel()
    assert worker.run_job({"task": "export", "params": {}}, channel) == 2
    assert os.environ["KERAS_BACKEND"] == "tensorflow"
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    monkeypatch.setattr(backends, "installed", _having("torch"))
    assert worker.run_job({"task": "export", "params": {}}, channel) == 2
    error = channel.messages[-1]
    assert error["kind"] == "input"
    assert "Export Model converts the model on TensorFlow (tf2onnx), which is not " \
        "installed" in error["message"]


def test_the_worker_names_a_missing_backend(monkeypatch):
    from semantic_segmentation.engine.runtime import worker

    monkeypatch.setenv("SEMSEG_BACKEND", "torch")
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setattr(backends, "installed", _having("tensorflow"))
    channel = _Channel()
    assert worker.run_job({"task": "predict", "params": {}}, channel) == 2
    assert "torch, which is not installed" in channel.messages[-1]["message"]


def test_device_text():
    assert backends.device_text({"type": "GPU", "name": "NVIDIA H100", "memory_mb": 81559}) \
        == "GPU NVIDIA H100 (79.6 GiB)"
    assert backends.device_text({"type": "CPU", "name": "CPU", "memory_mb": None}) == "CPU"


def test_the_option_tables_are_the_engine_choices():
    from semantic_segmentation.engine import options

    assert list(environment.BACKEND_CHOICES) == options.names("setup_backend")
    assert list(environment.ONNXRUNTIME_CHOICES) == options.names("onnxruntime_package")
    assert list(environment.NVIDIA_CHOICES) == options.names("nvidia_gpu")
    assert backends.CHOICES == environment.BACKEND_CHOICES


# ---------------------------------------------------------------- what Set up installs
CUDA, CPU = environment.TORCH_CUDA_INDEX, environment.TORCH_CPU_INDEX


@pytest.mark.parametrize("facts, overrides, expected", [
    # Linux + NVIDIA: TensorFlow with CUDA trains on the GPU today; ONNX Runtime's CUDA build
    (("linux", "x86_64", True), {},
     ("tensorflow[and-cuda]", "nvidia", "tensorflow", "", "linux_nvidia", "",
      "onnxruntime-gpu", "nvidia")),
    # no GPU: TensorFlow for the CPU as before
    (("linux", "x86_64", False), {},
     ("tensorflow-cpu", "linux", "tensorflow", "", "no_gpu", "", "onnxruntime", "cpu")),
    # Windows + NVIDIA: PyTorch's CUDA build from its own index trains and predicts;
    # TensorFlow (CPU) beside it converts for Export Model
    (("win32", "AMD64", True), {},
     ("tensorflow-cpu", "beside_torch", "torch", "torch>=2.4", "windows_nvidia", CUDA,
      "onnxruntime-directml", "windows")),
    # Windows without NVIDIA: DirectML runs on any DirectX 12 GPU
    (("win32", "AMD64", False), {},
     ("tensorflow-cpu", "windows", "tensorflow", "", "no_gpu", "", "onnxruntime-directml",
      "windows")),
    # macOS: PyTorch with MPS; onnxruntime has CoreML there
    (("darwin", "arm64", None), {},
     ("tensorflow", "beside_torch", "torch", "torch>=2.4", "macos", "", "onnxruntime",
      "macos")),
    # overrides: PyTorch on Linux + NVIDIA (TensorFlow then takes the CPU: CUDA pins clash)
    (("linux", "x86_64", True), {"backend": "torch"},
     ("tensorflow-cpu", "beside_torch", "torch", "torch>=2.4", "chosen", "", "onnxruntime-gpu",
      "nvidia")),
    (("linux", "x86_64", False), {"backend": "torch"},
     ("tensorflow-cpu", "beside_torch", "torch", "torch>=2.4", "chosen", CPU, "onnxruntime",
      "cpu")),
    (("linux", "x86_64", True), {"backend": "jax"},
     ("tensorflow-cpu", "beside_jax", "jax", environment.JAX_CUDA_REQUIREMENT, "chosen", "",
      "onnxruntime-gpu", "nvidia")),
    (("win32", "AMD64", True), {"torch_index": "https://example.org/whl/cu126",
                                "onnxruntime": "onnxruntime-gpu"},
     ("tensorflow-cpu", "beside_torch", "torch", "torch>=2.4", "windows_nvidia",
      "https://example.org/whl/cu126", "onnxruntime-gpu", "chosen")),
    (("win32", "AMD64", True), {"backend": "tensorflow", "onnxruntime": "onnxruntime-openvino"},
     ("tensorflow-cpu", "windows", "tensorflow", "", "chosen", "", "onnxruntime-openvino",
      "chosen")),
])
def test_engine_choice(facts, overrides, expected):
    choice = environment.engine_choice(*facts, **overrides)
    assert (choice.tensorflow, choice.tensorflow_reason, choice.backend, choice.backend_package,
            choice.backend_reason, choice.index_url, choice.onnxruntime,
            choice.onnxruntime_reason) == expected


def test_engine_choice_refuses_unknown_names():
    with pytest.raises(InputError, match="Unknown backend mxnet"):
        environment.engine_choice("linux", "x86_64", False, backend="mxnet")
    with pytest.raises(InputError, match="Unknown ONNX Runtime package onnxruntime-rocm"):
        environment.engine_choice("linux", "x86_64", False, onnxruntime="onnxruntime-rocm")


def _project_requirements():
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as f:
        return f.read().splitlines()


def test_requirements_for_windows_with_an_nvidia_gpu():
    lines, changed = environment.adapt_to_choice(
        _project_requirements(), environment.engine_choice("win32", "AMD64", True))
    assert changed
    assert "tensorflow-cpu==2.21.0" in lines
    assert "onnxruntime-directml>=1.20" in lines and "onnxruntime==1.32.0" not in lines
    assert lines[-2:] == [f"--extra-index-url {CUDA}", "torch>=2.4"]


def test_requirements_for_linux_with_an_nvidia_gpu_keep_the_onnxruntime_pin():
    lines, changed = environment.adapt_to_choice(
        _project_requirements(), environment.engine_choice("linux", "x86_64", True))
    assert changed and "tensorflow[and-cuda]==2.21.0" in lines
    assert "onnxruntime-gpu==1.32.0" in lines and not any("torch" in x for x in lines)


def test_requirements_without_a_gpu_are_unchanged():
    lines = _project_requirements()
    assert environment.adapt_to_choice(
        lines, environment.engine_choice("linux", "x86_64", False)) == (lines, False)


def test_onnxruntime_line_keeps_its_marker():
    lines, _ = environment.adapt_onnxruntime(
        ["onnxruntime==1.32.0 ; python_version >= '3.10'"], "onnxruntime-directml")
    assert lines == ["onnxruntime-directml>=1.20 ; python_version >= '3.10'"]


def _logged(choice):
    lines = []
    progress = Progress(log=lines.append)
    environment._log_tensorflow_choice(progress, choice.tensorflow, choice.tensorflow_reason)
    environment._log_backend_choice(progress, choice)
    environment._log_onnxruntime_choice(progress, choice)
    return "\n".join(lines)


def test_each_choice_is_logged_with_its_reason():
    text = _logged(environment.engine_choice("win32", "AMD64", True))
    assert "Windows with an NVIDIA GPU driver: installing torch>=2.4" in text
    assert CUDA in text and "PyTorch wheel index parameter" in text
    assert "Train Model and Predict Raster run on it, on the GPU" in text
    assert "WSL2" not in text  # TensorFlow only converts there
    assert "onnxruntime-directml" in text and "DirectX 12" in text
    text = _logged(environment.engine_choice("linux", "x86_64", True, backend="jax"))
    assert "Installing tensorflow-cpu beside jax: Train Model and Predict Raster run " \
        "on jax" in text
    text = _logged(environment.engine_choice("linux", "x86_64", True))
    assert "run on TensorFlow with CUDA" in text and "onnxruntime-gpu" in text
    text = _logged(environment.engine_choice("darwin", "arm64"))
    assert "MPS" in text and "CoreML" in text


# ---------------------------------------------------------------- ONNX Runtime providers
@pytest.fixture
def tiny_onnx(tmp_path):
    """An NHWC softmax over 3 bands: the smallest "segmentation model" ONNX Runtime runs."""
    onnx = pytest.importorskip("onnx")
    from onnx import helper

    x = helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, ["n", "h", "w", 3])
    y = helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, ["n", "h", "w", 3])
    graph = helper.make_graph([helper.make_node("Softmax", ["x"], ["y"], axis=-1)], "g",
                              [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = str(tmp_path / "softmax.onnx")
    onnx.save(model, path)
    return path


def _fake_providers(monkeypatch, names):
    ort = pytest.importorskip("onnxruntime")
    monkeypatch.setattr(ort, "get_available_providers", lambda: list(names))


def test_providers_best_first(monkeypatch):
    from semantic_segmentation.engine.formats import onnx_backend

    _fake_providers(monkeypatch, ["AzureExecutionProvider", "CPUExecutionProvider",
                                  "OpenVINOExecutionProvider", "DmlExecutionProvider",
                                  "TensorrtExecutionProvider", "CUDAExecutionProvider"])
    assert onnx_backend.available_providers() == [
        "CUDAExecutionProvider", "DmlExecutionProvider", "OpenVINOExecutionProvider",
        "CPUExecutionProvider"]
    _fake_providers(monkeypatch, ["CoreMLExecutionProvider", "CPUExecutionProvider"])
    assert onnx_backend.available_providers() == ["CoreMLExecutionProvider",
                                                  "CPUExecutionProvider"]


def test_gpu_present_means_the_cuda_provider(monkeypatch):
    from semantic_segmentation.engine.predict import predictors

    _fake_providers(monkeypatch, ["CUDAExecutionProvider", "CPUExecutionProvider"])
    assert predictors.gpu_present("onnxruntime")
    _fake_providers(monkeypatch, ["DmlExecutionProvider", "CPUExecutionProvider"])
    assert not predictors.gpu_present("onnxruntime")  # no NVIDIA memory to plan on


def test_the_cpu_provider_runs_and_says_so(tiny_onnx):
    from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor

    predictor = OnnxPredictor(tiny_onnx)
    assert predictor.providers == ["CPUExecutionProvider"]
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype(np.float32)
    np.testing.assert_allclose(predictor(x).sum(-1), 1.0, rtol=1e-5)


def test_a_listed_provider_that_cannot_run_falls_back_to_the_cpu(monkeypatch, tiny_onnx):
    """DirectML listed (as onnxruntime-directml would) on a machine without it: the
    session's options suit DirectML, and the session says what it really uses."""
    from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor

    _fake_providers(monkeypatch, ["DmlExecutionProvider", "CPUExecutionProvider"])
    with pytest.warns(UserWarning, match="DmlExecutionProvider"):
        predictor = OnnxPredictor(tiny_onnx)
    assert predictor.providers == ["CPUExecutionProvider"]
    assert predictor(np.zeros((1, 4, 4, 3), np.float32)).shape == (1, 4, 4, 3)


def test_jax_out_of_memory_is_recognised():
    from semantic_segmentation.engine.predict import predictors

    class XlaRuntimeError(RuntimeError):
        pass

    assert predictors.is_out_of_memory(XlaRuntimeError("RESOURCE_EXHAUSTED: Out of memory "
                                                       "while trying to allocate"))
    assert not predictors.is_out_of_memory(XlaRuntimeError("INVALID_ARGUMENT"))
