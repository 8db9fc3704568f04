"""Train Model plans before TensorFlow (``training.prepare``): a bad dataset, a
model/encoder pair that does not fit, a tile size the network cannot take, an
INIT_MODEL whose bands or classes differ from the dataset's all fail in under
a second, and none of them imports TensorFlow or Keras (docs/architecture.md).

The model files here are stand-ins: a .keras archive holding only the
metadata that Train Model reads before it builds anything."""

import json
import os
import subprocess  # nosec B404 - our own interpreter on our own script
import sys
import zipfile

import pytest

from datasets import write_dataset
from semantic_segmentation.engine.data import dataset
from semantic_segmentation.engine.formats import modelfile
from semantic_segmentation.engine.train import training
from semantic_segmentation.engine.errors import InputError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLUGINS = os.path.join(ROOT, "build", "qgis-plugins")
TINY = {"model": "unet", "encoder": "unet_native", "width": 0.25, "batch_size": 4, "epochs": 2}


def write_model_file(path, folder, bands=None, class_names=None, classes=None):
    """A stand-in model file made for the dataset ``folder`` (its bands and
    classes unless given)."""
    info = dataset.read_info(folder)
    entries = modelfile.class_entries(info.class_values, class_names or info.class_names,
                                      info.class_colors)
    meta = {"format": modelfile.FORMAT, "version": modelfile.VERSION,
            "classes": entries[:classes] if classes else entries,
            "bands": bands or info.bands, "model": "unet", "encoder": "unet_native",
            "output_stride": 16, "required_divisor": 16, "width": 0.25}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(modelfile.KERAS_CONFIG_ENTRY, "{}")
        archive.writestr(modelfile.METADATA_ENTRY, json.dumps(meta))
    return str(path)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return write_dataset(tmp_path_factory.mktemp("ds") / "dataset", n_train=2, n_val=1)


def _cases(data_dir, tmp):
    """(params, message) for each way a job can be wrong before training."""
    out = str(tmp / "m.keras")
    missing_chip = write_dataset(tmp / "missing", n_train=2, n_val=1)
    os.remove(os.path.join(missing_chip, "labels", "chip_001.tif"))
    (tmp / "notes").mkdir()
    (tmp / "notes" / "x.tif").write_text("")
    renamed = {"1": "land 1", "2": "water", "3": "land 3"}
    return [
        ({"dataset": str(tmp / "notes"), "output_model": out},
         "not a dataset made by Tile Dataset"),
        ({"dataset": missing_chip, "output_model": out}, r"labels/chip_001\.tif"),
        ({"dataset": data_dir, "output_model": out, "model": "unet9"}, "MODEL 'unet9'"),
        ({"dataset": data_dir, "output_model": out, "model": "mobile_unet", "encoder": "vgg_16"},
         "ENCODER 'vgg_16' does not fit MODEL 'mobile_unet'"),
        ({"dataset": data_dir, "output_model": out, "epoch": 3}, "Unknown train parameter"),
        ({"dataset": write_dataset(tmp / "d48", 2, 1, size=48), "output_model": out,
          "output_stride": 32}, "needs a multiple of 32"),
        ({"dataset": data_dir, "output_model": out, **TINY,
          "init_model": write_model_file(tmp / "bands.keras", data_dir, bands=4)},
         r"takes 4 band\(s\) but the dataset"),
        ({"dataset": data_dir, "output_model": out, **TINY,
          "init_model": write_model_file(tmp / "classes.keras", data_dir, classes=2)},
         "predicts 2 classes but the dataset"),
        ({"dataset": data_dir, "output_model": out, **TINY,
          "init_model": write_model_file(tmp / "names.keras", data_dir, class_names=renamed)},
         r"2: water.*2: land 2"),
        ({"dataset": data_dir, "output_model": out, "init_mode": "resume",
          "init_model": write_model_file(tmp / "model.keras", data_dir)},
         r"model\.resume\.keras.*fine_tune"),
    ]


_SCRIPT = """
import json, sys
from semantic_segmentation.engine.train import training
from semantic_segmentation.engine.errors import InputError
results = []
for params in json.loads(sys.argv[1]):
    try:
        training.run_job(params)
        results.append({"error": None})
    except InputError as exc:
        results.append({"error": str(exc)})
loaded = [name for name in ("tensorflow", "keras") if name in sys.modules]
print(json.dumps({"results": results, "loaded": loaded}))
"""


def test_bad_jobs_fail_fast_without_importing_tensorflow(data_dir, tmp_path):
    import re

    cases = _cases(data_dir, tmp_path)
    env = dict(os.environ, PYTHONPATH=PLUGINS)
    proc = subprocess.run([sys.executable, "-c", _SCRIPT,  # nosec B603
                           json.dumps([params for params, _ in cases])],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["loaded"] == []
    for (params, message), result in zip(cases, report["results"]):
        assert result["error"] and re.search(message, result["error"]), (params, result)
    assert not os.path.exists(tmp_path / "m.keras")


def test_fine_tune_names_the_model_file_and_both_class_lists(data_dir, tmp_path):
    model = write_model_file(tmp_path / "names.keras", data_dir,
                             class_names={"1": "land 1", "2": "water", "3": "land 3"})
    with pytest.raises(InputError, match=r"2: water.*2: land 2") as err:
        training.prepare(training.TrainParams.from_dict(
            {"dataset": data_dir, "output_model": str(tmp_path / "m.keras"),
             "init_model": model}))
    assert model in str(err.value)


def test_plan_holds_the_dataset_facts_and_the_schedule(data_dir, tmp_path):
    plan = training.prepare(training.TrainParams.from_dict(
        {"dataset": data_dir, "output_model": str(tmp_path / "m.keras"), **TINY,
         "batch_size": 1}))
    assert plan.divisor == 16 and plan.info.bands == 3 and plan.info.n_classes == 3
    assert plan.steps == 2 and plan.total_steps == 4
    assert [c["value"] for c in plan.classes] == [1, 2, 3]
