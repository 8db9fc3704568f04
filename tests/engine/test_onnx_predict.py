"""Predict Raster with an ONNX file from Export Model: the same class raster as the
.keras model, and no TensorFlow in the worker (not even installed)."""

import json
import os
import subprocess  # nosec B404 - child Pythons with list argvs
import sys
import textwrap

import numpy as np
import pytest
from osgeo import gdal

from rasters import read_raster, synthetic_scene, write_raster

from semantic_segmentation.engine.formats import modelfile, onnx_backend
from semantic_segmentation.engine.predict import predictors
from semantic_segmentation.engine.errors import InputError
from semantic_segmentation.engine.predict.prediction import (PredictParams, plan_prediction,
                                                             predict_raster)

keras = pytest.importorskip("keras")
pytest.importorskip("onnxruntime")

# one pytest-xdist worker runs every file that shares the unet_onnx fixtures
pytestmark = pytest.mark.xdist_group("unet_onnx")

TILE = 64
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")


@pytest.fixture(scope="module")
def models(unet_onnx):
    """{"keras": path, "NHWC": plain onnx, "NCHW": Deepness onnx} of one trained network."""
    return unet_onnx


@pytest.fixture(scope="module")
def fixed_nchw(models, tmp_path_factory):
    """The Deepness file as Export Model wrote it before its graph took any size:
    its ``onnx`` metadata names the tile as the only window (no ``any_size``)."""
    import onnx

    model = onnx.load(models["NCHW"])
    for prop in model.metadata_props:
        if prop.key == "semseg":
            meta = json.loads(prop.value)
            meta["onnx"]["tile_size"] = TILE
            for key in ("any_size", "declared_tile_size"):
                meta["onnx"].pop(key)
            prop.value = json.dumps(meta)
    path = str(tmp_path_factory.mktemp("fixed") / "fixed.onnx")
    onnx.save(model, path)
    return path


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """A 3-band UInt16 scene with a nodata corner."""
    image, _ = synthetic_scene(150, 190, bands=3, seed=5)
    image = image.astype(np.uint16)
    image[:20, :30] = 0
    return write_raster(tmp_path_factory.mktemp("scene") / "scene.tif", image, nodata=0)


def _run(model, scene, folder, tag, **kw):
    folder = os.path.join(str(folder), tag)
    os.makedirs(folder, exist_ok=True)
    out = {name: os.path.join(folder, f"{name}.{ext}") for name, ext in (
        ("output", "tif"), ("output_probability", "tif"), ("output_confidence", "tif"),
        ("output_entropy", "tif"), ("output_vector", "gpkg"), ("output_label_next", "gpkg"))}
    lines = []
    from semantic_segmentation.engine.progress import Progress

    result = predict_raster(PredictParams(input=scene, model=model, probability_format="float",
                                          label_next_count=5, **out, **kw),
                            Progress(log=lines.append))
    rasters = {k: read_raster(out[k])[0] for k in ("output", "output_probability",
                                                   "output_confidence", "output_entropy")}
    return result, rasters, lines


@pytest.mark.parametrize("layout", ["NHWC", "NCHW"])
def test_onnx_file_predicts_like_the_keras_file(models, scene, tmp_path, layout):
    # One model, one answer: the same parameters plan the same windows (larger
    # than the Deepness file's declared tile) and give the same classes.
    want, want_rasters, _ = _run(models["keras"], scene, tmp_path, "keras", tta="flips")
    got, got_rasters, lines = _run(models[layout], scene, tmp_path, "onnx", tta="flips")
    assert any("Loading ONNX Runtime" in line for line in lines)
    assert not any("Loading Keras" in line for line in lines)
    assert any("it runs on CPUExecutionProvider" in line for line in lines)
    assert got["plan"] == want["plan"]
    assert got["plan"]["window"] > TILE  # the scene is larger than the training tile
    same = np.mean(got_rasters["output"] == want_rasters["output"])
    assert same >= 0.9999, same
    for name in ("output_probability", "output_confidence", "output_entropy"):
        np.testing.assert_allclose(got_rasters[name], want_rasters[name], atol=1e-4)
    assert got["pixels"] == want["pixels"]
    assert got["windows"] == want["windows"]
    assert got["output_vector"] and got["output_label_next"]
    assert (got_rasters["output"][:20, :30] == 255).all()  # nodata stays nodata


