"""Export Model: the ONNX file reproduces the Keras model, and its metadata lets
Deepness reproduce our preprocessing."""

import json
import os
import zipfile

import numpy as np
import pytest

from models_fixture import make_model_file
from rasters import synthetic_scene, write_raster

from semantic_segmentation.engine.formats import dataset_files
from semantic_segmentation.engine.predict import onnx_export
from semantic_segmentation.engine.errors import InputError

keras = pytest.importorskip("keras")
onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

# one pytest-xdist worker runs every file that shares the unet_onnx fixtures
pytestmark = pytest.mark.xdist_group("unet_onnx")

TILE = 64
# Networks whose heads differ (skips, atrous pyramid, pyramid pooling): each is
# trained a little so that its argmax is not a coin toss between equal classes.
NETWORKS = [("unet", "mobilenet_v2"), ("deeplab_v3p", "mobilenet_v2"),
            ("pspnet", "mobilenet_v2")]


def _raw_pixels(h, w, seed=1):
    """UInt16 pixels of a scene like the training one (class-coloured blocks)."""
    image, _ = synthetic_scene(h, w, bands=3, seed=seed, classes=3)
    return image


def _standardised(raw, meta):
    return (raw.astype(np.float32) - np.float32(meta["mean"])) / np.float32(meta["std"])


def _deepness_preprocessing(raw, props, bands):
    """What Deepness does before its ONNX session (model_base.preprocessing):
    keep the model's bands, divide by 255 in float32, standardise with the
    file's metadata, NHWC -> NCHW."""
    mean = np.array(json.loads(props["standardization_mean"]), np.float32)
    std = np.array(json.loads(props["standardization_std"]), np.float32)
    x = np.float32(raw[..., :bands] * 1.0 / 255.0)
    x = (x - mean) / std
    return np.transpose(x, (0, 3, 1, 2))


def _agreement(a, b):
    return float(np.mean(a.argmax(-1) == b.argmax(-1)))


def _metadata_props(path):
    return {p.key: p.value for p in onnx.load(path).metadata_props}


@pytest.fixture(scope="module")
def trained(tmp_path_factory, trained_unet):
    """{model name: (model file, keras model, metadata)}, each trained a little
    (the U-Net is the one other engine tests share)."""
    from semantic_segmentation.engine.formats import modelfile

    folder = tmp_path_factory.mktemp("onnx-models")
    models = {}
    for model, encoder in NETWORKS:
        path = trained_unet if model == "unet" else make_model_file(
            folder / f"{model}.keras", model=model, encoder=encoder, tile_size=TILE,
            width=0.125, train_steps=24)
        net, meta = modelfile.load_model(path)
        models[model] = (path, net, meta)
    return models


def _export(model_path, output, **kwargs):
    params = onnx_export.ExportParams(model=str(model_path), output=str(output), **kwargs)
    return onnx_export.export(params)


@pytest.mark.parametrize("model", ["unet", "deeplab_v3p", "pspnet"])
def test_deepness_export_reproduces_keras_from_raw_pixels(trained, unet_exports, tmp_path,
                                                          model):
    path, net, meta = trained[model]
    if model == "unet":  # exported once for all the ONNX tests (conftest.py)
        output, result = unet_exports["NCHW"]
    else:
        output = tmp_path / f"{model}.onnx"
        result = _export(path, output)
    assert result["deepness"] and result["layout"] == "NCHW"
    assert result["max_abs_difference"] < 1e-4
    session = ort.InferenceSession(str(output), providers=["CPUExecutionProvider"])
    (inp,), (out,) = session.get_inputs(), session.get_outputs()
    assert inp.name == "image" and inp.shape[1:] == [3, TILE, TILE]
    assert isinstance(inp.shape[0], str)  # dynamic batch
    assert out.name == "probabilities" and out.shape[1:] == [3, TILE, TILE]
    # 16 windows of a realistic scene: raw UInt16 pixels, as Deepness reads them
    raw = _raw_pixels(4 * TILE, 4 * TILE).reshape(4, TILE, 4, TILE, 3)
    raw = raw.transpose(0, 2, 1, 3, 4).reshape(16, TILE, TILE, 3)
    props = _metadata_props(str(output))
    got = session.run(None, {"image": _deepness_preprocessing(raw, props, 3)})[0]
    got = got.transpose(0, 2, 3, 1)
    want = net.predict(_standardised(raw, meta), verbose=0)
    assert np.max(np.abs(got - want)) < 1e-4
    assert _agreement(got, want) >= 0.9999
    top2 = np.sort(want, axis=-1)[..., -2:]
    assert np.median(top2[..., 1] - top2[..., 0]) > 1e-2  # argmax is not a near-tie


