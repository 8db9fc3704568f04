"""PSPNet: pyramid pooling module over the deepest features.

Adaptive average pooling to 1x1, 2x2, 3x3 and 6x6 bins
(``layers.AdaptiveAveragePooling``) works for any input size, trains (it has
a gradient, unlike TensorFlow's area resize) and exports to ONNX.
"""

from keras import layers

from ..layers import AdaptiveAveragePooling

from .common import classify, concat, conv_bn_act, filters, resize_like, tap, to_input

BINS = (1, 2, 3, 6)


def pyramid_pooling(x, n, bins=BINS):
    """Concatenate ``x`` with its pooled, reduced and re-upsampled copies."""
    branches = [x]
    for b in bins:
        p = AdaptiveAveragePooling(b)(x)
        p = conv_bn_act(p, n, kernel=1)
        branches.append(resize_like(p, x))
    return concat(branches)


def build(inputs, encode, n_classes, output_stride, width):
    x = tap(encode(inputs), 32)
    x = pyramid_pooling(x, filters(128, width))
    x = conv_bn_act(x, filters(512, width))
    x = layers.Dropout(0.1)(x)
    return to_input(classify(x, n_classes), inputs)
