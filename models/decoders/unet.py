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


_BLOCKS = {"double_conv": _double_conv, "residual": _residual, "separable": _separable}


def build(inputs, encode, n_classes, output_stride, width, block="double_conv"):
    """U-Net (``block="double_conv"``), ResUNet (``"residual"``) or MobileUNet
    (``"separable"``)."""
    block = _BLOCKS[block]
    taps = encode(inputs)
    strides = sorted(taps, reverse=True)
    x = taps[strides[0]]
    for stride in strides[1:]:
        skip = taps[stride]
        x = concat([resize_like(x, skip), skip])
        x = block(x, filters(_FILTERS[stride], width))
    if strides[-1] > 1:
        x = block(resize_like(x, inputs), filters(_FILTERS[1], width))
    return classify(x, n_classes)
