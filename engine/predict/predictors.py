"""The network call behind one seam: a predictor maps a float32 NHWC batch to
float32 NHWC class probabilities.

A *predictor* is any callable ``predictor(batch) -> probabilities`` where
``batch`` is a C-contiguous float32 array (n, height, width, bands) of
normalised pixels and the result is float32 (n, height, width, classes).
:class:`KerasPredictor` is Keras on TensorFlow, :class:`KerasOpsPredictor`
Keras on PyTorch or JAX (engine/backends.py chooses); another backend
(ONNX Runtime: onnx_backend.OnnxPredictor) is one more class with the same
call, chosen in :func:`load_predictor` (:func:`resolve_backend`: "auto" runs an
``.onnx`` file with ONNX Runtime, a ``.keras`` file with Keras: its backend
"tensorflow" means Keras on whichever backend the job runs). Everything around
it is backend-free NumPy:

- :class:`Halving` runs batches of at most ``batch`` windows and, when the
  backend runs out of memory (:func:`is_out_of_memory`), halves the batch
  and retries (down to one window; then the error stands).
- :func:`predict_tta` averages the probabilities of 1 (``none``), 4
  (``flips``) or 8 (``d4``: the dihedral group) transformed copies, each pass
  a batch of at most ``batch`` windows, so the memory bound stays one batch.
"""

import hashlib
import os

import numpy as np

from .. import devices
from ..errors import InputError


class OutOfMemory(RuntimeError):
    """A backend could not allocate a batch (raised by backends that have no
    error type of their own for it)."""


# Exception class names that mean "the batch did not fit", whatever the backend.
_OOM_NAMES = {"ResourceExhaustedError", "OutOfMemoryError", "OutOfMemory"}


def is_out_of_memory(exc):
    """True when ``exc`` says a batch did not fit in (device) memory (JAX says
    so only in the message of its XlaRuntimeError)."""
    return any(t.__name__ in _OOM_NAMES for t in type(exc).__mro__) or \
        isinstance(exc, MemoryError) or \
        (type(exc).__name__ == "XlaRuntimeError" and "RESOURCE_EXHAUSTED" in str(exc))


class KerasPredictor:
    """The TensorFlow backend: one ``tf.function`` with a fixed window shape and
    a free batch dimension, so it is traced once whatever the batch size
    (tensorflow_only.window_forward)."""

    backend = "tensorflow"

    def __init__(self, model, input_shape, bands):
        from .. import tensorflow_only

        self.model = model
        self._forward = tensorflow_only.window_forward(model, input_shape, bands)

    def __call__(self, batch):
        return self._forward(batch)


class KerasOpsPredictor:
    """PyTorch or JAX (Keras's other backends): ``model.predict_on_batch``,
    which runs the network in inference mode without gradients (JAX compiles
    it once per batch shape), and returns NumPy."""

    def __init__(self, model, backend):
        self.model = model
        self.backend = backend

    def __call__(self, batch):
        y = self.model.predict_on_batch(np.ascontiguousarray(batch, np.float32))
        if isinstance(y, (list, tuple)):
            y = y[0]
        return np.asarray(y, dtype=np.float32)


