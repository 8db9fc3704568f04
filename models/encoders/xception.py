"""Xception-41, the "aligned" Xception DeepLabV3+ uses (all pooling replaced
by strided separable convolutions, so every stage can dilate instead)."""

from keras import layers

from .common import StrideTracker, conv_bn_act, filters, shortcut


def _block(x, channels, strides, rate):
    """Three separable convs (the last one strided) and a residual shortcut."""
    y = x
    for i, n in enumerate(channels):
        last = i == len(channels) - 1
        y = conv_bn_act(y, n, strides=strides if last else 1, rate=rate, separable=True)
    return layers.Add()([shortcut(x, channels[-1], strides), y])


def build(inputs, output_stride, width, middle_blocks=8):
    """Entry flow (taps 2, 4, 8, 16), middle flow, exit flow (tap 32)."""
    tracker = StrideTracker(output_stride)
    x = conv_bn_act(inputs, filters(32, width), strides=2)
    tracker.down()
    x = conv_bn_act(x, filters(64, width))
    taps = {2: x}
    for n in (128, 256, 728):
        strides, rate = tracker.down()
        x = _block(x, [filters(n, width)] * 3, strides, rate)
        taps[tracker.nominal] = x
    n728 = filters(728, width)
    for _ in range(middle_blocks):
        x = _block(x, [n728] * 3, 1, tracker.rate)
    strides, rate = tracker.down()
    x = _block(x, [n728, filters(1024, width), filters(1024, width)], strides, rate)
    for n in (1536, 1536, 2048):
        x = conv_bn_act(x, filters(n, width), rate=tracker.rate, separable=True)
    taps[32] = x
    return taps
