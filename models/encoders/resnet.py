"""ResNet v1 (post-activation) and v2 (pre-activation) bottleneck networks.

The ``separable`` variants replace each bottleneck's 3x3 convolution by a
depthwise-separable one.
"""

from keras import layers

from ..layers import batch_norm

from .common import StrideTracker, conv_bn_act, filters, shortcut, stem_7x7

_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3)}
_STAGE_FILTERS = (64, 128, 256, 512)


def _bottleneck(x, n, strides, rate, separable):
    """The residual branch: 1x1, 3x3 (strided or dilated), 1x1 to 4n channels;
    the last convolution is left without batch norm or activation."""
    y = conv_bn_act(x, n, kernel=1)
    y = conv_bn_act(y, n, strides=strides, rate=rate, separable=separable)
    return layers.Conv2D(4 * n, 1, use_bias=False)(y)


def _unit_v1(x, n, strides, rate, separable):
    """Post-activation bottleneck: 1x1, 3x3, 1x1 (x4), add, ReLU."""
    projection = shortcut(x, 4 * n, strides)
    y = _bottleneck(x, n, strides, rate, separable)
    y = batch_norm()(y)
    return layers.Activation("relu")(layers.Add()([projection, y]))


def _unit_v2(x, n, strides, rate, separable):
    """Pre-activation bottleneck: BN-ReLU, then 1x1, 3x3, 1x1 (x4), add."""
    out = 4 * n
    preact = layers.Activation("relu")(batch_norm()(x))
    if strides != 1 or x.shape[-1] != out:
        projection = layers.Conv2D(out, 1, strides=strides, use_bias=False)(preact)
    else:
        projection = x
    return layers.Add()([projection, _bottleneck(preact, n, strides, rate, separable)])


def build(inputs, output_stride, width, depth=50, version=2, separable=False):
    """Stem (7x7/2 conv, 2x2/2 max pool) and four bottleneck stages."""
    tracker = StrideTracker(output_stride)
    unit = _unit_v1 if version == 1 else _unit_v2
    x, taps = stem_7x7(inputs, tracker, width)
    for stage, (blocks, n) in enumerate(zip(_BLOCKS[depth], _STAGE_FILTERS)):
        n = filters(n, width)
        if stage == 0:
            strides, rate = 1, tracker.rate
        else:
            strides, rate = tracker.down()
        for i in range(blocks):
            x = unit(x, n, strides if i == 0 else 1, rate if i == 0 else tracker.rate, separable)
        if version == 2 and stage == 3:
            x = layers.Activation("relu")(batch_norm()(x))
        taps[tracker.nominal] = x
    return taps
