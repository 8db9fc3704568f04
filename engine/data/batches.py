"""Batches of chips for ``model.fit``, the same on TensorFlow, PyTorch and JAX.

:class:`ChipBatches` is a ``keras.utils.PyDataset``, which every Keras backend
feeds from. Batch ``i`` is computed from ``i`` alone, never from what came
before, so any thread may compute it and a resumed run sees the batches an
uninterrupted one would:

* training: the chips are shuffled and repeated as an endless stream (the
  k-th pass is the k-th permutation of the run's seed) and cut into batches,
  so batches run across passes; each batch is augmented with its own draws
  (data/augment.py). ``window(first, count)`` gives the batches a phase of
  training runs through (Train Model's epochs * steps from its first step).
* validation: the chips in their order, the last batch possibly shorter.

Keras at import.
"""

import math

import keras
import numpy as np

from . import augment as augment_mod
from .dataset import MEMORY_LIMIT, chip_arrays
from .labels import IGNORE


class ChipBatches(keras.utils.PyDataset):
    """``(images float32 (b, s, s, bands), labels uint8 (b, s, s))`` batches."""

    def __init__(self, images, labels, batch_size, training=False, augmenter=None, seed=0,
                 first=0, count=None):
        super().__init__()
        self.images, self.labels = images, labels
        self.batch_size = int(batch_size)
        self.training = bool(training)
        self.augmenter = augmenter
        self.seed = int(seed or 0)
        self.first = int(first)
        # by default one pass over the chips
        self.count = int(count) if count is not None else math.ceil(
            len(images) / self.batch_size)

    def in_order(self):
        """The same chips in their order, one pass, unaugmented (validation)."""
        return ChipBatches(self.images, self.labels, self.batch_size)

    def window(self, first, count):
        """The same stream's batches ``first`` to ``first + count - 1``."""
        return ChipBatches(self.images, self.labels, self.batch_size, self.training,
                           self.augmenter, self.seed, first, count)

    def __len__(self):
        return self.count

    def indices(self, index):
        """The chips of batch ``index`` (counted from the stream's start)."""
        n, size = len(self.images), self.batch_size
        if not self.training:
            return np.arange(index * size, min((index + 1) * size, n))
        start = index * size
        passes = range(start // n, (start + size - 1) // n + 1)
        stream = np.concatenate([augment_mod.permutation(self.seed, k, n) for k in passes])
        offset = start - passes[0] * n
        return stream[offset:offset + size]

    def __getitem__(self, index):
        if not 0 <= index < self.count:
            raise IndexError(index)
        index += self.first
        chips = self.indices(index)
        images, labels = self.images[chips], self.labels[chips]
        if self.augmenter is not None:
            images, labels = self.augmenter(images, labels,
                                            augment_mod.batch_rng(self.seed, index))
        return np.ascontiguousarray(images), np.ascontiguousarray(labels)


def make_batches(info, split, batch_size, training=False, augment=False, cval=None,
                 label_cval=IGNORE, seed=None, progress=None, cache_dir=None,
                 memory_limit=MEMORY_LIMIT):
    """:class:`ChipBatches` over ``split`` of the dataset ``info`` (see
    dataset.chip_arrays for ``cache_dir`` and ``memory_limit``). ``training``:
    shuffled, endless (take a ``window``), augmented when ``augment``."""
    images, labels = chip_arrays(info, split, progress, cache_dir, memory_limit)
    augmenter = augment_mod.Augmenter(info, cval, label_cval) if training and augment else None
    return ChipBatches(images, labels, batch_size, training, augmenter, seed)
