"""The choices of every option-like parameter, as plain data: name -> English label.

One table for the dialogs, ``qgis_process``, saved models and the engine.
The algorithms declare their enum parameters from it
with static strings (``MODEL=deeplab_v3p``, ``COLOR_MAP=voc``), the dialogs
show the labels (translated), and the engine's job parameters take the same
names and check them here, so dialog and engine cannot drift and inserting an
option never re-maps a saved model or batch file.

Imported inside QGIS: standard library only (``models.catalog`` is plain data
too). Adding a choice is one row; the engine code that acts on it goes with it.
"""

import dataclasses
import os
from collections import namedtuple

from ..models import catalog
from .errors import InputError

Option = namedtuple("Option", "name label")

COLORMAP_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                               "resources", "colormaps")

# Labels of the shipped colour-map presets; a preset file without a row shows its name.
_COLOR_MAP_LABELS = {
    "ade20k": "ADE20K",
    "cityscapes": "Cityscapes",
    "inria": "Inria aerial image labeling",
    "voc": "PASCAL VOC",
}

_TABLES = {
    # Tile Dataset
    "tile_method": (
        Option("random", "Random windows"),
        Option("stride", "Regular grid (stride)"),
    ),
    "split_method": (
        Option("blocks", "Spatial blocks (no validation pixel in a training chip)"),
        Option("random", "Random chips (overlapping chips share pixels)"),
    ),
    # Color to Index
    "color_direction": (
        Option("color_to_index", "Colour to index"),
        Option("index_to_color", "Index to colour"),
    ),
    "unknown_colors": (
        Option("fail", "Fail"),
        Option("ignore", "Map to 255 (ignore)"),
    ),
    # Train Model
    "loss": (
        Option("categorical_crossentropy", "Categorical cross-entropy"),
        Option("binary_crossentropy", "Binary cross-entropy (2 classes)"),
        Option("focal", "Focal"),
        Option("dice", "Dice"),
        Option("lovasz", "Lovasz-softmax"),
        Option("ce_dice", "Cross-entropy + Dice"),
    ),
    "class_weights": (
        Option("none", "None"),
        Option("inverse_frequency", "Inverse class frequency"),
    ),
    "optimizer": (
        Option("adam", "Adam"),
        Option("rmsprop", "RMSprop"),
        Option("sgd", "SGD"),
    ),
    "lr_mode": (
        Option("none", "Constant"),
        Option("power_decay", "Power decay"),
        Option("exp_decay", "Exponential decay"),
        Option("progressive_drops", "Progressive drops"),
        Option("cosine_cycle", "Cosine cycles"),
    ),
    "init_mode": (
        Option("fine_tune", "Fine-tune (its weights, a new optimizer and schedule)"),
        Option("resume", "Resume (continue the stopped run from its checkpoint)"),
    ),
    "encoder_weights": (
        Option("none", "None (random initialisation)"),
        Option("imagenet", "ImageNet (Keras Applications, downloaded once)"),
        Option("file", "From a file (Encoder weights file)"),
    ),
    "strategy": (
        Option("auto", "Auto (one device)"),
        Option("mirrored", "Mirrored (all local GPUs)"),
        Option("multi_worker", "Multi-worker (TF_CONFIG)"),
    ),
    # Predict Raster
    "predict_mode": (
        Option("stride", "Stride (windows over the scene)"),
        Option("per_image", "Per image (resize the whole image)"),
    ),
    "probability_format": (
        Option("byte", "Byte (0-254, 255 = nodata)"),
        Option("float", "Float32 (0-1)"),
    ),
    "tta": (
        Option("none", "None"),
        Option("flips", "Flips (4 passes)"),
        Option("d4", "Flips and rotations (8 passes)"),
    ),
    "predict_backend": (
        Option("auto", "Auto (ONNX Runtime for .onnx files, TensorFlow for .keras)"),
        Option("tensorflow", "TensorFlow"),
        Option("onnxruntime", "ONNX Runtime (a .keras model is converted once, cached)"),
    ),
    # Set up the engine (engine/runtime/environment.py, engine_choice)
    "setup_backend": (
        Option("auto", "Auto (for this machine's system and GPU)"),
        Option("tensorflow", "TensorFlow only"),
        Option("torch", "PyTorch besides TensorFlow"),
        Option("jax", "JAX besides TensorFlow"),
    ),
    "onnxruntime_package": (
        Option("auto", "Auto (for this machine's system and GPU)"),
        Option("onnxruntime", "onnxruntime (CPU; CoreML on macOS)"),
        Option("onnxruntime-gpu", "onnxruntime-gpu (NVIDIA, CUDA)"),
        Option("onnxruntime-directml", "onnxruntime-directml (Windows, any DirectX 12 GPU)"),
        Option("onnxruntime-openvino", "onnxruntime-openvino (Intel)"),
    ),
    "nvidia_gpu": (
        Option("auto", "Auto (look for the NVIDIA driver)"),
        Option("yes", "Yes"),
        Option("no", "No"),
    ),
    # Evaluate
    "evaluate_mode": (
        Option("global", "Global confusion matrix"),
        Option("per_image", "Per-image mean"),
    ),
}

