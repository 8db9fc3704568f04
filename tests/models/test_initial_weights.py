"""A seed fixes a new network's initial weights on every Keras backend
(models/initial_weights.py): the same bytes on TensorFlow, PyTorch and JAX,
drawn from the same distributions as Keras's own initializers."""

import hashlib
import os
import subprocess  # nosec B404 - this test's own child, list argv
import sys

import keras
import numpy as np
import pytest

from semantic_segmentation.models import initial_weights, registry

PLUGINS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "build", "qgis-plugins")
# The network every backend builds: Train Model's default pair at a small width
NETWORK = ("unet", "unet_native", 3, 4)
CHILD = """
import hashlib, sys
import numpy as np
from semantic_segmentation.models import registry
model = registry.build_model("unet", "unet_native", 3, 4, width=0.25, seed=7)
print(hashlib.sha256(b"".join(np.ascontiguousarray(w).tobytes()
                              for w in model.get_weights())).hexdigest())
"""


def _digest(model):
    return hashlib.sha256(b"".join(np.ascontiguousarray(w).tobytes()
                                   for w in model.get_weights())).hexdigest()


def _build(seed):
    keras.backend.clear_session()
    return registry.build_model(*NETWORK, width=0.25, seed=seed)


def test_a_seed_gives_the_same_weights_and_another_seed_others():
    first, again, other = _digest(_build(7)), _digest(_build(7)), _digest(_build(8))
    assert first == again
    assert first != other


def test_the_backends_random_generator_plays_no_part():
    keras.utils.set_random_seed(1)
    a = _digest(_build(7))
    keras.utils.set_random_seed(2)
    assert _digest(_build(7)) == a


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_every_backend_starts_from_the_same_bytes(backend):
    pytest.importorskip(backend)
    env = dict(os.environ)
    env.update(KERAS_BACKEND=backend, PYTHONPATH=PLUGINS, TF_CPP_MIN_LOG_LEVEL="2")
    child = subprocess.run(  # nosec B603 - this test's own child, list argv
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=300)
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.split()[-1] == _digest(_build(7))


@pytest.mark.parametrize("initializer", [
    keras.initializers.GlorotUniform(), keras.initializers.HeNormal(),
    keras.initializers.LecunNormal(), keras.initializers.HeUniform(),
    keras.initializers.VarianceScaling(2.0, "fan_out", "untruncated_normal"),
    keras.initializers.RandomNormal(0.1, 0.05), keras.initializers.TruncatedNormal(0.0, 0.2),
    keras.initializers.RandomUniform(-0.3, 0.1)])
def test_draws_follow_the_keras_initializer(initializer):
    shape = (3, 3, 64, 48)
    ours = initial_weights.draw(initializer, shape, np.random.default_rng(0))
    theirs = keras.ops.convert_to_numpy(initializer(shape))
    assert ours.shape == theirs.shape
    assert abs(ours.mean() - theirs.mean()) < 0.05 * theirs.std() + 1e-3
    assert ours.std() == pytest.approx(theirs.std(), rel=0.03)
    unbounded = isinstance(initializer, keras.initializers.RandomNormal) or \
        getattr(initializer, "distribution", "") == "untruncated_normal"
    if unbounded:
        return
    # the same support: truncated at the same point, uniform between the same limits
    assert ours.min() == pytest.approx(theirs.min(), abs=0.05 * theirs.std())
    assert ours.max() == pytest.approx(theirs.max(), abs=0.05 * theirs.std())


def test_constant_initializers_are_left_alone():
    for initializer in (keras.initializers.Zeros(), keras.initializers.Ones(),
                        keras.initializers.Constant(0.5)):
        assert initial_weights.draw(initializer, (4,), np.random.default_rng(0)) is None


def test_an_initializer_it_cannot_reproduce_is_refused_by_weight_name():
    keras.backend.clear_session()
    inputs = keras.Input((8,))
    dense = keras.layers.Dense(4, kernel_initializer="orthogonal", name="rotations")
    model = keras.Model(inputs, dense(inputs))
    with pytest.raises(ValueError, match="rotations/kernel"):
        initial_weights.redraw(model, 0)


def test_every_random_weight_of_the_default_network_is_drawn_again():
    keras.utils.set_random_seed(3)
    model = registry.build_model(*NETWORK, width=0.25)
    backend_drawn = [w.copy() for w in model.get_weights()]
    drawn = initial_weights.redraw(model, 7)
    kernels = [v for v in model.weights if v.path.endswith("kernel")]
    assert drawn == len(kernels) > 0
    for variable, before in zip(model.weights, backend_drawn):
        after = keras.ops.convert_to_numpy(variable)
        if variable.path.endswith("kernel"):
            assert not np.array_equal(after, before), variable.path
        else:  # biases, batch norm: constants
            assert np.array_equal(after, before), variable.path