def test_extent_d4_and_batch_with_the_deepness_file(models, scene, tmp_path):
    ds = gdal.Open(scene)
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    extent = [x0 + 40 * dx, y0 + 120 * dy, x0 + 150 * dx, y0 + 10 * dy]
    got, rasters, _ = _run(models["NCHW"], scene, tmp_path, "extent", extent=extent,
                           tta="d4", batch_size=3)
    assert rasters["output"].shape[:2] == (110, 110)
    assert got["plan"]["batch"] == 3
    want, want_rasters, _ = _run(models["keras"], scene, tmp_path, "extent_keras",
                                 extent=extent, tta="d4", batch_size=3)
    assert got["plan"] == want["plan"]
    assert np.mean(rasters["output"] == want_rasters["output"]) >= 0.9999


def test_deepness_file_plans_like_the_keras_file(models, scene):
    plan, facts = plan_prediction(PredictParams(input=scene, model=models["NCHW"],
                                                output="unused.tif"))
    assert facts.backend == "onnxruntime"
    keras_plan, _ = plan_prediction(PredictParams(input=scene, model=models["keras"],
                                                  output="unused.tif"))
    assert plan == keras_plan
    assert plan.window > TILE  # a fully convolutional network: auto-larger windows
    plan, _ = plan_prediction(PredictParams(input=scene, model=models["NCHW"],
                                            output="u.tif", tile_size=128))
    assert plan.window == 128
    with pytest.raises(InputError, match="TensorFlow cannot run the ONNX file"):
        plan_prediction(PredictParams(input=scene, model=models["NCHW"], output="u.tif",
                                      backend="tensorflow"))


def test_file_with_a_fixed_tile_still_runs_at_its_tile(fixed_nchw, models, scene, tmp_path):
    plan, _ = plan_prediction(PredictParams(input=scene, model=fixed_nchw,
                                            output="unused.tif"))
    assert plan.window == TILE and plan.input_shape == (TILE, TILE)
    with pytest.raises(InputError, match="windows of 64 x 64 pixels only"):
        plan_prediction(PredictParams(input=scene, model=fixed_nchw, output="u.tif",
                                      tile_size=128))
    got, got_rasters, _ = _run(fixed_nchw, scene, tmp_path, "fixed")
    want, want_rasters, _ = _run(models["keras"], scene, tmp_path, "keras64", tile_size=TILE)
    for plan in (got["plan"], want["plan"]):
        plan.pop("choices")  # the window: "auto" for the file, "set" for Keras
    assert got["plan"] == want["plan"]
    assert np.mean(got_rasters["output"] == want_rasters["output"]) >= 0.9999


def test_small_scene_is_padded_to_the_fixed_tile(fixed_nchw, tmp_path):
    image, _ = synthetic_scene(40, 50, bands=3, seed=2)
    src = write_raster(tmp_path / "small.tif", image.astype(np.uint16))
    out = str(tmp_path / "small_classes.tif")
    result = predict_raster(PredictParams(input=src, model=fixed_nchw, output=out))
    assert result["plan"]["window"] == TILE
    assert read_raster(out)[0].shape[:2] == (40, 50)


def test_metadata_is_read_without_onnx_runtime(models):
    import onnx

    meta = modelfile.read_metadata(models["keras"])
    for layout in ("NHWC", "NCHW"):
        got = modelfile.read_metadata(models[layout])
        assert {k: got[k] for k in meta} == json.loads(json.dumps(meta))
        assert got["onnx"]["layout"] == layout
        props = {p.key: p.value for p in onnx.load(models[layout]).metadata_props}
        assert onnx_backend.read_properties(models[layout]) == props


def test_not_our_onnx_file_is_refused(tmp_path):
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"\xff\xff\xff")
    with pytest.raises(InputError, match="not an ONNX file"):
        modelfile.read_metadata(str(junk))
    with pytest.raises(InputError, match="does not exist"):
        modelfile.read_metadata(str(tmp_path / "gone.onnx"))
    foreign = tmp_path / "foreign.onnx"
    foreign.write_bytes(b"\x08\x07")  # ir_version only: a valid, empty model
    with pytest.raises(InputError, match="not one written by Export Model"):
        modelfile.read_metadata(str(foreign))


