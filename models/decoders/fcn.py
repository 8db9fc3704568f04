"""FCN-32s, FCN-16s and FCN-8s.

The fully connected layers of the original become convolutions (3x3 then
1x1, 1024 filters rather than 7x7 with 4096, to stay trainable on a CPU);
class scores from shallower taps are added after bilinear upsampling.
FCN-16s and FCN-8s are FCN-32s with ``skips=(16,)`` and ``(16, 8)``
(their catalog rows).
"""

from keras import layers

from .common import classify, conv_bn_act, filters, resize_like, tap, to_input


def build(inputs, encode, n_classes, output_stride, width, skips=()):
    taps = encode(inputs)
    x = conv_bn_act(tap(taps, 32), filters(1024, width))
    x = layers.Dropout(0.5)(x)
    x = conv_bn_act(x, filters(1024, width), kernel=1)
    score = classify(x, n_classes)
    for stride in skips:
        feature = tap(taps, stride)
        score = layers.Add()([resize_like(score, feature), classify(feature, n_classes)])
    return to_input(score, inputs)

