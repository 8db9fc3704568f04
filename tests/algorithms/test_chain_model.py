"""The shipped graphical-modeler chain (Tile Dataset -> Train Model -> Predict Raster
-> Evaluate) is offered by the provider and runs end to end through qgis_process --
from the release zip installed into an empty profile of a stock QGIS, whose Python
has nothing added to its path: the engine is reached only through the plugin's
engine setting."""

import json
import os
import subprocess  # nosec B404 - we run our own qgis_process wrapper

from xml.etree.ElementTree import canonicalize  # nosec B405 - our own generated file

import pytest

from rasters import read_raster, synthetic_scene, write_raster

CHAIN_TITLE = "Segmentation chain (tile, train, predict, evaluate)"
CHAIN_ID = "semseg:segmentationchain"
TINY = {"TILE_SIZE": 32, "EPOCHS": 1, "STEPS_PER_EPOCH": 2, "BATCH_SIZE": 4, "WIDTH": 0.25}


@pytest.fixture(scope="module")
def chain_run(stock_qgis_process, tmp_path_factory):
    folder = tmp_path_factory.mktemp("chain")
    image, label = synthetic_scene(h=96, w=128, bands=3)
    image_path = write_raster(folder / "image.tif", image)
    label_path = write_raster(folder / "label.tif", label)
    outputs = {"TRAIN:MODEL": folder / "model.keras", "PREDICT:CLASSES": folder / "classes.tif",
               "EVALUATE:REPORT": folder / "report.html"}
    args = [f"IMAGE={image_path}", f"LABEL={label_path}",
            *(f"{k}={v}" for k, v in TINY.items()),
            *(f"{k}={v}" for k, v in outputs.items())]
    proc = stock_qgis_process("--json", "run", CHAIN_ID, "--", *args, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    return json.loads(proc.stdout)["results"], outputs


def test_chain_model_is_in_the_provider(qgis_app):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(CHAIN_ID)
    assert alg is not None
    assert alg.name() == "segmentationchain" and alg.displayName() == CHAIN_TITLE
    assert alg.create().id() == CHAIN_ID and alg.create().displayName() == CHAIN_TITLE
    assert alg.group() == "Semantic segmentation"
    names = {p.name() for p in alg.parameterDefinitions()}
    assert {"IMAGE", "LABEL", "TILE_SIZE", "EPOCHS", "TRAIN:MODEL", "PREDICT:CLASSES",
            "EVALUATE:REPORT"} <= names
    assert alg.parameterDefinition("TILE_SIZE").defaultValue() == 64
    assert alg.parameterDefinition("EPOCHS").defaultValue() == 5


def test_chain_writes_model_classes_and_report(chain_run):
    results, outputs = chain_run
    for key, path in outputs.items():
        assert results[key] == str(path)
        assert path.exists() and path.stat().st_size > 0, key
    classes, ds = read_raster(outputs["PREDICT:CLASSES"])
    assert (ds.RasterXSize, ds.RasterYSize) == (128, 96)
    assert set(int(v) for v in set(classes.ravel().tolist())) <= {0, 1, 2}
    assert "<html" in outputs["EVALUATE:REPORT"].read_text(encoding="utf-8").lower()


def test_chain_returns_the_scores(chain_run):
    results, _ = chain_run
    for key in ("EVALUATE:OVERALL_ACCURACY", "EVALUATE:MEAN_IOU", "TRAIN:BEST_VAL_MIOU"):
        assert 0.0 <= results[key] <= 1.0, key
    assert -1.0 <= results["EVALUATE:KAPPA"] <= 1.0


def test_generator_reproduces_the_shipped_model(tmp_path):
    """resources/models/segmentation_chain.model3 is what scripts/make_chain_model.py writes."""
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = tmp_path / "chain.model3"
    proc = subprocess.run([sys.executable, os.path.join(root, "scripts", "make_chain_model.py"),  # nosec B603
                           str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    shipped = os.path.join(root, "resources", "models", "segmentation_chain.model3")
    with open(shipped, encoding="utf-8") as f:
        assert canonicalize(out.read_text(encoding="utf-8")) == canonicalize(f.read())