_DEFAULTS = {
    "model": catalog.DEFAULT_DECODER,
    "encoder": catalog.DEFAULT_ENCODER,
    "output_stride": str(catalog.DEFAULT_OUTPUT_STRIDE),
    "color_map": "voc",
    "lr_mode": "none",
}

# Labels that are proper names or numbers: shown as they are, never translated.
UNTRANSLATED = frozenset({"model", "encoder", "output_stride", "color_map"})


def _color_maps():
    """The shipped presets: the JSON file stems in resources/colormaps."""
    if not os.path.isdir(COLORMAP_FOLDER):
        return ()
    stems = sorted(os.path.splitext(f)[0] for f in os.listdir(COLORMAP_FOLDER)
                   if f.endswith(".json"))
    return tuple(Option(s, _COLOR_MAP_LABELS.get(s, s)) for s in stems)


def keys():
    """Every option set this module knows."""
    return sorted({*_TABLES, "model", "encoder", "output_stride", "color_map"})


def choices(key):
    """The (name, English label) rows of option set ``key``, in display order."""
    if key in _TABLES:
        return _TABLES[key]
    if key == "model":
        return tuple(Option(n, catalog.title(n)) for n in catalog.DECODERS)
    if key == "encoder":
        return tuple(Option(n, catalog.title(n)) for n in catalog.ENCODERS)
    if key == "output_stride":
        return tuple(Option(str(s), str(s)) for s in (8, 16, 32))
    if key == "color_map":
        return _color_maps()
    raise KeyError(f"No option set {key!r}; known: {', '.join(keys())}.")


def names(key):
    """The names (the values a parameter takes) of option set ``key``."""
    return [option.name for option in choices(key)]


def labels(key):
    """The English labels of option set ``key``, aligned with :func:`names`."""
    return [option.label for option in choices(key)]


def default(key):
    """The name a parameter of option set ``key`` starts with (the first, unless set)."""
    valid = names(key)
    name = _DEFAULTS.get(key)
    return name if name in valid else (valid[0] if valid else None)


def check(key, value, parameter):
    """``value`` if it names an option of ``key``, else InputError listing the valid names."""
    valid = names(key)
    if value not in valid:
        raise InputError("{name} {value} is not valid; choose one of {valid}.",
                         name=parameter, value=repr(value), valid=", ".join(valid))
    return value



def check_network(model, encoder, output_stride=None):
    """InputError when MODEL + ENCODER (at OUTPUT_STRIDE) cannot be built: the
    catalog's one check (``catalog.pair_problem``), raised as the engine's error."""
    problem = catalog.pair_problem(model, encoder, output_stride)
    if problem:
        template, values = problem  # templates checked in tests/models/test_catalog.py
        raise InputError(template, **values)


def job_params(cls, values, task, lower=False):
    """The keyword arguments of dataclass ``cls`` that a job's ``values`` (a JSON
    object) give: InputError naming the ``task`` and the unknown keys when one is
    no field of ``cls``. ``lower``: keys are case-insensitive (TRAIN's
    ``{"EPOCHS": 3}``). InputError too when a field without a default is not
    given. The one check of a job's keys for every task."""
    if not isinstance(values, dict):
        raise InputError("The {task} job's params must be a JSON object.", task=task)
    known = {field.name for field in dataclasses.fields(cls)}
    given = {str(k).lower() if lower else k: v for k, v in values.items()}
    unknown = sorted(set(given) - known)
    if unknown:
        raise InputError("Unknown {task} parameter(s) {unknown}; valid: {known}.",
                         task=task, unknown=", ".join(map(str, unknown)),
                         known=", ".join(sorted(known)))
    missing = [field.name for field in dataclasses.fields(cls)
               if field.name not in given and field.default is dataclasses.MISSING
               and field.default_factory is dataclasses.MISSING]
    if missing:
        raise InputError("The {task} job needs the parameter(s) {missing}.",
                         task=task, missing=", ".join(missing))
    return given
