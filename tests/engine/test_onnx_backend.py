"""The ONNX Runtime predictor: an exported model as a function of an NHWC batch,
equal to Keras, without TensorFlow."""

import os
import subprocess  # nosec B404 - a child Python with a list argv
import sys
import textwrap

import numpy as np
import pytest

from semantic_segmentation.engine.errors import InputError

keras = pytest.importorskip("keras")
pytest.importorskip("onnxruntime")

# one pytest-xdist worker runs every file that shares the unet_onnx fixtures
pytestmark = pytest.mark.xdist_group("unet_onnx")

TILE = 64  # the Deepness file's window


@pytest.fixture(scope="module")
def exported(unet_onnx):
    """(keras model, {layout: onnx path}) of one tiny network (tests/engine/conftest.py)."""
    from semantic_segmentation.engine.formats import modelfile

    net, _meta = modelfile.load_model(unet_onnx["keras"])
    return net, unet_onnx


@pytest.mark.parametrize("layout", ["NHWC", "NCHW"])
def test_predictor_equals_keras(exported, layout):
    from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor

    net, files = exported
    predictor = OnnxPredictor(files[layout])
    assert predictor.layout == layout and predictor.bands == 3 and predictor.n_classes == 3
    assert "CPUExecutionProvider" in predictor.providers
    assert predictor.metadata["onnx"]["layout"] == layout
    x = np.random.default_rng(0).normal(size=(5, TILE, TILE, 3)).astype(np.float32)
    got = predictor(x)
    assert got.dtype == np.float32 and got.shape == (5, TILE, TILE, 3)
    np.testing.assert_allclose(got, net.predict(x, verbose=0), atol=1e-5)


def test_predictor_checks_the_batch(exported):
    from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor

    _net, files = exported
    plain, deepness = OnnxPredictor(files["NHWC"]), OnnxPredictor(files["NCHW"])
    assert plain.tile_size is None and deepness.tile_size == (TILE, TILE)
    assert plain(np.zeros((1, 96, 64, 3), np.float32)).shape == (1, 96, 64, 3)
    with pytest.raises(InputError, match="4 bands; the model takes 3"):
        plain(np.zeros((1, 32, 32, 4), np.float32))
    with pytest.raises(InputError, match="windows of 64 x 64 pixels"):
        deepness(np.zeros((1, 32, 32, 3), np.float32))
    with pytest.raises(InputError, match="does not exist"):
        OnnxPredictor(os.path.join(os.path.dirname(files["NHWC"]), "none.onnx"))


def test_predictor_loads_no_tensorflow(exported, tmp_path):
    _net, files = exported
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    script = textwrap.dedent(f"""
        import sys
        import numpy as np
        sys.path.insert(0, {os.path.join(root, 'build', 'qgis-plugins')!r})
        from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor
        predictor = OnnxPredictor({files['NHWC']!r})
        y = predictor(np.zeros((2, 32, 32, 3), np.float32))
        assert y.shape == (2, 32, 32, 3), y.shape
        print('tensorflow' in sys.modules, 'keras' in sys.modules)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,  # nosec
                         timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["False", "False"]
