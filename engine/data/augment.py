"""Train Model's augmentation, in NumPy: the same bytes on every Keras backend.

Each chip of a batch gets its own random transform: one of the 8 flips and
90-degree rotations, and a random scale (zoom in: a crop; zoom out: the border
is filled), done at once by sampling the chip on a per-chip box, as
TensorFlow's ``crop_and_resize`` samples it (a box with y1 > y2 or x1 > x2
samples a flipped crop) after an optional transpose. Images are sampled
bilinearly, labels at the nearest pixel. ``cval`` (a raw pixel value; None:
each band's training mean, 0 once standardised) fills the image border,
``label_cval`` (a raw label value; 255 = ignore) the label border.

The draws come from :func:`batch_rng`, seeded by (the run's seed, the batch's
number): a run's augmentation is the same whatever thread computes a batch,
and whatever backend trains on it.

NumPy only at import.
"""

import numpy as np

from .labels import IGNORE

SCALE = (0.75, 1.25)   # the range of the random zoom
_AUGMENT, _SHUFFLE = 0, 1  # the streams batch_rng draws from


def batch_rng(seed, index, stream=_AUGMENT):
    """The random generator of batch ``index`` of a run seeded ``seed``
    (``stream`` separates the shuffling's draws from the augmentation's)."""
    return np.random.default_rng([int(seed or 0) & 0xFFFFFFFF, int(index), int(stream)])


def permutation(seed, number, count):
    """The ``number``-th shuffle of ``count`` chips of a run seeded ``seed``."""
    return batch_rng(seed, number, _SHUFFLE).permutation(count)


class Augmenter:
    """``augmenter(images, labels, rng) -> (images, labels)`` over a batch of
    standardised images (float32 NHWB) and class-index labels (uint8 NHW)."""

    def __init__(self, info, cval=None, label_cval=IGNORE, scale=SCALE):
        # the border value, standardised as the images are (the mean: 0)
        mean = np.asarray(info.mean, np.float64)
        raw = mean if cval is None else float(cval)
        self.fill = ((raw - mean) / np.asarray(info.std, np.float64)).astype(np.float32)
        value = int(label_cval)
        self.label_fill = np.uint8(info.label_lut()[value] if 0 <= value < 256 else IGNORE)
        self.scale = tuple(float(v) for v in scale)

    def boxes(self, n, rng):
        """``(swap (n,), first (n, 2), second (n, 2))``: which chips are
        transposed, and each chip's sampling box as (y, x) corners in units of
        the chip's side (first > second along an axis: that axis is flipped)."""
        swap = rng.random(n) < 0.5
        side = 1.0 / rng.uniform(self.scale[0], self.scale[1], n)  # box side, chip = 1
        low, high = np.minimum(0.0, 1.0 - side), np.maximum(0.0, 1.0 - side)
        start = low[:, None] + (high - low)[:, None] * rng.random((n, 2))
        flip = rng.random((n, 2)) < 0.5
        end = start + side[:, None]
        return swap, np.where(flip, end, start), np.where(flip, start, end)

    def __call__(self, images, labels, rng):
        n, size = images.shape[0], images.shape[1]
        swap, first, second = self.boxes(n, rng)
        images = np.where(swap[:, None, None, None], images.transpose(0, 2, 1, 3), images)
        labels = np.where(swap[:, None, None], labels.transpose(0, 2, 1), labels)
        # sample positions in pixels (crop_and_resize's: corners on pixel centres)
        steps = np.arange(size) / max(size - 1, 1)
        rows = (first[:, 0, None] + steps * (second[:, 0] - first[:, 0])[:, None]) * (size - 1)
        cols = (first[:, 1, None] + steps * (second[:, 1] - first[:, 1])[:, None]) * (size - 1)
        inside = (((rows >= 0) & (rows <= size - 1))[:, :, None]
                  & ((cols >= 0) & (cols <= size - 1))[:, None, :])
        return (self._bilinear(images, rows, cols, inside),
                self._nearest(labels, rows, cols, inside))

    def _bilinear(self, images, rows, cols, inside):
        size = images.shape[1]
        batch = np.arange(images.shape[0])[:, None, None]
        top = np.clip(np.floor(rows), 0, size - 1).astype(np.intp)
        left = np.clip(np.floor(cols), 0, size - 1).astype(np.intp)
        bottom, right = np.minimum(top + 1, size - 1), np.minimum(left + 1, size - 1)
        dy = (rows - np.floor(rows)).astype(np.float32)[:, :, None, None]
        dx = (cols - np.floor(cols)).astype(np.float32)[:, None, :, None]
        t, b = top[:, :, None], bottom[:, :, None]
        lft, rgt = left[:, None, :], right[:, None, :]
        upper = images[batch, t, lft] + (images[batch, t, rgt] - images[batch, t, lft]) * dx
        lower = images[batch, b, lft] + (images[batch, b, rgt] - images[batch, b, lft]) * dx
        out = upper + (lower - upper) * dy
        return np.where(inside[..., None], out, self.fill).astype(np.float32)

    def _nearest(self, labels, rows, cols, inside):
        size = labels.shape[1]
        batch = np.arange(labels.shape[0])[:, None, None]
        # round half away from zero, as crop_and_resize's nearest does
        r = np.clip(np.floor(rows + 0.5), 0, size - 1).astype(np.intp)[:, :, None]
        c = np.clip(np.floor(cols + 0.5), 0, size - 1).astype(np.intp)[:, None, :]
        return np.where(inside, labels[batch, r, c], self.label_fill).astype(np.uint8)
