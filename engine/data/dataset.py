"""tf.data pipelines over a dataset folder made by Tile Dataset.

Folder layout: ``images/<name>.tif`` and ``labels/<name>.tif`` (GeoTIFF
chips, as Tile Dataset writes them), ``train.txt`` / ``val.txt`` listing chip
names and ``dataset.json`` with tile size, bands, classes and mean/std.

Chips are decoded once: when the decoded split fits in memory (the usual
case) it becomes two numpy arrays fed with ``from_tensor_slices``; a larger
split is decoded by ``tf.numpy_function`` and cached to a file on first pass.
Images are normalised with the dataset's per-band mean/std (float32); label
values are mapped to contiguous class indices, with the ignore value (255)
and values outside the class list mapped to ``labels.IGNORE``. In memory,
shuffled indices are batched and whole batches gathered (as Keras does for
numpy arrays: bench/training_bench.py measures the pipeline at the speed of
``model.fit`` on arrays). Augmentation (flips, 90-degree rotations, random
scale cropped or padded back to the tile size) runs on the fly on each batch
with TensorFlow ops, a different transform for every chip.

``read_info`` needs no TensorFlow (dataset_files.py reads and checks
dataset.json and the split files); the pipeline functions import it.
"""

import os
from dataclasses import dataclass, field

import numpy as np

from ..formats import dataset_files
from . import raster
from ..formats.dataset_files import DATASET_JSON, IMAGES, LABELS
from ..errors import InputError
from .labels import IGNORE

CHIP_EXTENSIONS = (".tif", ".tiff")
MEMORY_LIMIT = 1 << 30  # decoded bytes above which a split is streamed, not held


@dataclass
class DatasetInfo:
    """What dataset.json and the split files say about a dataset folder."""

    folder: str
    tile_size: int
    bands: int
    band_names: list
    data_type: str
    nodata: object
    ignore_value: int
    class_values: list          # model channel i -> class value
    class_counts: list          # pixels of each class (same order)
    class_names: dict
    class_colors: dict
    mean: list
    std: list
    splits: dict = field(default_factory=dict)   # "train"/"val" -> [names]
    resolution: list = None     # [x, y] map units per pixel of the chips (None: unknown)
    crs_units: str = ""         # the unit of the chips' CRS ("metre", "degree"...)

    @property
    def n_classes(self):
        return len(self.class_values)

    def label_lut(self):
        """256-entry table: label value -> class index (IGNORE elsewhere)."""
        lut = np.full(256, IGNORE, dtype=np.uint8)
        for i, v in enumerate(self.class_values):
            if 0 <= v < 256:
                lut[v] = i
        return lut


