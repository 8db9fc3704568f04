"""The engine's own Python environment: find QGIS's Python, make a venv, pip-install.

"Set up the engine" (algorithms/setup_engine.py) and ``make install`` both
build the engine's environment through :func:`set_up`: a virtual environment
made from the Python that QGIS runs, with ``--system-site-packages`` so it
sees QGIS's GDAL bindings, then ``pip install -r requirements.txt`` with the
TensorFlow package this machine can use, and (:func:`engine_choice`, from the
platform and the NVIDIA driver, each choice logged with its reason) the ONNX
Runtime build for its GPU and, where it helps, PyTorch or JAX beside TensorFlow. Standard library only (plus this
package's errors and progress): QGIS imports it in its own process, and any
Python can run it.
"""

import dataclasses
import os
import platform
import re
import shutil
import subprocess  # nosec B404 - we start Python and pip with list argvs, never a shell
import sys
import threading
import time
import queue

from .. import backends, devices
from ..errors import InputError, SegError
from ..progress import ensure

DEFAULT_FOLDER_NAME = "semseg-engine"
ADAPTED_REQUIREMENTS = "semseg-requirements.txt"
# A TensorFlow requirement line: the package name (with extras), then the rest.
_TENSORFLOW_LINE = re.compile(
    r"^\s*tensorflow(?:-cpu|-gpu)?(?:\s*\[[^\]]*\])?(?=\s*(?:[=<>!~;@]|$))(?P<rest>.*)$",
    re.IGNORECASE)
# An ONNX Runtime requirement line: which build, then the rest.
_ONNXRUNTIME_LINE = re.compile(
    r"^\s*onnxruntime(?:-gpu|-directml|-openvino)?(?=\s*(?:[=<>!~;@]|$))(?P<rest>.*)$",
    re.IGNORECASE)
# Lines of pip's output that mark one more package handled.
_PIP_STEP = re.compile(r"^(Collecting|Processing|Requirement already satisfied|Looking in)\b")
# The environment of the children: no Python settings of QGIS's own process.
_DROPPED_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP",
                      "PIP_REQUIRE_VIRTUALENV", "QT_PLUGIN_PATH")


def default_folder(profile_folder):
    """Where Set up the engine puts the environment by default: in the QGIS profile."""
    return os.path.join(profile_folder, DEFAULT_FOLDER_NAME)


def venv_python(folder, platform_name=None):
    """The interpreter of the virtual environment in ``folder``."""
    if (platform_name or sys.platform).startswith("win"):
        return os.path.join(folder, "Scripts", "python.exe")
    return os.path.join(folder, "bin", "python")


def is_venv(folder):
    """Does ``folder`` hold a virtual environment (pyvenv.cfg and its interpreter)?"""
    return (os.path.isfile(os.path.join(folder, "pyvenv.cfg"))
            and os.path.isfile(venv_python(folder)))


def base_python(executable=None, base_exec_prefix=None, version=None, platform_name=None,
                isfile=os.path.isfile):
    """The Python interpreter that QGIS runs (the one running this code), or None.

    Found from the prefix of the running Python, never from ``sys.executable``
    alone: inside QGIS that is the QGIS binary, or (embedded Python on Linux,
    seen with qgis_process 3.22) whatever ``python3`` comes first on the PATH.
    ``bin/pythonX.Y`` on Linux and in the macOS Python framework, ``python.exe``
    in OSGeo4W's ``apps\\PythonXY`` on Windows, else ``bin/python3`` beside the
    macOS bundle's executable (QGIS.app/Contents/MacOS/bin/python3).
    """
    executable = executable or sys.executable or ""
    prefix = base_exec_prefix or sys.base_exec_prefix
    major, minor = (version or sys.version_info)[:2]
    platform_name = platform_name or sys.platform
    if platform_name.startswith("win"):
        candidates = [os.path.join(prefix, "python.exe"), os.path.join(prefix, "python3.exe")]
    else:
        candidates = [os.path.join(prefix, "bin", f"python{major}.{minor}"),
                      os.path.join(prefix, "bin", "python3")]
        if platform_name == "darwin":
            candidates.append(os.path.join(os.path.dirname(executable), "bin", "python3"))
    return next((path for path in candidates if isfile(path)), None)


