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