def read_info(folder):
    """Read and check ``folder``'s dataset.json and split files (no TensorFlow)."""
    if not folder:
        raise InputError("No dataset folder was given.")
    folder = os.fspath(folder)
    if not os.path.isdir(folder):
        raise InputError("The dataset folder {folder} does not exist.",
                         folder=folder)
    if not os.listdir(folder):
        raise InputError("The dataset folder {folder} is empty: run Tile Dataset first.",
                         folder=folder)
    path = os.path.join(folder, DATASET_JSON)
    if not os.path.isfile(path):
        raise InputError("{folder} is not a dataset made by Tile Dataset: it has no "
                         "{dataset_json}.",
                         folder=folder, dataset_json=DATASET_JSON)
    meta = dataset_files.load_description(path)
    try:
        tile_size = int(meta["tile_size"])
        bands = int(meta["bands"])
        ignore = int(meta.get("ignore_value", IGNORE))
        classes = {int(k): int(v) for k, v in (meta.get("classes") or {}).items()}
        mean = [float(v) for v in meta["mean"]]
        std = [float(v) for v in meta["std"]]
        band_names = list(meta.get("band_names") or [f"band {i + 1}" for i in range(bands)])
        class_names = dict(meta.get("class_names") or {})
        class_colors = dict(meta.get("class_colors") or {})
        resolution = _resolution(meta.get("resolution"))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError("{path} is incomplete or invalid ({error}).",
                         path=path, error=exc) from None
    if len(mean) != bands or len(std) != bands:
        raise InputError("{path} gives mean/std for {n_mean}/{n_std} bands but {bands} "
                         "bands.",
                         path=path, n_mean=len(mean), n_std=len(std), bands=bands)
    if not meta.get("has_labels", bool(classes)):
        raise InputError("The dataset {folder} has no labels: tile it again with a label "
                         "layer to train a model.",
                         folder=folder)
    values = sorted(v for v in classes if v != ignore)
    if len(values) < 2:
        raise InputError("The dataset {folder} has {n_values} class(es) ({values}); "
                         "training needs at least 2.",
                         folder=folder, n_values=len(values), values=values)
    splits = dataset_files.read_splits(folder)
    if not splits["train"]:
        raise InputError("The dataset {folder} lists no training chips in train.txt.",
                         folder=folder)
    return DatasetInfo(
        folder=folder, tile_size=tile_size, bands=bands,
        band_names=band_names,
        data_type=str(meta.get("data_type", "")), nodata=meta.get("nodata"),
        ignore_value=ignore, class_values=values,
        class_counts=[classes[v] for v in values],
        class_names=class_names,
        class_colors=class_colors,
        mean=mean, std=[s if s > 0 else 1.0 for s in std], splits=splits,
        resolution=resolution, crs_units=str(meta.get("crs_units") or ""))


def _resolution(value):
    """dataset.json's ``resolution`` as [x, y] floats (None when absent: datasets
    written before it was recorded)."""
    if value is None:
        return None
    x, y = (float(v) for v in value)
    if not (x > 0 and y > 0):
        raise ValueError(f"resolution {value!r} is not positive")
    return [x, y]


# ---------------------------------------------------------------- chips
def chip_path(info, kind, name, split="train"):
    """Path of chip ``name`` in ``images`` or ``labels`` (any known extension)."""
    base = os.path.join(info.folder, kind, name)
    for ext in CHIP_EXTENSIONS:
        if os.path.isfile(base + ext):
            return base + ext
    raise InputError("The chip {chip} listed in {split}.txt of {folder} is missing: no "
                     "{kind}/{name}.tif.",
                     chip=repr(name), split=split, folder=info.folder, kind=kind, name=name)


def read_chip(path):
    """``(array (h, w, bands) in its own dtype, each band's nodata or None)`` of a chip."""
    ds = raster.open_raster(path, role="chip")
    try:
        return (raster.read_window(ds, raster.Window(0, 0, ds.RasterXSize, ds.RasterYSize)),
                raster.band_nodata(ds))
    finally:
        ds = None


def _check_shape(info, path, arr, bands):
    size = info.tile_size
    if arr.ndim != 3 or arr.shape[0] != size or arr.shape[1] != size:
        raise InputError("The chip {path} is {width} x {height} pixels but "
                         "dataset.json says tiles are {size} x {size}.",
                         path=path, width=arr.shape[1], height=arr.shape[0],
                         size=size)
    if arr.shape[2] != bands:
        raise InputError("The chip {path} has {chip_bands} band(s) but dataset.json says "
                         "{bands}.",
                         path=path, chip_bands=arr.shape[2], bands=bands)


def _map_labels(info, label, lut):
    if label.dtype == np.uint8:
        return lut[label]
    out = np.full(label.shape, IGNORE, dtype=np.uint8)
    for i, v in enumerate(info.class_values):
        out[label == v] = i
    return out


