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


def test_deepness_file_runs_at_any_size_for_us_and_declares_its_tile(exported):
    import onnxruntime as ort
    from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor

    net, files = exported
    # what Deepness sees: the tile, fixed, as its dock widget reads it
    declared = ort.InferenceSession(files["NCHW"], providers=["CPUExecutionProvider"])
    assert declared.get_inputs()[0].shape[1:] == [3, TILE, TILE]
    assert declared.get_outputs()[0].shape[1:] == [3, TILE, TILE]
    # what Predict Raster runs: any size, equal to Keras
    predictor = OnnxPredictor(files["NCHW"])
    assert predictor.tile_size is None and predictor.layout == "NCHW"
    x = np.random.default_rng(1).normal(size=(2, 96, 160, 3)).astype(np.float32)
    np.testing.assert_allclose(predictor(x), net.predict(x, verbose=0), atol=1e-5)


def test_free_spatial_dims_changes_only_the_declared_sizes(exported):
    import onnx
    from semantic_segmentation.engine.formats.onnx_backend import free_spatial_dims

    _net, files = exported
    with open(files["NCHW"], "rb") as f:
        data = f.read()
    before, after = onnx.load_from_string(data), onnx.load_from_string(
        free_spatial_dims(data, "NCHW"))

    def dims(model):
        return [[d.dim_value or d.dim_param for d in v.type.tensor_type.shape.dim]
                for v in (model.graph.input[0], model.graph.output[0])]

    assert dims(before) == [["batch", 3, TILE, TILE]] * 2
    assert dims(after) == [["batch", 3, "height", "width"]] * 2
    for name in ("input", "output"):
        getattr(after.graph, name)[0].type.CopyFrom(getattr(before.graph, name)[0].type)
    assert after.SerializeToString() == before.SerializeToString()  # nothing else moved


def test_predictor_checks_the_batch(exported):
    from semantic_segmentation.engine.formats.onnx_backend import OnnxPredictor

    _net, files = exported
    plain = OnnxPredictor(files["NHWC"])
    assert plain.tile_size is None
    assert plain(np.zeros((1, 96, 64, 3), np.float32)).shape == (1, 96, 64, 3)
    with pytest.raises(InputError, match="4 bands; the model takes 3"):
        plain(np.zeros((1, 32, 32, 4), np.float32))
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