def tensorflow_choice(platform_name=None, machine=None, nvidia=None):
    """(package, reason): the TensorFlow package for this machine.

    ``reason`` is one of "nvidia", "linux", "linux_arm", "windows", "macos".
    """
    platform_name = platform_name or sys.platform
    machine = (machine or platform.machine()).lower()
    if platform_name.startswith("win"):
        return "tensorflow-cpu", "windows"
    if platform_name == "darwin":
        return "tensorflow", "macos"
    if nvidia is None:
        nvidia = devices.has_nvidia_driver()
    if nvidia:
        return "tensorflow[and-cuda]", "nvidia"
    if machine in ("aarch64", "arm64"):
        return "tensorflow", "linux_arm"
    return "tensorflow-cpu", "linux"


def adapt_requirements(lines, package):
    """``lines`` with every TensorFlow requirement naming ``package`` (same version).

    Returns (lines, changed). tensorflow-metal, tensorflow-io and the like are kept.
    """
    adapted, changed = [], False
    for line in lines:
        match = _TENSORFLOW_LINE.match(line)
        if match:
            new = package + match.group("rest").rstrip()
            changed = changed or new.strip() != line.strip()
            line = new
        adapted.append(line)
    return adapted, changed


def mentions_tensorflow(lines):
    return any(_TENSORFLOW_LINE.match(line) for line in lines)


# What Set up the engine may add to TensorFlow (engine/backends.py runs it).
BACKEND_CHOICES = ("auto", "tensorflow", "torch", "jax")
ONNXRUNTIME_CHOICES = ("auto", "onnxruntime", "onnxruntime-gpu", "onnxruntime-directml",
                       "onnxruntime-openvino")
NVIDIA_CHOICES = ("auto", "yes", "no")
# PyTorch's own wheel indexes: CUDA builds (PyPI has only CPU builds for
# Windows) and CPU builds (PyPI's Linux builds carry CUDA, a 3 GB download).
TORCH_CUDA_INDEX = "https://download.pytorch.org/whl/cu128"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"
TORCH_REQUIREMENT = "torch>=2.4"
JAX_REQUIREMENT = "jax>=0.4.36"
JAX_CUDA_REQUIREMENT = "jax[cuda12]>=0.4.36"
# ONNX Runtime builds released with every onnxruntime version, so the pin of
# requirements.txt holds; the others get a lower bound instead.
_ONNXRUNTIME_LOCKSTEP = ("onnxruntime", "onnxruntime-gpu")
_ONNXRUNTIME_MINIMUM = ">=1.20"


@dataclasses.dataclass(frozen=True)
class EngineChoice:
    """What Set up the engine installs, each part with the reason it was chosen.

    ``tensorflow``: the TensorFlow package (Export Model converts on it; Train
    Model and Predict Raster run on it when ``backend`` is "tensorflow").
    ``backend``: what Engine backend auto runs on in the environment (recorded
    there): "tensorflow" (nothing more), "torch" or "jax", installed as ``backend_package``,
    from ``index_url`` besides PyPI when that is not "". ``onnxruntime``: the
    ONNX Runtime build that replaces requirements.txt's onnxruntime.
    """

    tensorflow: str
    tensorflow_reason: str
    backend: str
    backend_package: str
    backend_reason: str
    index_url: str
    onnxruntime: str
    onnxruntime_reason: str

    def extra_lines(self):
        """Requirement lines to add: the wheel index, then the backend's package."""
        lines = [f"--extra-index-url {self.index_url}"] if self.index_url else []
        return lines + ([self.backend_package] if self.backend_package else [])


