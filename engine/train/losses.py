"""Segmentation losses that honour the ignore label and class weights.

Every loss takes sparse labels ``y_true`` (batch, h, w) or (batch, h, w, 1)
holding contiguous class indices, with ``ignore_index`` (255) for pixels that
must not count, and ``y_pred`` the softmax probabilities (batch, h, w, C).
Ignored pixels get zero weight; the loss is averaged over the pixels that
count (zero when none do). Optional ``class_weights`` (length C) weight each
pixel by its true class.

The losses are registered Keras serializables, but model files are reloaded
with ``compile=False``, so nothing needs them to predict.

Backend-neutral: written in ``keras.ops`` only, so they run on TensorFlow, JAX
and PyTorch alike (tests/engine/test_keras_ops_port.py: the same numbers on
each). Shapes stay static (no boolean masks), so the losses compile under XLA
and ``jax.jit``.
"""

import keras
import numpy as np
from keras import ops

from .. import options
from ..errors import InputError
from ..data.labels import IGNORE

LOSSES = tuple(options.names("loss"))
CLASS_WEIGHTS = tuple(options.names("class_weights"))
_EPS = 1e-7


def inverse_frequency_weights(counts):
    """Per-class weights ``total / (C * count)``, normalised to mean 1.

    Classes with no pixels get the largest weight of the others (they cannot
    contribute anyway); weights are clipped to [0.01, 100] x the mean.
    """
    counts = np.asarray(counts, dtype=np.float64)
    present = counts > 0
    if not present.any():
        return np.ones_like(counts, dtype=np.float32)
    weights = np.zeros_like(counts)
    weights[present] = counts[present].sum() / (len(counts) * counts[present])
    weights[~present] = weights[present].max()
    weights /= weights.mean()
    return np.clip(weights, 0.01, 100.0).astype(np.float32)


class SegmentationLoss(keras.losses.Loss):
    """Base class: masks ignored pixels, applies class weights."""

    def __init__(self, n_classes, ignore_index=IGNORE, class_weights=None,
                 name=None, **kwargs):
        kwargs.pop("reduction", None)
        super().__init__(name=name, reduction="sum_over_batch_size", **kwargs)
        self.n_classes = int(n_classes)
        self.ignore_index = int(ignore_index)
        self.class_weights = (None if class_weights is None
                              else [float(w) for w in class_weights])

    def _prepare(self, y_true, y_pred):
        """(onehot float (..., C), valid float (...), pixel weight float (...), p)."""
        y_pred = ops.cast(y_pred, "float32")
        labels = ops.cast(y_true, "int32")
        if len(labels.shape) == len(y_pred.shape):
            labels = ops.squeeze(labels, axis=-1)
        valid = ops.logical_and(labels >= 0, labels < self.n_classes)
        labels = ops.where(valid, labels, ops.zeros_like(labels))
        valid = ops.cast(valid, "float32")
        onehot = ops.one_hot(labels, self.n_classes, dtype="float32")
        weight = valid
        if self.class_weights is not None:
            cw = ops.convert_to_tensor(self.class_weights, "float32")
            weight = weight * ops.take(cw, labels)
        return onehot, valid, weight, y_pred

    @staticmethod
    def _mean(values, weight):
        return ops.sum(values * weight) / ops.maximum(ops.sum(weight), _EPS)

    def call(self, y_true, y_pred):
        return self.compute(*self._prepare(y_true, y_pred))

    def compute(self, onehot, valid, weight, y_pred):
        raise NotImplementedError

    def get_config(self):
        config = super().get_config()
        config.pop("reduction", None)
        config.update(n_classes=self.n_classes, ignore_index=self.ignore_index,
                      class_weights=self.class_weights)
        return config


@keras.saving.register_keras_serializable(package="semseg")
class CategoricalCrossentropy(SegmentationLoss):
    """Pixel-wise cross-entropy over the softmax output."""

    def compute(self, onehot, valid, weight, y_pred):
        p = ops.clip(y_pred, _EPS, 1.0)
        ce = -ops.sum(onehot * ops.log(p), axis=-1)
        return self._mean(ce, weight)


@keras.saving.register_keras_serializable(package="semseg")
class BinaryCrossentropy(SegmentationLoss):
    """Binary cross-entropy on the probability of class 1 (two classes only)."""

    def __init__(self, n_classes=2, **kwargs):
        if int(n_classes) != 2:
            raise InputError("Binary cross-entropy needs exactly 2 classes; the dataset "
                             "has {n_classes}. Choose categorical cross-entropy instead.",
                             n_classes=n_classes)
        super().__init__(n_classes, **kwargs)

    def compute(self, onehot, valid, weight, y_pred):
        p = ops.clip(y_pred[..., 1], _EPS, 1.0 - _EPS)
        y = onehot[..., 1]
        bce = -(y * ops.log(p) + (1.0 - y) * ops.log(1.0 - p))
        return self._mean(bce, weight)


