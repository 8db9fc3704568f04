"""Options by name: every enum parameter takes static names from engine/options.py, in
processing.run, qgis_process and the shipped model alike; a wrong name is rejected with
the valid ones."""

import json
import subprocess  # nosec B404 - our own qgis_process wrapper, list argv

import numpy as np
import pytest

from rasters import write_raster

TIMEOUT = 180
# Every option parameter, by algorithm, with its option set in engine/options.py.
EXPECTED = {
    "semseg:tiledataset": {"METHOD": "tile_method", "SPLIT": "split_method"},
    "semseg:colortoindex": {"MODE": "color_direction", "COLOR_MAP": "color_map",
                            "UNKNOWN": "unknown_colors"},
    "semseg:trainmodel": {"MODEL": "model", "ENCODER": "encoder",
                          "OUTPUT_STRIDE": "output_stride", "LOSS": "loss",
                          "CLASS_WEIGHTS": "class_weights", "OPTIMIZER": "optimizer",
                          "LR_MODE": "lr_mode", "STRATEGY": "strategy",
                          "INIT_MODE": "init_mode", "ENCODER_WEIGHTS": "encoder_weights"},
    "semseg:predictraster": {"MODE": "predict_mode", "TTA": "tta",
                             "PROBABILITY_FORMAT": "probability_format",
                             "BACKEND": "predict_backend"},
    "semseg:evaluate": {"MODE": "evaluate_mode"},
    "semseg:setupengine": {"BACKEND": "setup_backend", "ONNXRUNTIME": "onnxruntime_package",
                           "NVIDIA_GPU": "nvidia_gpu"},
    "semseg:predictscenes": {"TTA": "tta", "PROBABILITY_FORMAT": "probability_format",
                             "BACKEND": "predict_backend"},
}


def _algorithm(alg_id):
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    assert alg is not None, alg_id
    return alg


def _enums(alg):
    return {p.name(): p for p in alg.parameterDefinitions() if p.type() == "enum"}


def test_every_enum_takes_names_from_the_shared_table(qgis_app):
    from qgis.core import QgsApplication

    from semantic_segmentation.engine import options

    provider = QgsApplication.processingRegistry().providerById("semseg")
    seen = {}
    for alg in provider.algorithms():
        enums = _enums(alg)
        if enums:
            seen[alg.id()] = {name: p.metadata().get("option_set") for name, p in enums.items()}
        for name, param in enums.items():
            key = param.metadata().get("option_set")
            assert key in options.keys(), (alg.id(), name)
            assert param.usesStaticStrings(), (alg.id(), name)
            assert param.options() == options.names(key), (alg.id(), name)
            assert param.defaultValue() == options.default(key), (alg.id(), name)
            labels = param.metadata()["widget_wrapper"]["labels"]
            assert len(labels) == len(param.options()) and all(labels), (alg.id(), name)
    assert seen == EXPECTED


def test_the_engine_checks_names_against_the_same_table():
    from semantic_segmentation.engine import options
    from semantic_segmentation.engine.errors import InputError

    assert options.check("loss", "dice", "LOSS") == "dice"
    with pytest.raises(InputError) as info:
        options.check("loss", "dicey", "LOSS")
    message = str(info.value)
    assert "LOSS 'dicey'" in message
    for name in options.names("loss"):
        assert name in message


def test_an_unknown_name_is_rejected_with_the_valid_ones(run, tmp_path):
    from qgis.core import QgsProcessingException

    image = write_raster(tmp_path / "image.tif", np.zeros((40, 40, 3), np.uint8))
    with pytest.raises(QgsProcessingException,
                       match=r"METHOD: 'grid' is not an option; .*random, stride"):
        run("semseg:tiledataset", {"IMAGE": image, "METHOD": "grid",
                                   "OUTPUT": str(tmp_path / "ds")})
    assert not (tmp_path / "ds").exists()


def test_a_position_is_no_longer_an_option(run, tmp_path):
    """Scripts of plugin versions before names passed positions (METHOD=1): rejected clearly."""
    from qgis.core import QgsProcessingException

    image = write_raster(tmp_path / "image.tif", np.zeros((40, 40, 3), np.uint8))
    with pytest.raises(QgsProcessingException, match=r"METHOD: 1 is not an option"):
        run("semseg:tiledataset", {"IMAGE": image, "METHOD": 1,
                                   "OUTPUT": str(tmp_path / "ds")})


def test_train_model_takes_every_option_by_name(run, tmp_path):
    """All of Train Model's options by name get past the checks to the dataset's error."""
    from qgis.core import QgsProcessingException

    params = {"DATASET": str(tmp_path / "missing"), "OUTPUT_MODEL": str(tmp_path / "m.keras"),
              "MODEL": "deeplab_v3p", "ENCODER": "resnet_v2_50", "OUTPUT_STRIDE": "8",
              "LOSS": "dice", "CLASS_WEIGHTS": "inverse_frequency", "OPTIMIZER": "sgd",
              "LR_MODE": "cosine_cycle", "STRATEGY": "auto"}
    with pytest.raises(QgsProcessingException, match="missing does not exist"):
        run("semseg:trainmodel", params)