def engine_choice(platform_name=None, machine=None, nvidia=None, backend="auto",
                  onnxruntime="auto", torch_index=None):
    """The :class:`EngineChoice` for a machine: the facts (``platform_name`` as
    ``sys.platform``, ``machine`` as ``platform.machine()``, ``nvidia``: is an
    NVIDIA driver installed; None: ask this machine) and the user's overrides
    (``backend``, ``onnxruntime``: "auto" or a name; ``torch_index``: the wheel
    index of PyTorch's CUDA build).

    auto: Linux with an NVIDIA driver keeps TensorFlow with CUDA (training and
    prediction on the GPU); Windows with an NVIDIA driver adds PyTorch's
    CUDA build, macOS PyTorch (MPS), beside TensorFlow; without a GPU,
    TensorFlow for the CPU only. ONNX Runtime: onnxruntime-gpu on Linux with
    an NVIDIA driver, onnxruntime-directml on Windows (any DirectX 12 GPU,
    NVIDIA's included, with only the display driver), else onnxruntime (its
    macOS build has CoreML).
    """
    platform_name = platform_name or sys.platform
    machine = (machine or platform.machine()).lower()
    windows, macos = platform_name.startswith("win"), platform_name == "darwin"
    if nvidia is None and not macos:
        nvidia = devices.has_nvidia_driver()
    nvidia = bool(nvidia) and not macos
    backend = (backend or "auto").lower()
    if backend not in BACKEND_CHOICES:
        raise InputError("Unknown backend {backend}; choose one of {choices}.",
                         backend=backend, choices=", ".join(BACKEND_CHOICES))
    if backend == "auto":
        if windows and nvidia:
            backend, backend_reason = "torch", "windows_nvidia"
        elif macos:
            backend, backend_reason = "torch", "macos"
        else:
            backend, backend_reason = "tensorflow", "linux_nvidia" if nvidia else "no_gpu"
    else:
        backend_reason = "chosen"
    package, index_url = "", ""
    if backend == "torch":
        package = TORCH_REQUIREMENT
        if nvidia and windows:
            index_url = torch_index or TORCH_CUDA_INDEX
        elif not nvidia and not windows and not macos:
            index_url = torch_index or TORCH_CPU_INDEX
        else:
            index_url = torch_index or ""
    elif backend == "jax":
        package = JAX_CUDA_REQUIREMENT if nvidia and not windows else JAX_REQUIREMENT
    tf_package, tf_reason = tensorflow_choice(platform_name, machine, nvidia)
    if backend != "tensorflow":
        # the other backend trains and predicts; TensorFlow converts for Export
        # Model, on the CPU (its CUDA libraries and another framework's pin
        # different versions of the same NVIDIA packages)
        tf_package = "tensorflow-cpu" if tf_reason == "nvidia" else tf_package
        tf_reason = "beside_" + backend
    onnxruntime = (onnxruntime or "auto").lower()
    if onnxruntime not in ONNXRUNTIME_CHOICES:
        raise InputError("Unknown ONNX Runtime package {package}; choose one of {choices}.",
                         package=onnxruntime, choices=", ".join(ONNXRUNTIME_CHOICES))
    if onnxruntime != "auto":
        ort_reason = "chosen"
    elif windows:
        onnxruntime, ort_reason = "onnxruntime-directml", "windows"
    elif nvidia:
        onnxruntime, ort_reason = "onnxruntime-gpu", "nvidia"
    else:
        onnxruntime, ort_reason = "onnxruntime", "macos" if macos else "cpu"
    return EngineChoice(tf_package, tf_reason, backend, package, backend_reason, index_url,
                        onnxruntime, ort_reason)


def adapt_onnxruntime(lines, package):
    """``lines`` with the ONNX Runtime requirement naming ``package``: the same
    pin for a build released in lockstep, else a lower bound. (lines, changed)."""
    adapted, changed = [], False
    for line in lines:
        match = _ONNXRUNTIME_LINE.match(line)
        if match:
            rest = match.group("rest").rstrip()
            if package not in _ONNXRUNTIME_LOCKSTEP:
                marker = rest.find(";")
                rest = _ONNXRUNTIME_MINIMUM + (" " + rest[marker:] if marker >= 0 else "")
            new = package + rest
            changed = changed or new.strip() != line.strip()
            line = new
        adapted.append(line)
    return adapted, changed


