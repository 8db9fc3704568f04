"""The engine's worker: runs one job in its own process, talking JSON lines.

TensorFlow must not load inside QGIS (docs/architecture.md), so Train Model and
Predict Raster start ``python -m <package>.engine JOB.json``. The job file is
``{"task": "train" | "predict" | "predict_cluster" | "predict_scenes" | "export",
"params": {...}}`` (``predict_cluster`` and ``predict_scenes``: Predict Raster's
blocks on a Dask cluster, predict/distributed.py). Every line the worker
writes on stdout is one JSON object:

- ``{"type": "progress", "fraction": 0.42}`` (plus the report's extras, if
  any: training adds ``step``, ``epoch`` and ``metrics``),
- ``{"type": "log", "level": "info" | "warning", "message": "...",
  "template": "...", "values": {...}}``,
- ``{"type": "result", "result": {...}}`` once, at the end of a good run,
- ``{"type": "error", "kind": "input" | "cancelled" | "internal",
  "message": "...", "template": "...", "values": {...}, "traceback": "..."}``
  once, at the end of a failed run.

``message`` is the English text; ``template`` (a ``str.format`` template with
named fields) and ``values`` (strings and numbers only) let the plugin show it
translated. ``template`` and ``values`` are absent for internal errors that
carry no template (a bug's own exception text).

Cancellation: the parent ends the process (SIGTERM, then SIGKILL after a
short grace); the worker turns SIGTERM into :class:`~.errors.Cancelled`,
raised at once in the main thread wherever it is (importing TensorFlow,
building the network, between two batches), so ``finally`` blocks remove
partial outputs within the grace. Closing stdin also cancels, so a worker
never outlives a parent that died.

Keras backend: before a task module is imported, ``backends.select``
sets ``KERAS_BACKEND`` from the plugin's setting (``SEMSEG_BACKEND`` in the
environment) unless ``KERAS_BACKEND`` is set already; a backend that is not
installed is an input error naming it, and a ``train`` or ``export`` job on
any backend but TensorFlow is refused (until the training is ported to
``keras.ops``; tf2onnx converts TensorFlow graphs only).

Temporary files: a job may name ``"temp_dir"``, a folder its parent owns and
removes however the worker ends (a SIGKILL included); the job's temporary
folders (the training's data cache, the prediction's scratch rasters) are
then made inside it. Without it they go to the system's temporary folder and
the job removes them itself, as when run standalone.

The same job runs from a shell or a cluster scheduler without QGIS:
``python -m semantic_segmentation.engine job.json``. ``--status`` instead of
a job file prints the engine's self-check (status.py) as one JSON object.
"""

import contextlib
import importlib
import json
import os
import signal
import sys
import tempfile
import threading
import traceback

from .. import backends
from ..errors import Cancelled, InputError, SegError, cancel_behind
from ..jsonable import jsonable, message_fields
from ..progress import Progress

# task name -> module (inside the engine package) whose run_job(params, progress) runs it
TASKS = {
    "train": "train.training",
    "predict": "predict.prediction",
    "predict_cluster": "predict.distributed",
    "predict_scenes": "predict.scenes",
    "export": "predict.onnx_export",
}


class Channel:
    """Writes JSON lines to a stream, one object a line, thread-safe."""

    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()

    def emit(self, kind, /, **fields):
        line = json.dumps({"type": kind, **fields}, default=jsonable)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()


class _CancelFlag:
    """Set by SIGTERM/SIGINT (or stdin closing). ``interrupt``: the signal
    handler also raises Cancelled in the main thread, once, while a job runs
    (``armed``), so a cancel never waits for the next progress report: the
    import of TensorFlow alone takes seconds."""

    def __init__(self, interrupt=False):
        self.event = threading.Event()
        self.interrupt = interrupt
        self.armed = False

    def set(self, *_args):
        self.event.set()

    def on_signal(self, *_args):
        self.event.set()
        if self.interrupt and self.armed:
            self.armed = False
            raise Cancelled()


# the variables native libraries read for their temporary folder
_TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")


