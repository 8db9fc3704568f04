"""Set up the engine: a Python environment with TensorFlow, made from QGIS's Python."""

import os

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputString,
    QgsProcessingParameterFile,
    QgsProcessingParameterString,
)

from ..engine.runtime import environment
from ..seg_plugin import engine_setting
from ..seg_plugin.dependencies import REQUIREMENTS, self_check, status_message
from ..engine.errors import SegError
from ..seg_plugin.i18n import tr, tr_message
from .base import SegAlgorithm, option_parameter


class SetupEngineAlgorithm(SegAlgorithm):
    """Make (or repair) the engine's virtual environment and select it."""

    FOLDER = "FOLDER"
    REQUIREMENTS = "REQUIREMENTS"
    WHEELS = "WHEELS"
    BACKEND = "BACKEND"
    ONNXRUNTIME = "ONNXRUNTIME"
    NVIDIA = "NVIDIA_GPU"
    TORCH_INDEX = "TORCH_INDEX"
    PYTHON = "PYTHON"
    READY = "READY"

    NAME = "setupengine"
    DISPLAY = "Set up the engine"
    HELP = (
        "Makes the Python environment that runs the segmentation engine (Train Model, Predict "
        "Raster), and selects it. TensorFlow never runs inside QGIS: it runs in this "
        "environment, a virtual environment made from QGIS's own Python with its system "
        "packages (so it shares QGIS's GDAL), into which pip installs the plugin's pinned "
        "requirements: TensorFlow, Keras and NumPy 1.x. Linux with an NVIDIA driver gets "
        "TensorFlow with CUDA, other Linux machines and Windows the CPU package (TensorFlow "
        "has no native GPU support on Windows: use WSL2), macOS the tensorflow package.\n\n"
        "It downloads about 600 MB (several GB with CUDA) and takes a few minutes; the log "
        "shows pip's output. Cancel stops pip and leaves no half-made environment. When "
        "the engine's self-check passes in the new environment, its interpreter becomes the "
        "setting Settings > Options > Processing > Providers > Semantic Segmentation > "
        "Engine Python interpreter.\n\n"
        "Environment folder: empty for semseg-engine in the QGIS profile folder. Run again "
        "on an existing environment to repair or upgrade it.\n"
        "Requirements file: empty for the plugin's requirements.txt.\n"
        "Wheels folder (offline machines): install only from the wheel files in this folder "
        "(pip download -r requirements.txt -d <folder> on a connected machine of the same "
        "system). The last two are under Advanced parameters.\n\n"
        "What it installs follows the machine, and each choice is logged with its reason "
        "(Advanced parameters override them). Backend: auto adds PyTorch's CUDA build on "
        "Windows with an NVIDIA driver (PyTorch wheel index: where pip finds it, since PyPI "
        "has only CPU builds for Windows) and PyTorch (Apple GPU, MPS) on macOS; torch or "
        "jax adds that backend anywhere. The backend chosen is recorded in the environment: "
        "Train Model and Predict Raster run on it while the setting Engine backend is auto "
        "(TensorFlow, always installed, converts models for Export Model). ONNX Runtime package: auto "
        "installs onnxruntime-gpu on Linux with an NVIDIA driver, onnxruntime-directml on "
        "Windows (any DirectX 12 GPU) and onnxruntime elsewhere (CoreML on macOS); Predict "
        "Raster uses it when its Backend is ONNX Runtime. NVIDIA GPU: auto looks for the "
        "driver.\n\n"
        "qgis_process names: FOLDER; REQUIREMENTS, WHEELS, BACKEND, ONNXRUNTIME, NVIDIA_GPU, "
        "TORCH_INDEX."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.addParameter(QgsProcessingParameterFile(
            self.FOLDER, self.tr("Environment folder (empty: semseg-engine in the QGIS "
                                 "profile folder)"),
            behavior=QgsProcessingParameterFile.Behavior.Folder, optional=True))
        self.add_advanced(
            QgsProcessingParameterFile(
                self.REQUIREMENTS, self.tr("Requirements file (empty: the plugin's "
                                           "requirements.txt)"),
                extension="txt", optional=True),
            QgsProcessingParameterFile(
                self.WHEELS, self.tr("Wheels folder, to install offline"),
                behavior=QgsProcessingParameterFile.Behavior.Folder, optional=True),
            option_parameter(self.BACKEND, self.tr("Backend"), "setup_backend"),
            option_parameter(self.ONNXRUNTIME, self.tr("ONNX Runtime package"),
                             "onnxruntime_package"),
            option_parameter(self.NVIDIA, self.tr("NVIDIA GPU"), "nvidia_gpu"),
            QgsProcessingParameterString(
                self.TORCH_INDEX, self.tr("PyTorch wheel index (empty: PyTorch's CUDA "
                                          "builds on Windows with an NVIDIA GPU)"),
                optional=True))
        self.addOutput(QgsProcessingOutputString(self.PYTHON, self.tr("Engine Python")))
        self.addOutput(QgsProcessingOutputBoolean(self.READY, self.tr("Engine ready")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = (self.parameterAsFile(parameters, self.FOLDER, context)
                  or engine_setting.default_folder())
        requirements = self.parameterAsFile(parameters, self.REQUIREMENTS, context) or REQUIREMENTS
        wheels = self.parameterAsFile(parameters, self.WHEELS, context) or None
        if not os.path.isfile(requirements):
            raise QgsProcessingException(
                tr("The requirements file {0} does not exist.").format(requirements))

        def check(python):
            status = self_check(python)
            if not status["ready"]:
                raise QgsProcessingException(
                    tr("The new environment cannot run the engine; it is not selected.")
                    + "\n" + status_message(status))
            feedback.pushInfo(tr("Self-check passed: TensorFlow {0}, Keras {1}, NumPy {2}, "
                                 "GDAL {3}.").format(status["tensorflow"], status["keras"],
                                                     status["numpy"], status["gdal"]))

        nvidia = {"yes": True, "no": False}.get(self.option(parameters, self.NVIDIA, context))
        try:
            choice = environment.engine_choice(
                nvidia=nvidia, backend=self.option(parameters, self.BACKEND, context),
                onnxruntime=self.option(parameters, self.ONNXRUNTIME, context),
                torch_index=self.parameterAsString(parameters, self.TORCH_INDEX,
                                                   context).strip() or None)
        except SegError as exc:
            raise QgsProcessingException(tr_message(exc)) from exc
        result = self.run_engine(environment.set_up, feedback, folder, requirements, wheels,
                                 check=check, choice=choice)
        python = result["python"]
        engine_setting.store(python)
        feedback.pushInfo(tr("The engine's Python is now {0} (Settings > Options > Processing "
                             "> Providers > Semantic Segmentation).").format(python))
        overriding = os.environ.get(engine_setting.ENV_KEY, "").strip()
        if overriding and os.path.abspath(overriding) != os.path.abspath(python):
            feedback.pushWarning(
                tr("The environment variable {0} ({1}) is set and takes precedence over "
                   "this setting.").format(engine_setting.ENV_KEY, overriding))
        return {self.PYTHON: python, self.READY: True}