def adapt_to_choice(lines, choice):
    """``lines`` adapted to an :class:`EngineChoice`: the TensorFlow package, the
    ONNX Runtime build, the backend's package and wheel index. (lines, changed)."""
    lines, changed = adapt_requirements(lines, choice.tensorflow)
    lines, ort_changed = adapt_onnxruntime(lines, choice.onnxruntime)
    extra = choice.extra_lines()
    return lines + extra, changed or ort_changed or bool(extra)


def child_environment():
    """os.environ without the Python settings of the process we run in."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_VARIABLES}
    env.update(PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8", PIP_NO_INPUT="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def stop_child(process, timeout=10, done=None, poll_s=0.05):
    """Ask ``process`` to end (terminate), then kill it if it has not ended
    within ``timeout`` seconds, or as soon as the event ``done`` is set (the
    child said it has finished its work and cleaned up: what is left is the
    interpreter's own teardown); wait for it either way. Returns True when it
    had to be killed."""
    if process.poll() is not None:
        return False
    process.terminate()
    deadline = time.monotonic() + timeout
    while True:
        try:
            process.wait(timeout=min(poll_s, max(deadline - time.monotonic(), 0.0)))
            return False
        except subprocess.TimeoutExpired:
            if time.monotonic() >= deadline or (done is not None and done.is_set()):
                break
    process.kill()
    process.wait()
    return True


def run_child(argv, progress=None, on_line=None, env=None, poll_s=0.1):
    """Run ``argv``, passing each output line (stdout and stderr) to ``on_line``.

    ``progress`` is asked between lines and at least every ``poll_s``: a cancel
    terminates the child (then kills it) and raises Cancelled. Returns
    (exit code, the last 40 lines).
    """
    progress = ensure(progress)
    lines = queue.Queue()
    tail = []
    process = subprocess.Popen(  # nosec B603 - argv list, no shell
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env=env or child_environment(), text=True, encoding="utf-8", errors="replace",
        bufsize=1)

    def read():
        for line in process.stdout:
            lines.put(line.rstrip())
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True, name="semseg-child-output")
    reader.start()
    try:
        while True:
            progress.check()
            try:
                line = lines.get(timeout=poll_s)
            except queue.Empty:
                continue
            if line is None:
                break
            if line:
                tail = (tail + [line])[-40:]
                if on_line is not None:
                    on_line(line)
        code = process.wait()
        progress.check()  # a cancel that came as the child ended still counts
        return code, tail
    finally:
        stop_child(process)
        reader.join(timeout=2)
        process.stdout.close()


def read_requirements(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()
    except OSError as exc:
        raise InputError("Cannot read the requirements file {path}: {error}",
                         path=path, error=exc.strerror or exc) from exc


def create_venv(python, folder, progress=None):
    """``python -m venv --system-site-packages folder``; explains a Debian without venv."""
    progress = ensure(progress)
    progress.info("Creating the virtual environment {folder} from {python}...",
                  folder=folder, python=python)
    code, tail = run_child([python, "-m", "venv", "--system-site-packages", folder], progress)
    text = "\n".join(tail)
    if code == 0 and os.path.isfile(venv_python(folder)):
        return
    if "ensurepip" in text or "No module named venv" in text:
        raise InputError("{python} cannot make a virtual environment: its venv module or "
                         "ensurepip is missing. On Debian and Ubuntu install it with "
                         "`apt install python3-venv` (as root, or with sudo), then run "
                         "Set up the engine again.\n{output}", python=python, output=text)
    raise InputError("Making the virtual environment {folder} with {python} failed (exit "
                     "code {code}):\n{output}", folder=folder, python=python, code=code,
                     output=text)


def pip_install(python, requirements, wheels=None, progress=None):
    """``python -m pip install -r requirements`` (from ``wheels`` only, if given)."""
    progress = ensure(progress)
    argv = [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
            "--progress-bar", "off", "-r", requirements]
    if wheels:
        argv += ["--no-index", "--find-links", wheels]
    progress.info("Installing the engine's packages: {command}", command=" ".join(argv))
    steps = [0]

    def on_line(line):
        progress.info("pip: {line}", line=line)
        if _PIP_STEP.match(line):
            steps[0] += 1
            progress(steps[0] / (steps[0] + 8.0) * 0.9)
        elif line.startswith("Installing collected packages"):
            progress(0.9)

    code, tail = run_child(argv, progress, on_line)
    if code != 0:
        raise InputError("pip could not install the engine's packages into {python} (exit "
                         "code {code}):\n{output}", python=python, code=code,
                         output="\n".join(tail[-12:]))
    progress(1.0)


def _remove(folder, existed):
    """Undo a half-made environment: the folder, or what we put in the empty one."""
    if not existed:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.remove(path)


def _log_tensorflow_choice(progress, package, reason):
    if reason == "nvidia":
        progress.info("An NVIDIA GPU driver was found: installing {package} (TensorFlow with "
                      "its CUDA libraries, a download of several GB) instead of the "
                      "CPU-only package.", package=package)
    elif reason == "windows":
        progress.info("Windows: installing {package}. TensorFlow after 2.10 has no native "
                      "GPU support on Windows; to train on an NVIDIA GPU, run the engine in "
                      "WSL2.", package=package)
    elif reason == "macos":
        progress.info("macOS: installing {package}. On Apple silicon TensorFlow can use the "
                      "GPU through Metal with the optional package tensorflow-metal.",
                      package=package)
    elif reason.startswith("beside_"):
        progress.info("Installing {package} beside {backend}: Train Model and Predict "
                      "Raster run on {backend} (Engine backend auto); TensorFlow converts "
                      "models for Export Model, on the CPU.", package=package,
                      backend=reason[len("beside_"):])
    else:
        progress.info("No NVIDIA GPU driver found (nvidia-smi, /proc/driver/nvidia): "
                      "installing {package}, TensorFlow for the CPU.", package=package)


def _log_backend_choice(progress, choice):
    """One line: the Keras backend installed besides TensorFlow, and why."""
    reason, package = choice.backend_reason, choice.backend_package
    where = choice.index_url or "PyPI"
    if reason == "windows_nvidia":
        progress.info("Windows with an NVIDIA GPU driver: installing {package}, PyTorch's "
                      "CUDA build, from {index_url} (PyPI has only CPU builds of PyTorch for "
                      "Windows; the PyTorch wheel index parameter changes it). Train Model "
                      "and Predict Raster run on it, on the GPU (Engine backend auto means "
                      "torch in this environment).",
                      package=package, index_url=where)
    elif reason == "macos":
        progress.info("macOS: installing {package}, PyTorch with the Apple GPU (MPS). "
                      "Train Model and Predict Raster run on it (Engine backend auto means "
                      "torch in this environment).", package=package)
    elif reason == "linux_nvidia":
        progress.info("An NVIDIA GPU driver was found: Train Model and Predict Raster run "
                      "on TensorFlow with CUDA, so no other backend is installed (Backend "
                      "torch or jax adds one).")
    elif reason == "no_gpu":
        progress.info("No GPU found: TensorFlow for the CPU runs everything; no other "
                      "backend is installed (Backend torch or jax adds one).")
    elif choice.backend == "tensorflow":
        progress.info("Backend tensorflow chosen: no other backend is installed.")
    else:
        progress.info("Backend {backend} chosen: installing {package} from {index_url}. "
                      "Train Model and Predict Raster run on it (Engine backend auto means "
                      "{backend} in this environment).",
                      backend=choice.backend, package=package, index_url=where)


def _log_onnxruntime_choice(progress, choice):
    """One line: the ONNX Runtime build, and why."""
    package, reason = choice.onnxruntime, choice.onnxruntime_reason
    if reason == "windows":
        progress.info("Windows: installing {package}, ONNX Runtime on any DirectX 12 GPU "
                      "(NVIDIA, AMD or Intel) with only the display driver; onnxruntime-gpu "
                      "would need CUDA and cuDNN installed system-wide. Predict Raster uses "
                      "it when its Backend is ONNX Runtime (a .keras model is converted once).",
                      package=package)
    elif reason == "nvidia":
        progress.info("An NVIDIA GPU driver was found: installing {package}, ONNX Runtime "
                      "with its CUDA provider, for Predict Raster when its Backend is ONNX "
                      "Runtime.",
                      package=package)
    elif reason == "macos":
        progress.info("macOS: installing {package}; its CoreML provider runs on the Apple "
                      "GPU and Neural Engine.", package=package)
    elif reason == "cpu":
        progress.info("Installing {package}, ONNX Runtime for the CPU.", package=package)
    else:
        progress.info("Installing {package}, the ONNX Runtime package chosen.",
                      package=package)


def folder_mib(folder):
    """The disk space the files under ``folder`` take, in MiB (links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return round(total / (1 << 20))


def set_up(folder, requirements, wheels=None, python=None, check=None, progress=None,
           tensorflow=None, choice=None):
    """Make (or repair) the engine's virtual environment in ``folder``.

    ``python``: the interpreter to make it from (default :func:`base_python`).
    ``requirements``: a pip requirements file; its TensorFlow line is adapted to
    this machine (``tensorflow``: a (package, reason) pair from
    :func:`tensorflow_choice`, the default); ``choice``: an :class:`EngineChoice`
    (default :func:`engine_choice` for this machine) adds the ONNX Runtime build
    and another Keras backend (its ``tensorflow`` unless ``tensorflow`` is
    given). Each choice is logged with its reason. ``wheels``: a folder of wheels to
    install from, offline. ``check(python)``: run last, it raises when the new
    environment cannot run the engine. A folder this call created is removed
    again on failure or cancel; an environment that already existed is kept.
    Returns {"python": interpreter, "created": bool}.
    """
    progress = ensure(progress)
    folder = os.path.abspath(folder)
    lines = read_requirements(requirements)
    if wheels and not os.path.isdir(wheels):
        raise InputError("The wheels folder {path} does not exist.", path=wheels)
    existed = os.path.lexists(folder)
    repair = existed and is_venv(folder)
    if existed and not repair and (not os.path.isdir(folder) or os.listdir(folder)):
        raise InputError("{folder} is neither a virtual environment nor an empty folder: "
                         "choose another folder.", folder=folder)
    if not repair:
        python = python or base_python()
        if not python:
            raise SegError("Cannot find the Python interpreter that QGIS runs (looked beside "
                           "{prefix}): make the environment by hand, see the README.",
                           prefix=sys.base_exec_prefix)
    if mentions_tensorflow(lines):
        choice = choice or engine_choice()
        if tensorflow:
            choice = dataclasses.replace(choice, tensorflow=tensorflow[0],
                                         tensorflow_reason=tensorflow[1])
        lines, changed = adapt_to_choice(lines, choice)
        _log_tensorflow_choice(progress, choice.tensorflow, choice.tensorflow_reason)
        _log_backend_choice(progress, choice)
        _log_onnxruntime_choice(progress, choice)
    else:
        changed = False
    try:
        if repair:
            progress.info("Repairing the existing environment {folder}.", folder=folder)
        else:
            create_venv(python, folder, progress.sub(0.0, 0.1))
        engine_python = venv_python(folder)
        if changed:
            requirements = os.path.join(folder, ADAPTED_REQUIREMENTS)
            with open(requirements, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
        pip_install(engine_python, requirements, wheels, progress.sub(0.1, 0.85))
        if choice is not None:  # what Engine backend = auto runs on in this environment
            backends.record(folder, choice.backend)
        if check is not None:
            progress.info("Checking the engine in {python}...", python=engine_python)
            check(engine_python)
        progress.check()
        progress.info("The environment takes {size_mb} MiB on disk ({folder}).",
                      size_mb=folder_mib(folder), folder=folder)
        progress(1.0)
        return {"python": engine_python, "created": not repair}
    except BaseException:
        if not repair:
            _remove(folder, existed)
        raise