def test_predict_raster_takes_its_options_by_name(run, tmp_path):
    from qgis.core import QgsProcessingException

    image = write_raster(tmp_path / "image.tif", np.zeros((40, 40, 3), np.uint8))
    bogus = tmp_path / "bogus.keras"
    bogus.write_bytes(b"not a model")
    with pytest.raises(QgsProcessingException, match="not a Keras model file"):
        run("semseg:predictraster", {"INPUT": image, "MODEL": str(bogus), "MODE": "per_image",
                                     "PROBABILITY_FORMAT": "float",
                                     "OUTPUT": str(tmp_path / "c.tif")})


def test_shipped_chain_stores_option_names(qgis_app):
    from qgis.core import QgsProcessingModelChildParameterSource as Source

    model = _algorithm("semseg:segmentationchain")
    checked = 0
    for child_id in model.childAlgorithms():
        child = model.childAlgorithm(child_id)
        for name, param in _enums(child.algorithm()).items():
            for source in child.parameterSources().get(name, []):
                if source.source() == Source.Source.StaticValue:
                    assert source.staticValue() in param.options(), (child_id, name)
                    checked += 1
    assert checked >= 10
    method = model.childAlgorithm("TILE").parameterSources()["METHOD"][0]
    assert method.staticValue() == "stride"


def _qgis_process(exe, *args):
    return subprocess.run([exe, *args], capture_output=True, text=True,  # nosec B603
                          timeout=TIMEOUT)


def test_qgis_process_takes_names(qgis_process, tmp_path):
    """MODEL=deeplab_v3p ENCODER=resnet_v2_50 LOSS=dice pass QGIS's checks (the run then
    stops at the missing dataset, before any training)."""
    proc = _qgis_process(qgis_process, "run", "semseg:trainmodel", "--",
                         f"DATASET={tmp_path / 'missing'}",
                         f"OUTPUT_MODEL={tmp_path / 'm.keras'}", "MODEL=deeplab_v3p",
                         "ENCODER=resnet_v2_50", "LOSS=dice", "LR_MODE=power_decay")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Incorrect parameter value" not in out and "is not an option" not in out
    assert "missing does not exist" in out
    assert not (tmp_path / "m.keras").exists()


def test_qgis_process_rejects_an_unknown_name_with_the_valid_ones(qgis_process, tmp_path):
    src = write_raster(tmp_path / "rgb.tif", np.zeros((8, 8, 3), np.uint8))
    proc = _qgis_process(qgis_process, "run", "semseg:colortoindex", "--", f"INPUT={src}",
                         "COLOR_MAP=pascal", f"OUTPUT={tmp_path / 'i.tif'}")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "COLOR_MAP: 'pascal' is not an option" in out and "voc" in out


def test_qgis_process_evaluate_writes_only_the_json(qgis_process, tmp_path):
    ref = np.repeat(np.arange(4, dtype=np.uint8), 10)[None].repeat(8, axis=0)
    pred = ref.copy()
    pred[:2, :10] = 1  # 20 of 320 pixels wrong
    pred_path = write_raster(tmp_path / "p.tif", pred)
    ref_path = write_raster(tmp_path / "r.tif", ref)
    out_json = tmp_path / "m.json"
    proc = _qgis_process(qgis_process, "--json", "run", "semseg:evaluate", "--",
                         f"PREDICTION={pred_path}", f"REFERENCE={ref_path}",
                         f"OUTPUT_JSON={out_json}", "MODE=global")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(proc.stdout[proc.stdout.index("{"):])["results"]
    assert results["OUTPUT_JSON"] == str(out_json)
    assert not results.get("OUTPUT_REPORT") and not results.get("OUTPUT_TABLE")
    assert json.loads(out_json.read_text())["scores"]["overall_accuracy"] \
        == pytest.approx(300 / 320)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".aux.xml")) \
        == ["m.json", "p.tif", "r.tif"]


def test_train_model_dialog_and_engine_start_from_the_same_defaults(qgis_app):
    """A job from the dialog, from qgis_process and from a script calling the engine
    directly trains the same network the same way unless told otherwise."""
    import dataclasses

    from qgis.core import QgsApplication

    from semantic_segmentation.engine.train.training import TrainParams

    alg = QgsApplication.processingRegistry().algorithmById("semseg:trainmodel")
    engine = {f.name: f.default for f in dataclasses.fields(TrainParams)}
    compared = 0
    for parameter in alg.parameterDefinitions():
        name = parameter.name().lower()
        # output_model: the dialog offers a file in a lasting folder; a job names its own
        if name not in engine or parameter.defaultValue() is None \
                or name in ("encoder", "output_model"):
            continue
        dialog, ours = parameter.defaultValue(), engine[name]
        if isinstance(ours, bool) or isinstance(dialog, bool):
            assert bool(dialog) == bool(ours), name
        elif isinstance(ours, (int, float)) and not isinstance(ours, bool):
            assert float(dialog) == float(ours), name
        else:
            assert str(dialog) == str(ours), name
        compared += 1
    assert compared >= 15
