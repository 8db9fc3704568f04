"""The few custom layers the networks need.

Each is registered under the ``semseg`` package and has a ``get_config``, so
model files load in Keras safe mode (no Lambda layers anywhere).
"""

import keras
from keras import ops

# Batch-norm moving averages follow the batches faster than Keras's default
# 0.99: the networks train from scratch, often for a few hundred steps only,
# and inference (validation, prediction) uses the moving averages.
BN_MOMENTUM = 0.9


def batch_norm(**kwargs):
    """The BatchNormalization layer every network of the zoo uses."""
    return keras.layers.BatchNormalization(momentum=BN_MOMENTUM, **kwargs)


@keras.saving.register_keras_serializable(package="semseg")
class ResizeLike(keras.layers.Layer):
    """Resize a tensor to the height and width of a reference tensor.

    Called on ``[x, reference]``; the reference's sizes are read at run time,
    so it works with dynamic (None) input sizes, unlike ``Resizing``.
    """

    def __init__(self, interpolation="bilinear", **kwargs):
        super().__init__(**kwargs)
        self.interpolation = interpolation

    def call(self, inputs):
        x, reference = inputs
        size = ops.shape(reference)[1:3]
        if keras.backend.backend() == "tensorflow":
            # keras.ops.image.resize tests the size in Python (`size[0] <= 0`),
            # which fails for a symbolic size inside tf.function (predict at a
            # new window size, ONNX export): still so in Keras 3.15.1.
            import tensorflow as tf

            resized = tf.image.resize(x, size, method=self.interpolation)
        else:
            resized = ops.image.resize(x, size, interpolation=self.interpolation)
        return ops.cast(resized, x.dtype)

    def compute_output_shape(self, input_shape):
        x_shape, ref_shape = input_shape
        return (x_shape[0], ref_shape[1], ref_shape[2], x_shape[3])

    def get_config(self):
        config = super().get_config()
        config["interpolation"] = self.interpolation
        return config


@keras.saving.register_keras_serializable(package="semseg")
class AdaptiveAveragePooling(keras.layers.Layer):
    """Average ``x`` over a ``bins`` x ``bins`` grid of regions (PyTorch's
    AdaptiveAvgPool2d: bin i spans rows floor(i*H/bins) to ceil((i+1)*H/bins)),
    for any input size.

    Region sums come from an integral image (cumulative sums) and four
    gathers, all differentiable and exportable to ONNX (CumSum, Gather). It
    replaces ``Resizing(interpolation="area")``, whose TensorFlow op
    (ResizeArea) has no gradient: PSPNet and ICNet could not be trained, and
    tf2onnx turned it into a nearest-neighbour resize.
    """

    def __init__(self, bins, **kwargs):
        super().__init__(**kwargs)
        self.bins = int(bins)

    def call(self, x):
        dtype = x.dtype
        x = ops.cast(x, "float32")  # sums of many float16 values overflow
        shape = ops.shape(x)
        integral = ops.cumsum(ops.cumsum(x, axis=1), axis=2)
        integral = ops.pad(integral, [[0, 0], [1, 0], [1, 0], [0, 0]])
        edges = []
        for size in (shape[1], shape[2]):
            size = ops.cast(size, "float32")
            i = ops.cast(ops.arange(self.bins), "float32")
            start = ops.cast(ops.floor(i * size / self.bins), "int32")
            end = ops.cast(ops.ceil((i + 1.0) * size / self.bins), "int32")
            edges.append((start, end))
        (y0, y1), (x0, x1) = edges
        top, bottom = ops.take(integral, y0, axis=1), ops.take(integral, y1, axis=1)
        sums = (ops.take(bottom, x1, axis=2) - ops.take(bottom, x0, axis=2)
                - ops.take(top, x1, axis=2) + ops.take(top, x0, axis=2))
        area = ops.cast(ops.expand_dims(y1 - y0, 1) * ops.expand_dims(x1 - x0, 0), "float32")
        return ops.cast(sums / area[None, :, :, None], dtype)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.bins, self.bins, input_shape[3])

    def get_config(self):
        config = super().get_config()
        config["bins"] = self.bins
        return config
