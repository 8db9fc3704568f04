"""Which Python runs the engine, and Predict Raster's memory budget: Processing
settings, where QGIS users look for them.

The provider registers ``SEMSEG_PYTHON`` with Processing (Settings > Options
> Processing > Providers > Semantic Segmentation > Engine Python
interpreter). :func:`python_interpreter` resolves, in order: the environment
variable ``SEMSEG_PYTHON``, that setting, the environment "Set up the engine"
makes by default (``semseg-engine`` in the QGIS profile folder) if it exists.
Nothing else: never a ``python3`` from the PATH nor the Python QGIS runs,
which lack TensorFlow. It reads plain values only, so it works on the
background threads Processing runs algorithms on and in ``qgis_process``.

``SEMSEG_MEMORY_BUDGET`` ("Memory budget (MiB)", default 512) is the budget
Predict Raster plans its windows and batch on when its MEMORY_BUDGET
parameter is 0 (:func:`memory_budget`): a fixed number, so the plan is the
same on every machine (engine/predict/window_plan.py).

``SEMSEG_BACKEND`` ("Engine backend": auto, tensorflow, torch, jax) is the
Keras backend the engine runs on (engine/backends.py), passed to its process
in the environment variable of the same name (:func:`engine_backend`).
"""

import os
import re

from ..engine import backends
from ..engine.predict import window_plan
from ..engine.runtime import environment
from .i18n import tr
from .paths import PLUGIN_DIR

ENV_KEY = "SEMSEG_PYTHON"
SETTING = "SEMSEG_PYTHON"
# Where Processing's Setting keeps the value (processing/core/ProcessingConfig.py).
QSETTINGS_KEY = "Processing/Configuration/" + SETTING
MEMORY_SETTING = "SEMSEG_MEMORY_BUDGET"
MEMORY_QSETTINGS_KEY = "Processing/Configuration/" + MEMORY_SETTING
BACKEND_SETTING = "SEMSEG_BACKEND"
BACKEND_QSETTINGS_KEY = "Processing/Configuration/" + BACKEND_SETTING


def default_folder():
    """Set up the engine's default folder: semseg-engine in the QGIS profile folder."""
    from qgis.core import QgsApplication

    return environment.default_folder(QgsApplication.qgisSettingsDirPath())


def default_python():
    """The interpreter of the default environment (it may not exist)."""
    return environment.venv_python(default_folder())


def register(group, icon=None):
    """Add the setting to Processing's options (the provider's load()).

    Without Processing's Python plugin (a bare PyQGIS script) there is no options
    page: the value is then read from the key Processing would store it under.
    """
    try:
        from processing.core.ProcessingConfig import ProcessingConfig, Setting
    except ImportError:
        return
    if icon is not None:
        ProcessingConfig.settingIcons[group] = icon
    default = default_python()
    ProcessingConfig.addSetting(Setting(
        group, SETTING, tr("Engine Python interpreter"),
        default if os.path.isfile(default) else "", valuetype=Setting.FILE))
    ProcessingConfig.addSetting(Setting(
        group, MEMORY_SETTING, tr("Memory budget (MiB)"), window_plan.DEFAULT_BUDGET_MIB,
        valuetype=Setting.INT))
    ProcessingConfig.addSetting(Setting(
        group, BACKEND_SETTING, tr("Engine backend"), "auto", valuetype=Setting.SELECTION,
        options=list(backends.CHOICES)))
    ProcessingConfig.readSettings()


def unregister():
    """Remove the setting again (the provider's unload())."""
    config = _registered_config()
    if config is not None:
        config.removeSetting(SETTING)
        for name in (MEMORY_SETTING, BACKEND_SETTING):
            if name in config.settings:
                config.removeSetting(name)


def _registered_config():
    """Processing's ProcessingConfig when our setting is registered there, else None."""
    try:
        from processing.core.ProcessingConfig import ProcessingConfig
    except ImportError:  # Processing's plugin is not loaded: use the key it would use
        return None
    return ProcessingConfig if SETTING in ProcessingConfig.settings else None


def configured_python():
    """The setting's value ("" when unset)."""
    config = _registered_config()
    if config is not None:
        value = config.getSetting(SETTING)
    else:
        from qgis.core import QgsSettings

        value = QgsSettings().value(QSETTINGS_KEY, "")
    return str(value or "").strip()


def memory_budget():
    """The setting "Memory budget (MiB)": a whole number of MiB, at least
    window_plan.MIN_BUDGET_MIB (the default when unset or not a number)."""
    config = _registered_config()
    if config is not None and MEMORY_SETTING in config.settings:
        value = config.getSetting(MEMORY_SETTING)
    else:
        from qgis.core import QgsSettings

        value = QgsSettings().value(MEMORY_QSETTINGS_KEY, "")
    try:
        mib = int(float(value))
    except (TypeError, ValueError):
        return window_plan.DEFAULT_BUDGET_MIB
    return mib if mib >= window_plan.MIN_BUDGET_MIB else window_plan.DEFAULT_BUDGET_MIB


def engine_backend():
    """The setting "Engine backend": one of engine/backends.py's CHOICES ("auto"
    when unset or unknown). The engine's process gets it as the environment
    variable of the same name (:func:`engine_command`), where an explicit
    KERAS_BACKEND overrides it."""
    config = _registered_config()
    if config is not None and BACKEND_SETTING in config.settings:
        value = config.getSetting(BACKEND_SETTING, readable=True)
    else:
        from qgis.core import QgsSettings

        value = QgsSettings().value(BACKEND_QSETTINGS_KEY, "")
    value = str(value or "").strip().lower()
    return value if value in backends.CHOICES else "auto"


def store(python):
    """Make ``python`` the engine's interpreter (what Set up the engine does at the end)."""
    config = _registered_config()
    if config is not None:
        config.setSettingValue(SETTING, python)
    else:
        from qgis.core import QgsSettings

        QgsSettings().setValue(QSETTINGS_KEY, python)


def _interpreter(path):
    """A venv folder named instead of its interpreter stands for its interpreter."""
    if path and os.path.isdir(path):
        return environment.venv_python(path)
    return path


def python_interpreter():
    """The Python that runs the engine, or "" when none is configured."""
    for path in (os.environ.get(ENV_KEY, "").strip(), configured_python()):
        if path:
            return _interpreter(path)
    default = default_python()
    return default if os.path.isfile(default) else ""


# The child's last words when its Python lacks a module the engine needs.
_MISSING_MODULE = re.compile(r"No module named '([\w.]+)'")


def missing_module(text):
    """The top-level module a "No module named 'X'" in ``text`` names, or None."""
    match = _MISSING_MODULE.search(text or "")
    return match.group(1).split(".")[0] if match else None


def _package_root():
    """(folder holding the plugin, the plugin's package name)."""
    return os.path.dirname(PLUGIN_DIR), __package__.split(".")[0]


def engine_command(python, *args):
    """argv and environment that run ``python -m <package>.engine ARGS``."""
    parent, package = _package_root()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (parent, env.get("PYTHONPATH")) if p)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if not env.get(backends.SETTING_ENV):  # the environment's own value comes first
        env[backends.SETTING_ENV] = engine_backend()
    env.pop("QT_PLUGIN_PATH", None)
    return [python, "-m", f"{package}.engine", *args], env
