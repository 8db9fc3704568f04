"""Is the engine's Python able to train and predict? Tell the user what to install.

QGIS itself never imports TensorFlow (DESIGN.md): the check runs the engine's
interpreter in a child process, so it is safe to call from the plugin, off the
GUI thread, and it costs nothing when the plugin merely loads.
"""

import os
import subprocess  # nosec B404 - we start the configured interpreter with a list argv

from .i18n import tr
from .worker_client import ENV_KEY, SETTING_KEY, python_interpreter

TENSORFLOW = "tensorflow-cpu==2.21.0"
KERAS = "keras==3.15.1"
NUMPY = "numpy<2"
PROBE = "import tensorflow, keras"
TIMEOUT_S = 60


def pip_command(python):
    """The command that installs the engine's packages into ``python``."""
    return f'{python} -m pip install "{TENSORFLOW}" "{KERAS}" "{NUMPY}"'


def install_message(python, reason=""):
    """What to install, into which interpreter, and how to point the plugin elsewhere."""
    text = tr(
        "Train Model and Predict Raster need TensorFlow and Keras in the Python that runs "
        "the segmentation engine, {0}, and it cannot import them{1}. Install them with:\n"
        "{2}\n"
        "or name another Python that has them in the environment variable {3} or the "
        "QGIS setting {4} (Settings > Options > Advanced).").format(
            python, f" ({reason})" if reason else "", pip_command(python), ENV_KEY, SETTING_KEY)
    return text


def check_engine(python=None, timeout=TIMEOUT_S):
    """(ok, message): can ``python`` (default: the engine's interpreter) import TF and Keras?

    The import runs in a child process; ``message`` says what to install when it fails.
    """
    python = python or python_interpreter()
    try:
        proc = subprocess.run(  # nosec B603 - argv list, a fixed probe
            [python, "-c", PROBE], capture_output=True, text=True, timeout=timeout,
            env=_quiet_env())
    except OSError as exc:
        return False, install_message(python, str(exc))
    except subprocess.TimeoutExpired:
        return False, install_message(python, tr("no answer in {0} s").format(timeout))
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        return False, install_message(python, lines[-1] if lines else
                                      tr("exit code {0}").format(proc.returncode))
    return True, tr("The engine's Python {0} has TensorFlow and Keras.").format(python)


def _quiet_env():
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.pop("QT_PLUGIN_PATH", None)
    return env
