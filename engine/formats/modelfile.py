"""The self-describing model file: a Keras ``.keras`` archive plus our metadata.

A ``.keras`` file is a zip archive (``config.json``, ``metadata.json``,
``model.weights.h5``). Train Model adds one more entry, ``semseg.json``, with
everything Predict Raster and Evaluate need besides the network: class values,
names and colours, band count and order, normalisation statistics, tile size,
model and encoder names and a training summary.

The deployable file is lean: it holds the network and its weights, never
the optimizer's state (``save_model`` saves an uncompiled copy). Resuming a
run uses the *checkpoint* instead: ``<model>.resume.keras`` beside the model
file (``checkpoint_path``), a model file of the same kind with three more
entries -- ``semseg_resume.json`` (epoch counter, step, best epoch and the
history so far, the run's settings), ``semseg_optimizer.npz`` (the
optimizer's variables: its step counter, hence the learning-rate schedule's
position, and its moments) and, when the best epoch is not the last one,
``semseg_best.npz`` (the best weights so far). Train Model writes it after
every epoch and removes it once the model file is written.

``read_metadata`` uses only zipfile and json, so QGIS may call it in-process
to style outputs; ``save_model`` and ``load_model`` import Keras (worker side).
``load_model`` inspects the archive's ``config.json`` before deserialising:
Lambda layers and classes that are neither Keras built-ins nor our registered
``semseg>`` layers are refused, then Keras loads the file in safe mode.
"""

import datetime
import io
import json
import os
import zipfile

import numpy as np

from .. import outputs
from ..errors import InputError
from ..jsonable import jsonable

FORMAT = "semseg-model"
VERSION = 1
METADATA_ENTRY = "semseg.json"
RESUME_ENTRY = "semseg_resume.json"
OPTIMIZER_ENTRY = "semseg_optimizer.npz"
BEST_WEIGHTS_ENTRY = "semseg_best.npz"
CHECKPOINT_SUFFIX = ".resume.keras"
KERAS_CONFIG_ENTRY = "config.json"
SUFFIX = ".keras"
# The most bytes a JSON entry may unpack to, checked from the zip's directory
# before it is read: semseg.json is a few KB (QGIS reads it in-process to style
# outputs); the Keras config and the resume state, read on the worker side,
# grow with the network and the epochs but stay far below theirs.
MAX_METADATA_BYTES = 1 << 20
MAX_ENTRY_BYTES = {METADATA_ENTRY: MAX_METADATA_BYTES, RESUME_ENTRY: 16 << 20,
                   KERAS_CONFIG_ENTRY: 16 << 20}

# Distinct colours for classes without a colour of their own (QGIS-like palette).
PALETTE = (
    (31, 120, 180), (227, 26, 28), (51, 160, 44), (255, 127, 0), (106, 61, 154),
    (177, 89, 40), (166, 206, 227), (251, 154, 153), (178, 223, 138), (253, 191, 111),
    (202, 178, 214), (255, 255, 153), (0, 128, 128), (128, 0, 64), (128, 128, 0),
    (0, 0, 128), (64, 64, 64), (192, 192, 192), (255, 0, 255), (0, 255, 255),
)

# Serialisation helpers of Keras's own format that are not classes to import.
_KERAS_SPECIALS = {"__tuple__", "__numpy__", "__bytes__", "__ellipsis__", "__slice__",
                   "__tensor__", "__typespec__", "__keras_tensor__", "function"}
_REFUSED = {"Lambda", "__lambda__", "TFOpLambda", "SlicingOpLambda"}