def test_deepness_metadata_round_trips(trained, unet_exports):
    path, _net, meta = trained["unet"]
    output, _result = unet_exports["NCHW"]  # exported with resolution=50.0
    model = onnx.load(str(output))
    assert model.opset_import[0].version == onnx_export.OPSET
    assert model.ir_version <= 8  # ONNX Runtime 1.10+ reads it (Deepness pins 1.12 - 1.17)
    onnx.checker.check_model(model)
    props = _metadata_props(str(output))
    assert json.loads(props["model_type"]) == "Segmentor"
    assert json.loads(props["class_names"]) == {"0": "water", "1": "forest", "2": "urban"}
    assert json.loads(props["tile_size"]) == TILE
    assert json.loads(props["tiles_overlap"]) == 50  # auto overlap 32 px of 64
    assert json.loads(props["resolution"]) == 50.0
    np.testing.assert_allclose(json.loads(props["standardization_mean"]),
                               np.array(meta["mean"]) / 255.0)
    np.testing.assert_allclose(json.loads(props["standardization_std"]),
                               np.array(meta["std"]) / 255.0)
    ours = json.loads(props["semseg"])
    assert {k: ours[k] for k in meta} == json.loads(json.dumps(meta))
    assert ours["onnx"]["layout"] == "NCHW" and ours["onnx"]["declared_tile_size"] == TILE
    # Predict Raster's windows are not fixed: the graph runs at any size
    assert ours["onnx"]["tile_size"] is None and ours["onnx"]["any_size"] is True
    # Deepness's "Load default parameters": no threshold, no median filter
    assert json.loads(props["seg_thresh"]) == 0 and json.loads(props["seg_small_segment"]) == 0
    assert ours["onnx"]["source_model"] == os.path.basename(path)
    # every Deepness value is JSON, as its model_base reads them (json.loads)
    for key in ("model_type", "class_names", "tile_size", "tiles_overlap", "resolution",
                "standardization_mean", "standardization_std", "seg_thresh",
                "seg_small_segment"):
        json.loads(props[key])


def test_plain_export_takes_any_size_and_batch(trained, unet_exports):
    _path, net, meta = trained["unet"]
    output, result = unet_exports["NHWC"]  # exported with deepness=False
    assert result["layout"] == "NHWC" and not result["deepness"]
    session = ort.InferenceSession(str(output), providers=["CPUExecutionProvider"])
    shape = session.get_inputs()[0].shape
    assert shape[3] == 3 and all(isinstance(d, str) for d in shape[:3])
    props = _metadata_props(str(output))
    assert set(props) == {"semseg"}  # no Deepness keys on a layout Deepness cannot feed
    for n, h, w in ((1, 96, 160), (3, 128, 128)):
        x = _standardised(_raw_pixels(h, w, seed=n)[None].repeat(n, 0), meta)
        got = session.run(None, {"image": x})[0]
        want = net.predict(x, verbose=0)
        assert got.shape == (n, h, w, 3)
        assert np.max(np.abs(got - want)) < 1e-4
        assert _agreement(got, want) >= 0.9999


