"""Helpers for the algorithm tests: a feedback that cancels, and a runner."""

import pytest

# The smallest Train Model run that still trains and validates.
TINY_TRAINING = {"EPOCHS": 1, "STEPS_PER_EPOCH": 2, "BATCH_SIZE": 4, "WIDTH": 0.25,
                 "AUGMENT": False}


@pytest.fixture
def tiny_training():
    """Train Model parameters of the smallest run that still trains and validates."""
    return dict(TINY_TRAINING)


@pytest.fixture
def cancelling_feedback(qgis_app):
    """Factory: a feedback whose isCanceled() turns True after ``after`` progress calls."""
    from qgis.core import QgsProcessingFeedback

    class CancellingFeedback(QgsProcessingFeedback):
        def __init__(self, after):
            super().__init__()
            self.after = after
            self.calls = 0

        def setProgress(self, progress):  # noqa: N802 (QGIS's name)
            self.calls += 1
            super().setProgress(progress)

        def isCanceled(self):  # noqa: N802
            return self.calls >= self.after

    return CancellingFeedback


@pytest.fixture
def run(qgis_app, feedback):
    """``run(alg_id, params)``: processing.run with a fresh context and the feedback."""
    import processing

    def _run(alg_id, params, fb=None):
        return processing.run(alg_id, params, feedback=fb or feedback)

    return _run


@pytest.fixture
def tiny_dataset(run, tmp_path):
    """A real (small) Tile Dataset folder, for tests that must get past Train Model's
    in-process dataset check."""
    from rasters import synthetic_scene, write_raster

    image, label = synthetic_scene(h=64, w=64, bands=3)
    folder = str(tmp_path / "dataset")
    run("semseg:tiledataset", {"IMAGE": write_raster(tmp_path / "scene.tif", image),
                               "LABEL": write_raster(tmp_path / "label.tif", label),
                               "TILE_SIZE": 32, "METHOD": "stride", "OUTPUT": folder})
    return folder


@pytest.fixture(scope="session")
def tiny_scene(tmp_path_factory):
    """(image, label) GeoTIFF paths of a small synthetic 3-band scene, 96 x 128."""
    from rasters import synthetic_scene, write_raster

    folder = tmp_path_factory.mktemp("scene")
    image, label = synthetic_scene(h=96, w=128, bands=3)
    return (write_raster(folder / "image.tif", image),
            write_raster(folder / "label.tif", label))


@pytest.fixture(scope="session")
def tiny_chips(tiny_scene, tmp_path_factory):
    """The scene cut into 32-pixel chips (a Tile Dataset folder)."""
    from semantic_segmentation.engine.data.tiling import TileParams, tile_scene

    out = tmp_path_factory.mktemp("chips") / "dataset"
    tile_scene(TileParams(tiny_scene[0], str(out), label=tiny_scene[1], tile_size=32,
                          method="stride", stride=32, val_fraction=0.25, seed=1))
    return str(out)


@pytest.fixture(scope="session")
def tiny_model(qgis_app, tiny_chips, tmp_path_factory):
    """Train Model's results for one tiny model trained on the chips through
    Processing, shared by the tests that only need a model file."""
    import processing

    out = tmp_path_factory.mktemp("model") / "model.keras"
    return processing.run("semseg:trainmodel", {"DATASET": tiny_chips,
                                                "OUTPUT_MODEL": str(out), **TINY_TRAINING})


@pytest.fixture(scope="session")
def tiny_onnx(tiny_model, tmp_path_factory):
    """Export Model's results for ``tiny_model`` as an ONNX file in Deepness's layout
    (the default), in a folder of its own, shared by the tests that read or run it."""
    import processing

    out = tmp_path_factory.mktemp("onnx") / "model.onnx"
    return processing.run("semseg:exportmodel", {"MODEL": tiny_model["OUTPUT_MODEL"],
                                                 "OUTPUT": str(out)})
