"""ResNet50 and ResNet50V2 / 101V2 / 152V2 in Keras Applications' layout.

These follow ``keras.applications.ResNet50`` / ``ResNet50V2`` / ... layer for
layer, so that the ImageNet weights Keras publishes load exactly
(``models/imagenet.py``): the stem zero-pads 3 pixels before its 7x7/2
convolution and 1 pixel before its 3x3/2 max pooling, batch norm uses
epsilon 1.001e-5, and 3x3 convolutions pad explicitly (a stride of 2 samples
the pixels Keras's does). They differ from ``resnet.py``'s ResNets where it
matters for the weights:

* v1 (``build_v1``) strides in the first 1x1 convolution of a stage's first
  unit, not in its 3x3 (the original, Caffe ResNet). Keras's convolutions
  carry biases that a batch norm follows; ours have none, because such a bias
  is exactly the batch norm's moving mean shifted (it is folded in when the
  weights are loaded).
* v2 (``build_v2``, pre-activation) strides in the 3x3 convolution of a
  stage's *last* unit, whose shortcut then subsamples (1x1 max pooling), and
  the last stage does not stride; the stem's convolution, the projection
  shortcuts and each unit's last 1x1 convolution keep their biases (no batch
  norm follows them).

Taps: the stem's convolution at stride 2 (v1: after batch norm and ReLU);
then the deepest features at each stride: v1 a stage's output, v2 the
pre-activation (batch norm, ReLU) of a stage's last unit, and the final
batch norm and ReLU at stride 32. Past the output stride the strided
convolution keeps the resolution and the later 3x3 convolutions dilate.
"""

import functools

from keras import layers

from ..layers import batch_norm as _batch_norm

from .common import StrideTracker, filters

batch_norm = functools.partial(_batch_norm, epsilon=1.001e-5)

_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
_STAGE_FILTERS = (64, 128, 256, 512)


def _bn_relu(x):
    return layers.Activation("relu")(batch_norm()(x))


def _conv3x3(x, n, strides, rate):
    """Keras's 3x3 convolution: zero padding, then an unpadded convolution."""
    x = layers.ZeroPadding2D(rate)(x)
    return layers.Conv2D(n, 3, strides=strides, dilation_rate=rate, use_bias=False)(x)


def _stem(inputs, tracker, width, v1):
    """7x7/2 convolution (v1: with batch norm and ReLU), the stride-2 tap, 3x3/2 max pooling."""
    x = layers.ZeroPadding2D(3)(inputs)
    x = layers.Conv2D(filters(64, width), 7, strides=2, use_bias=not v1)(x)
    if v1:
        x = _bn_relu(x)
    tracker.down()
    taps = {2: x}
    tracker.down()  # the stem's pooling always halves (output strides are 8 or more)
    x = layers.MaxPooling2D(3, strides=2)(layers.ZeroPadding2D(1)(x))
    return x, taps


def _unit_v1(x, n, strides, rate, projection):
    """Post-activation bottleneck, strided in its first 1x1 convolution."""
    shortcut = x
    if projection:
        shortcut = batch_norm()(layers.Conv2D(4 * n, 1, strides=strides, use_bias=False)(x))
    y = _bn_relu(layers.Conv2D(n, 1, strides=strides, use_bias=False)(x))
    y = _bn_relu(_conv3x3(y, n, 1, rate))
    y = batch_norm()(layers.Conv2D(4 * n, 1, use_bias=False)(y))
    return layers.Activation("relu")(layers.Add()([shortcut, y]))


def build_v1(inputs, output_stride, width, depth=50):
    """Stem and four stages; every stage but the first strides in its first unit."""
    tracker = StrideTracker(output_stride)
    x, taps = _stem(inputs, tracker, width, v1=True)
    for stage, (blocks, n) in enumerate(zip(_BLOCKS[depth], _STAGE_FILTERS)):
        strides = tracker.down()[0] if stage else 1
        for i in range(blocks):
            x = _unit_v1(x, filters(n, width), strides if i == 0 else 1, tracker.rate, i == 0)
        taps[tracker.nominal] = x
    return taps


def _unit_v2(x, preact, n, strides, rate, projection):
    """Pre-activation bottleneck over ``preact`` (batch norm and ReLU of ``x``),
    strided in its 3x3 convolution."""
    if projection:
        shortcut = layers.Conv2D(4 * n, 1, strides=strides)(preact)
    elif strides > 1:
        shortcut = layers.MaxPooling2D(1, strides=strides)(x)
    else:
        shortcut = x
    y = _bn_relu(layers.Conv2D(n, 1, use_bias=False)(preact))
    y = _bn_relu(_conv3x3(y, n, strides, rate))
    return layers.Add()([shortcut, layers.Conv2D(4 * n, 1)(y)])


def build_v2(inputs, output_stride, width, depth=50):
    """Stem and four stages; every stage but the last strides in its last unit."""
    tracker = StrideTracker(output_stride)
    x, taps = _stem(inputs, tracker, width, v1=False)
    last_stage = len(_STAGE_FILTERS) - 1
    for stage, (blocks, n) in enumerate(zip(_BLOCKS[depth], _STAGE_FILTERS)):
        for i in range(blocks):
            preact = _bn_relu(x)
            strides, rate = 1, tracker.rate
            if i == blocks - 1 and stage < last_stage:
                taps[tracker.nominal] = preact
                strides, rate = tracker.down()
            x = _unit_v2(x, preact, filters(n, width), strides, rate, i == 0)
    taps[tracker.nominal] = _bn_relu(x)
    return taps
