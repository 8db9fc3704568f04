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
    os.symlink(ROOT, _link)
sys.path.insert(0, PLUGINS)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The engine (TensorFlow) lives in the venv; QGIS-side tests reach it only through
# the plugin's engine setting, as a user's QGIS does.
os.environ.setdefault("SEMSEG_PYTHON", os.path.join(ROOT, ".venv", "bin", "python"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

QGIS_PROCESS = os.path.join(ROOT, "scripts", "qgis_process")


@pytest.fixture(scope="session")
def qgis_app(tmp_path_factory):
    """A headless QgsApplication with Processing and our provider loaded."""
    if "tensorflow" in sys.modules:
        pytest.fail("TensorFlow is loaded in this test process, and QGIS aborts beside it "
                    "(DESIGN.md): run QGIS tests apart from tests/engine and tests/models, "
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
