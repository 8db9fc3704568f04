"""Encoder-free "native" contracting paths of U-Net and ResUNet.

Six levels at strides 1 to 32 with 32 to 512 filters (half of the U-Net
paper's widths, and one level deeper so that stride 32 exists); each level
is a tap.
"""

from keras import layers

from ..layers import batch_norm

from .common import StrideTracker, conv_bn_act, filters, pool

_LEVEL_FILTERS = (32, 64, 128, 256, 512, 512)


def build_unet(inputs, output_stride, width):
    """Double 3x3 conv per level, 2x2 max pooling between levels."""
    tracker = StrideTracker(output_stride)
    taps = {}
    x = inputs
    for level, n in enumerate(_LEVEL_FILTERS):
        if level:
            strides, _ = tracker.down()
            x = pool(x, strides)
        x = conv_bn_act(x, filters(n, width), rate=tracker.rate)
        x = conv_bn_act(x, filters(n, width), rate=tracker.rate)
        taps[tracker.nominal] = x
    return taps


def residual_block(x, n, strides=1, rate=1, next_rate=None, first=False):
    """ResUNet's pre-activation residual unit (two 3x3 convs)."""
    next_rate = rate if next_rate is None else next_rate
    if first:
        y = layers.Conv2D(n, 3, padding="same", use_bias=False)(x)
    else:
        y = layers.Activation("relu")(batch_norm()(x))
        y = layers.Conv2D(n, 3, strides=strides, dilation_rate=rate, padding="same", use_bias=False)(y)
    y = layers.Activation("relu")(batch_norm()(y))
    y = layers.Conv2D(n, 3, dilation_rate=next_rate, padding="same", use_bias=False)(y)
    shortcut = layers.Conv2D(n, 1, strides=strides, use_bias=False)(x)
    shortcut = batch_norm()(shortcut)
    return layers.Add()([shortcut, y])


def build_resunet(inputs, output_stride, width):
    """One residual unit per level; levels after the first stride by 2."""
    tracker = StrideTracker(output_stride)
    x = residual_block(inputs, filters(_LEVEL_FILTERS[0], width), first=True)
    taps = {1: x}
    for n in _LEVEL_FILTERS[1:]:
        strides, rate = tracker.down()
        x = residual_block(x, filters(n, width), strides, rate, tracker.rate)
        taps[tracker.nominal] = x
    return taps
