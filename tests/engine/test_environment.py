"""engine/runtime/environment.py without QGIS: finding QGIS's Python, the TensorFlow package
for the machine, the venv error on a Debian without python3-venv, cancelling a child.
The real venv + pip runs are in tests/algorithms/test_setup_engine.py."""

import json
import os
import subprocess  # nosec B404
import sys

import pytest

from semantic_segmentation.engine import devices
from semantic_segmentation.engine.runtime import environment
from semantic_segmentation.engine.errors import Cancelled, InputError
from semantic_segmentation.engine.progress import Progress

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _exists(*paths):
    return lambda path: path in paths


def test_base_python_of_a_plain_python_is_its_own_interpreter():
    assert environment.base_python("/usr/bin/python3", "/usr", (3, 11), "linux",
                                   _exists("/usr/bin/python3", "/usr/bin/python3.11")) \
        == "/usr/bin/python3.11"


def test_base_python_ignores_the_python3_on_the_path_of_embedded_python():
    # qgis_process 3.22 reports the first python3 on the PATH as sys.executable
    found = environment.base_python("/root/.pyenv/shims/python3", "/usr", (3, 11), "linux",
                                    _exists("/root/.pyenv/shims/python3", "/usr/bin/python3.11"))
    assert found == "/usr/bin/python3.11"


def test_base_python_inside_qgis_on_linux_is_the_embedded_version():
    found = environment.base_python("/usr/bin/qgis_process.bin", "/usr", (3, 11), "linux",
                                    _exists("/usr/bin/python3.11", "/usr/bin/python3"))
    assert found == "/usr/bin/python3.11"


def test_base_python_inside_qgis_on_windows_is_osgeo4w_python_exe():
    prefix = "C:\\OSGeo4W\\apps\\Python39"
    found = environment.base_python("C:\\OSGeo4W\\bin\\qgis-bin.exe", prefix, (3, 9), "win32",
                                    _exists(os.path.join(prefix, "python3.exe")))
    assert found == os.path.join(prefix, "python3.exe")


def test_base_python_inside_the_macos_bundle():
    macos = "/Applications/QGIS.app/Contents/MacOS"
    found = environment.base_python(macos + "/QGIS", "/Applications/QGIS.app/Contents/"
                                    "Frameworks/Python.framework/Versions/3.9", (3, 9),
                                    "darwin", _exists(macos + "/bin/python3"))
    assert found == macos + "/bin/python3"


def test_base_python_is_none_rather_than_a_guess():
    assert environment.base_python("/opt/qgis/bin/qgis", "/opt/qgis", (3, 11), "linux",
                                   _exists()) is None


@pytest.mark.parametrize("platform_name, machine, nvidia, package, reason", [
    ("linux", "x86_64", True, "tensorflow[and-cuda]", "nvidia"),
    ("linux", "x86_64", False, "tensorflow-cpu", "linux"),
    ("linux", "aarch64", False, "tensorflow", "linux_arm"),
    ("win32", "AMD64", True, "tensorflow-cpu", "windows"),
    ("darwin", "arm64", False, "tensorflow", "macos"),
])
def test_tensorflow_choice(platform_name, machine, nvidia, package, reason):
    assert environment.tensorflow_choice(platform_name, machine, nvidia) == (package, reason)


def test_nvidia_gpu_is_found_by_nvidia_smi_or_the_kernel_driver(tmp_path):
    assert devices.has_nvidia_driver(lambda name: "/usr/bin/nvidia-smi", str(tmp_path / "x"))
    assert devices.has_nvidia_driver(lambda name: None, str(tmp_path))
    assert not devices.has_nvidia_driver(lambda name: None, str(tmp_path / "x"))


def test_adapt_requirements_keeps_the_version_and_other_packages():
    lines = ["numpy>=1.26,<2", "tensorflow-cpu==2.21.0", "tensorflow-metal; sys_platform "
             "== 'darwin'", "keras==3.15.1", "# tensorflow-cpu is pinned"]
    adapted, changed = environment.adapt_requirements(lines, "tensorflow[and-cuda]")
    assert changed
    assert adapted == ["numpy>=1.26,<2", "tensorflow[and-cuda]==2.21.0",
                       "tensorflow-metal; sys_platform == 'darwin'", "keras==3.15.1",
                       "# tensorflow-cpu is pinned"]
    assert environment.adapt_requirements(lines, "tensorflow-cpu") == (lines, False)


