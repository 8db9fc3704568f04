"""Engine status: what the engine's Python has, in a block to paste into a bug report."""

import platform

from qgis.core import (
    Qgis,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
)

from ..engine.formats.modelfile import plugin_version
from ..seg_plugin.dependencies import self_check, status_message
from ..seg_plugin.engine_setting import python_interpreter
from ..seg_plugin.i18n import tr
from .base import SegAlgorithm


def device_text(device):
    """One device as a line: 'GPU: NVIDIA H100 80GB HBM3, 79.6 GiB'."""
    text = f"{device.get('type', '?')}: {device.get('name') or '?'}"
    if device.get("cores"):
        text += tr(", {0} cores").format(device["cores"])
    if device.get("memory_mb"):
        text += f", {device['memory_mb'] / 1024:.1f} GiB"
    if not device.get("tensorflow", True):
        text += tr(" (not visible to TensorFlow)")
    return text


_TITLES = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}


def backend_text(name, facts):
    """One installed Keras backend as a line: 'PyTorch 2.5.1: GPU NVIDIA H100 (79.6 GiB), CPU'."""
    if facts.get("error"):
        return tr("{0}: cannot be imported ({1})").format(_TITLES.get(name, name),
                                                          facts["error"])
    found = []
    for device in facts.get("devices", []):
        text = device.get("type", "?")
        if device.get("name") and device.get("name") != text:
            text += f" {device['name']}"
        if device.get("memory_mb"):
            text += f" ({device['memory_mb'] / 1024:.1f} GiB)"
        found.append(text)
    return f"{_TITLES.get(name, name)} {facts.get('version', '')}: " + ", ".join(found)


def backend_lines(status):
    """The Keras backend a job runs on, each installed backend with its devices,
    and ONNX Runtime's execution providers."""
    none = tr("(none)")
    sources = {"environment": "KERAS_BACKEND", "setting": tr("setting"),
               "auto": tr("auto")}
    lines = [tr("Engine backend: {0} ({1})").format(
        status.get("backend") or none,
        sources.get(status.get("backend_source"), status.get("backend_source") or none))]
    lines += ["  " + backend_text(name, facts)
              for name, facts in (status.get("backends") or {}).items()]
    lines.append(tr("ONNX Runtime: {0}").format(
        "{0} ({1})".format(status["onnxruntime"], ", ".join(status.get("onnx_providers", [])))
        if status.get("onnxruntime") else none))
    return lines


def report(status):
    """The status as a block a user can paste into a bug report."""
    none = tr("(none)")
    lines = [
        tr("Semantic Segmentation engine status"),
        tr("Plugin version: {0}").format(plugin_version()),
        tr("QGIS: {0}").format(Qgis.QGIS_VERSION),
        tr("OS: {0}").format(status.get("os") or platform.platform()),
        tr("Engine Python: {0} {1}").format(status.get("python") or none,
                                           status.get("python_version", "")).rstrip(),
        tr("TensorFlow: {0}").format(status.get("tensorflow") or none),
        tr("Keras: {0}").format(status.get("keras") or none)
        + (f" ({status['keras_backend']})" if status.get("keras_backend") else ""),
        tr("NumPy: {0}").format(status.get("numpy") or none),
        tr("GDAL: {0}").format(status.get("gdal") or none),
        *backend_lines(status),
        tr("Devices:"),
    ]
    lines += ["  " + device_text(d) for d in status.get("devices", [])] or ["  " + none]
    if status.get("missing"):
        lines.append(tr("Missing modules: {0}").format(", ".join(status["missing"])))
    if status.get("error"):
        lines.append(tr("Error: {0}").format(status["error"]))
    lines.append(tr("Ready: {0}").format(tr("yes") if status.get("ready") else tr("no")))
    return "\n".join(lines)


class EngineStatusAlgorithm(SegAlgorithm):
    """Run the engine's self-check and report versions, devices and readiness."""

    PYTHON = "PYTHON"
    TENSORFLOW = "TENSORFLOW"
    KERAS = "KERAS"
    NUMPY = "NUMPY"
    GDAL = "GDAL"
    BACKEND = "BACKEND"
    DEVICES = "DEVICES"
    READY = "READY"

    NAME = "enginestatus"
    DISPLAY = "Engine status"
    HELP = (
        "Runs the engine's self-check in its own Python (never inside QGIS) and reports "
        "the interpreter, the versions of TensorFlow, Keras, NumPy and GDAL it imports, the "
        "CPU and GPUs it can use, the Keras backend jobs run on (the setting Engine "
        "backend, or KERAS_BACKEND) with the devices each installed backend (TensorFlow, "
        "PyTorch, JAX) sees, ONNX Runtime's execution providers, and whether Train Model "
        "and Predict Raster can run "
        "(Ready: TensorFlow, Keras 3, NumPy 1.x and GDAL all import). The log shows the "
        "same as a block to paste into a bug report.\n\n"
        "Python interpreter: empty for the engine's interpreter (the environment variable "
        "SEMSEG_PYTHON, else the setting Settings > Options > Processing > Providers > "
        "Semantic Segmentation > Engine Python interpreter, else the environment made by "
        "Set up the engine), under Advanced parameters. When nothing is ready, run Set up "
        "the engine.\n\n"
        "qgis_process name: PYTHON."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.add_advanced(QgsProcessingParameterFile(
            self.PYTHON, self.tr("Python interpreter to check (empty: the engine's)"),
            optional=True, fileFilter=self.tr("All files (*)")))  # python has no extension
        for name, description in ((self.PYTHON, self.tr("Engine Python")),
                                  (self.TENSORFLOW, self.tr("TensorFlow version")),
                                  (self.KERAS, self.tr("Keras version")),
                                  (self.NUMPY, self.tr("NumPy version")),
                                  (self.GDAL, self.tr("GDAL version")),
                                  (self.BACKEND, self.tr("Engine backend")),
                                  (self.DEVICES, self.tr("Devices"))):
            self.addOutput(QgsProcessingOutputString(name, description))
        self.addOutput(QgsProcessingOutputBoolean(self.READY, self.tr("Engine ready")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        python = self.parameterAsFile(parameters, self.PYTHON, context) or python_interpreter()
        feedback.setProgressText(tr("Running the engine's self-check..."))
        status = self_check(python)
        feedback.pushInfo(report(status))
        if not status["ready"]:
            feedback.pushWarning(status_message(status))
        feedback.setProgress(100)
        return {
            self.PYTHON: status.get("python") or python or "",
            self.TENSORFLOW: status.get("tensorflow", ""),
            self.KERAS: status.get("keras", ""),
            self.NUMPY: status.get("numpy", ""),
            self.GDAL: status.get("gdal", ""),
            self.BACKEND: status.get("backend", ""),
            self.DEVICES: "\n".join(device_text(d) for d in status.get("devices", [])),
            self.READY: bool(status["ready"]),
        }