class ChipReader:
    """Reads, checks and normalises one chip pair (image float32, label uint8)."""

    def __init__(self, info, split):
        self.info = info
        self.split = split
        self.lut = info.label_lut()
        self.mean = np.asarray(info.mean, np.float32)
        self.std = np.asarray(info.std, np.float32)

    def paths(self, name):
        return (chip_path(self.info, IMAGES, name, self.split),
                chip_path(self.info, LABELS, name, self.split))

    def __call__(self, name):
        image_path, label_path = self.paths(name)
        image, nodata = read_chip(image_path)
        _check_shape(self.info, image_path, image, self.info.bands)
        label, _ = read_chip(label_path)
        _check_shape(self.info, label_path, label, 1)
        # nodata pixels: filled exactly as Predict Raster fills them; Tile Dataset has
        # set their labels to 255, so they never count in the loss either
        image, _ = raster.standardise(image, self.mean, self.std, nodata)
        return image, _map_labels(self.info, label[..., 0], self.lut)


def decoded_bytes(info, count):
    size = info.tile_size * info.tile_size
    return count * size * (4 * info.bands + 1)


def load_arrays(info, split, progress=None):
    """Decode every chip of ``split`` into (images float32 NHWB, labels uint8 NHW)."""
    names = info.splits[split]
    reader = ChipReader(info, split)
    n, s = len(names), info.tile_size
    images = np.empty((n, s, s, info.bands), np.float32)
    labels = np.empty((n, s, s), np.uint8)
    for i, name in enumerate(names):
        if progress is not None:
            progress.check()
        images[i], labels[i] = reader(name)
    return images, labels


def check_listed(info, split):
    """InputError for the first chip of ``split`` whose files are missing."""
    reader = ChipReader(info, split)
    for name in info.splits[split]:
        reader.paths(name)


# ---------------------------------------------------------------- tf.data
def augment_fn(info, cval=0.0, label_cval=IGNORE, scale=(0.75, 1.25)):
    """A tf function ``(images, labels) -> (images, labels)`` over a *batch*.

    Each chip gets its own random transform: one of the 8 flips/90-degree
    rotations and a random scale (zoom in: crop; zoom out: the border is
    filled), done at once by ``tf.image.crop_and_resize`` with a per-chip box
    (a box with y1 > y2 or x1 > x2 samples a flipped crop) after an optional
    transpose. ``cval`` (a raw pixel value) fills the image border;
    ``label_cval`` (a raw label value; 255 = ignore) fills the label border.
    Bilinear for images, nearest for labels.

    The draws are stateless, from ``seed`` (two integers; :func:`augmented`
    gives each batch its own from the run's seed and the batch's number), so
    a run's augmentation is the same whatever order tf.data's parallel calls
    happen to run in: the same inputs train the same network.
    """
    import tensorflow as tf

    size = info.tile_size
    fill = tf.constant((float(cval) - np.asarray(info.mean)) / np.asarray(info.std),
                       tf.float32)
    label_fill = float(info.label_lut()[int(label_cval)] if 0 <= int(label_cval) < 256
                       else IGNORE)
    lo, hi = (float(v) for v in scale)

    def augment(images, labels, seed=(0, 0)):
        n = tf.shape(images)[0]
        keys = tf.random.experimental.stateless_split(tf.cast(seed, tf.int64), num=4)
        labels = tf.cast(labels[..., None], tf.float32)
        # Transpose half of the chips (with the flips below: all 8 symmetries).
        swap = tf.random.stateless_uniform((n, 1, 1, 1), keys[0]) < 0.5
        images = tf.where(swap, tf.transpose(images, (0, 2, 1, 3)), images)
        labels = tf.where(swap, tf.transpose(labels, (0, 2, 1, 3)), labels)
        side = 1.0 / tf.random.stateless_uniform((n, 1), keys[1], lo, hi)  # box side, image = 1
        low, high = tf.minimum(0.0, 1.0 - side), tf.maximum(0.0, 1.0 - side)
        start = low + (high - low) * tf.random.stateless_uniform((n, 2), keys[2])  # (y0, x0)
        flip = tf.random.stateless_uniform((n, 2), keys[3]) < 0.5
        first = tf.where(flip, start + side, start)
        second = tf.where(flip, start, start + side)
        boxes = tf.concat([first, second], axis=1)               # y1, x1, y2, x2
        index = tf.range(n)
        images = tf.image.crop_and_resize(images - fill, boxes, index, (size, size),
                                          method="bilinear", extrapolation_value=0.0) + fill
        labels = tf.image.crop_and_resize(labels, boxes, index, (size, size),
                                          method="nearest", extrapolation_value=label_fill)
        images = tf.ensure_shape(images, (None, size, size, info.bands))
        return images, tf.cast(tf.round(labels[..., 0]), tf.uint8)

    return augment


