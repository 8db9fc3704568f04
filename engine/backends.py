"""Keras's backend for a job (TensorFlow, PyTorch or JAX) and the devices each one sees.

The user chooses with the Processing setting "Engine backend" (``auto``,
``tensorflow``, ``torch``, ``jax``), which the plugin passes to the engine's
process as the environment variable :data:`SETTING_ENV`; an explicit
``KERAS_BACKEND`` in the environment overrides it, as Keras users expect.
``auto`` is the backend Set up the engine chose for this machine (it records
it in the environment, :data:`RECORD`: PyTorch's CUDA build on Windows with an
NVIDIA GPU, PyTorch on macOS), else TensorFlow where it is installed, else the
first of PyTorch and JAX that is. :func:`select` sets ``KERAS_BACKEND`` accordingly: the worker calls
it before anything imports Keras (Keras reads the variable once, when it is
first imported).

Train Model and Predict Raster run on any of the three (the model files are
the same on each); Export Model converts on TensorFlow whatever the setting
(:data:`TENSORFLOW_TASKS`: tf2onnx converts a TensorFlow graph).

Standard library at import (QGIS's process reads :data:`CHOICES`); a backend
is imported only by :func:`devices` and :func:`describe`, which run in the
engine's process (a job, or the self-check).
"""

import importlib
import importlib.util
import os
import sys

from .errors import InputError

KERAS_BACKENDS = ("tensorflow", "torch", "jax")
CHOICES = ("auto",) + KERAS_BACKENDS
# The setting's value as the plugin passes it to the engine's process.
SETTING_ENV = "SEMSEG_BACKEND"
KERAS_ENV = "KERAS_BACKEND"
# The distribution to install for each backend (the CPU build; Set up the engine
# chooses the GPU builds, runtime/environment.py).
PACKAGES = {"tensorflow": "tensorflow-cpu", "torch": "torch", "jax": "jax"}
TITLES = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}


def installed(name, find_spec=importlib.util.find_spec):
    """Is the module ``name`` importable here (found, not imported)?"""
    try:
        return find_spec(name) is not None
    except (ImportError, ValueError):
        return False


# The file in the engine's environment (sys.prefix) naming the backend Set up
# the engine chose for this machine.
RECORD = "semseg-backend.txt"


def recorded(prefix=None):
    """The backend recorded in the environment at ``prefix`` (default this
    Python's), or "" where there is none."""
    try:
        with open(os.path.join(prefix or sys.prefix, RECORD), encoding="utf-8") as f:
            name = f.read().strip().lower()
    except OSError:
        return ""
    return name if name in KERAS_BACKENDS else ""


def record(prefix, backend):
    """Record ``backend`` as the one ``auto`` means in the environment at ``prefix``."""
    with open(os.path.join(prefix, RECORD), "w", encoding="utf-8") as f:
        f.write(backend + "\n")


def choose(setting=None, environ=None, is_installed=None, chosen=None):
    """``(backend, source)``: the Keras backend a job runs on.

    ``source`` is "environment" (``KERAS_BACKEND`` was set), "setting" or
    "auto". ``setting``: the Engine backend setting (default: the
    :data:`SETTING_ENV` variable of ``environ``, else "auto"); ``chosen``: the
    backend Set up the engine recorded (default :func:`recorded`). InputError for
    an unknown backend, or a named one that is not installed. With ``auto``
    and no backend installed, TensorFlow (an ONNX-only engine needs none; a
    job that imports Keras then says what is missing).
    """
    environ = os.environ if environ is None else environ
    is_installed = is_installed or installed
    explicit = str(environ.get(KERAS_ENV) or "").strip().lower()
    if explicit:
        name, source = explicit, "environment"
    else:
        if setting is None:
            setting = environ.get(SETTING_ENV)
        name, source = str(setting or "").strip().lower() or "auto", "setting"
    if name == "auto":
        chosen = recorded() if chosen is None else chosen
        if chosen and is_installed(chosen):
            return chosen, "auto"
        return next((b for b in KERAS_BACKENDS if is_installed(b)), "tensorflow"), "auto"
    if name not in KERAS_BACKENDS:
        if source == "environment":
            raise InputError("KERAS_BACKEND is {backend}; the engine runs on one of {choices}: "
                             "unset it or name one of them.", backend=name,
                             choices=", ".join(KERAS_BACKENDS))
        raise InputError("Unknown engine backend {backend}; choose one of {choices}.",
                         backend=name, choices=", ".join(CHOICES))
    if not is_installed(name):
        if source == "environment":
            raise InputError("KERAS_BACKEND names {backend}, which is not installed in the "
                             "engine's Python {python}: install {package} there, or unset "
                             "KERAS_BACKEND.", backend=name, python=sys.executable,
                             package=PACKAGES[name])
        raise InputError("The Engine backend setting is {backend}, which is not installed in "
                         "the engine's Python {python}: install {package} there (Set up the "
                         "engine, Backend {backend}), or set Engine backend to auto.",
                         backend=name, python=sys.executable, package=PACKAGES[name])
    return name, source


