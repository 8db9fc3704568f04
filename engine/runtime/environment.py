"""The engine's own Python environment: find QGIS's Python, make a venv, pip-install.

"Set up the engine" (algorithms/setup_engine.py) and ``make install`` both
build the engine's environment through :func:`set_up`: a virtual environment
made from the Python that QGIS runs, with ``--system-site-packages`` so it
sees QGIS's GDAL bindings, then ``pip install -r requirements.txt`` with the
TensorFlow package this machine can use. Standard library only (plus this
package's errors and progress): QGIS imports it in its own process, and any
Python can run it.
"""

import os
import platform
import re
import shutil
import subprocess  # nosec B404 - we start Python and pip with list argvs, never a shell
import sys
import threading
import time
import queue

from .. import devices
from ..errors import InputError, SegError
from ..progress import ensure

DEFAULT_FOLDER_NAME = "semseg-engine"
ADAPTED_REQUIREMENTS = "semseg-requirements.txt"
# A TensorFlow requirement line: the package name (with extras), then the rest.
_TENSORFLOW_LINE = re.compile(
    r"^\s*tensorflow(?:-cpu|-gpu)?(?:\s*\[[^\]]*\])?(?=\s*(?:[=<>!~;@]|$))(?P<rest>.*)$",
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
    else:
        progress.info("No NVIDIA GPU driver found (nvidia-smi, /proc/driver/nvidia): "
                      "installing {package}, TensorFlow for the CPU.", package=package)


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
           tensorflow=None):
    """Make (or repair) the engine's virtual environment in ``folder``.

    ``python``: the interpreter to make it from (default :func:`base_python`).
    ``requirements``: a pip requirements file; its TensorFlow line is adapted to
    this machine (``tensorflow``: a (package, reason) pair from
    :func:`tensorflow_choice`, the default). ``wheels``: a folder of wheels to
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
        package, reason = tensorflow or tensorflow_choice()
        lines, changed = adapt_requirements(lines, package)
        _log_tensorflow_choice(progress, package, reason)
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
