"""Fixtures shared by several engine test files."""

import pytest

from models_fixture import make_model_file


@pytest.fixture(scope="session")
def trained_unet(tmp_path_factory):
    """A model file of a U-Net over MobileNetV2 (3 bands, classes 10/20/30, 64-pixel
    tiles) fitted a little on the synthetic scene: confident predictions whose
    argmax is no coin toss. Tests export, convert and predict it; none changes it."""
    path = tmp_path_factory.mktemp("trained-unet") / "unet.keras"
    return make_model_file(path, model="unet", encoder="mobilenet_v2", tile_size=64,
                           width=0.125, train_steps=48)


@pytest.fixture(scope="session")
def unet_exports(trained_unet, tmp_path_factory):
    """``trained_unet`` exported by Export Model, once for all the ONNX tests:
    ``{"NHWC": (plain ONNX file, export result), "NCHW": (Deepness ONNX file, 64-pixel
    windows only, exported with a 50 cm resolution, result)}``."""
    from semantic_segmentation.engine.predict import onnx_export

    folder = tmp_path_factory.mktemp("unet-onnx")
    exports = {}
    for deepness in (False, True):
        params = onnx_export.ExportParams(model=trained_unet,
                                          output=str(folder / f"{deepness}.onnx"),
                                          deepness=deepness,
                                          resolution=50.0 if deepness else None)
        result = onnx_export.export(params)
        exports[result["layout"]] = (params.output, result)
    return exports


@pytest.fixture(scope="session")
def unet_onnx(trained_unet, unet_exports):
    """``{"keras": trained_unet, "NHWC": plain ONNX file, "NCHW": Deepness ONNX file}``."""
    return {"keras": trained_unet, **{layout: path for layout, (path, _) in unet_exports.items()}}
