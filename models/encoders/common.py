"""Building blocks shared by the encoders (and some decoders)."""

from keras import layers

from ..layers import batch_norm


def filters(n, width):
    """Scale a filter count by the width multiplier; at least 4."""
    return max(4, int(round(n * width)))


class StrideTracker:
    """Turns "halve the resolution here" into stride or dilation.

    Until the output stride is reached each down-sampling step strides by 2;
    past it the step keeps the resolution and every later convolution uses a
    doubled dilation rate (DeepLab's atrous trick).
    """

    def __init__(self, output_stride):
        if output_stride not in (8, 16, 32):
            raise ValueError(f"Output stride must be 8, 16 or 32, not {output_stride}.")
        self.output_stride = output_stride
        self.stride = 1  # current resolution's stride
        self.nominal = 1  # stride had no dilation been used
        self.rate = 1  # dilation rate for convolutions at this point

    def down(self):
        """Return ``(strides, rate)`` for the layer that would halve the size.

        ``rate`` is the dilation for that layer itself; ``self.rate`` holds the
        rate for the layers after it.
        """
        self.nominal *= 2
        if self.stride < self.output_stride:
            self.stride *= 2
            return 2, self.rate
        rate = self.rate
        self.rate *= 2
        return 1, rate


def conv_bn_act(x, n, kernel=3, strides=1, rate=1, activation="relu", separable=False):
    """Convolution (optionally depthwise separable), batch norm, activation."""
    conv = layers.SeparableConv2D if separable else layers.Conv2D
    x = conv(n, kernel, strides=strides, dilation_rate=rate, padding="same", use_bias=False)(x)
    x = batch_norm()(x)
    if activation == "relu6":
        return layers.ReLU(6.0)(x)
    if activation:
        return layers.Activation(activation)(x)
    return x


def stem_7x7(inputs, tracker, width):
    """ResNet's and DenseNet's stem: a 7x7/2 convolution (the stride-2 tap),
    then :func:`pool`. Returns ``(x, {2: tap})``."""
    x = conv_bn_act(inputs, filters(64, width), kernel=7, strides=2)
    tracker.down()
    taps = {2: x}
    strides, _ = tracker.down()
    return pool(x, strides), taps


def shortcut(x, n, strides=1):
    """A residual unit's shortcut: ``x`` itself when the unit keeps its shape,
    else a (strided) 1x1 convolution to ``n`` channels and batch norm."""
    if strides == 1 and x.shape[-1] == n:
        return x
    return batch_norm()(layers.Conv2D(n, 1, strides=strides, use_bias=False)(x))


def pool(x, strides):
    """Max pooling that halves the size, or keeps it (3x3, stride 1)."""
    if strides == 2:
        return layers.MaxPooling2D(2, strides=2, padding="same")(x)
    return layers.MaxPooling2D(3, strides=1, padding="same")(x)