def keras_predictor(model, input_shape, bands):
    """The predictor of a loaded Keras ``model`` on the backend Keras runs on."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        return KerasPredictor(model, input_shape, bands)
    return KerasOpsPredictor(model, backend)


BACKENDS = ("tensorflow", "onnxruntime")
CACHE_ENV = "SEMSEG_ONNX_CACHE"


def resolve_backend(model_path, backend="auto"):
    """The backend that runs ``model_path``: "auto" is ONNX Runtime for an
    ``.onnx`` file and TensorFlow for a ``.keras`` one. TensorFlow cannot run
    an ONNX file (InputError)."""
    from ..formats.onnx_backend import is_onnx

    backend = backend or "auto"
    if backend == "auto":
        return "onnxruntime" if is_onnx(model_path) else "tensorflow"
    if backend not in BACKENDS:
        raise InputError("Unknown prediction backend {backend}.", backend=backend)
    if backend == "tensorflow" and is_onnx(model_path):
        raise InputError("TensorFlow cannot run the ONNX file {model}: set BACKEND to auto "
                         "or onnxruntime, or give the .keras model file.", model=model_path)
    return backend


def gpu_present(backend="tensorflow"):
    """True when the backend sees an NVIDIA GPU (the one whose free memory
    :func:`gpu_budget` reads). ``backend`` "tensorflow" is Keras, on whichever
    backend it runs (TensorFlow: memory growth switched on for each GPU;
    PyTorch: CUDA; JAX: a GPU device); ONNX Runtime: its CUDA provider."""
    if backend == "onnxruntime":
        from ..formats.onnx_backend import available_providers

        return "CUDAExecutionProvider" in available_providers()
    import keras

    if keras.backend.backend() == "torch":
        import torch

        return bool(torch.cuda.is_available())
    if keras.backend.backend() == "jax":
        import jax

        return any(d.platform == "gpu" for d in jax.devices())
    from .. import tensorflow_only

    return tensorflow_only.grow_gpu_memory()


# Share of a GPU's free memory the batch may plan on (the rest: the model's
# weights, cuDNN workspaces, fragmentation); a batch that still does not fit is
# halved (Halving).
GPU_FREE_SHARE = 0.6


def gpu_budget(default=None):
    """Bytes a GPU batch may use: :data:`GPU_FREE_SHARE` of the GPU's free
    memory, or ``default`` when that is unknown. It may only lower the plan's
    batch (window_plan.WindowPlan.lower_batch), never change the plan."""
    free = devices.gpu_free_bytes()
    if free:
        return int(free * GPU_FREE_SHARE)
    return None if default is None else int(default)


def cache_folder():
    """Where converted ONNX files are kept: $SEMSEG_ONNX_CACHE, else
    ``$XDG_CACHE_HOME/semantic_segmentation/onnx`` (``~/.cache`` by default;
    ``%LOCALAPPDATA%`` on Windows). Never beside the user's model file."""
    folder = os.environ.get(CACHE_ENV)
    if folder:
        return folder
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if os.name == "nt" else None) or \
        os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "semantic_segmentation", "onnx")


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def converted_onnx(model_path, progress=None):
    """A plain (NHWC, any size) ONNX copy of the ``.keras`` file ``model_path``,
    converted once (onnx_export, which loads TensorFlow) and cached by the
    file's SHA-256 in :func:`cache_folder`; its path."""
    from . import onnx_export
    from ..progress import ensure

    progress = ensure(progress)
    folder = cache_folder()
    path = os.path.join(folder, file_sha256(model_path) + onnx_export.SUFFIX)
    if os.path.isfile(path):
        progress.info("Using the ONNX copy of {model} converted before: {path}.",
                      model=model_path, path=path)
        return path
    os.makedirs(folder, exist_ok=True)
    progress.info("Converting {model} to ONNX once; the copy is kept in {folder}.",
                  model=model_path, folder=folder)
    onnx_export.export(onnx_export.ExportParams(model=model_path, output=path,
                                                deepness=False), progress.sub(0.0, 0.0))
    return path