def test_onnxruntime_backend_converts_a_keras_file_once(models, scene, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(predictors.CACHE_ENV, str(cache))
    first, rasters, lines = _run(models["keras"], scene, tmp_path, "first",
                                 backend="onnxruntime")
    assert any("Converting" in line for line in lines)
    files = list(cache.iterdir())
    assert [f.name for f in files] == [predictors.file_sha256(models["keras"]) + ".onnx"]
    _, again, lines = _run(models["keras"], scene, tmp_path, "again", backend="onnxruntime")
    assert any("converted before" in line for line in lines)
    assert not any("Converting" in line for line in lines)
    np.testing.assert_array_equal(again["output"], rasters["output"])
    _, keras_rasters, _ = _run(models["keras"], scene, tmp_path, "tf", backend="tensorflow")
    assert np.mean(keras_rasters["output"] == rasters["output"]) >= 0.9999


def _job(tmp_path, model, scene, name):
    job = tmp_path / f"{name}.json"
    out = str(tmp_path / f"{name}.tif")
    job.write_text(json.dumps({"task": "predict", "params": {
        "input": scene, "model": model, "output": out, "output_entropy":
        str(tmp_path / f"{name}_entropy.tif"), "tta": "flips"}}))
    return str(job), out


# Runs the worker on a job, then prints the modules of TensorFlow/Keras it imported.
_WRAPPER = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[1])
    from semantic_segmentation.engine.runtime import worker
    code = worker.main([sys.argv[2]])
    heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras'))
    sys.stderr.write('HEAVY ' + json.dumps(heavy) + '\\n')
    sys.exit(code)
""")


def _run_worker(python, job, env=None):
    run = subprocess.run([python, "-c", _WRAPPER, PLUGINS, job],  # nosec B603
                         capture_output=True, text=True, timeout=300, env=env)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    heavy = [line for line in run.stderr.splitlines() if line.startswith("HEAVY ")]
    assert run.returncode == 0, (run.stdout[-3000:], run.stderr[-3000:])
    assert lines[-1]["type"] == "result"
    assert heavy, run.stderr[-2000:]
    return json.loads(heavy[-1][6:]), lines


@pytest.mark.parametrize("layout", ["NHWC", "NCHW"])
def test_worker_imports_no_tensorflow_for_an_onnx_model(models, scene, tmp_path, layout):
    job, out = _job(tmp_path, models[layout], scene, layout)
    heavy, _ = _run_worker(sys.executable, job)
    assert heavy == []
    assert os.path.exists(out)


@pytest.fixture(scope="session")
def onnxruntime_only_python(tmp_path_factory):
    """A venv of Debian's /usr/bin/python3 (its NumPy and GDAL bindings, no
    TensorFlow, no Keras) with ONNX Runtime installed: the very files pip
    installed into the engine's venv, linked in (offline, instant)."""
    import onnxruntime

    base = "/usr/bin/python3"
    if not os.path.exists(base):
        pytest.skip("needs Debian's /usr/bin/python3")
    probe = subprocess.run([base, "-c", "import numpy, osgeo.gdal, sys; "  # nosec B603
                            "print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True, timeout=60)
    version = "%d.%d" % sys.version_info[:2]
    if probe.returncode or probe.stdout.strip() != version:
        pytest.skip(f"/usr/bin/python3 lacks NumPy/GDAL or is not Python {version}")
    venv = tmp_path_factory.mktemp("ort-only") / "venv"
    subprocess.run([base, "-m", "venv", "--system-site-packages", "--without-pip",  # nosec
                    str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; "  # nosec B603
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    package = os.path.dirname(onnxruntime.__file__)
    os.symlink(package, os.path.join(site, "onnxruntime"))
    return python


def test_engine_with_only_onnxruntime_numpy_and_gdal(models, scene, tmp_path,
                                                     onnxruntime_only_python):
    python = onnxruntime_only_python
    check = subprocess.run(  # nosec B603
        [python, "-c", "import importlib.util as u; import onnxruntime, numpy; "
         "print(u.find_spec('tensorflow') is None, u.find_spec('keras') is None, "
         "u.find_spec('onnx') is None, numpy.__version__)"],
        capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr[-2000:]
    assert check.stdout.split()[:3] == ["True", "True", "True"], check.stdout
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    job, out = _job(tmp_path, models["NCHW"], scene, "ort_only")
    heavy, lines = _run_worker(python, job, env)
    assert heavy == []
    assert any("ONNX Runtime and the model loaded" in line.get("message", "")
               for line in lines)
    reference = str(tmp_path / "reference.tif")
    predict_raster(PredictParams(input=scene, model=models["keras"], output=reference,
                                 tta="flips"))
    got, want = read_raster(out)[0], read_raster(reference)[0]
    assert np.mean(got == want) >= 0.9999
