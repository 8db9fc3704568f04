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

