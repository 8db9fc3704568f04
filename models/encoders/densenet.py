"""DenseNet-121 and DenseNet-169 (growth rate 32, compression 0.5).

The layout is Keras Applications' (``keras.applications.DenseNet121``):
its stem (3-pixel zero padding, 7x7/2 convolution, 1-pixel zero padding,
3x3/2 max pooling) and its batch-norm epsilon, so its published ImageNet
weights load one to one (``models/imagenet.py``).
"""

import functools

from keras import layers

from ..layers import batch_norm as _batch_norm

from .common import StrideTracker, filters

batch_norm = functools.partial(_batch_norm, epsilon=1.001e-5)

_BLOCKS = {121: (6, 12, 24, 16), 169: (6, 12, 32, 32)}


def _dense_layer(x, growth, rate):
    y = layers.Activation("relu")(batch_norm()(x))
    y = layers.Conv2D(4 * growth, 1, use_bias=False)(y)
    y = layers.Activation("relu")(batch_norm()(y))
    y = layers.Conv2D(growth, 3, dilation_rate=rate, padding="same", use_bias=False)(y)
    return layers.Concatenate()([x, y])


def _transition(x, strides):
    y = layers.Activation("relu")(batch_norm()(x))
    y = layers.Conv2D(x.shape[-1] // 2, 1, use_bias=False)(y)
    if strides == 2:
        y = layers.AveragePooling2D(2, strides=2, padding="same")(y)
    return y


def build(inputs, output_stride, width, depth=121):
    """Stem (7x7/2 conv, 2x2/2 max pool), four dense blocks with transitions."""
    tracker = StrideTracker(output_stride)
    growth = filters(32, width)
    x = layers.ZeroPadding2D(3)(inputs)
    x = layers.Conv2D(filters(64, width), 7, strides=2, use_bias=False)(x)
    x = layers.Activation("relu")(batch_norm()(x))
    tracker.down()
    taps = {2: x}
    tracker.down()  # the stem's pooling always halves (output strides are 8 or more)
    x = layers.MaxPooling2D(3, strides=2)(layers.ZeroPadding2D(1)(x))
    for stage, n_layers in enumerate(_BLOCKS[depth]):
        if stage:
            strides, _ = tracker.down()
            x = _transition(x, strides)
        for _ in range(n_layers):
            x = _dense_layer(x, growth, tracker.rate)
        if stage == 3:
            x = layers.Activation("relu")(batch_norm()(x))
        taps[tracker.nominal] = x
    return taps
