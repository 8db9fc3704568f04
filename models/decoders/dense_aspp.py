"""DenseASPP: atrous convolutions with rates 3, 6, 12, 18, 24 (at output
stride 8), each fed with the concatenation of all earlier outputs."""

from keras import layers

from ..layers import batch_norm

from .common import classify, concat, filters, tap, to_input


def _atrous_layer(x, reduced, out, rate):
    y = layers.Activation("relu")(batch_norm()(x))
    y = layers.Conv2D(reduced, 1, use_bias=False)(y)
    y = layers.Activation("relu")(batch_norm()(y))
    return layers.Conv2D(out, 3, dilation_rate=rate, padding="same", use_bias=False)(y)


def build(inputs, encode, n_classes, output_stride, width):
    x = tap(encode(inputs), 32)
    x = layers.Conv2D(filters(512, width), 1, use_bias=False)(x)
    for rate in (3, 6, 12, 18, 24):
        rate = max(1, round(rate * 8 / output_stride))
        y = _atrous_layer(x, filters(256, width), filters(64, width), rate)
        x = concat([x, y])
    x = layers.Activation("relu")(batch_norm()(x))
    x = layers.Dropout(0.1)(x)
    return to_input(classify(x, n_classes), inputs)
