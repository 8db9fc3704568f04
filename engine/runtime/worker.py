"""The engine's worker: runs one job in its own process, talking JSON lines.

TensorFlow must not load inside QGIS (docs/architecture.md), so Train Model and
Predict Raster start ``python -m <package>.engine JOB.json``. The job file is
``{"task": "train" | "predict" | "export", "params": {...}}``. Every line the worker
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

Cancellation: the parent ends the process (SIGTERM, then SIGKILL); the
worker turns SIGTERM into :class:`~.errors.Cancelled` so ``finally`` blocks
remove partial outputs. Closing stdin also cancels, so a worker never
outlives a parent that died.

The same job runs from a shell or a cluster scheduler without QGIS:
``python -m semantic_segmentation.engine job.json``. ``--status`` instead of
a job file prints the engine's self-check (status.py) as one JSON object.
"""

import importlib
import json
import os
import signal
import sys
import threading
import traceback

from ..errors import Cancelled, InputError, SegError
from ..jsonable import jsonable, message_fields
from ..progress import Progress

# task name -> module (inside the engine package) whose run_job(params, progress) runs it
TASKS = {
    "train": "train.training",
    "predict": "predict.prediction",
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
    def __init__(self):
        self.event = threading.Event()

    def set(self, *_args):
        self.event.set()


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
        module = importlib.import_module(f"..{TASKS[task]}", __package__)
        progress = make_progress(channel, cancel_flag)
        result = module.run_job(job.get("params", {}), progress)
    except Cancelled as exc:
        channel.emit("error", kind="cancelled", **message_fields(exc))
        return 3
    except SegError as exc:
        channel.emit("error", kind="input", **message_fields(exc))
        return 2
    except ImportError as exc:
        error = SegError("The engine could not import {module}: install TensorFlow into the "
                         "Python the plugin uses ({python}). {error}",
                         module=exc.name or exc, python=sys.executable, error=exc)
        channel.emit("error", kind="internal", **message_fields(error),
                     traceback=traceback.format_exc())
        return 4
    except Exception as exc:  # the parent shows this as a Processing error
        channel.emit("error", kind="internal", message=f"{type(exc).__name__}: {exc}",
                     traceback=traceback.format_exc())
        return 1
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
    cancel_flag = _CancelFlag()
    signal.signal(signal.SIGTERM, cancel_flag.set)
    signal.signal(signal.SIGINT, cancel_flag.set)
    if job.get("watch_stdin"):
        threading.Thread(target=_watch_stdin, args=(cancel_flag,), daemon=True).start()
    return run_job(job, channel, cancel_flag)
