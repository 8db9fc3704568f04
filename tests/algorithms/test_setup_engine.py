"""Set up the engine (semseg:setupengine) with a real venv and a real pip, offline: a
wheel the test writes itself, installed from a WHEELS folder; and the engine setting
it stores (Settings > Options > Processing > Providers)."""

import base64
import glob
import hashlib
import os
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT_VENV = os.path.join(ROOT, ".venv")
PROBE = "semseg_probe"


def _site_packages(venv):
    found = glob.glob(os.path.join(venv, "lib", "python3*", "site-packages"))
    return os.path.realpath(found[0]) if found else None


def make_wheel(folder, name=PROBE, version="0.1", extra=None):
    """A pure-Python wheel written as a zip: ``import <name>`` gives VALUE = 42.

    ``extra``: more files at the wheel's root, e.g. a .pth file.
    """
    dist = f"{name}-{version}.dist-info"
    files = {f"{name}.py": "VALUE = 42\n",
             f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: semseg-tests\n"
                              "Root-Is-Purelib: true\nTag: py3-none-any\n",
             **(extra or {})}
    record = []
    for path, text in files.items():
        data = text.encode("utf-8")
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist}/RECORD,,")
    files[f"{dist}/RECORD"] = "\n".join(record) + "\n"
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{name}-{version}-py3-none-any.whl")
    with zipfile.ZipFile(path, "w") as wheel:
        for name_in_zip, text in files.items():
            wheel.writestr(name_in_zip, text)
    return path


@pytest.fixture
def setting(qgis_app, monkeypatch):
    """The engine setting, emptied for the test and restored afterwards; no
    SEMSEG_PYTHON in the environment (it would take precedence)."""
    from semantic_segmentation.seg_plugin import engine_setting

    monkeypatch.delenv("SEMSEG_PYTHON", raising=False)
    before = engine_setting.configured_python()
    engine_setting.store("")
    yield engine_setting
    engine_setting.store(before)


