"""MobileNetV2 (inverted residuals), without the final 1280-channel 1x1
convolution, as DeepLab uses it; the stride-32 tap has 320 channels."""

from keras import layers

from ..layers import batch_norm

from .common import StrideTracker, conv_bn_act

# expansion t, channels c, repeats n, stride s (as in the paper's table 2)
_CONFIG = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)


def _divisible(n, width, divisor=8):
    value = max(divisor, int(n * width + divisor / 2) // divisor * divisor)
    if value < 0.9 * n * width:
        value += divisor
    return value


def _inverted_residual(x, expansion, out, strides, rate):
    y = x
    if expansion != 1:
        y = conv_bn_act(y, x.shape[-1] * expansion, kernel=1, activation="relu6")
    y = layers.DepthwiseConv2D(3, strides=strides, dilation_rate=rate, padding="same", use_bias=False)(y)
    y = layers.ReLU(6.0)(batch_norm()(y))
    y = layers.Conv2D(out, 1, use_bias=False)(y)
    y = batch_norm()(y)
    if strides == 1 and x.shape[-1] == out:
        y = layers.Add()([x, y])
    return y


def build(inputs, output_stride, width):
    """Stem 3x3/2 conv and seven inverted-residual groups."""
    tracker = StrideTracker(output_stride)
    x = conv_bn_act(inputs, _divisible(32, width), strides=2, activation="relu6")
    tracker.down()
    taps = {}
    for expansion, channels, repeats, stride in _CONFIG:
        out = _divisible(channels, width)
        if stride == 2:
            taps[tracker.nominal] = x
            strides, rate = tracker.down()
        else:
            strides, rate = 1, tracker.rate
        for i in range(repeats):
            x = _inverted_residual(x, expansion, out, strides if i == 0 else 1,
                                   rate if i == 0 else tracker.rate)
    taps[tracker.nominal] = x
    return taps
