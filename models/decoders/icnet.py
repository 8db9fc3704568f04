"""ICNet: image cascade network for fast segmentation.

Three branches: the encoder (with light pyramid pooling) on the quarter
resolution image, three strided convolutions on the half-resolution image
(stride 16 of the input), and three on the full-resolution image (stride 8).
Cascade feature fusion (CFF) merges low into medium into high; the classifier
runs at stride 8. The output stride is the encoder's, on its quarter image.
"""

from keras import layers

from ..layers import AdaptiveAveragePooling
from .common import classify, conv_bn_act, filters, resize_like, tap, to_input
from .pspnet import BINS


def _light_branch(x, n):
    for f in (n // 2, n // 2, n):
        x = conv_bn_act(x, f, strides=2)
    return x


def _pool_sum(x):
    """ICNet's pyramid pooling: pooled copies summed onto the features."""
    pooled = [resize_like(AdaptiveAveragePooling(b)(x), x) for b in BINS]
    return layers.Add()([x] + pooled)


def _cff(low, high, n):
    """Cascade feature fusion: upsample low, dilated conv; project high; add."""
    low = resize_like(low, high)
    low = conv_bn_act(low, n, rate=2, activation=None)
    high = conv_bn_act(high, n, kernel=1, activation=None)
    return layers.Activation("relu")(layers.Add()([low, high]))


def build(inputs, encode, n_classes, output_stride, width):
    quarter = layers.AveragePooling2D(4, padding="same")(inputs)
    half = layers.AveragePooling2D(2, padding="same")(inputs)
    low = _pool_sum(tap(encode(quarter), 32))
    low = conv_bn_act(low, filters(256, width), kernel=1)
    medium = _light_branch(half, filters(64, width))
    high = _light_branch(inputs, filters(64, width))
    x = _cff(low, medium, filters(128, width))
    x = _cff(x, high, filters(128, width))
    return to_input(classify(x, n_classes), inputs)
