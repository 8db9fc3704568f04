"""bench/gpu_check.py --quick, the first GPU run's script, on a machine without a GPU:
it says so, runs every step on the CPU and reports each figure. It runs Train Model's
own job on whichever Keras backend it is on: TensorFlow, PyTorch (chosen here the
way the plugin chooses it, through the Engine backend setting's SEMSEG_BACKEND) and
JAX."""

import json
import os
import subprocess  # nosec B404 - the script, list argv
import sys

import pytest

from semantic_segmentation.engine import devices

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "bench", "gpu_check.py")

pytest.importorskip("keras")


def _run(tmp_path, backend=None, setting=None):
    """The script with ``--backend backend``, or with the Engine backend setting
    ``setting`` (SEMSEG_BACKEND) and ``--backend auto``."""
    out = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "SEMSEG_BACKEND")}
    if setting:
        env["SEMSEG_BACKEND"] = setting
    proc = subprocess.run(  # nosec B603
        [sys.executable, SCRIPT, "--quick", "--backend", backend or "auto", "--work",
         str(tmp_path), "--out", str(out)], capture_output=True, text=True, timeout=600,
        env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout, json.loads(out.read_text())


def _common(stdout, report):
    if not devices.nvidia_gpus():
        assert "No NVIDIA GPU found" in stdout and report["device"] == "CPU"
        assert report["train"]["peak_gpu_mb"] is None
    assert report["failed"] == [] and report["quick"] is True
    predict = report["predict"]
    assert predict["error"] is None and predict["mpx_s"] > 0 and predict["halvings_count"] == 0
    assert predict["backend_line"].startswith("Keras 3.")
    assert report["forward_mpx_s"] > 0 and report["gdal_mpx_s"] > 0
    assert "raw forward pass" in stdout and "GDAL raw read + write" in stdout


def _trained(report, title):
    train = report["train"]
    assert train["job"] == "Train Model" and train["error"] is None
    assert train["epoch_seconds"] > 0 and train["halvings"] == []
    assert f" on {title} " in train["backend_line"]
    assert f" on {title} " in report["predict"]["backend_line"]


def test_quick_run_on_tensorflow_runs_train_model_job(tmp_path):
    pytest.importorskip("tensorflow")
    stdout, report = _run(tmp_path, "tensorflow")
    _common(stdout, report)
    assert report["backend"] == "tensorflow"
    _trained(report, "TensorFlow")
    assert "Train Model's job on TensorFlow" in stdout


def test_quick_run_on_torch_from_the_setting_runs_train_model_job(tmp_path):
    pytest.importorskip("torch")
    stdout, report = _run(tmp_path, setting="torch")
    _common(stdout, report)
    assert report["backend"] == "torch" and report["backend_source"] == "setting"
    _trained(report, "PyTorch")
    assert "Train Model's job on PyTorch" in stdout and "NOT RUN" not in stdout


def test_quick_run_on_jax_runs_train_model_job(tmp_path):
    pytest.importorskip("jax")
    stdout, report = _run(tmp_path, "jax")
    _common(stdout, report)
    assert report["backend"] == "jax"
    _trained(report, "JAX")
    assert "Train Model's job on JAX" in stdout and "NOT RUN" not in stdout
