"""Runs an engine job in a child Python process and relays it to Processing.

TensorFlow aborts QGIS when it loads in QGIS's own process (docs/architecture.md), so
Train Model and Predict Raster start ``python -m <package>.engine JOB.json``
with the engine's interpreter (engine_setting.py: the ``SEMSEG_PYTHON``
environment variable, the Processing setting "Engine Python interpreter", the
environment "Set up the engine" made). The child's JSON lines become feedback
progress and log text; cancelling the algorithm ends the child, and its
partial outputs are removed.

Nothing is left behind, however the child ends: this process owns the job's
folder (the job file, and the child's temporary folders: the training's data
cache and history, the prediction's scratch rasters), passes it as the job's
``temp_dir`` and removes it at the end; a cancel sends SIGTERM, then SIGKILL
after :data:`CANCEL_GRACE_S` (or as soon as the child has reported its end);
partial outputs are removed here too, since a killed child cannot.
"""

import collections
import json
import os
import shutil
import subprocess  # nosec B404 - we start our own engine with a list argv, no shell
import tempfile
import threading
import time

from qgis.core import QgsProcessingException

from ..engine import outputs
from ..engine.runtime.environment import stop_child
from .engine_setting import engine_command, missing_module, python_interpreter
from .i18n import tr, tr_engine

# Seconds a cancelled worker has to stop by itself (it raises Cancelled at once
# and removes its partial outputs) before it is killed: the algorithm returns
# within about this long after a cancel, at any stage.
CANCEL_GRACE_S = 1.0

def worker_command(job_path, python=None):
    """argv and environment that run the engine on ``job_path``."""
    return engine_command(python or python_interpreter(), job_path)


class WorkerRun:
    """One engine job: start, relay, cancel, clean up."""

    def __init__(self, task, params, feedback, output_paths=(), python=None):
        self.task = task
        self.params = params
        self.feedback = feedback
        self.output_paths = [p for p in output_paths if p]
        self.python = python or python_interpreter()
        self.stderr_tail = collections.deque(maxlen=40)
        self.cancelled = False
        self.result = None
        self.error = None
        self.finished = threading.Event()  # the child reported its result or error

    # -- the child's streams
    def _read_stderr(self, stream):
        for line in stream:
            line = line.rstrip()
            if line:
                self.stderr_tail.append(line)

    def _watch_cancel(self, process):
        while process.poll() is None:
            if self.feedback is not None and self.feedback.isCanceled():
                self.cancelled = True
                stop_child(process, timeout=CANCEL_GRACE_S, done=self.finished)
                return
            time.sleep(0.05)

    @staticmethod
    def _text(message):
        """A log or error line's text, translated when it carries a template."""
        english = str(message.get("message", ""))
        template = message.get("template")
        if not template or not isinstance(template, str):
            return english
        values = message.get("values")
        return tr_engine(template, values if isinstance(values, dict) else {},
                         fallback=english)

    def _handle(self, message):
        kind = message.get("type")
        fb = self.feedback
        if kind == "progress" and fb is not None:
            fb.setProgress(100.0 * float(message.get("fraction", 0.0)))
            if message.get("text"):
                fb.setProgressText(str(message["text"]))
        elif kind == "log" and fb is not None:
            if message.get("level") == "warning":
                fb.pushWarning(self._text(message))
            else:
                fb.pushInfo(self._text(message))
        elif kind == "result":
            self.result = message.get("result") or {}
            self.finished.set()
        elif kind == "error":
            self.error = message
            self.finished.set()

    def run(self):
        """Run the job; return its result dict or raise QgsProcessingException."""
        if not self.python:
            from .dependencies import no_engine_message

            raise QgsProcessingException(no_engine_message())
        tmp = tempfile.mkdtemp(prefix="semseg-job-")
        try:
            job_path = os.path.join(tmp, "job.json")
            with open(job_path, "w", encoding="utf-8") as f:
                json.dump({"task": self.task, "params": self.params, "watch_stdin": True,
                           "temp_dir": tmp}, f)
            argv, env = worker_command(job_path, self.python)
            if self.feedback is not None:
                self.feedback.pushDebugInfo(tr("Engine: {0}").format(" ".join(argv)))
            try:
                process = subprocess.Popen(  # nosec B603 - argv list, our own module
                    argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, env=env, text=True, bufsize=1,
                    encoding="utf-8", errors="replace")
            except OSError as exc:
                from .dependencies import setup_hint

                raise QgsProcessingException(
                    tr("Cannot start the engine's Python {0}: {1}.").format(self.python, exc)
                    + "\n\n" + setup_hint()) from exc
            threads = [
                threading.Thread(target=self._read_stderr, args=(process.stderr,), daemon=True,
                                 name="semseg-worker-stderr"),
                threading.Thread(target=self._watch_cancel, args=(process,), daemon=True,
                                 name="semseg-worker-cancel"),
            ]
            for t in threads:
                t.start()
            try:
                for line in process.stdout:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        message = json.loads(line)
                    except ValueError:
                        self.stderr_tail.append(line)
                        continue
                    self._handle(message)
                code = process.wait()
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
                for stream in (process.stdin, process.stdout):
                    try:
                        stream.close()
                    except OSError:
                        pass
                for t in threads:
                    t.join(timeout=2)
                process.stderr.close()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return self._outcome(code)

    def _outcome(self, code):
        cancelled = self.cancelled or (self.error and self.error.get("kind") == "cancelled")
        if not cancelled and self.error is None and self.result is not None:
            return self.result
        outputs.discard_all(self.output_paths)
        if cancelled:
            raise QgsProcessingException(tr("Cancelled: no output was written."))
        if self.error is not None:
            if self.error.get("traceback") and self.feedback is not None:
                self.feedback.pushDebugInfo(self.error["traceback"])
            english = str(self.error.get("message", ""))
            raise QgsProcessingException(self._text(self.error) + self._install_hint(english))
        if code is not None and code < 0:  # POSIX: ended by a signal nobody here sent
            if self.feedback is not None and self.stderr_tail:
                self.feedback.pushDebugInfo("\n".join(list(self.stderr_tail)[-12:]))
            raise QgsProcessingException(
                tr("The engine process was killed (signal {0}), most often because the "
                   "system ran out of memory: try a smaller BATCH_SIZE or "
                   "TILE_SIZE.").format(-code))
        last = "\n".join(list(self.stderr_tail)[-12:]) or tr("(nothing)")
        message = tr("The engine process ({0}) ended without a result (exit code {1}). "
                     "Its last words:\n{2}").format(self.python, code, last)
        raise QgsProcessingException(message + self._install_hint(last))

    def _install_hint(self, text):
        """What to do when ``text`` shows that the engine's Python lacks a module
        ('' otherwise)."""
        module = missing_module(text)
        if module is None:
            return ""
        from .dependencies import install_message

        return "\n\n" + install_message(self.python, [module])


def run_worker(task, params, feedback, output_paths=(), python=None):
    """Run one engine job in a child process; see :class:`WorkerRun`."""
    return WorkerRun(task, params, feedback, output_paths, python).run()
