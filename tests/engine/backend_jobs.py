"""Engine jobs in the worker process on a chosen Keras backend, as QGIS starts
them (the Engine backend setting passed as SEMSEG_BACKEND), for the tests that
train on one backend and predict or export on another."""

import csv
import json
import os
import subprocess  # nosec B404 - the worker, with a list argv
import sys

import numpy as np

from datasets import write_dataset
from rasters import read_raster, synthetic_scene, write_raster

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
TITLES = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}
# A tiny U-Net, trained long enough on the synthetic chips to be sure of its classes
TRAIN = {"model": "unet", "encoder": "unet_native", "width": 0.25, "batch_size": 4,
         "epochs": 4, "learning_rate": 0.01, "seed": 1}


def run(task, params, backend, folder, timeout=600):
    """``(result, log lines)`` of a job run in the worker on ``backend``;
    AssertionError with the worker's last words when it fails."""
    job = os.path.join(folder, f"{task}-{backend}-job.json")
    with open(job, "w") as f:
        json.dump({"task": task, "params": params}, f)
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    env.update(PYTHONPATH=PLUGINS, TF_CPP_MIN_LOG_LEVEL="2", SEMSEG_BACKEND=backend)
    proc = subprocess.run([sys.executable, "-m", "semantic_segmentation.engine", job],
                          env=env, capture_output=True, text=True, timeout=timeout)  # nosec B603
    messages = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    assert proc.returncode == 0 and messages[-1]["type"] == "result", \
        (messages[-2:], proc.stderr[-3000:])
    return messages[-1]["result"], [m["message"] for m in messages if m["type"] == "log"]


def dataset(folder):
    return write_dataset(os.path.join(folder, "dataset"), n_train=12, n_val=8)


def train(data_dir, backend, folder, **extra):
    """Train Model's job on ``backend``: ``(model path, result, log lines)``."""
    model = os.path.join(folder, f"{backend}.keras")
    result, logs = run("train", {"dataset": data_dir, "output_model": model,
                                 "log_dir": os.path.join(folder, f"{backend}-logs"),
                                 **TRAIN, **extra}, backend, folder)
    return model, result, logs


def training_losses(result):
    """Each epoch's training loss, from the run's history.csv."""
    with open(os.path.join(result["log_dir"], "history.csv")) as f:
        rows = list(csv.DictReader(f))
    return [float(row["loss"]) for row in rows]


def scene(folder):
    """A synthetic scene like the dataset's chips (3 bands, uint16)."""
    image, _ = synthetic_scene(96, 128, bands=3, seed=4)
    return str(write_raster(os.path.join(folder, "scene.tif"), image.astype(np.uint16)))


def predict(model, scene_path, backend, folder, name):
    """Predict Raster's class raster of ``scene_path`` on ``backend`` (an array)."""
    output = os.path.join(folder, f"{name}.tif")
    _result, logs = run("predict", {"input": scene_path, "model": model, "output": output},
                        backend, folder)
    return read_raster(output)[0][..., 0], logs


def ran_on(logs, backend):
    """Did the job log that it ran on ``backend``?"""
    return any(line.startswith("Keras 3.") and f" on {TITLES[backend]} " in line
               for line in logs)
