"""Xception in Keras Applications' layout (``keras.applications.Xception``).

Chollet's original Xception, layer for layer, so that the ImageNet weights
Keras publishes load exactly (``models/imagenet.py``); not ``xception.py``'s
Xception-41, DeepLab's "aligned" variant with strided separable convolutions
and more layers. The entry flow closes each block with a 3x3/2 max pooling
beside a strided 1x1 shortcut; eight middle blocks; the exit flow.

Keras's stem has two unpadded 3x3 convolutions (a 224 image becomes 109);
this encoder first zero-pads its input by 3 pixels, so that every tap is
exactly 1/stride of the input (Keras's network, given the padded image,
computes the same maps). Taps: the last batch norm before each pooling
(strides 2 to 16) and the final ReLU (32). Past the output stride a pooling
keeps the resolution (3x3, stride 1) and the later separable convolutions
dilate.
"""

from keras import layers

from ..layers import batch_norm

from .common import StrideTracker, filters

PAD = 3


def _separable_bn(x, n, rate):
    x = layers.SeparableConv2D(n, 3, padding="same", dilation_rate=rate, use_bias=False)(x)
    return batch_norm()(x)


def _pooled_block(x, channels, tracker, taps, activate=True):
    """[ReLU], separable conv, BN, ReLU, separable conv, BN (a tap), 3x3 max
    pooling, plus a strided 1x1 shortcut."""
    rate, nominal = tracker.rate, tracker.nominal
    strides, _ = tracker.down()
    shortcut = layers.Conv2D(channels[-1], 1, strides=strides, padding="same", use_bias=False)(x)
    shortcut = batch_norm()(shortcut)
    y = layers.Activation("relu")(x) if activate else x
    y = _separable_bn(y, channels[0], rate)
    y = _separable_bn(layers.Activation("relu")(y), channels[1], rate)
    taps[nominal] = y
    y = layers.MaxPooling2D(3, strides=strides, padding="same")(y)
    return layers.Add()([y, shortcut])


def build(inputs, output_stride, width):
    """Stem, entry flow (three pooled blocks), middle flow (eight blocks),
    exit flow (a pooled block and two separable convolutions)."""
    tracker = StrideTracker(output_stride)
    x = layers.ZeroPadding2D(PAD)(inputs)
    for n, strides in ((32, 2), (64, 1)):
        x = layers.Conv2D(filters(n, width), 3, strides=strides, use_bias=False)(x)
        x = layers.Activation("relu")(batch_norm()(x))
    tracker.down()
    taps = {}
    n728 = filters(728, width)
    for i, n in enumerate((128, 256, 728)):
        x = _pooled_block(x, [filters(n, width)] * 2, tracker, taps, activate=i > 0)
    for _ in range(8):
        y = x
        for _ in range(3):
            y = _separable_bn(layers.Activation("relu")(y), n728, tracker.rate)
        x = layers.Add()([y, x])
    x = _pooled_block(x, [n728, filters(1024, width)], tracker, taps)
    for n in (1536, 2048):
        x = _separable_bn(x, filters(n, width), tracker.rate)
        x = layers.Activation("relu")(x)
    taps[tracker.nominal] = x
    return taps