# ---------------------------------------------------------------- metadata
def plugin_version():
    """The plugin's version from metadata.txt (``version=`` line), or "unknown"."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "metadata.txt")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition("=")
                if key.strip() == "version" and value.strip():
                    return value.strip()
    except OSError:
        pass
    return "unknown"


def default_color(index):
    """A distinct colour for the ``index``-th class, as [r, g, b]."""
    return list(PALETTE[index % len(PALETTE)])


def class_entries(values, class_names=None, class_colors=None):
    """``[{"value", "name", "color"}]`` for model channels 0..n-1.

    ``class_names`` / ``class_colors``: dicts keyed by class value (as str or
    int), as in dataset.json; missing ones get "class N" and the palette.
    """
    names = {str(k): v for k, v in (class_names or {}).items()}
    colors = {str(k): v for k, v in (class_colors or {}).items()}
    entries = []
    for i, value in enumerate(values):
        key = str(int(value))
        color = colors.get(key)
        color = [int(c) for c in color][:3] if color else default_color(i)
        entries.append({"value": int(value), "name": str(names.get(key) or f"class {key}"),
                        "color": color})
    return entries


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds")


# ---------------------------------------------------------------- save
def save_model(model, path, metadata, extra_entries=None):
    """Write ``model`` with ``metadata`` to ``path`` (a ``.keras`` file), atomically.

    The file holds no optimizer state (see :func:`lean_copy`);
    ``extra_entries`` (name -> str or bytes) are added to the archive.

    Keras writes the archive under the partial name (which keeps the
    ``.keras`` suffix Keras insists on), ``semseg.json`` is appended to the
    zip, and only then is the file renamed into place. On any failure
    (cancel included) the partial file is removed and ``path`` is untouched.
    """
    path = os.fspath(path)
    if not path.lower().endswith(SUFFIX):
        raise InputError("The model file {path} must have the {suffix} extension.",
                         path=path, suffix=SUFFIX)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    meta = {"format": FORMAT, "version": VERSION}
    meta.update(metadata or {})
    meta.setdefault("plugin_version", plugin_version())
    meta.setdefault("created", now_iso())
    extra = {METADATA_ENTRY: json.dumps(meta, indent=2, default=jsonable)}
    extra.update(extra_entries or {})
    with outputs.writing(path) as partial:
        lean_copy(model).save(partial)
        with zipfile.ZipFile(partial, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in extra.items():
                # arrays (a checkpoint's optimizer state and best weights) stored as
                # they are: deflating 20-30 MB of floats gained little and made
                # the checkpoint after every epoch take 7x Keras's own save
                archive.writestr(name, data, compress_type=(
                    zipfile.ZIP_STORED if isinstance(data, bytes) else zipfile.ZIP_DEFLATED))
    return path


def lean_copy(model, always=False):
    """``model`` itself when it carries no optimizer (unless ``always``), else an
    uncompiled copy with the same weights (Keras 3 saves a compiled model's
    optimizer variables, and ``clone_model`` keeps the optimizer)."""
    if getattr(model, "optimizer", None) is None and not always:
        return model
    import keras

    copy = keras.Model.from_config(model.get_config())
    copy.set_weights(model.get_weights())
    return copy


# ---------------------------------------------------------------- checkpoint
def checkpoint_path(model_path):
    """The resume checkpoint beside ``model_path``: ``<stem>.resume.keras``."""
    model_path = os.fspath(model_path)
    if model_path.lower().endswith(CHECKPOINT_SUFFIX):
        return model_path
    stem = model_path[:-len(SUFFIX)] if model_path.lower().endswith(SUFFIX) else model_path
    return stem + CHECKPOINT_SUFFIX


def _npz_bytes(arrays):
    buffer = io.BytesIO()
    np.savez(buffer, *arrays)
    return buffer.getvalue()


def _npz_arrays(data):
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return [npz[f"arr_{i}"] for i in range(len(npz.files))]


def save_checkpoint(model, path, metadata, state, optimizer_values, best_weights=None):
    """Write a resume checkpoint (atomically): the network, ``metadata``,
    the run's ``state`` (JSON), the optimizer's variable values (in the
    order of ``optimizer.variables``) and optionally the best weights."""
    extra = {RESUME_ENTRY: json.dumps(state, indent=2, default=jsonable),
             OPTIMIZER_ENTRY: _npz_bytes(optimizer_values)}
    if best_weights is not None:
        extra[BEST_WEIGHTS_ENTRY] = _npz_bytes(best_weights)
    return save_model(model, path, dict(metadata, checkpoint=True), extra)


def read_checkpoint(path):
    """``(state, optimizer_values, best_weights or None)`` of a checkpoint."""
    with _open_archive(path) as archive:
        names = archive.namelist()
        if RESUME_ENTRY not in names or OPTIMIZER_ENTRY not in names:
            raise InputError("{path} is not a resume checkpoint: it has no {entry} entry "
                             "(Train Model writes one beside the output model while it "
                             "trains, named like {example}).",
                             path=path, entry=RESUME_ENTRY,
                             example="model" + CHECKPOINT_SUFFIX)
        state = _read_json_entry(archive, RESUME_ENTRY, path)
        try:
            optimizer_values = _npz_arrays(archive.read(OPTIMIZER_ENTRY))
            best = (_npz_arrays(archive.read(BEST_WEIGHTS_ENTRY))
                    if BEST_WEIGHTS_ENTRY in names else None)
        except (ValueError, OSError, zipfile.BadZipFile) as exc:
            raise InputError("The resume checkpoint {path} is corrupt: {error}.",
                             path=path, error=exc) from None
    return state, optimizer_values, best


# ---------------------------------------------------------------- read
def _open_archive(path):
    path = os.fspath(path) if path else path
    if not path:
        raise InputError("No model file was given.")
    if not os.path.exists(path):
        raise InputError("The model file {path} does not exist.",
                         path=path)
    if os.path.isdir(path):
        raise InputError("The model file {path} is a folder, not a Keras model file.",
                         path=path)
    if not zipfile.is_zipfile(path):
        raise InputError("{path} is not a Keras model file (.keras archive).",
                         path=path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError("{path} is not a Keras model file: {error}.",
                         path=path, error=exc) from None
    if KERAS_CONFIG_ENTRY not in archive.namelist():
        archive.close()
        raise InputError("{path} is not a Keras model file: the archive has no "
                         "{keras_config_entry}.",
                         path=path, keras_config_entry=KERAS_CONFIG_ENTRY)
    return archive


def _read_json_entry(archive, entry, path):
    """The JSON of ``entry``, refused unread when the archive says it unpacks
    to more than its cap (zipfile stops at the size the directory declares)."""
    try:
        size = archive.getinfo(entry).file_size
    except KeyError:
        size = 0  # archive.read below names the missing entry
    limit = MAX_ENTRY_BYTES.get(entry, MAX_METADATA_BYTES)
    if size > limit:
        raise InputError("The {entry} entry of the model file {path} unpacks to {size} "
                         "bytes, more than the {limit} bytes allowed: the file was not "
                         "written by Train Model.",
                         entry=entry, path=path, size=size, limit=limit)
    try:
        return json.loads(archive.read(entry).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise InputError("The {entry} entry of the model file {path} is corrupt: {error}.",
                         entry=entry, path=path, error=exc) \
            from None


def read_metadata(path):
    """The metadata dict stored in a model file made by Train Model, or in an
    ONNX file written by Export Model (``.onnx``: its ``semseg`` property, with
    an ``onnx`` entry saying the layout; onnx_backend.read_metadata).

    Needs only zipfile and json (safe inside QGIS). InputError naming the
    file when it is missing, not a Keras archive, or has no valid metadata.
    """
    from . import onnx_backend

    if onnx_backend.is_onnx(path):
        return _checked(onnx_backend.read_metadata(path), path)
    with _open_archive(path) as archive:
        if METADATA_ENTRY not in archive.namelist():
            raise InputError("{path} is a Keras model, but not one made by Train Model: "
                             "no {metadata_entry} metadata.",
                             path=path, metadata_entry=METADATA_ENTRY)
        meta = _read_json_entry(archive, METADATA_ENTRY, path)
    return _checked(meta, path)


def _checked(meta, path):
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise InputError("The {metadata_entry} metadata of {path} is not {format} "
                         "metadata.",
                         metadata_entry=METADATA_ENTRY, path=path, format=FORMAT)
    try:
        version = int(meta.get("version", 0))
    except (TypeError, ValueError):
        raise InputError("The {metadata_entry} metadata of {path} has an invalid version "
                         "{version}.",
                         metadata_entry=METADATA_ENTRY, path=path,
                         version=repr(meta.get("version"))) from None
    if version > VERSION:
        raise InputError("The model file {path} was written by a newer plugin (metadata "
                         "version {version}); update the plugin.",
                         path=path, version=meta.get("version"))
    if not meta.get("classes"):
        raise InputError("The metadata of {path} lists no classes.",
                         path=path)
    _check_class_values(meta["classes"], path)
    return meta


def _check_class_values(classes, path):
    """Class values are label pixel values: whole numbers 0..254, each once (255,
    labels.IGNORE, is the nodata of labels and of Predict Raster's classes)."""
    seen = set()
    for i, entry in enumerate(classes):
        value = entry.get("value", i) if isinstance(entry, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 254 \
                or value in seen:
            raise InputError("The metadata of {path} gives the class value {value}; class "
                             "values must be different whole numbers from 0 to 254 (255 "
                             "marks nodata).",
                             path=path, value=repr(value))
        seen.add(value)


# ---------------------------------------------------------------- load
def unsafe_classes(config):
    """Class names in a Keras config that must not be deserialised.

    Returns a sorted list of ``"module.Class"`` descriptions: Lambda layers and
    anything that is neither a Keras built-in nor a registered ``semseg>``
    object.
    """
    bad = set()

    def visit(node):
        if isinstance(node, dict):
            class_name = node.get("class_name")
            if isinstance(class_name, str):
                module = node.get("module") or ""
                registered = node.get("registered_name") or ""
                if class_name in _REFUSED:
                    bad.add(f"{module + '.' if module else ''}{class_name}")
                elif isinstance(registered, str) and registered.startswith("semseg>"):
                    if not _is_registered(registered):
                        bad.add(registered)
                elif class_name in _KERAS_SPECIALS:
                    if module and not module.startswith("keras") and module != "builtins":
                        bad.add(f"{module}.{class_name}")
                elif not (module == "keras" or module.startswith("keras.")):
                    bad.add(f"{module + '.' if module else ''}{class_name}")
            for key, value in node.items():
                if key != "compile_config":  # never deserialised: load_model(compile=False)
                    visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(config)
    return sorted(bad)


def _is_registered(name):
    import keras

    return keras.saving.get_registered_object(name) is not None


def check_keras_file(path):
    """Refuse a ``.keras`` archive Keras should not deserialise: not a Keras
    archive, an oversized or corrupt ``config.json``, Lambda layers or classes
    other than Keras's and this plugin's (InputError naming the file). Model
    files and encoder-weight files both pass here before Keras loads them."""
    from ...models import registry  # noqa: F401  registers the "semseg>" layers

    with _open_archive(path) as archive:
        config = _read_json_entry(archive, KERAS_CONFIG_ENTRY, path)
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise InputError("{path} is not a Keras model file: its {keras_config_entry} does "
                         "not describe a model.",
                         path=path, keras_config_entry=KERAS_CONFIG_ENTRY)
    bad = unsafe_classes(config)
    if bad:
        raise InputError(
            "The model file {path} contains layers that cannot be loaded safely: {bad}. "
            "Lambda layers and custom classes other than this plugin's are refused; "
            "re-export the model without them.",
            path=path, bad=", ".join(bad))


def load_model(path):
    """``(keras.Model, metadata)`` from a model file made by Train Model.

    The archive's config is checked before Keras sees it; then Keras loads it
    in safe mode without compiling (training code compiles its own).
    """
    meta = read_metadata(path)
    from . import onnx_backend

    if onnx_backend.is_onnx(path):
        raise InputError("{path} is an ONNX file: Keras cannot load it; give the .keras "
                         "model file it was exported from.", path=path)
    import keras

    check_keras_file(path)
    try:
        model = keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as exc:  # Keras raises many kinds; the user needs the file name
        raise InputError("Keras cannot load the model file {path}: {name}: {error}",
                         path=path, name=type(exc).__name__, error=exc) from exc
    n_out = model.outputs[0].shape[-1] if model.outputs else None
    if n_out is not None and n_out != len(meta["classes"]):
        raise InputError("The model file {path} is inconsistent: the network has {n_out} "
                         "output channels but the metadata lists {n_classes} classes.",
                         path=path, n_out=n_out, n_classes=len(meta["classes"]))
    return model, meta