def load_predictor(model_path, input_shape, bands, backend="tensorflow", progress=None):
    """``(predictor, metadata)`` for a model file; the one place a backend is chosen.

    ``backend`` "onnxruntime": an ``.onnx`` file runs as it is; a ``.keras`` file
    is converted once (:func:`converted_onnx`). "tensorflow" loads no ONNX
    Runtime, "onnxruntime" no TensorFlow (unless it has to convert)."""
    backend = resolve_backend(model_path, backend)
    from ..formats import modelfile

    if backend == "onnxruntime":
        from ..formats.onnx_backend import OnnxPredictor, is_onnx

        meta = modelfile.read_metadata(model_path)
        path = model_path if is_onnx(model_path) else converted_onnx(model_path, progress)
        predictor = OnnxPredictor(path)
        if predictor.bands is not None and predictor.bands != int(bands):
            raise InputError("The model {model} takes {n_model} band(s), not {bands}.",
                             model=model_path, n_model=predictor.bands, bands=bands)
        if predictor.tile_size is not None and \
                tuple(predictor.tile_size) != tuple(int(s) for s in input_shape):
            raise InputError("The model takes windows of {height} x {width} pixels, not "
                             "{got_h} x {got_w}.", height=predictor.tile_size[0],
                             width=predictor.tile_size[1], got_h=input_shape[0],
                             got_w=input_shape[1])
        return predictor, meta
    model, meta = modelfile.load_model(model_path)
    return keras_predictor(model, input_shape, bands), meta


class Halving:
    """Runs a predictor over batches of at most ``batch`` windows, halving the
    batch on out-of-memory. ``halvings`` counts how often it did."""

    def __init__(self, predictor, batch, progress=None):
        self.predictor = predictor
        self.batch = max(1, int(batch))
        self.halvings = 0
        self.progress = progress

    def __call__(self, x):
        parts, start = [], 0
        while start < len(x):
            chunk = x[start:start + self.batch]
            try:
                parts.append(self.predictor(chunk))
            except Exception as exc:
                if not is_out_of_memory(exc) or self.batch == 1:
                    raise
                self.batch //= 2
                self.halvings += 1
                if self.progress is not None:
                    self.progress.info("Out of memory: batch size halved to {batch}.",
                                       batch=self.batch)
                continue
            start += len(chunk)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


# ---------------------------------------------------------------- test-time augmentation
# A transform is (transpose, flip rows, flip columns), applied in that order to
# (height, width) axes; the inverse undoes them in reverse order.
_FLIPS = ((False, False, False), (False, False, True), (False, True, False),
          (False, True, True))
TTA_TRANSFORMS = {
    "none": ((False, False, False),),
    "flips": _FLIPS,
    "d4": _FLIPS + tuple((True, r, c) for _, r, c in _FLIPS),
}


def apply_transform(x, transform):
    """``x`` (..., h, w, c) transformed: transpose, then flips."""
    transpose, rows, cols = transform
    if transpose:
        x = np.swapaxes(x, -3, -2)
    if rows:
        x = x[..., ::-1, :, :]
    if cols:
        x = x[..., :, ::-1, :]
    return x


def invert_transform(y, transform):
    """Undo :func:`apply_transform` on a prediction ``y`` (..., h, w, classes)."""
    transpose, rows, cols = transform
    if cols:
        y = y[..., :, ::-1, :]
    if rows:
        y = y[..., ::-1, :, :]
    if transpose:
        y = np.swapaxes(y, -3, -2)
    return y


def predict_tta(run, x, tta="none", batch=None):
    """Probabilities of windows ``x`` (n, h, w, bands) averaged over the
    transforms of ``tta``; ``run`` is a predictor (or a :class:`Halving`).

    Passes of at most ``batch`` windows (default ``len(x)``): with fewer
    windows than ``batch`` (per-image mode), transformed copies share a pass.
    """
    transforms = TTA_TRANSFORMS[tta]
    if len(transforms) == 1:
        return run(np.ascontiguousarray(x, np.float32))
    n = len(x)
    batch = max(1, int(batch or n))
    pairs = [(t, i) for t in transforms for i in range(n)]
    total = None
    for s in range(0, len(pairs), batch):
        chunk = pairs[s:s + batch]
        xb = np.stack([apply_transform(x[i], t) for t, i in chunk]).astype(np.float32,
                                                                           copy=False)
        yb = run(np.ascontiguousarray(xb))
        if total is None:
            total = np.zeros((n,) + invert_transform(yb[0], chunk[0][0]).shape, np.float32)
        for (t, i), y in zip(chunk, yb):
            total[i] += invert_transform(y, t)
    total *= np.float32(1.0 / len(transforms))
    return total
