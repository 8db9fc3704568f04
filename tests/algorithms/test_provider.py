"""The semseg provider: its algorithms, their help, and no TensorFlow at load time."""

import importlib.util
import os
import subprocess
import sys
import textwrap

import pytest

OURS = ("tiledataset", "colortoindex", "evaluate")
LEADS = {"trainmodel": "train_model", "predictraster": "predict_raster"}


def _importable(module):
    try:
        return importlib.util.find_spec(f"semantic_segmentation.algorithms.{module}") is not None
    except ModuleNotFoundError:
        return False


def _provider():
    from qgis.core import QgsApplication

    return QgsApplication.processingRegistry().providerById("semseg")


def test_provider_lists_the_algorithms(qgis_app):
    ids = {alg.id() for alg in _provider().algorithms()}
    expected = {f"semseg:{name}" for name in OURS}
    expected |= {f"semseg:{name}" for name, module in LEADS.items() if _importable(module)}
    assert expected <= ids


def test_every_algorithm_has_help_and_uppercase_parameters(qgis_app):
    for alg in _provider().algorithms():
        assert alg.shortHelpString().strip(), alg.id()
        assert alg.displayName().strip(), alg.id()
        for param in alg.parameterDefinitions():
            assert param.name() == param.name().upper(), (alg.id(), param.name())


@pytest.mark.parametrize("alg_id, outputs", [
    ("semseg:tiledataset", {"OUTPUT", "TILE_COUNT"}),
    ("semseg:colortoindex", {"OUTPUT"}),
    ("semseg:evaluate", {"OUTPUT_TABLE", "OUTPUT_REPORT", "OUTPUT_JSON", "OVERALL_ACCURACY",
                         "KAPPA", "MEAN_IOU"}),
])
def test_outputs_are_declared_for_models(qgis_app, alg_id, outputs):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    assert {out.name() for out in alg.outputDefinitions()} == outputs


def test_loading_the_provider_imports_no_tensorflow(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.path.join(root, 'build', 'qgis-plugins')!r})
        from qgis.core import QgsApplication
        app = QgsApplication([], False, {str(tmp_path)!r})
        QgsApplication.setPrefixPath("/usr", True)
        app.initQgis()
        from semantic_segmentation.seg_plugin.provider import SegmentationProvider
        provider = SegmentationProvider()
        assert QgsApplication.processingRegistry().addProvider(provider)
        algs = provider.algorithms()
        for alg in algs:
            alg.createInstance().initAlgorithm()
        print(len(algs), 'tensorflow' in sys.modules, 'keras' in sys.modules)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    count, tensorflow, keras = proc.stdout.split()[-3:]
    assert int(count) >= len(OURS)
    assert (tensorflow, keras) == ("False", "False")
