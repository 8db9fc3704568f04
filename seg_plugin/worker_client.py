"""Runs an engine job in a child Python process and relays it to Processing.

TensorFlow aborts QGIS when it loads in QGIS's own process (DESIGN.md), so
Train Model and Predict Raster start ``python -m <package>.engine JOB.json``
with the interpreter named by, in order: the ``SEMSEG_PYTHON`` environment
variable, the plugin setting ``semantic_segmentation/python``, the Python
running this code when it is a plain Python (tests, scripts), the Python
QGIS embeds (same version and prefix), ``python3`` on the PATH. The child's JSON lines become feedback progress and log text;
cancelling the algorithm ends the child, and its partial outputs are removed.
"""

import collections
import json
import os
import re
import shutil
import subprocess  # nosec B404 - we start our own engine with a list argv, no shell
import sys
import tempfile
import threading
import time

from qgis.core import QgsProcessingException

from ..engine import outputs
from .i18n import tr, tr_engine

SETTING_KEY = "semantic_segmentation/python"
# The child's last words when its Python lacks the engine's packages.
_MISSING_ENGINE_PACKAGE = re.compile(r"No module named '(tensorflow|keras)'")
ENV_KEY = "SEMSEG_PYTHON"


def python_interpreter():
    """The Python that runs the engine (it needs TensorFlow and Keras)."""
    path = os.environ.get(ENV_KEY)
    if not path:
        try:
            from qgis.core import QgsSettings

            path = QgsSettings().value(SETTING_KEY, "", type=str)
        except Exception:  # nosec B110 - no settings outside a QGIS application
            path = ""
    if not path and os.path.basename(sys.executable).startswith("python"):
        path = sys.executable
    if not path:  # inside QGIS sys.executable is QGIS: use the Python it embeds
        embedded = os.path.join(sys.exec_prefix, "bin",
                                f"python{sys.version_info.major}.{sys.version_info.minor}")
        path = embedded if os.path.exists(embedded) else ""
    return path or shutil.which("python3") or "python3"


def _package_root():
    """(folder holding the plugin, the plugin's package name)."""
    plugin_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.dirname(plugin_dir), __package__.split(".")[0]


def worker_command(job_path, python=None):
    """argv and environment that run the engine on ``job_path``."""
    parent, package = _package_root()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (parent, env.get("PYTHONPATH")) if p)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.pop("QT_PLUGIN_PATH", None)
    return [python or python_interpreter(), "-m", f"{package}.engine", job_path], env


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
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                return
            time.sleep(0.1)

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
        elif kind == "error":
            self.error = message

    def run(self):
        """Run the job; return its result dict or raise QgsProcessingException."""
        with tempfile.TemporaryDirectory(prefix="semseg-job-") as tmp:
            job_path = os.path.join(tmp, "job.json")
            with open(job_path, "w", encoding="utf-8") as f:
                json.dump({"task": self.task, "params": self.params, "watch_stdin": True}, f)
            argv, env = worker_command(job_path, self.python)
            if self.feedback is not None:
                self.feedback.pushDebugInfo(tr("Engine: {0}").format(" ".join(argv)))
            try:
                process = subprocess.Popen(  # nosec B603 - argv list, our own module
                    argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, env=env, text=True, bufsize=1,
                    encoding="utf-8", errors="replace")
            except OSError as exc:
                raise QgsProcessingException(
                    tr("Cannot start the engine's Python {0}: {1}. Set the interpreter that has "
                       "TensorFlow in the environment variable {2} or the QGIS setting {3}.")
                    .format(self.python, exc, ENV_KEY, SETTING_KEY)) from exc
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
        last = "\n".join(list(self.stderr_tail)[-12:]) or tr("(nothing)")
        message = tr("The engine process ({0}) ended without a result (exit code {1}). "
                     "Its last words:\n{2}").format(self.python, code, last)
        raise QgsProcessingException(message + self._install_hint(last))

    def _install_hint(self, text):
        """What to install, when ``text`` shows that the engine's Python lacks
        TensorFlow or Keras ('' otherwise)."""
        if not _MISSING_ENGINE_PACKAGE.search(text):
            return ""
        from .dependencies import install_message

        return "\n\n" + install_message(self.python)


def run_worker(task, params, feedback, output_paths=(), python=None):
    """Run one engine job in a child process; see :class:`WorkerRun`."""
    return WorkerRun(task, params, feedback, output_paths, python).run()
