"""The validation metrics Train Model reports and selects the best epoch by:
mean IoU and pixel accuracy, both from a confusion matrix over the pixels
whose label is a class (the ignore label excluded).

Registered Keras serializables, defined at import: only a run imports this
module (model files are reloaded with ``compile=False``, so nothing needs
them to predict). Backend-neutral: ``keras.ops`` only (TensorFlow, JAX,
PyTorch); the confusion matrix is one segment sum with a static length, so
the update compiles under XLA and ``jax.jit``.
"""

import keras
from keras import ops


class _Confusion(keras.metrics.Metric):
    """Confusion matrix over pixels whose label is a class (ignore excluded)."""

    def __init__(self, n_classes, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self.n_classes = int(n_classes)
        self.matrix = self.add_variable(shape=(self.n_classes, self.n_classes),
                                        initializer="zeros", dtype="float32",
                                        name="confusion")

    def update_state(self, y_true, y_pred, sample_weight=None):
        n = self.n_classes
        labels = ops.reshape(ops.cast(y_true, "int32"), (-1,))
        pred = ops.reshape(ops.cast(ops.argmax(y_pred, axis=-1), "int32"), (-1,))
        valid = ops.logical_and(labels >= 0, labels < n)
        labels = ops.where(valid, labels, ops.zeros_like(labels))
        # cell (label, prediction) of the n x n matrix, row-major; ignored pixels add 0
        counts = ops.segment_sum(ops.cast(valid, "float32"), labels * n + pred,
                                 num_segments=n * n)
        self.matrix.assign_add(ops.reshape(counts, (n, n)))

    def get_config(self):
        return {"n_classes": self.n_classes, "name": self.name}


@keras.saving.register_keras_serializable(package="semseg")
class MeanIoU(_Confusion):
    """Mean IoU over classes present in the labels or the predictions."""

    def __init__(self, n_classes, name="miou", **kwargs):
        super().__init__(n_classes, name=name, **kwargs)

    def result(self):
        m = ops.convert_to_tensor(self.matrix)
        tp = ops.diagonal(m)
        union = ops.sum(m, 0) + ops.sum(m, 1) - tp
        present = union > 0
        iou = ops.where(present, tp / ops.maximum(union, 1.0), 0.0)
        return ops.sum(iou) / ops.maximum(ops.sum(ops.cast(present, "float32")), 1.0)


@keras.saving.register_keras_serializable(package="semseg")
class PixelAccuracy(_Confusion):
    """Share of labelled pixels predicted right."""

    def __init__(self, n_classes, name="accuracy", **kwargs):
        super().__init__(n_classes, name=name, **kwargs)

    def result(self):
        m = ops.convert_to_tensor(self.matrix)
        return ops.sum(ops.diagonal(m)) / ops.maximum(ops.sum(m), 1.0)


def keras_metrics(n_classes):
    """``[MeanIoU, PixelAccuracy]`` metric objects for ``n_classes`` classes."""
    return [MeanIoU(n_classes), PixelAccuracy(n_classes)]
