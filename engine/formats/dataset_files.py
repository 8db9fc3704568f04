"""A dataset folder's own files: ``dataset.json`` and the split files.

The one owner of that format: Tile Dataset writes through it (a new dataset,
or one more scene appended to a dataset), Train Model reads through it
(``dataset.read_info``), and both get the same checks of the format name and
version. Plain json and numpy: no GDAL, no TensorFlow, so QGIS may call it
in-process.

Folder layout::

    images/<name>.tif   image chips (written by tiling.py)
    labels/<name>.tif   label chips on the same grid
    train.txt val.txt   chip names, one a line, sorted
    dataset.json        tile size, bands, type, classes, mean/std, sources

``write`` replaces the split files and dataset.json atomically: each is
written to a temporary name first, then renamed into place, dataset.json last
(its presence marks a complete dataset).
"""

import json
import os
import tempfile

import numpy as np

from .. import jsonable
from ..errors import InputError

DATASET_JSON = "dataset.json"
FORMAT = "semseg-dataset"
# Of dataset.json, written and read here. 2: "block_lattice", the validation
# blocks on the ground that every scene in the dataset's CRS shares, and
# split.val_pixels_in_train_chips measured over all scenes (1: summed per scene).
# Version 1 still reads, and appending a scene to it writes version 2.
VERSION = 2
IMAGES, LABELS = "images", "labels"
SPLITS = ("train", "val")


def split_file(split):
    """The file name listing the chips of ``split`` ("train" -> "train.txt")."""
    return f"{split}.txt"


# ---------------------------------------------------------------- read
def load_description(path):
    """The contents of the dataset.json at ``path``, once checked to be a
    description that Tile Dataset wrote in a version this plugin reads."""
    meta = jsonable.read_file(path, "Cannot read the dataset description {path}: {error}.")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise InputError("{path} is not a dataset description made by Tile Dataset "
                         "(format is not {format}).",
                         path=path, format=repr(FORMAT))
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InputError("{path} is incomplete or invalid: its entry {key} is missing or "
                         "wrong.",
                         path=path, key=repr("version"))
    if version > VERSION:
        raise InputError("{path} is version {dataset_version}; this plugin reads version "
                         "{version} and older.",
                         path=path, dataset_version=version, version=VERSION)
    return meta


def read_splits(folder):
    """``{"train": [names], "val": [names]}`` from ``folder``'s split files (a
    missing file lists no chips)."""
    result = {}
    for split in SPLITS:
        path = os.path.join(folder, split_file(split))
        names = []
        if os.path.isfile(path):
            try:
                with open(path, encoding="utf-8") as f:
                    names = [line.strip() for line in f if line.strip()]
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError("Cannot read the split file {path}: {error}.",
                                 path=path, error=exc) from None
        result[split] = names
    return result


def check_appendable(description, path):
    """InputError naming the first entry of ``description`` (read from ``path``)
    that appending a scene needs and that is missing or of the wrong kind."""
    key = _bad_key(description)
    if key:
        raise InputError("{path} is incomplete or invalid: its entry {key} is missing or "
                         "wrong.",
                         path=path, key=repr(key))


def _bad_key(dataset):
    def whole(value, low):
        return isinstance(value, int) and not isinstance(value, bool) and value >= low

    for key, low in (("tile_size", 1), ("bands", 1), ("tile_count", 0)):
        if not whole(dataset.get(key), low):
            return key
    if not isinstance(dataset.get("data_type"), str):
        return "data_type"
    stats = dataset.get("stats")
    if not isinstance(stats, dict):
        return "stats"
    for key in ("count", "sum", "sumsq"):
        values = stats.get(key)
        if not (isinstance(values, list) and len(values) == dataset["bands"]
                and all(isinstance(v, (int, float)) for v in values)):
            return f"stats.{key}"
    for key in ("classes", "class_names", "class_colors"):
        if not isinstance(dataset.get(key, {}), dict):
            return key
    sources = dataset.get("sources", [])
    if not (isinstance(sources, list) and all(isinstance(x, dict) for x in sources)):
        return "sources"
    return None


