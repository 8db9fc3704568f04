"""U-Net, ResUNet and MobileUNet: one skip-connected decoder, three blocks.

From the deepest tap upwards, the running feature is resized to the next
tap, concatenated with it and passed through a block; a last block at the
input's resolution follows when the encoder has no stride-1 tap.
"""

from keras import layers

from ..encoders.native import residual_block
from .common import classify, concat, conv_bn_act, filters, resize_like

# Decoder filters at each target stride.
_FILTERS = {16: 256, 8: 128, 4: 64, 2: 32, 1: 16}


def _double_conv(x, n):
    x = conv_bn_act(x, n)
    return conv_bn_act(x, n)


def _residual(x, n):
    return layers.Activation("relu")(residual_block(x, n))


def _separable(x, n):
    x = conv_bn_act(x, n, separable=True, activation="relu6")
    return conv_bn_act(x, n, separable=True, activation="relu6")


def _decode(inputs, taps, n_classes, width, block):
    strides = sorted(taps, reverse=True)
    x = taps[strides[0]]
    for stride in strides[1:]:
        skip = taps[stride]
        x = concat([resize_like(x, skip), skip])
        x = block(x, filters(_FILTERS[stride], width))
    if strides[-1] > 1:
        x = block(resize_like(x, inputs), filters(_FILTERS[1], width))
    return classify(x, n_classes)


def build_unet(inputs, encode, n_classes, output_stride, width, encoder_name):
    return _decode(inputs, encode(inputs), n_classes, width, _double_conv)


def build_resunet(inputs, encode, n_classes, output_stride, width, encoder_name):
    return _decode(inputs, encode(inputs), n_classes, width, _residual)


def build_mobile_unet(inputs, encode, n_classes, output_stride, width, encoder_name):
    return _decode(inputs, encode(inputs), n_classes, width, _separable)