@pytest.fixture
def offline(tmp_path):
    """(requirements file, wheels folder) for the probe package only."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text(f"{PROBE}==0.1\n")
    return str(requirements), str(tmp_path / "wheels")


class _Recorder:
    """A feedback that keeps the log; ``cancel_on`` cancels at the first line holding it."""

    def __new__(cls, cancel_on=None):
        from qgis.core import QgsProcessingFeedback

        class Recorder(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.lines = []
                self.cancelled = False

            def pushInfo(self, info):  # noqa: N802 (QGIS's name)
                self.lines.append(info)
                if cancel_on and cancel_on in info:
                    self.cancelled = True
                super().pushInfo(info)

            def isCanceled(self):  # noqa: N802
                return self.cancelled or super().isCanceled()

        return Recorder()


def test_setup_engine_installs_offline_and_stores_the_setting(run, setting, offline, tmp_path):
    site = _site_packages(PROJECT_VENV)
    if site is None:
        pytest.skip("the project's .venv (make install) is missing")
    requirements, wheels = offline
    # The probe wheel also carries a .pth that lends the new environment the project
    # venv's TensorFlow, so the self-check passes without a download.
    make_wheel(wheels, extra={"semseg_probe_engine.pth": site + "\n"})
    folder = tmp_path / "engine"
    feedback = _Recorder()
    result = run("semseg:setupengine", {"FOLDER": str(folder), "REQUIREMENTS": requirements,
                                        "WHEELS": wheels}, feedback)
    python = str(folder / "bin" / "python")
    assert result == {"PYTHON": python, "READY": True}
    assert (folder / "pyvenv.cfg").read_text().count("include-system-site-packages = true")
    assert glob.glob(str(folder / "lib" / "python3*" / "site-packages" / f"{PROBE}.py"))
    assert any(line.startswith("pip: ") for line in feedback.lines)
    assert any("Self-check passed" in line for line in feedback.lines)
    assert setting.configured_python() == python
    assert setting.python_interpreter() == python
    from qgis.core import QgsSettings

    assert QgsSettings().value(setting.QSETTINGS_KEY) == python


def test_setup_engine_fails_without_tensorflow_and_removes_its_folder(run, setting, offline,
                                                                       tmp_path):
    from qgis.core import QgsProcessingException

    requirements, wheels = offline
    make_wheel(wheels)
    folder = tmp_path / "engine"
    with pytest.raises(QgsProcessingException) as error:
        run("semseg:setupengine", {"FOLDER": str(folder), "REQUIREMENTS": requirements,
                                   "WHEELS": wheels})
    assert "tensorflow" in str(error.value) and "Set up the engine" in str(error.value)
    assert not folder.exists()
    assert setting.configured_python() == ""


def test_cancel_during_pip_leaves_no_folder_and_no_setting(run, setting, offline, tmp_path):
    from qgis.core import QgsProcessingException

    requirements, wheels = offline
    make_wheel(wheels)
    folder = tmp_path / "engine"
    feedback = _Recorder(cancel_on="pip: ")
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        run("semseg:setupengine", {"FOLDER": str(folder), "REQUIREMENTS": requirements,
                                   "WHEELS": wheels}, feedback)
    assert feedback.cancelled
    assert not folder.exists()
    assert setting.configured_python() == ""


def test_repair_of_the_project_venv_is_a_ready_no_op(run, setting, tmp_path, monkeypatch):
    if _site_packages(PROJECT_VENV) is None:
        pytest.skip("the project's .venv (make install) is missing")
    from semantic_segmentation.engine.runtime import environment

    # The CPU package whatever this host has, so pip finds everything installed.
    monkeypatch.setattr(environment, "tensorflow_choice",
                        lambda *facts: ("tensorflow-cpu", "linux"))
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    feedback = _Recorder()
    result = run("semseg:setupengine", {"FOLDER": PROJECT_VENV, "WHEELS": str(empty)},
                 feedback)
    assert result["READY"] is True
    assert result["PYTHON"] == os.path.join(PROJECT_VENV, "bin", "python")
    assert any("Repairing" in line for line in feedback.lines)
    assert os.path.isdir(PROJECT_VENV)


def test_interpreter_order_env_then_setting_then_default_environment(setting, tmp_path,
                                                                     monkeypatch):
    from semantic_segmentation.engine.runtime import environment

    assert setting.python_interpreter() == ""  # never QGIS's Python nor python3 on the PATH
    from qgis.core import QgsApplication

    default = setting.default_python()
    assert setting.default_folder() == os.path.join(QgsApplication.qgisSettingsDirPath(),
                                                    "semseg-engine")
    assert default == environment.venv_python(setting.default_folder())
    os.makedirs(os.path.dirname(default))
    try:
        with open(default, "w", encoding="utf-8"):
            pass
        assert setting.python_interpreter() == default
        chosen = tmp_path / "python"
        chosen.write_text("")
        setting.store(str(chosen))
        assert setting.python_interpreter() == str(chosen)
        monkeypatch.setenv("SEMSEG_PYTHON", "/opt/engine/bin/python")
        assert setting.python_interpreter() == "/opt/engine/bin/python"
    finally:
        import shutil

        shutil.rmtree(setting.default_folder())


def test_setting_is_a_processing_provider_setting(qgis_app):
    from processing.core.ProcessingConfig import ProcessingConfig, Setting

    from semantic_segmentation.seg_plugin.i18n import tr

    registered = ProcessingConfig.settings["SEMSEG_PYTHON"]
    assert registered.group == tr("Semantic Segmentation")
    assert registered.valuetype == Setting.FILE


def test_training_without_an_engine_points_to_set_up_the_engine(run, setting, tiny_dataset,
                                                               tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as error:
        run("semseg:trainmodel", {"DATASET": tiny_dataset, "EPOCHS": 1,
                                  "OUTPUT_MODEL": str(tmp_path / "m.keras")})
    assert "Set up the engine" in str(error.value)
    assert "python3 -m venv --system-site-packages" in str(error.value)
    assert not (tmp_path / "m.keras").exists()


def test_setting_is_read_on_a_background_thread(setting, tmp_path):
    """Processing runs algorithms off the GUI thread: the setting reads the same there."""
    import threading

    chosen = tmp_path / "python"
    chosen.write_text("")
    setting.store(str(chosen))
    seen = []
    thread = threading.Thread(target=lambda: seen.append(setting.python_interpreter()))
    thread.start()
    thread.join(timeout=30)
    assert seen == [str(chosen)]
