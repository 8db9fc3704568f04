"""The engine's worker: runs one job in its own process, talking JSON lines.

TensorFlow must not load inside QGIS (see DESIGN.md), so Train Model and
Predict Raster start ``python -m <package>.engine JOB.json``. The job file is
``{"task": "train" | "predict", "params": {...}}``. Every line the worker
writes on stdout is one JSON object:

- ``{"type": "progress", "fraction": 0.42}`` (plus optional fields such as
  ``step``, ``epoch``, ``metrics``),
- ``{"type": "log", "level": "info" | "warning", "message": "..."}``,
- ``{"type": "result", "result": {...}}`` once, at the end of a good run,
- ``{"type": "error", "kind": "input" | "cancelled" | "internal",
  "message": "...", "traceback": "..."}`` once, at the end of a failed run.

Cancellation: the parent ends the process (SIGTERM, then SIGKILL); the
worker turns SIGTERM into :class:`~.errors.Cancelled` so ``finally`` blocks
remove partial outputs. Closing stdin also cancels, so a worker never
outlives a parent that died.

The same job runs from a shell or a cluster scheduler without QGIS:
``python -m semantic_segmentation.engine job.json``.
"""

import importlib
import json
import os
import signal
import sys
import threading
import traceback

from .errors import Cancelled, SegError
from .jsonable import jsonable
from .progress import Progress

# task name -> module (inside this package) whose run_job(params, progress, emit) runs it
TASKS = {
    "train": "training",
    "predict": "prediction",
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
    """A Progress that emits progress/log lines and raises Cancelled on request."""

    def callback(value, **extra):
        if cancel_flag.event.is_set():
            return False
        if value is not None:
            channel.emit("progress", fraction=round(float(value), 5), **extra)
        return True

    def log(message, level="info"):
        channel.emit("log", level=level, message=message)

    return Progress(callback, log)


def run_job(job, channel, cancel_flag=None):
    """Run one job dict, reporting on ``channel``. Returns the exit code."""
    cancel_flag = cancel_flag or _CancelFlag()
    task = job.get("task")
    if task not in TASKS:
        channel.emit("error", kind="input",
                     message=f"Unknown task {task!r}; expected one of {sorted(TASKS)}.")
        return 2
    try:
        module = importlib.import_module(f".{TASKS[task]}", __package__)
        progress = make_progress(channel, cancel_flag)
        result = module.run_job(job.get("params", {}), progress, channel.emit)
    except Cancelled as exc:
        channel.emit("error", kind="cancelled", message=str(exc))
        return 3
    except SegError as exc:
        channel.emit("error", kind="input", message=str(exc))
        return 2
    except ImportError as exc:
        channel.emit("error", kind="internal",
                     message=f"The engine could not import {exc.name or exc}: install "
                             f"TensorFlow into the Python the plugin uses ({sys.executable}). "
                             f"{exc}",
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
    if len(argv) != 1:
        sys.stderr.write("usage: python -m <package>.engine JOB.json\n")
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    channel = Channel(sys.stdout)
    # Library chatter must not corrupt the JSON stream: send print() to stderr.
    sys.stdout = sys.stderr
    try:
        with open(argv[0], encoding="utf-8") as f:
            job = json.load(f)
    except (OSError, ValueError) as exc:
        channel.emit("error", kind="input", message=f"Cannot read the job file {argv[0]}: {exc}")
        return 2
    cancel_flag = _CancelFlag()
    signal.signal(signal.SIGTERM, cancel_flag.set)
    signal.signal(signal.SIGINT, cancel_flag.set)
    if job.get("watch_stdin"):
        threading.Thread(target=_watch_stdin, args=(cancel_flag,), daemon=True).start()
    return run_job(job, channel, cancel_flag)
