"""The engine's self-check: ``python -m <package>.engine --status`` prints one JSON object.

It runs in the engine's Python (never in QGIS's process: it imports
TensorFlow) and never fails for a missing package: what cannot be imported
is listed in ``missing`` and its version is "". Fields:

- ``python``, ``python_version``, ``os``: the interpreter and the system,
- ``tensorflow``, ``keras``, ``keras_backend``, ``numpy``, ``gdal``: versions or "",
- ``devices``: ``{"type": "CPU" | "GPU", "name": str, "memory_mb": int | None,
  "tensorflow": bool}`` for the CPU and each GPU (``tensorflow``: TensorFlow
  sees it),
- ``backend``: the Keras backend a job would run on (engine/backends.py:
  the Engine backend setting, or KERAS_BACKEND) and ``backend_source``
  ("environment", "setting", "auto"); "" with a problem when it cannot,
- ``backends``: ``{name: {"version": str, "devices": [{"type": "GPU" | "MPS" |
  "TPU" | "CPU", "name", "memory_mb"}], "error": str}}`` for each of
  TensorFlow, PyTorch and JAX that is installed (each imported here, guarded:
  one that fails to import has an ``error`` and no devices),
- ``onnxruntime``: its version or "", ``onnx_providers``: the execution
  providers Predict Raster would use, best first (formats/onnx_backend.py),
- ``missing``: top-level names of the modules that cannot be imported,
- ``problems``: other obstacles, each ``{"message", "template", "values"}`` as
  in the worker protocol (worker.py),
- ``ready``: True when training can run (TensorFlow, Keras 3 on TensorFlow,
  NumPy 1.x and GDAL's Python bindings all import). PyTorch, JAX and ONNX
  Runtime are optional: never ``missing``.
"""

import importlib
import json
import os
import platform
import sys

from .. import backends, devices
from ..errors import SegError
from ..jsonable import message_fields

def _import(name, status):
    """The module ``name``, or None after noting why it cannot be imported."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        missing = (exc.name or name).split(".")[0]
        if missing not in status["missing"]:
            status["missing"].append(missing)
    except Exception as exc:  # a broken install: say so, and go on checking
        status["problems"].append(message_fields(SegError(
            "Importing {module} failed: {error}", module=name,
            error=f"{type(exc).__name__}: {exc}")))
    return None


def _major(version):
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return None


def cpu_device():
    """The CPU: its model name and the machine's RAM (from /proc on Linux)."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith(("model name", "hardware")):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory_mb = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    memory_mb = int(line.split()[1]) // 1024
                    break
    except (OSError, ValueError, IndexError):
        try:  # macOS and other Unix systems
            memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
        except (AttributeError, ValueError, OSError):
            memory_mb = None
    return {"type": "CPU", "name": name, "memory_mb": memory_mb, "tensorflow": True,
            "cores": os.cpu_count()}


def gpu_devices(tensorflow):
    """The GPUs: those TensorFlow sees (when ``tensorflow``: it imports), else
    those nvidia-smi lists."""
    smi = devices.nvidia_gpus()
    gpus = []
    if tensorflow:
        from .. import tensorflow_only

        for index, gpu in enumerate(tensorflow_only.gpus()):
            name = gpu["name"] or (smi[index][0] if index < len(smi) else gpu["device"])
            memory = smi[index][1] if index < len(smi) else None
            gpus.append({"type": "GPU", "name": name, "memory_mb": memory,
                         "tensorflow": True})
    if not gpus:
        gpus = [{"type": "GPU", "name": name, "memory_mb": memory, "tensorflow": False}
                for name, memory in smi]
    return gpus


def backend_facts(name):
    """``{"version", "devices", "error"}`` of one installed Keras backend; never raises."""
    try:
        return {"version": backends.version(name), "devices": backends.devices(name),
                "error": ""}
    except Exception as exc:  # a broken install: report it, check the others
        return {"version": "", "devices": [], "error": f"{type(exc).__name__}: {exc}"}


def onnx_facts(status):
    """ONNX Runtime's version and providers into ``status``; never raises."""
    try:
        import onnxruntime

        from ..formats.onnx_backend import available_providers

        status["onnxruntime"] = str(onnxruntime.__version__)
        status["onnx_providers"] = available_providers()
    except ImportError:
        pass
    except Exception as exc:  # a broken install: say so
        status["problems"].append(message_fields(SegError(
            "Importing {module} failed: {error}", module="onnxruntime",
            error=f"{type(exc).__name__}: {exc}")))


def collect():
    """The self-check, as a JSON-able dict (see the module's docstring)."""
    status = {"python": sys.executable, "python_version": platform.python_version(),
              "os": platform.platform(), "tensorflow": "", "keras": "", "keras_backend": "",
              "numpy": "", "gdal": "", "devices": [], "missing": [], "problems": [],
              "backend": "", "backend_source": "", "backends": {}, "onnxruntime": "",
              "onnx_providers": [], "ready": False}
    try:  # before Keras is imported: it reads KERAS_BACKEND once
        status["backend"], status["backend_source"] = backends.select()
    except SegError as exc:
        status["problems"].append(message_fields(exc))
    numpy = _import("numpy", status)
    if numpy is not None:
        status["numpy"] = numpy.__version__
        if (_major(numpy.__version__) or 0) >= 2:
            status["problems"].append(message_fields(SegError(
                "NumPy {version} is installed; GDAL's Python bindings here are built for "
                "NumPy 1.x: install numpy<2.", version=numpy.__version__)))
    gdal = _import("osgeo.gdal", status)
    if gdal is not None:
        status["gdal"] = gdal.__version__
    tensorflow = _import("tensorflow", status) is not None
    if tensorflow:
        from .. import tensorflow_only

        status["tensorflow"] = tensorflow_only.version()
    keras = _import("keras", status)
    if keras is not None:
        status["keras"] = keras.__version__
        status["keras_backend"] = keras.backend.backend()
        if (_major(keras.__version__) or 0) < 3:
            status["problems"].append(message_fields(SegError(
                "Keras {version} is installed; the engine needs Keras 3.",
                version=keras.__version__)))
    status["devices"] = [cpu_device()] + gpu_devices(tensorflow)
    for name in backends.KERAS_BACKENDS:
        if backends.installed(name):
            status["backends"][name] = backend_facts(name)
    onnx_facts(status)
    status["ready"] = not status["missing"] and not status["problems"]
    return status


def main():
    """Print the self-check as one JSON line on stdout; library chatter goes to stderr."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        status = collect()
    finally:
        sys.stdout = stdout
    stdout.write(json.dumps(status) + "\n")
    stdout.flush()
    return 0