def augmented(ds, info, cval=0.0, label_cval=IGNORE, seed=None):
    """``ds`` (batches of images and labels) with :func:`augment_fn` applied,
    batch ``i`` drawing from the stateless seed ``(seed, i)``."""
    import tensorflow as tf

    augment = augment_fn(info, cval, label_cval)
    base = tf.constant(int(seed or 0), tf.int64)
    return ds.enumerate().map(
        lambda i, batch: augment(batch[0], batch[1], tf.stack([base, i])),
        num_parallel_calls=tf.data.AUTOTUNE)


def _streamed(info, split, cache_dir):
    import tensorflow as tf

    check_listed(info, split)
    reader = ChipReader(info, split)
    s, b = info.tile_size, info.bands

    def read(name):
        return reader(name.decode("utf-8"))

    def load(name):
        image, label = tf.numpy_function(read, [name], [tf.float32, tf.uint8])
        return tf.ensure_shape(image, (s, s, b)), tf.ensure_shape(label, (s, s))

    ds = tf.data.Dataset.from_tensor_slices(info.splits[split])
    ds = ds.map(load, num_parallel_calls=tf.data.AUTOTUNE)
    os.makedirs(cache_dir, exist_ok=True)
    return ds.cache(os.path.join(cache_dir, f"{split}.cache"))


def make_dataset(info, split, batch_size, training=False, augment=False, cval=0.0,
                 label_cval=IGNORE, seed=None, progress=None, cache_dir=None,
                 memory_limit=MEMORY_LIMIT):
    """A batched tf.data.Dataset of ``(image float32 (b,s,s,bands), label uint8 (b,s,s))``.

    ``training``: shuffled, repeated forever, augmented when ``augment``.
    The split is decoded into memory when it fits ``memory_limit`` bytes,
    else streamed and cached under ``cache_dir`` (required then).
    """
    import tensorflow as tf

    names = info.splits[split]
    if not names:
        raise InputError("The dataset {folder} lists no chips in {split}.txt.",
                         folder=info.folder, split=split)
    batch_size = int(batch_size)
    if decoded_bytes(info, len(names)) <= memory_limit or cache_dir is None:
        # In memory: shuffle and batch indices, gather whole batches (like
        # Keras's own array adapter; much cheaper than slicing chip by chip).
        images, labels = load_arrays(info, split, progress)
        images, labels = tf.constant(images), tf.constant(labels)
        ds = tf.data.Dataset.range(len(names))
        if training:
            ds = ds.shuffle(len(names), seed=seed, reshuffle_each_iteration=True).repeat()
        ds = ds.batch(batch_size).map(lambda i: (tf.gather(images, i), tf.gather(labels, i)),
                                      num_parallel_calls=tf.data.AUTOTUNE)
    else:
        ds = _streamed(info, split, cache_dir)
        if training:
            ds = ds.shuffle(min(len(names), 1024), seed=seed,
                            reshuffle_each_iteration=True).repeat()
        ds = ds.batch(batch_size)
    if training and augment:
        ds = augmented(ds, info, cval, label_cval, seed)
    options = tf.data.Options()
    # Multi-worker training shards batches, not files (there are none to shard).
    options.experimental_distribute.auto_shard_policy = \
        tf.data.experimental.AutoShardPolicy.DATA
    return ds.prefetch(tf.data.AUTOTUNE).with_options(options)
