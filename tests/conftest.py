"""Test bootstrap: the repository is importable as ``semantic_segmentation``
(the name the plugin is installed under) through a symlink in the venv, and a
headless QgsApplication with Processing is available as a fixture.

Engine and model tests never touch QGIS; algorithm tests ask for ``qgis_app``.
"""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
os.makedirs(PLUGINS, exist_ok=True)
_link = os.path.join(PLUGINS, "semantic_segmentation")
if not os.path.islink(_link):
    try:
        os.symlink(ROOT, _link)
    except FileExistsError:  # another pytest-xdist worker made it first
        pass
sys.path.insert(0, PLUGINS)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The engine (TensorFlow) lives in the venv; QGIS-side tests reach it only through
# the plugin's engine setting, as a user's QGIS does.
os.environ.setdefault("SEMSEG_PYTHON", os.path.join(ROOT, ".venv", "bin", "python"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

QGIS_PROCESS = os.path.join(ROOT, "scripts", "qgis_process")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """`make test` runs each half on pytest-xdist workers with ``--dist loadgroup``:
    a test file is one unit of work, so its module fixtures are made once; files
    that share an expensive session fixture name one ``xdist_group`` (their
    ``pytestmark``) so that fixture is made once too."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.fixture(scope="session")
def qgis_app(tmp_path_factory):
    """A headless QgsApplication with Processing and our provider loaded."""
    if "tensorflow" in sys.modules:
        pytest.fail("TensorFlow is loaded in this test process, and QGIS aborts beside it "
                    "(docs/architecture.md): run QGIS tests apart from tests/engine and tests/models, "
                    "as `make test` does.")
    profile = tmp_path_factory.mktemp("qgis-profile")
    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    if app is None:
        app = QgsApplication([], False, str(profile))
        QgsApplication.setPrefixPath("/usr", True)
        app.initQgis()
    sys.path.append("/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    from semantic_segmentation.seg_plugin.provider import SegmentationProvider

    registry = QgsApplication.processingRegistry()
    if registry.providerById("semseg") is None:
        provider = SegmentationProvider()
        registry.addProvider(provider)
    yield app


@pytest.fixture
def feedback():
    """A Processing feedback that records what the algorithm reported."""
    from qgis.core import QgsProcessingFeedback

    return QgsProcessingFeedback()


@pytest.fixture(scope="session")
def qgis_process():
    """Path of the qgis_process wrapper made by `make install`."""
    if not os.path.exists(QGIS_PROCESS):
        pytest.fail(f"{QGIS_PROCESS} is missing: run `make install` first.")
    return QGIS_PROCESS



# ------------------------------------------------------------ the plugin as users install it
RELEASE_NAME = "semantic_segmentation"
QGIS_PROCESS_BIN = "/usr/bin/qgis_process.bin"
ENGINE_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")


@pytest.fixture(scope="session")
def release_plugin(tmp_path_factory):
    """`make zip` (a git archive of HEAD), unzipped into a plugins folder: the plugin
    exactly as a user installs it from the zip."""
    import shutil
    import subprocess  # nosec B404 - make with a list argv
    import zipfile

    # .git is a folder in a clone, a file in a worktree (git worktree add)
    if shutil.which("make") is None or not os.path.exists(os.path.join(ROOT, ".git")):
        pytest.skip("needs make and a git checkout")
    dist = tmp_path_factory.mktemp("dist")  # each pytest-xdist worker packs its own
    proc = subprocess.run(["make", "-s", "-C", ROOT, "zip", f"DIST={dist}"],  # nosec B603 B607
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, (
        "make zip failed (every file it packs must be committed):\n" + proc.stderr)
    plugins = tmp_path_factory.mktemp("installed-plugins")
    with zipfile.ZipFile(os.path.join(dist, RELEASE_NAME + ".zip")) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert all(n.startswith(RELEASE_NAME + "/") for n in names), names[:5]
        archive.extractall(plugins)
    return plugins / RELEASE_NAME


def stock_env(plugins_dir, profile, runtime):
    """The environment of a stock QGIS: our plugins folder and a profile, nothing on
    Python's path, no engine variable (the engine is found through the plugin's
    setting in the profile)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "SEMSEG_PYTHON")}
    env.update(QGIS_PLUGINPATH=str(plugins_dir), QGIS_CUSTOM_CONFIG_PATH=str(profile),
               QT_QPA_PLATFORM="offscreen", XDG_RUNTIME_DIR=str(runtime))
    os.makedirs(runtime, mode=0o700, exist_ok=True)
    return env


