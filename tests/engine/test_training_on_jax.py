"""Train Model on JAX (the shorter set): the training job in the worker with the
Engine backend setting jax, its model file predicting alike on TensorFlow. Skipped
where JAX is not installed (`make test` installs its CPU build, requirements-dev.txt)."""

import os

import pytest

import backend_jobs as jobs

pytest.importorskip("jax")
pytest.importorskip("tensorflow")


def test_a_jax_trained_model_predicts_alike_on_tensorflow(tmp_path):
    folder = str(tmp_path)
    model, result, logs = jobs.train(jobs.dataset(folder), "jax", folder)
    assert jobs.ran_on(logs, "jax"), logs
    losses = jobs.training_losses(result)
    assert os.path.isfile(model) and losses[-1] < 0.8 * losses[0], losses  # it learns
    scene = jobs.scene(folder)
    on_jax, _logs = jobs.predict(model, scene, "jax", folder, "jax-classes")
    on_tf, _logs = jobs.predict(model, scene, "tensorflow", folder, "tf-classes")
    assert (on_jax == on_tf).mean() >= 0.999