# ---------------------------------------------------------------- merge
def updated(existing, header, *, tiles, pixel_count, pixel_sum, pixel_sumsq, class_pixels,
            class_names, class_colors, source, val_pixels_in_train_chips=None,
            lattice=None):
    """The description after one more scene: ``existing`` (None for a new
    dataset, which starts from ``header``: tile size, bands, data type...) plus
    the scene's ``tiles`` chips, its per-band pixel ``count``/``sum``/``sumsq``
    (the running mean and std come from them), its pixels per class value
    (``class_pixels[value]``), class names and colours (``{"value": ...}``; a
    class keeps the first it got) and its ``source`` entry.

    ``val_pixels_in_train_chips``: the validation pixels inside training chips
    measured over all the dataset's chips (None: the sum of the sources' own
    counts); ``lattice``: the scene's block lattice (JSON), kept as the dataset's
    ``block_lattice`` when it has none yet."""
    if existing is None:
        bands = int(header["bands"])
        dataset = {"format": FORMAT, "version": VERSION, **header}
        stats = {"count": [0] * bands, "sum": [0.0] * bands, "sumsq": [0.0] * bands}
        classes, names, colors, sources, total = {}, {}, {}, [], 0
    else:
        dataset = dict(existing)
        stats = dataset.get("stats", {})
        classes = dict(dataset.get("classes", {}))
        names = dict(dataset.get("class_names", {}))
        colors = dict(dataset.get("class_colors", {}))
        sources = list(dataset.get("sources", []))
        total = int(dataset.get("tile_count", 0))

    count = np.asarray(stats["count"], dtype=np.int64) + pixel_count
    total_sum = np.asarray(stats["sum"], dtype=np.float64) + pixel_sum
    sumsq = np.asarray(stats["sumsq"], dtype=np.float64) + pixel_sumsq
    safe = np.maximum(count, 1)
    mean = total_sum / safe
    std = np.sqrt(np.maximum(sumsq / safe - mean * mean, 0.0))

    for value in np.nonzero(class_pixels)[0]:
        key = str(int(value))
        classes[key] = int(classes.get(key, 0)) + int(class_pixels[value])
    for key, name in class_names.items():
        names.setdefault(key, name)
    for key, color in class_colors.items():
        colors.setdefault(key, color)
    sources.append(source)
    methods = sorted({s.get("split", {}).get("method", "random") for s in sources})
    if val_pixels_in_train_chips is None:
        val_pixels_in_train_chips = sum(int(s.get("split", {}).get(
            "val_pixels_in_train_chips", 0)) for s in sources)
    dataset["split"] = {
        "method": methods[0] if len(methods) == 1 else "mixed",
        "val_pixels_in_train_chips": int(val_pixels_in_train_chips)}
    dataset["version"] = VERSION
    if lattice is not None and "block_lattice" not in dataset:
        dataset["block_lattice"] = lattice

    def numeric(d):
        return {k: d[k] for k in sorted(d, key=int)}

    dataset.update({
        "classes": numeric(classes),
        "class_names": numeric(names),
        "class_colors": numeric(colors),
        "mean": [float(v) for v in mean],
        "std": [float(v) for v in std],
        "stats": {"count": [int(v) for v in count], "sum": [float(v) for v in total_sum],
                  "sumsq": [float(v) for v in sumsq]},
        "sources": sources,
        "tile_count": total + int(tiles),
    })
    return dataset


# ---------------------------------------------------------------- write
def write(folder, description, added, created):
    """Write ``description`` as ``folder``'s dataset.json and add the chip names
    of ``added`` (``{"train": [...], "val": [...]}``) to its split files, all
    atomically. Paths that did not exist before are appended to ``created``
    (the caller removes them when its run fails). Returns the split files'
    names as written (``{"train": [...], "val": [...]}``)."""
    listed = read_splits(folder)
    names = {split: sorted(listed[split] + list(added[split])) for split in SPLITS}
    texts = {split_file(split): "".join(f"{n}\n" for n in names[split]) for split in SPLITS}
    texts[DATASET_JSON] = json.dumps(description, indent=2) + "\n"
    temps = []
    try:
        _write_texts(folder, texts, created, temps)
    except OSError as exc:
        raise InputError("Cannot write the dataset files in {folder}: {error}.",
                         folder=folder, error=exc) from None
    finally:
        for tmp in temps:
            if os.path.exists(tmp):
                os.remove(tmp)
    return names


def _write_texts(folder, texts, created, temps):
    for name, text in texts.items():
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        temps.append(tmp)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
    for name, tmp in zip(texts, temps):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            created.append(path)
        os.replace(tmp, path)