def test_the_project_requirements_pin_tensorflow():
    with open(os.path.join(ROOT, "requirements.txt"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert environment.mentions_tensorflow(lines)
    adapted, _ = environment.adapt_requirements(lines, "tensorflow")
    assert "tensorflow==2.21.0" in adapted


def test_venv_python_per_system():
    assert environment.venv_python("/e", "linux") == "/e/bin/python"
    assert environment.venv_python("C:\\e", "win32") == os.path.join("C:\\e", "Scripts",
                                                                     "python.exe")


def test_debian_without_python3_venv_is_told_to_apt_install_it(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\necho 'The virtual environment was not created successfully "
                    "because ensurepip is not'\necho 'available.'\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(InputError, match="apt install python3-venv"):
        environment.create_venv(str(fake), str(tmp_path / "env"))


def test_cancel_terminates_the_child_promptly():
    calls = []

    def callback(value):
        return not calls  # cancel once the child has said something

    argv = [sys.executable, "-c", "import time; print('started', flush=True); "
            "time.sleep(60); print('finished', flush=True)"]
    with pytest.raises(Cancelled):
        environment.run_child(argv, Progress(callback), on_line=calls.append)
    assert calls == ["started"]  # ended by the cancel, not waited for


def test_set_up_refuses_a_folder_with_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    requirements = tmp_path / "r.txt"
    requirements.write_text("")
    with pytest.raises(InputError, match="neither a virtual environment"):
        environment.set_up(str(tmp_path), str(requirements))
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_status_without_tensorflow_reports_empty_versions():
    """The self-check under a Python without TensorFlow: JSON, not a traceback."""
    python = "/usr/bin/python3"
    if not os.path.exists(python):
        pytest.skip("no system Python")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "build", "qgis-plugins"))
    proc = subprocess.run([python, "-m", "semantic_segmentation.engine", "--status"],  # nosec
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    status = json.loads(proc.stdout)
    if status["tensorflow"]:
        pytest.skip(f"{python} has TensorFlow")
    assert status["ready"] is False
    assert "tensorflow" in status["missing"]
    assert status["keras"] == "" and status["python"] == python
    assert status["devices"][0]["type"] == "CPU"


def test_folder_mib_counts_the_files_bytes_once(tmp_path):
    """Set up the engine logs the environment's size on disk as measured."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "big.bin").write_bytes(b"\0" * (3 << 20))
    (tmp_path / "small.txt").write_bytes(b"x" * (1 << 19))
    (tmp_path / "link").symlink_to(tmp_path / "a" / "big.bin")  # not followed
    assert environment.folder_mib(str(tmp_path)) == 4  # 3.5 MiB, rounded


def test_set_up_records_the_backend_it_chose(tmp_path, monkeypatch):
    """Windows with an NVIDIA driver (faked): PyTorch's CUDA build is installed and
    recorded, so Engine backend auto trains and predicts on it there."""
    from semantic_segmentation.engine import backends

    made, installed = [], []

    def create_venv(python, folder, progress=None):
        os.makedirs(folder)
        made.append(folder)

    monkeypatch.setattr(environment, "create_venv", create_venv)
    monkeypatch.setattr(environment, "pip_install",
                        lambda python, requirements, wheels=None, progress=None:
                        installed.append(open(requirements).read()))
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy<2\ntensorflow-cpu==2.21.0\nonnxruntime==1.32.0\n")
    choice = environment.engine_choice("win32", "AMD64", nvidia=True)
    folder = tmp_path / "venv"
    logs = []
    environment.set_up(str(folder), str(requirements), python=sys.executable,
                       choice=choice, progress=Progress(log=logs.append))
    assert made == [str(folder)] and "torch>=2.4" in installed[0]
    assert backends.recorded(str(folder)) == "torch"
    assert any("Train Model and Predict Raster run on it, on the GPU" in str(line)
               for line in logs)
