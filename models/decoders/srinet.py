"""SRI-Net: spatial residual inception network for building extraction.

A spatial residual inception (SRI) module gathers context with factorised,
dilated 1xk / kx1 convolutions in parallel branches plus a residual path; the
decoder applies it to the deepest features and again while it climbs back to
stride 4 through the stride-8 and stride-4 taps.
"""

from keras import layers

from ..layers import batch_norm

from .common import classify, concat, conv_bn_act, filters, resize_like, tap, to_input


def sri_module(x, n, rate=1):
    """Parallel 1x1, 1x3-3x1 and 1x5-5x1 (dilated) branches, added to x."""
    quarter = max(4, n // 4)
    branches = [conv_bn_act(x, quarter, kernel=1)]
    for k in (3, 5):
        y = conv_bn_act(x, quarter, kernel=1)
        y = conv_bn_act(y, quarter, kernel=(1, k), rate=rate)
        y = conv_bn_act(y, quarter, kernel=(k, 1), rate=rate)
        branches.append(y)
    y = layers.Conv2D(n, 1, use_bias=False)(concat(branches))
    y = batch_norm()(y)
    shortcut = x if x.shape[-1] == n else layers.Conv2D(n, 1, use_bias=False)(x)
    return layers.Activation("relu")(layers.Add()([shortcut, y]))


def build(inputs, encode, n_classes, output_stride, width):
    taps = encode(inputs)
    rate = max(1, 16 // output_stride)
    x = sri_module(tap(taps, 32), filters(256, width), rate=2 * rate)
    for stride, n in ((8, 128), (4, 64)):
        skip = conv_bn_act(tap(taps, stride), filters(n // 2, width), kernel=1)
        x = concat([resize_like(x, skip), skip])
        x = conv_bn_act(x, filters(n, width))
        x = sri_module(x, filters(n, width))
    return to_input(classify(x, n_classes), inputs)
