"""The chips of a dataset folder made by Tile Dataset, decoded for training.

Folder layout: ``images/<name>.tif`` and ``labels/<name>.tif`` (GeoTIFF
chips, as Tile Dataset writes them), ``train.txt`` / ``val.txt`` listing chip
names and ``dataset.json`` with tile size, bands, classes and mean/std.

Chips are decoded once (:func:`chip_arrays`): when the decoded split fits in
memory (the usual case) into two numpy arrays, else into two ``.npy`` files
read as memory maps. Images are normalised with the dataset's per-band
mean/std (float32); label values are mapped to contiguous class indices, with
the ignore value (255) and values outside the class list mapped to
``labels.IGNORE``. data/batches.py serves them to Keras in shuffled,
augmented batches (data/augment.py), the same on every backend.

NumPy and GDAL only: ``read_info`` runs anywhere (dataset_files.py reads and
checks dataset.json and the split files).
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
    n, s = len(info.splits[split]), info.tile_size
    return _decode_into(info, split, np.empty((n, s, s, info.bands), np.float32),
                        np.empty((n, s, s), np.uint8), progress)


def _decode_into(info, split, images, labels, progress=None):
    """Fill ``images`` and ``labels`` (arrays or memory maps of the split's
    shapes) with the split's chips, in its order; returns them."""
    reader = ChipReader(info, split)
    for i, name in enumerate(info.splits[split]):
        if progress is not None:
            progress.check()
        images[i], labels[i] = reader(name)
    return images, labels


def check_listed(info, split):
    """InputError for the first chip of ``split`` whose files are missing."""
    reader = ChipReader(info, split)
    for name in info.splits[split]:
        reader.paths(name)


def chip_arrays(info, split, progress=None, cache_dir=None, memory_limit=MEMORY_LIMIT):
    """Every chip of ``split`` decoded: ``(images float32 NHWB, labels uint8 NHW)``.

    In memory when the decoded split fits ``memory_limit`` bytes (or no
    ``cache_dir`` is given); else decoded once into two ``.npy`` files under
    ``cache_dir`` and opened as read-only memory maps, so a split larger than
    memory is read from disk a batch at a time.
    """
    names = info.splits[split]
    if not names:
        raise InputError("The dataset {folder} lists no chips in {split}.txt.",
                         folder=info.folder, split=split)
    if decoded_bytes(info, len(names)) <= memory_limit or cache_dir is None:
        return load_arrays(info, split, progress)
    os.makedirs(cache_dir, exist_ok=True)
    n, s = len(names), info.tile_size
    paths = [os.path.join(cache_dir, f"{split}_{kind}.npy") for kind in ("images", "labels")]
    images, labels = _decode_into(
        info, split, np.lib.format.open_memmap(paths[0], "w+", np.float32,
                                               (n, s, s, info.bands)),
        np.lib.format.open_memmap(paths[1], "w+", np.uint8, (n, s, s)), progress)
    images.flush()
    labels.flush()
    del images, labels
    return tuple(np.load(path, mmap_mode="r") for path in paths)