def _with_metadata(source, target, **changes):
    """A copy of model file ``source`` whose semseg.json has ``changes``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "semseg.json":
                meta = json.loads(data)
                meta.update(changes)
                data = json.dumps(meta).encode("utf-8")
            new.writestr(item, data)
    return str(target)


def test_model_deepness_cannot_feed_is_refused_but_exported_plain(trained, tmp_path):
    path = _with_metadata(trained["unet"][0], tmp_path / "complex.keras",
                          data_type="CFloat32")
    lines = []
    from semantic_segmentation.engine.progress import Progress

    output = tmp_path / "complex.onnx"
    result = onnx_export.export(
        onnx_export.ExportParams(model=path, output=str(output)),
        Progress(log=lines.append))
    assert not result["deepness"] and result["layout"] == "NHWC"
    assert "CFloat32" in result["deepness_refused"][0]
    assert any("Deepness reads only" in line and "CFloat32" in line for line in lines)
    assert any("plain ONNX" in line for line in lines)
    assert output.exists() and "model_type" not in _metadata_props(str(output))


def test_deepness_refusals_say_why_without_tensorflow():
    meta = {"bands": 3, "mean": [1, 2, 3], "std": [1, 1, 1], "tile_size": 64,
            "required_divisor": 16, "data_type": "UInt16",
            "classes": [{"value": 1, "name": "a"}, {"value": 2, "name": "b"}]}
    assert onnx_export.deepness_refusals(meta) == []
    assert "Int8" in str(onnx_export.deepness_refusals({**meta, "data_type": "Int8"})[0])
    assert "3/2 bands" in str(onnx_export.deepness_refusals({**meta, "std": [1, 1]})[0])
    assert "multiple of 16" in str(onnx_export.deepness_refusals({**meta, "tile_size": 40})[0])
    plan = onnx_export.plan_export(onnx_export.ExportParams("m.keras", "m.onnx"), meta, 30.0)
    assert plan.input_shape == (None, 3, 64, 64)
    assert json.loads(plan.properties["standardization_mean"]) == [1 / 255, 2 / 255, 3 / 255]
    plain = onnx_export.plan_export(
        onnx_export.ExportParams("m.keras", "m.onnx", deepness=False), meta)
    assert plain.input_shape == (None, None, None, 3) and plain.properties == {}


def test_export_refuses_other_extension_before_loading(trained, tmp_path):
    with pytest.raises(InputError, match=r"\.onnx"):
        _export(trained["unet"][0], tmp_path / "model.keras")
    assert not list(tmp_path.iterdir())


def test_ground_resolution_comes_from_the_training_scenes(tmp_path):
    image = write_raster(tmp_path / "scene.tif", np.zeros((8, 8, 3), np.uint16), pixel=0.25)
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    header = {"format": dataset_files.FORMAT, "version": dataset_files.VERSION}
    (dataset / "dataset.json").write_text(json.dumps({**header,
                                                      "sources": [{"image": image}]}))
    assert onnx_export.ground_resolution_cm({"dataset": str(dataset)}) == 25.0
    geographic = write_raster(tmp_path / "wgs84.tif", np.zeros((8, 8), np.uint8),
                              pixel=0.001, origin=(10.0, 50.0), epsg=4326)
    (dataset / "dataset.json").write_text(json.dumps({**header,
                                                      "sources": [{"image": geographic}]}))
    assert onnx_export.ground_resolution_cm({"dataset": str(dataset)}) is None
    assert onnx_export.ground_resolution_cm({"dataset": str(tmp_path / "gone")}) is None


def test_ground_resolution_ignores_a_dataset_description_it_cannot_trust(tmp_path):
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "dataset.json").write_text(json.dumps({"sources": []}))  # no format
    assert onnx_export.ground_resolution_cm({"dataset": str(dataset)}) is None
    (dataset / "dataset.json").write_text("{not json")
    assert onnx_export.ground_resolution_cm({"dataset": str(dataset)}) is None
