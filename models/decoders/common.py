"""Helpers shared by the decoders."""

from keras import layers

from ..encoders.common import conv_bn_act, filters
from ..layers import ResizeLike

__all__ = ["conv_bn_act", "filters", "tap", "resize_like", "classify", "to_input", "concat"]


def tap(taps, stride):
    """The encoder feature at ``stride``, with a clear error if it is missing."""
    if stride not in taps:
        raise ValueError(
            f"This decoder needs encoder features at stride {stride}; the encoder "
            f"offers strides {sorted(taps)}."
        )
    return taps[stride]


def resize_like(x, reference):
    """Bilinear resize of ``x`` to the spatial size of ``reference``."""
    return ResizeLike()([x, reference])


def concat(tensors):
    return layers.Concatenate()(tensors)


def classify(x, n_classes):
    """1x1 convolution to class logits."""
    return layers.Conv2D(n_classes, 1)(x)


def to_input(logits, inputs):
    """Resize logits to the input's resolution."""
    return resize_like(logits, inputs)