@keras.saving.register_keras_serializable(package="semseg")
class FocalLoss(SegmentationLoss):
    """Focal loss (Lin et al. 2017): cross-entropy scaled by ``(1 - p_t) ** gamma``."""

    def __init__(self, n_classes, gamma=2.0, **kwargs):
        super().__init__(n_classes, **kwargs)
        self.gamma = float(gamma)

    def compute(self, onehot, valid, weight, y_pred):
        p = ops.clip(y_pred, _EPS, 1.0)
        p_t = ops.sum(onehot * p, axis=-1)
        focal = -ops.power(1.0 - p_t, self.gamma) * ops.log(p_t)
        return self._mean(focal, weight)

    def get_config(self):
        return {**super().get_config(), "gamma": self.gamma}


def _soft_dice(onehot, weight, y_pred, class_weights):
    w = weight[..., None]
    axes = tuple(range(len(onehot.shape) - 1))
    intersection = ops.sum(onehot * y_pred * w, axis=axes)
    total = ops.sum((onehot + y_pred) * w, axis=axes)
    dice = (2.0 * intersection + 1.0) / (total + 1.0)
    if class_weights is None:
        return 1.0 - ops.mean(dice)
    cw = ops.convert_to_tensor(class_weights, "float32")
    return 1.0 - ops.sum(dice * cw) / ops.sum(cw)


@keras.saving.register_keras_serializable(package="semseg")
class DiceLoss(SegmentationLoss):
    """Soft Dice loss, averaged over classes (class weights weight the average)."""

    def compute(self, onehot, valid, weight, y_pred):
        # Class weights act on the class average, not on pixels.
        return _soft_dice(onehot, valid, y_pred, self.class_weights)


@keras.saving.register_keras_serializable(package="semseg")
class CrossentropyDiceLoss(SegmentationLoss):
    """Cross-entropy plus soft Dice."""

    def compute(self, onehot, valid, weight, y_pred):
        p = ops.clip(y_pred, _EPS, 1.0)
        ce = self._mean(-ops.sum(onehot * ops.log(p), axis=-1), weight)
        return ce + _soft_dice(onehot, valid, y_pred, self.class_weights)


@keras.saving.register_keras_serializable(package="semseg")
class LovaszSoftmax(SegmentationLoss):
    """Lovász-softmax (Berman et al. 2018) over the batch, classes present only.

    Ignored pixels get zero error and no foreground, which sorts them last
    and leaves the Lovász gradient of the other pixels unchanged, so the
    loss equals the one on the valid pixels alone, with static shapes.
    """

    def compute(self, onehot, valid, weight, y_pred):
        n = self.n_classes
        fg = ops.transpose(ops.reshape(onehot * valid[..., None], (-1, n)))   # (C, N)
        probs = ops.transpose(ops.reshape(y_pred, (-1, n)))
        errors = ops.abs(fg - probs) * ops.reshape(valid, (1, -1))
        # every class's pixels by decreasing error: one sort of all classes at once
        errors_sorted, order = ops.top_k(errors, k=ops.shape(errors)[1], sorted=True)
        fg_sorted = ops.take_along_axis(fg, order, axis=1)
        gts = ops.sum(fg_sorted, axis=1, keepdims=True)
        intersection = gts - ops.cumsum(fg_sorted, axis=1)
        union = gts + ops.cumsum(1.0 - fg_sorted, axis=1)
        jaccard = 1.0 - intersection / ops.maximum(union, _EPS)
        grad = ops.concatenate([jaccard[:, :1], jaccard[:, 1:] - jaccard[:, :-1]], axis=1)
        per_class = ops.sum(errors_sorted * grad, axis=1)
        present = ops.cast(ops.squeeze(gts, 1) > 0, "float32")
        if self.class_weights is not None:
            present = present * ops.convert_to_tensor(self.class_weights, "float32")
        return ops.sum(per_class * present) / ops.maximum(ops.sum(present), _EPS)


_CLASSES = {
    "categorical_crossentropy": CategoricalCrossentropy,
    "binary_crossentropy": BinaryCrossentropy,
    "focal": FocalLoss,
    "dice": DiceLoss,
    "lovasz": LovaszSoftmax,
    "ce_dice": CrossentropyDiceLoss,
}


def get_loss(name, n_classes, ignore_index=IGNORE, class_weights=None):
    """The loss called ``name`` (one of LOSSES) for ``n_classes`` classes."""
    try:
        cls = _CLASSES[name]
    except KeyError:
        raise InputError("Unknown loss {name}; valid losses: {losses}.",
                         name=repr(name), losses=", ".join(LOSSES)) from None
    return cls(n_classes=n_classes, ignore_index=ignore_index, class_weights=class_weights,
               name=name)