@pytest.fixture(scope="session")
def stock_environment():
    """``stock_environment(plugins_dir, profile, runtime)``: see :func:`stock_env`."""
    return stock_env


def write_engine_setting(profile, python):
    """Store the engine's interpreter in the profile, as the Processing options dialog
    (Settings > Options > Processing > Providers) does."""
    ini_dir = os.path.join(str(profile), "profiles", "default", "QGIS")
    os.makedirs(ini_dir, exist_ok=True)
    with open(os.path.join(ini_dir, "QGIS3.ini"), "a", encoding="utf-8") as f:
        f.write(f"\n[Processing]\nConfiguration\\SEMSEG_PYTHON={python}\n")


@pytest.fixture(scope="session")
def stock_qgis_process(release_plugin, tmp_path_factory):
    """``stock_qgis_process(*args, timeout=...)``: Debian's qgis_process.bin with the
    released plugin installed in an empty profile and enabled, QGIS's own Python with
    nothing added to its path, the engine reached only through the plugin's setting."""
    import subprocess  # nosec B404 - qgis_process with a list argv

    if not os.path.exists(QGIS_PROCESS_BIN):
        pytest.skip("qgis_process.bin is not installed")
    home = tmp_path_factory.mktemp("stock-qgis")
    profile = home / "profile"
    env = stock_env(release_plugin.parent, profile, home / "runtime")
    write_engine_setting(profile, ENGINE_PYTHON)  # first: enabling rewrites the file
    enable = subprocess.run([QGIS_PROCESS_BIN, "plugins", "enable", RELEASE_NAME],  # nosec B603
                            capture_output=True, text=True, timeout=120, env=env)
    assert enable.returncode == 0, enable.stdout + enable.stderr

    def run(*args, timeout=300):
        return subprocess.run([QGIS_PROCESS_BIN, *args],  # nosec B603
                              capture_output=True, text=True, timeout=timeout, env=env)

    return run


def _set_gdal_exceptions(states):
    """Set GDAL's, OGR's and OSR's exception modes ({module: on}); returns the
    old states. GDAL keeps a stack of error handlers for them: modes are
    turned off in the reverse order of turning on (osr, ogr, gdal)."""
    from osgeo import gdal, ogr, osr

    modules = (gdal, ogr, osr)
    before = {module: bool(module.GetUseExceptions()) for module in modules}
    for module in reversed(modules):
        if before[module] and not states[module]:
            module.DontUseExceptions()
    for module in modules:
        if states[module] and not module.GetUseExceptions():
            module.UseExceptions()
    return before


def _all_gdal_exceptions(on):
    from osgeo import gdal, ogr, osr

    return {gdal: on, ogr: on, osr: on}


@pytest.fixture(params=[True, False], ids=["gdal-exceptions-on", "gdal-exceptions-off"])
def gdal_exceptions(request):
    """Run a test with gdal/ogr/osr ``UseExceptions()`` and again with
    ``DontUseExceptions()`` (another plugin, or GDAL 4's default, may set
    either); the previous states are restored afterwards."""
    before = _set_gdal_exceptions(_all_gdal_exceptions(request.param))
    try:
        yield request.param
    finally:
        _set_gdal_exceptions(before)


@pytest.fixture(autouse=True)
def _gdal_exceptions_from_environment():
    """SEMSEG_GDAL_EXCEPTIONS=1 runs every test with GDAL's exceptions on
    (=0: off), to check that the engine behaves the same either way."""
    wanted = os.environ.get("SEMSEG_GDAL_EXCEPTIONS")
    if wanted not in ("0", "1"):
        yield
        return
    before = _set_gdal_exceptions(_all_gdal_exceptions(wanted == "1"))
    try:
        yield
    finally:
        _set_gdal_exceptions(before)
