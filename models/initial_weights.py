"""Initial weights that a seed fixes on every Keras backend.

Keras draws a new network's weights with the backend's own random generator,
so one SEED starts TensorFlow, PyTorch and JAX from three different networks.
On a few hundred chips the starting network alone moves the held-out mean IoU
by several hundredths and can lose a class (bench/results/demo_backends.txt),
so "the same run on another backend" was a different run. ``redraw`` draws
every randomly initialised weight again with NumPy, from the layer's own
initializer and a generator seeded by (seed, the weight's position in the
model), so the starting network is the same bytes whatever the backend, and
Train Model's run then differs between backends only by floating-point order.

Constant initializers (zeros, ones: biases, batch-norm) are left as they are;
an initializer this module cannot reproduce raises, never silently falls back
to the backend's draw.
"""

import math

import keras
import numpy as np

# A weight's name -> the layer attributes that may hold its initializer
# (DepthwiseConv2D keeps its kernel as ``kernel`` with ``depthwise_initializer``).
_ATTRIBUTES = {"kernel": ("kernel_initializer", "depthwise_initializer"),
               "depthwise_kernel": ("depthwise_initializer",),
               "pointwise_kernel": ("pointwise_initializer",)}
_CONSTANT = (keras.initializers.Constant, keras.initializers.Zeros, keras.initializers.Ones)
_TRUNCATED_STD = 0.87962566103423978  # std of a unit normal truncated at +/-2


def fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) as Keras's VarianceScaling counts them."""
    shape = tuple(int(d) for d in shape)
    if input_axes is not None and output_axes is not None:
        return (math.prod(shape[a] for a in input_axes),
                math.prod(shape[a] for a in output_axes))
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def _truncated(rng, shape, mean, stddev):
    """Normal values, those beyond two standard deviations drawn again."""
    x = rng.standard_normal(shape)
    outside = np.abs(x) > 2.0
    while outside.any():
        x[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(x) > 2.0
    return mean + stddev * x


def draw(initializer, shape, rng):
    """``initializer``'s values for ``shape`` from NumPy generator ``rng``
    (float64); None for a constant initializer; ValueError for one this module
    does not know."""
    if isinstance(initializer, _CONSTANT):
        return None
    if isinstance(initializer, keras.initializers.VarianceScaling):
        fan_in, fan_out = fans(shape, initializer.input_axes, initializer.output_axes)
        scale = initializer.scale / max(1.0, {"fan_in": fan_in, "fan_out": fan_out}.get(
            initializer.mode, (fan_in + fan_out) / 2.0))
        if initializer.distribution == "truncated_normal":
            return _truncated(rng, shape, 0.0, math.sqrt(scale) / _TRUNCATED_STD)
        if initializer.distribution == "untruncated_normal":
            return rng.normal(0.0, math.sqrt(scale), shape)
        limit = math.sqrt(3.0 * scale)
        return rng.uniform(-limit, limit, shape)
    if isinstance(initializer, keras.initializers.TruncatedNormal):
        return _truncated(rng, shape, initializer.mean, initializer.stddev)
    if isinstance(initializer, keras.initializers.RandomNormal):
        return rng.normal(initializer.mean, initializer.stddev, shape)
    if isinstance(initializer, keras.initializers.RandomUniform):
        return rng.uniform(initializer.minval, initializer.maxval, shape)
    raise ValueError(f"No backend-neutral draw for the initializer "
                     f"{type(initializer).__name__}.")


def _initializer(layer, variable):
    name = variable.path.rsplit("/", 1)[-1]
    for attribute in _ATTRIBUTES.get(name, (f"{name}_initializer",)):
        initializer = getattr(layer, attribute, None)
        if initializer is not None:
            return keras.initializers.get(initializer)
    return None


def _own_variables(layer):
    """The variables ``layer`` itself created (not its sublayers')."""
    nested = {id(v) for sub in layer._flatten_layers(include_self=False) for v in sub.weights}
    return [v for v in layer.weights if id(v) not in nested]


def redraw(model, seed):
    """Draw ``model``'s randomly initialised weights again from NumPy, seeded
    by ``seed``; return how many weights were drawn. Raises ValueError naming
    a weight whose initializer is unknown or cannot be found."""
    owner = {}
    for layer in model._flatten_layers(include_self=False):
        for variable in _own_variables(layer):
            owner.setdefault(id(variable), layer)
    drawn = 0
    for index, variable in enumerate(model.weights):
        layer = owner.get(id(variable))
        initializer = _initializer(layer, variable) if layer is not None else None
        if initializer is None:
            if layer is not None and not variable.trainable:
                continue  # a statistic (batch norm's moving mean and variance)
            raise ValueError(f"No initializer found for the weight {variable.path}.")
        try:
            values = draw(initializer, tuple(variable.shape),
                          np.random.default_rng([int(seed), index]))
        except ValueError as exc:
            raise ValueError(f"{variable.path}: {exc}") from None
        if values is not None:
            variable.assign(values.astype(variable.dtype))
            drawn += 1
    return drawn
