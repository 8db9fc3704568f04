"""One QgsProcessingAlgorithm per module."""


def all_algorithms():
    """A fresh instance of every algorithm the provider offers."""
    from .color_to_index import ColorToIndexAlgorithm
    from .engine_status import EngineStatusAlgorithm
    from .evaluate import EvaluateAlgorithm
    from .export_model import ExportModelAlgorithm
    from .first_run import FirstRunAlgorithm
    from .predict_raster import PredictRasterAlgorithm
    from .predict_scenes import PredictScenesAlgorithm
    from .sample_data import SampleDataAlgorithm
    from .setup_engine import SetupEngineAlgorithm
    from .tile_dataset import TileDatasetAlgorithm
    from .train_model import TrainModelAlgorithm

    return [
        TileDatasetAlgorithm(),
        ColorToIndexAlgorithm(),
        TrainModelAlgorithm(),
        PredictRasterAlgorithm(),
        PredictScenesAlgorithm(),
        EvaluateAlgorithm(),
        ExportModelAlgorithm(),
        SetupEngineAlgorithm(),
        EngineStatusAlgorithm(),
        SampleDataAlgorithm(),
        FirstRunAlgorithm(),
    ]
