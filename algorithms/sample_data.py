"""Sample data: the plugin's real sample scene and label, written where the user
says and loaded styled (the data a first run needs, with nothing to download)."""

from qgis.core import (
    QgsProcessingOutputRasterLayer,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFolderDestination,
)

from ..engine.data import labels, sample
from ..seg_plugin import styles
from ..seg_plugin.paths import lasting_folder
from .base import SegAlgorithm


class SampleDataAlgorithm(SegAlgorithm):
    NAME = "sampledata"
    DISPLAY = "Sample data"
    HELP = (
        "Writes the plugin's sample into a folder and loads it, styled: a real Landsat-8 "
        "scene (512 x 512 pixels of 30 m, 15 km a side; bands B1-B7, B9, B10, B11, shown as "
        "B4, B3, B2) and its cloud label (clear, cloud, cirrus, derived from the scene's "
        "quality band). The label carries its class "
        "names and colours inside the .tif, so a copy of the file alone keeps them.\n\n"
        "Use them with Tile Dataset (Image and Label), or run First run on the sample, which "
        "runs the whole chain on them.\n\n"
        "Output folder: where the two GeoTIFFs go (by default the folder semseg/sample in "
        "your home folder). Load the layers: add them to the project when done.\n\n"
        "qgis_process names: OUTPUT (the folder), LOAD; the results IMAGE and LABEL are the "
        "two files."
    )

    OUTPUT = "OUTPUT"
    LOAD = "LOAD"
    IMAGE = "IMAGE"
    LABEL = "LABEL"

    def initAlgorithm(self, config=None):  # noqa: N802
        tr = self.tr
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT, tr("Output folder"), defaultValue=lasting_folder("sample")))
        self.addParameter(QgsProcessingParameterBoolean(
            self.LOAD, tr("Load the layers"), defaultValue=True))
        self.addOutput(QgsProcessingOutputRasterLayer(self.IMAGE, tr("Landsat-8 sample")))
        self.addOutput(QgsProcessingOutputRasterLayer(self.LABEL, tr("Cloud label")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsString(parameters, self.OUTPUT, context)
        image, label = self.run_engine(sample.write_sample, feedback, folder)
        classes = self.check_input(self.LABEL, labels.load_color_map_file, label).classes()
        styles.write_rgb_qml(image, sample.RGB_BANDS)
        styles.write_class_qml(label, classes)
        feedback.pushInfo(self.tr("Sample image {0} and label {1} ({2})").format(
            image, label, ", ".join(f"{value} {name}" for value, name, _c in classes)))
        if self.parameterAsBoolean(parameters, self.LOAD, context):
            styles.load_with_style(context, image, self.tr("Landsat-8 sample (B4, B3, B2)"),
                                   self.IMAGE)
            styles.load_with_style(context, label, self.tr("Cloud label"), self.LABEL)
        return {self.OUTPUT: folder, self.IMAGE: image, self.LABEL: label}