@contextlib.contextmanager
def temp_dir(folder):
    """Make ``folder`` the process's temporary folder (tempfile's and, for
    native libraries, the environment's) while the block runs; no-op for None."""
    if not folder:
        yield
        return
    if not os.path.isdir(folder):
        raise InputError("The job's temporary folder {path} does not exist.", path=folder)
    previous = tempfile.tempdir, {k: os.environ.get(k) for k in _TEMP_VARIABLES}
    tempfile.tempdir = folder
    os.environ.update({k: folder for k in _TEMP_VARIABLES})
    try:
        yield
    finally:
        tempfile.tempdir = previous[0]
        for key, value in previous[1].items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def make_progress(channel, cancel_flag):
    """A Progress that emits progress lines (with the report's extras) and log
    lines, and raises Cancelled on request."""

    def callback(value, **extra):
        if cancel_flag.event.is_set():
            return False
        if value is not None:
            channel.emit("progress", fraction=round(float(value), 5), **extra)
        return True

    def log(message, level=None):
        level = level or getattr(message, "level", "info")
        channel.emit("log", level=level, **message_fields(message))

    return Progress(callback, log)


def _report_error(exc, channel):
    """Emit the error line for a job that raised ``exc``; return the exit code.

    A cancel comes first: it is raised asynchronously (from a signal handler)
    and a library may have wrapped it in an error of its own."""
    cancelled = cancel_behind(exc)
    if cancelled is not None:
        channel.emit("error", kind="cancelled", **message_fields(cancelled))
        return 3
    if isinstance(exc, SegError):
        channel.emit("error", kind="input", **message_fields(exc))
        return 2
    if isinstance(exc, ImportError):
        error = SegError("The engine could not import {module}: install TensorFlow into the "
                         "Python the plugin uses ({python}). {error}",
                         module=exc.name or exc, python=sys.executable, error=exc)
        channel.emit("error", kind="internal", **message_fields(error),
                     traceback=traceback.format_exc())
        return 4
    channel.emit("error", kind="internal", message=f"{type(exc).__name__}: {exc}",
                 traceback=traceback.format_exc())
    return 1


def run_job(job, channel, cancel_flag=None):
    """Run one job dict, reporting on ``channel``. Returns the exit code."""
    cancel_flag = cancel_flag or _CancelFlag()
    task = job.get("task")
    if task not in TASKS:
        error = InputError("Unknown task {task}; expected one of {tasks}.",
                           task=repr(task), tasks=str(sorted(TASKS)))
        channel.emit("error", kind="input", **message_fields(error))
        return 2
    try:
        try:
            cancel_flag.armed = True
            if cancel_flag.event.is_set():  # asked before the job began
                raise Cancelled()
            # Keras reads KERAS_BACKEND once, when a task module first imports it
            backends.select_for_task(task)
            with temp_dir(job.get("temp_dir")):
                module = importlib.import_module(f"..{TASKS[task]}", __package__)
                progress = make_progress(channel, cancel_flag)
                result = module.run_job(job.get("params", {}), progress)
        finally:
            cancel_flag.armed = False
    except Exception as exc:  # the parent shows these as Processing errors
        return _report_error(exc, channel)
    channel.emit("result", result=result)
    return 0


def _watch_stdin(cancel_flag):
    """Cancel when the parent closes our stdin (or dies)."""
    try:
        while sys.stdin.read(1):
            pass
    except (OSError, ValueError):
        pass
    cancel_flag.set()


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--status"]:  # the self-check (status.py): one JSON object, never a crash
        from .status import main as status_main

        return status_main()
    if len(argv) != 1:
        sys.stderr.write("usage: python -m <package>.engine JOB.json | --status\n")
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    channel = Channel(sys.stdout)
    # Library chatter must not corrupt the JSON stream: send print() to stderr.
    sys.stdout = sys.stderr
    try:
        with open(argv[0], encoding="utf-8") as f:
            job = json.load(f)
    except (OSError, ValueError) as exc:
        error = InputError("Cannot read the job file {path}: {error}", path=argv[0], error=exc)
        channel.emit("error", kind="input", **message_fields(error))
        return 2
    cancel_flag = _CancelFlag(interrupt=True)
    signal.signal(signal.SIGTERM, cancel_flag.on_signal)
    signal.signal(signal.SIGINT, cancel_flag.on_signal)
    if job.get("watch_stdin"):
        threading.Thread(target=_watch_stdin, args=(cancel_flag,), daemon=True).start()
    try:
        return run_job(job, channel, cancel_flag)
    except Cancelled as exc:  # the signal came as the job's own error was being reported
        channel.emit("error", kind="cancelled", **message_fields(exc))
        return 3
