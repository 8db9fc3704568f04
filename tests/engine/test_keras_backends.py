"""Predict Raster on Keras's other backends: a model file written on TensorFlow runs
on JAX (the backend-neutral predictor) with the same probabilities, through the
worker as QGIS starts it, with the setting Engine backend = jax. Skipped where JAX is
not installed (`.venv/bin/python -m pip install "jax[cpu]"`)."""

import json
import os
import subprocess  # nosec B404 - child Pythons with list argvs
import sys
import textwrap

import numpy as np
import pytest

from models_fixture import make_model_file
from rasters import synthetic_scene, write_raster

pytest.importorskip("jax")
keras = pytest.importorskip("keras")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env["PYTHONPATH"] = os.pathsep.join([PLUGINS, os.path.join(ROOT, "tests")])
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    """A small U-Net file written on TensorFlow (this process's backend)."""
    path = tmp_path_factory.mktemp("jax") / "unet.keras"
    return str(make_model_file(path, model="unet", encoder="unet_native", tile_size=32,
                               width=0.125))


def test_a_tensorflow_model_file_predicts_the_same_on_jax(model_file, tmp_path):
    from semantic_segmentation.engine.predict import predictors

    x = np.random.default_rng(0).normal(size=(2, 32, 32, 3)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    want, _ = predictors.load_predictor(model_file, (32, 32), 3, "tensorflow")
    assert isinstance(want, predictors.KerasPredictor)
    script = textwrap.dedent(f"""
        import json, numpy as np
        from semantic_segmentation.engine import backends
        from semantic_segmentation.engine.predict import predictors
        from semantic_segmentation.engine.progress import Progress
        backends.select()
        predictor, _ = predictors.load_predictor({model_file!r}, (32, 32), 3, "tensorflow")
        np.save({str(tmp_path / "y.npy")!r}, predictor(np.load({str(tmp_path / "x.npy")!r})))
        lines = []
        backends.log_backend(Progress(log=lines.append))
        print(json.dumps({{"class": type(predictor).__name__, "line": str(lines[0]),
                          "gpu": predictors.gpu_present("tensorflow")}}))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, env=_env(SEMSEG_BACKEND="jax"))  # nosec B603
    assert proc.returncode == 0, proc.stderr[-3000:]
    facts = json.loads(proc.stdout.strip().splitlines()[-1])
    assert facts["class"] == "KerasOpsPredictor" and facts["gpu"] is False
    assert facts["line"].startswith("Keras 3.") and " on JAX " in facts["line"]
    assert facts["line"].endswith("device: CPU.")
    got = np.load(tmp_path / "y.npy")
    assert got.dtype == np.float32 and got.shape == (2, 32, 32, 3)
    np.testing.assert_allclose(got, want(x), atol=1e-4)


def test_predict_raster_job_runs_on_jax_in_the_worker(model_file, tmp_path):
    image, _ = synthetic_scene(80, 100, bands=3, seed=1)
    scene = write_raster(tmp_path / "scene.tif", image.astype(np.uint16))
    job = tmp_path / "job.json"
    output = tmp_path / "classes.tif"
    job.write_text(json.dumps({"task": "predict", "params": {
        "input": str(scene), "model": model_file, "output": str(output)}}))
    proc = subprocess.run(  # nosec B603
        [sys.executable, "-m", "semantic_segmentation.engine", str(job)], capture_output=True,
        text=True, timeout=300, env=_env(SEMSEG_BACKEND="jax"))
    messages = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert proc.returncode == 0, (messages[-1:], proc.stderr[-3000:])
    logs = [m["message"] for m in messages if m["type"] == "log"]
    assert any(line.startswith("Keras 3.") and " on JAX " in line for line in logs), logs
    assert messages[-1]["type"] == "result" and output.exists()
