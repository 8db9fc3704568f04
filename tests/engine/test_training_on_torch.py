"""Train Model on PyTorch: the engine's training job in the worker with the Engine
backend setting torch, the same run as TensorFlow's for the same SEED; its model
file predicts alike on TensorFlow, fine-tunes on PyTorch and exports (on
TensorFlow) to an ONNX file that gives the same classes; a TensorFlow-trained
model predicts alike on PyTorch. Skipped where PyTorch is not
installed (`make test` installs its CPU build, requirements-dev.txt)."""

import os

import numpy as np
import pytest

import backend_jobs as jobs
from models_fixture import make_model_file

pytest.importorskip("torch")
pytest.importorskip("tensorflow")

AGREEMENT = 0.999  # share of pixels whose class two backends must agree on


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("torch"))
    return folder, jobs.dataset(folder), jobs.scene(folder)


@pytest.fixture(scope="module")
def trained(work):
    folder, data_dir, _scene = work
    return jobs.train(data_dir, "torch", folder)


@pytest.fixture(scope="module")
def on_torch(trained, work):
    """The torch-trained model's classes of the scene, predicted on torch."""
    folder, _data, scene = work
    classes, logs = jobs.predict(trained[0], scene, "torch", folder, "torch-classes")
    assert jobs.ran_on(logs, "torch"), logs
    return classes


def test_train_model_runs_on_torch_and_learns(trained, work):
    model, result, logs = trained
    assert jobs.ran_on(logs, "torch"), logs
    assert os.path.isfile(model) and result["epochs_run"] == jobs.TRAIN["epochs"]
    losses = jobs.training_losses(result)
    assert losses[-1] < 0.8 * losses[0], losses  # it learns
    # TensorBoard logs without TensorFlow (train/event_files.py), and the CSV history
    logs_dir = result["log_dir"]
    assert any(name.startswith("events.out.tfevents.")
               for name in os.listdir(os.path.join(logs_dir, "tensorboard", "validation")))
    assert os.path.isfile(os.path.join(logs_dir, "history.csv"))


def test_the_same_seed_trains_the_same_run_on_tensorflow(trained, work):
    """SEED fixes the starting network on every backend (models/initial_weights.py)
    as it fixes the batches (data/batches.py), so TensorFlow runs the same
    training: each epoch's loss agrees up to the drift of floating-point order."""
    folder, data_dir, _scene = work
    _model, result, logs = jobs.train(data_dir, "tensorflow", folder)
    assert jobs.ran_on(logs, "tensorflow"), logs
    np.testing.assert_allclose(jobs.training_losses(result),
                               jobs.training_losses(trained[1]), rtol=0.02)


def test_a_torch_trained_model_predicts_alike_on_tensorflow(trained, work, on_torch):
    folder, _data, scene = work
    model = trained[0]
    on_tf, logs = jobs.predict(model, scene, "tensorflow", folder, "tf-classes")
    assert jobs.ran_on(logs, "tensorflow"), logs
    assert (on_torch == on_tf).mean() >= AGREEMENT
    assert len(np.unique(on_tf)) > 1


def test_fine_tune_on_torch_and_export_from_a_torch_model(trained, work, on_torch):
    folder, data_dir, scene = work
    model = trained[0]
    tuned, result, logs = jobs.train(data_dir, "torch", folder, init_model=model, epochs=1,
                                     output_model=os.path.join(folder, "tuned.keras"))
    assert jobs.ran_on(logs, "torch") and result["epochs_run"] == 1
    onnx_path = os.path.join(folder, "torch.onnx")
    jobs.run("export", {"model": model, "output": onnx_path}, "torch", folder)  # on TF
    from_onnx, _logs = jobs.predict(onnx_path, scene, "torch", folder, "onnx-classes")
    assert (from_onnx == on_torch).mean() >= AGREEMENT


def test_a_tensorflow_trained_model_predicts_alike_on_torch(work):
    """The other way: a model file fitted on TensorFlow (this process's backend)."""
    folder, _data, scene = work
    model = str(make_model_file(os.path.join(folder, "tf.keras"), model="unet",
                                encoder="unet_native", tile_size=32, width=0.25,
                                train_steps=20))
    on_tf, _logs = jobs.predict(model, scene, "tensorflow", folder, "tf-model-on-tf")
    on_torch, _logs = jobs.predict(model, scene, "torch", folder, "tf-model-on-torch")
    assert (on_torch == on_tf).mean() >= AGREEMENT
