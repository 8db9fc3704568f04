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
            # keras.ops.image.resize tests the size in Python, which fails
            # for a symbolic size inside tf.function (predict, fit).
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
