"""Helpers for the algorithm tests: a feedback that cancels, and a runner."""

import pytest


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
