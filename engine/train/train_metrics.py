"""The validation metrics Train Model reports and selects the best epoch by:
mean IoU and pixel accuracy, both from a confusion matrix over the pixels
whose label is a class (the ignore label excluded).

Registered Keras serializables, defined at import: only a run imports this
module (model files are reloaded with ``compile=False``, so nothing needs
them to predict).
"""

import keras
import tensorflow as tf


class _Confusion(keras.metrics.Metric):
    """Confusion matrix over pixels whose label is a class (ignore excluded)."""

    def __init__(self, n_classes, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self.n_classes = int(n_classes)
        self.matrix = self.add_variable(shape=(self.n_classes, self.n_classes),
                                        initializer="zeros", dtype="float32",
                                        name="confusion")

    def update_state(self, y_true, y_pred, sample_weight=None):
        labels = tf.reshape(tf.cast(y_true, tf.int32), [-1])
        pred = tf.reshape(tf.argmax(y_pred, axis=-1, output_type=tf.int32), [-1])
        valid = tf.logical_and(labels >= 0, labels < self.n_classes)
        labels = tf.where(valid, labels, tf.zeros_like(labels))
        matrix = tf.math.confusion_matrix(labels, pred, num_classes=self.n_classes,
                                          weights=tf.cast(valid, tf.float32),
                                          dtype=tf.float32)
        self.matrix.assign_add(matrix)

    def get_config(self):
        return {"n_classes": self.n_classes, "name": self.name}


@keras.saving.register_keras_serializable(package="semseg")
class MeanIoU(_Confusion):
    """Mean IoU over classes present in the labels or the predictions."""

    def __init__(self, n_classes, name="miou", **kwargs):
        super().__init__(n_classes, name=name, **kwargs)

    def result(self):
        m = tf.convert_to_tensor(self.matrix)
        tp = tf.linalg.diag_part(m)
        union = tf.reduce_sum(m, 0) + tf.reduce_sum(m, 1) - tp
        present = union > 0
        iou = tf.where(present, tp / tf.maximum(union, 1.0), 0.0)
        return tf.reduce_sum(iou) / tf.maximum(tf.reduce_sum(tf.cast(present, tf.float32)),
                                               1.0)


@keras.saving.register_keras_serializable(package="semseg")
class PixelAccuracy(_Confusion):
    """Share of labelled pixels predicted right."""

    def __init__(self, n_classes, name="accuracy", **kwargs):
        super().__init__(n_classes, name=name, **kwargs)

    def result(self):
        m = tf.convert_to_tensor(self.matrix)
        return tf.reduce_sum(tf.linalg.diag_part(m)) / tf.maximum(tf.reduce_sum(m), 1.0)


def keras_metrics(n_classes):
    """``[MeanIoU, PixelAccuracy]`` metric objects for ``n_classes`` classes."""
    return [MeanIoU(n_classes), PixelAccuracy(n_classes)]
