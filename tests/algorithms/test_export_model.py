"""Export Model through Processing: a trained model file becomes an ONNX file,
in the engine's process (QGIS's Python has no onnx: the file is read back
by the engine's Python)."""

import json
import os
import subprocess  # nosec B404 - the engine's Python with a list argv
import sys

import pytest

# one pytest-xdist worker runs every file that shares the tiny_model fixtures
pytestmark = pytest.mark.xdist_group("tiny_model")

READ_BACK = (
    "import json, sys, onnx, onnxruntime as ort\n"
    "m = onnx.load(sys.argv[1])\n"
    "s = ort.InferenceSession(sys.argv[1], providers=['CPUExecutionProvider'])\n"
    "print(json.dumps({'props': {p.key: p.value for p in m.metadata_props},\n"
    "                  'input': s.get_inputs()[0].shape, 'opset': m.opset_import[0].version}))\n"
)


def read_back(path):
    """The metadata_props, input shape and opset of an ONNX file, read by the engine's Python."""
    engine_python = os.environ["SEMSEG_PYTHON"]
    run = subprocess.run([engine_python, "-c", READ_BACK, str(path)],  # nosec B603
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.fixture
def model_file(tiny_model):
    """A tiny model trained by Train Model on a 30 m UTM scene (tiles of 32 px)."""
    return tiny_model["OUTPUT_MODEL"]


def test_export_writes_an_onnx_file_deepness_reads(model_file, tiny_onnx):
    from semantic_segmentation.engine.formats import modelfile

    result = tiny_onnx  # run("semseg:exportmodel", {"MODEL": model_file, "OUTPUT": .../model.onnx})
    folder = os.path.dirname(result["OUTPUT"])
    assert os.path.basename(result["OUTPUT"]) == "model.onnx"
    assert os.path.isfile(result["OUTPUT"])
    assert result["DEEPNESS_READY"] is True
    assert not [f for f in os.listdir(folder) if ".partial" in f]
    back = read_back(result["OUTPUT"])
    props, meta = back["props"], modelfile.read_metadata(model_file)
    assert back["input"][1:] == [3, 32, 32] and back["opset"] == 15
    assert json.loads(props["model_type"]) == "Segmentor"
    assert json.loads(props["tile_size"]) == 32
    # Deepness's "Load default parameters" switches its threshold and filter off
    assert json.loads(props["seg_thresh"]) == 0 and json.loads(props["seg_small_segment"]) == 0
    assert json.loads(props["resolution"]) == 3000.0  # the 30 m training scene
    assert json.loads(props["class_names"]) == {
        str(i): c["name"] for i, c in enumerate(meta["classes"])}
    assert json.loads(props["standardization_mean"]) == pytest.approx(
        [m / 255 for m in meta["mean"]])
    assert json.loads(props["semseg"])["classes"] == meta["classes"]


def test_export_without_deepness_is_plain_nhwc(run, model_file, tmp_path):
    result = run("semseg:exportmodel", {"MODEL": model_file, "DEEPNESS": False,
                                        "OUTPUT": str(tmp_path / "plain")})
    assert result["OUTPUT"] == str(tmp_path / "plain.onnx")
    assert result["DEEPNESS_READY"] is False
    back = read_back(result["OUTPUT"])
    assert back["input"][3] == 3 and all(isinstance(d, str) for d in back["input"][:3])
    assert set(back["props"]) == {"semseg"}


def test_export_refuses_a_file_that_is_not_a_model_before_the_engine(run, tmp_path):
    from qgis.core import QgsProcessingException

    notes = tmp_path / "notes.keras"
    notes.write_text("not a model")
    with pytest.raises(QgsProcessingException, match="MODEL"):
        run("semseg:exportmodel", {"MODEL": str(notes), "OUTPUT": str(tmp_path / "m.onnx")})
    assert not os.path.exists(tmp_path / "m.onnx")
    assert "tensorflow" not in sys.modules