def select(setting=None, environ=None, is_installed=None):
    """:func:`choose`, then ``KERAS_BACKEND`` set to the backend in ``environ``
    (default ``os.environ``), for Keras to read when it is imported. JAX is
    told not to take 75 % of the GPU's memory at its start (unless the
    environment says otherwise), as TensorFlow's memory grows on demand:
    Predict Raster sizes its batch from the memory still free after."""
    environ = os.environ if environ is None else environ
    backend, source = choose(setting, environ, is_installed)
    environ[KERAS_ENV] = backend
    if backend == "jax":
        environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    return backend, source


# The worker's tasks that run on TensorFlow whatever the setting, by the
# algorithm's name: Export Model (tf2onnx converts a TensorFlow graph; a model
# file trained on any backend loads on TensorFlow).
TENSORFLOW_TASKS = {"export": "Export Model"}


def select_for_task(task, setting=None, environ=None, is_installed=None):
    """:func:`select` for the worker's ``task``: TensorFlow for the tasks of
    :data:`TENSORFLOW_TASKS` (InputError, naming the task, where it is not
    installed), else the user's choice."""
    if task not in TENSORFLOW_TASKS:
        return select(setting, environ, is_installed)
    environ = os.environ if environ is None else environ
    if not (is_installed or installed)("tensorflow"):
        raise InputError("{task} converts the model on TensorFlow (tf2onnx), which is not "
                         "installed in the engine's Python {python}: install {package} "
                         "there (Set up the engine installs it).",
                         task=TENSORFLOW_TASKS[task], python=sys.executable,
                         package=PACKAGES["tensorflow"])
    environ[KERAS_ENV] = "tensorflow"
    return "tensorflow", "task"


# ---------------------------------------------------------------- devices (imports the backend)
def _mb(value):
    try:
        return int(value) >> 20 if value else None
    except (TypeError, ValueError):
        return None


def _cpu():
    return {"type": "CPU", "name": "CPU", "memory_mb": None}


def _tensorflow_devices():
    from . import devices as driver, tensorflow_only

    smi, found = driver.nvidia_gpus(), []
    for index, gpu in enumerate(tensorflow_only.gpus()):
        found.append({"type": "GPU", "name": gpu["name"] or gpu["device"],
                      "memory_mb": smi[index][1] if index < len(smi) else None})
    return found + [_cpu()]


def _torch_devices():
    import torch

    found = []
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            props = torch.cuda.get_device_properties(index)
            found.append({"type": "GPU", "name": props.name,
                          "memory_mb": _mb(props.total_memory)})
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        found.append({"type": "MPS", "name": "Apple MPS", "memory_mb": None})
    return found + [_cpu()]


def _jax_devices():
    import jax

    found, cpu = [], False
    for device in jax.devices():
        platform = str(device.platform).lower()
        kind = {"gpu": "GPU", "cuda": "GPU", "rocm": "GPU", "metal": "MPS",
                "tpu": "TPU"}.get(platform, "CPU")
        cpu = cpu or kind == "CPU"
        try:
            stats = device.memory_stats() or {}
        except Exception:  # not every device reports memory
            stats = {}
        found.append({"type": kind, "name": "CPU" if kind == "CPU" else
                      getattr(device, "device_kind", "") or platform,
                      "memory_mb": _mb(stats.get("bytes_limit"))})
    return found if cpu else found + [_cpu()]


_DEVICES = {"tensorflow": _tensorflow_devices, "torch": _torch_devices, "jax": _jax_devices}


def version(backend):
    """The installed version of ``backend`` (imports it)."""
    return str(getattr(importlib.import_module(backend), "__version__", ""))


def devices(backend):
    """``[{"type": "GPU" | "MPS" | "TPU" | "CPU", "name", "memory_mb"}]``: what
    ``backend`` can run on, accelerators first, the CPU last. Imports it."""
    return _DEVICES[backend]()


def device_text(device):
    """'GPU NVIDIA H100 80GB HBM3 (79.6 GiB)', 'CPU'."""
    text = device["type"] if device["name"] in ("", device["type"]) else \
        f"{device['type']} {device['name']}"
    if device.get("memory_mb"):
        text += f" ({device['memory_mb'] / 1024:.1f} GiB)"
    return text


def describe(backend):
    """``{"backend", "version", "device", "device_type"}``: the backend a job runs
    on, and the device it uses first (the first accelerator, else the CPU), as
    text and as its type ("GPU", "MPS", "TPU", "CPU")."""
    found = devices(backend)
    return {"backend": backend, "version": version(backend), "device": device_text(found[0]),
            "device_type": found[0]["type"]}


def log_backend(progress, backend=None):
    """Log one line: Keras, the backend and its version, the device (imports them)."""
    import keras

    backend = backend or keras.backend.backend()
    facts = describe(backend)
    progress.info("Keras {keras} on {title} {version}; device: {device}.",
                  keras=keras.__version__, title=TITLES.get(backend, backend),
                  version=facts["version"], device=facts["device"])
    return facts
