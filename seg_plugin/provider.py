"""The ``semseg`` Processing provider."""

import os

from qgis.core import QgsProcessingModelAlgorithm, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .i18n import tr
from .paths import ICON, MODELS_DIR



def model_titles():
    """Display names of the shipped models, by model name (their id is semseg:<name>)."""
    return {"segmentationchain": tr("Segmentation chain (tile, train, predict, evaluate)")}


class ShippedModel(QgsProcessingModelAlgorithm):
    """A model from resources/models: its .model3 name is its stable id (semseg:<name>);
    its display name is its title, translated.

    QGIS 3.22 takes both a model's name() and displayName() from the one model name
    of the file; this subclass keeps the name for the id and shows the title.
    """

    def __init__(self, title=""):
        super().__init__()
        self._title = title

    def set_title(self, title):
        self._title = title

    def displayName(self):  # noqa: N802 (QGIS's name)
        return self._title or super().displayName()

    def createInstance(self):  # noqa: N802
        model = ShippedModel(self._title)
        model.loadVariant(self.toVariant())
        model.setSourceFilePath(self.sourceFilePath())
        return model


class SegmentationProvider(QgsProcessingProvider):
    """Tile Dataset, Color to Index, Train Model, Predict Raster, Evaluate, and the
    engine's set-up and status; owns the engine-interpreter and memory-budget settings."""

    def id(self):
        return "semseg"

    def name(self):
        return tr("Semantic Segmentation")

    def longName(self):  # noqa: N802
        return self.name()

    def icon(self):
        return QIcon(ICON)

    def svgIconPath(self):  # noqa: N802
        return ICON

    def supportedOutputRasterLayerExtensions(self):  # noqa: N802
        return ["tif"]  # the engine writes GeoTIFF

    def supportedOutputVectorLayerExtensions(self):  # noqa: N802
        return ["gpkg", "shp"]  # what the engine's polygonizer writes

    def load(self):
        """Register the engine's interpreter and the memory budget as Processing settings,
        then the algorithms."""
        from . import engine_setting

        engine_setting.register(self.name(), self.icon())
        from ..algorithms.predict_scenes import register_settings

        register_settings(self.name())  # Dask scheduler, prediction worker processes
        self.refreshAlgorithms()
        return True

    def unload(self):
        from . import engine_setting

        engine_setting.unregister()
        from ..algorithms.predict_scenes import unregister_settings

        unregister_settings()

    def loadAlgorithms(self):  # noqa: N802
        from ..algorithms import all_algorithms

        for algorithm in all_algorithms():
            self.addAlgorithm(algorithm)
        self._load_models()

    def _load_models(self):
        """Add every graphical-modeler model shipped in resources/models (semseg:<name>)."""
        from qgis.core import Qgis, QgsApplication, QgsMessageLog

        if not os.path.isdir(MODELS_DIR):
            return
        models = []
        titles = model_titles()
        for name in sorted(os.listdir(MODELS_DIR)):
            if not name.endswith(".model3"):
                continue
            path = os.path.join(MODELS_DIR, name)
            model = ShippedModel()
            if model.fromFile(path):
                model.set_title(titles.get(model.name(), ""))
                model.setSourceFilePath(path)
                self.addAlgorithm(model)
                models.append(model)
            else:
                QgsMessageLog.logMessage(tr("Cannot read the model {0}").format(path),
                                         tr("Semantic Segmentation"), Qgis.MessageLevel.Warning)
        # The models' steps are this provider's algorithms, which the registry only finds
        # once the provider is registered: until then the models lack their outputs.
        registry = QgsApplication.processingRegistry()
        if registry.providerById(self.id()) is not None:
            _reattach(models)
        elif models:
            def on_added(provider_id):
                if provider_id == self.id():
                    registry.providerAdded.disconnect(on_added)
                    _reattach(self.algorithms())

            registry.providerAdded.connect(on_added)


def _reattach(algorithms):
    """Resolve the steps of model algorithms and rebuild their output parameters."""
    for model in algorithms:
        if isinstance(model, QgsProcessingModelAlgorithm):
            for child_id in model.childAlgorithms():
                model.childAlgorithm(child_id).reattach()
            model.updateDestinationParameters()
