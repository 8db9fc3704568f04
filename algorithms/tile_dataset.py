"""Tile Dataset: cut an image and its label into training chips."""

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ..engine.data.tiling import TileParams, tile_scene
from ..seg_plugin.layers import layer_input, raster_layer, raster_path
from .base import DOUBLE, INTEGER, SegAlgorithm, option_parameter


class TileDatasetAlgorithm(SegAlgorithm):
    """Adds the chips of one scene to a dataset folder that Train Model reads."""

    IMAGE = "IMAGE"
    LABEL = "LABEL"
    LABEL_VECTOR = "LABEL_VECTOR"
    LABEL_FIELD = "LABEL_FIELD"
    TILE_SIZE = "TILE_SIZE"
    METHOD = "METHOD"
    STRIDE = "STRIDE"
    TILES_PER_IMAGE = "TILES_PER_IMAGE"
    VAL_FRACTION = "VAL_FRACTION"
    SPLIT = "SPLIT"
    VALIDATION_AREA = "VALIDATION_AREA"
    SEED = "SEED"
    MIN_LABELLED = "MIN_LABELLED"
    RESOLUTION = "RESOLUTION"
    EXTENT = "EXTENT"
    OUTPUT = "OUTPUT"
    TILE_COUNT = "TILE_COUNT"

    NAME = "tiledataset"
    DISPLAY = "Tile Dataset"
    HELP = (
        "Cuts an image and its label into square chips for training, and adds them to a "
        "dataset folder that Train Model reads. Run it again into the same folder to add more "
        "scenes.\n\n"
        "Image: the multi-band scene, any raster layer: files and VRTs as well as web layers "
        "(XYZ tiles, WMS, WMTS, WCS). Label raster: a class-index raster (0..254; 255 is "
        "ignored), resampled (nearest) onto the image grid; it must overlap the image. Or, "
        "instead, Label polygons and their Class field, an integer field burnt onto the image "
        "grid. Give at most one label. Tile size: chip width and height in pixels. Dataset "
        "folder: new and empty, or an existing dataset to add to.\n\n"
        "Advanced parameters, what to read: Resolution (map units per pixel; 0 is the image's "
        "own) and Extent (only this area). A web layer has no pixel size of its own and needs "
        "both. The dataset records the resolution; Predict Raster warns when a scene's "
        "resolution is far from it, and reads a web layer at it by default.\n\n"
        "Advanced parameters, which chips: Method, random windows (Tiles per image of them) "
        "or a regular grid every Stride pixels (0: the tile size, no overlap); Minimum "
        "labelled fraction skips chips with a smaller share of labelled, valid pixels; "
        "Random seed makes the windows and the split reproducible.\n\n"
        "Advanced parameters, validation: Validation fraction of the scene is kept for "
        "validation. Validation split: spatial blocks (the default) keeps whole blocks for "
        "validation and leaves out the chips that straddle both, so no validation pixel lies "
        "in a training chip; random chips may share pixels across the split. Validation area: "
        "polygons you draw instead; chips inside them validate, chips touching them are left "
        "out.\n\n"
        "qgis_process names: IMAGE (a web layer as IMAGE='wms://type=xyz&url=...'), LABEL, "
        "LABEL_VECTOR, LABEL_FIELD, TILE_SIZE, OUTPUT; RESOLUTION, EXTENT, METHOD (random, "
        "stride), STRIDE, TILES_PER_IMAGE, VAL_FRACTION, SPLIT (blocks, random), "
        "VALIDATION_AREA, SEED, MIN_LABELLED."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.addParameter(QgsProcessingParameterRasterLayer(self.IMAGE, self.tr("Image")))
        self.addParameter(QgsProcessingParameterNumber(
            self.RESOLUTION, self.tr("Resolution (map units per pixel, 0 = the image's own)"),
            DOUBLE, defaultValue=0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, self.tr("Extent (only this area of the image)"), optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.LABEL, self.tr("Label raster (class indices)"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.LABEL_VECTOR, self.tr("Label polygons"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        self.addParameter(QgsProcessingParameterField(
            self.LABEL_FIELD, self.tr("Class field of the label polygons"),
            parentLayerParameterName=self.LABEL_VECTOR,
            type=QgsProcessingParameterField.DataType.Numeric, optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.TILE_SIZE, self.tr("Tile size (pixels)"),
            INTEGER, defaultValue=256, minValue=16))
        self.addParameter(option_parameter(self.METHOD, self.tr("Method"), "tile_method"))
        self.addParameter(QgsProcessingParameterNumber(
            self.STRIDE, self.tr("Stride for the grid method (pixels, 0 = tile size)"),
            INTEGER, defaultValue=0, minValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.TILES_PER_IMAGE, self.tr("Tiles per image (random method)"),
            INTEGER, defaultValue=200, minValue=1))
        self.addParameter(QgsProcessingParameterNumber(
            self.VAL_FRACTION, self.tr("Validation fraction"),
            DOUBLE, defaultValue=0.2, minValue=0.0,
            maxValue=0.9))
        self.addParameter(option_parameter(self.SPLIT, self.tr("Validation split"),
                                           "split_method"))
        self.addParameter(QgsProcessingParameterFeatureSource(
            self.VALIDATION_AREA, self.tr("Validation area (polygons, instead of the split)"),
            [QgsProcessing.SourceType.TypeVectorPolygon], optional=True))
        seed = QgsProcessingParameterNumber(
            self.SEED, self.tr("Random seed"), INTEGER,
            defaultValue=0, minValue=0)
        min_labelled = QgsProcessingParameterNumber(
            self.MIN_LABELLED, self.tr("Minimum labelled fraction of a tile"),
            DOUBLE, defaultValue=0.0, minValue=0.0,
            maxValue=1.0)
        self.add_advanced(seed, min_labelled)
        self.addParameter(QgsProcessingParameterFolderDestination(
            self.OUTPUT, self.tr("Dataset folder")))
        self.addOutput(QgsProcessingOutputNumber(self.TILE_COUNT, self.tr("Tiles written")))
        self.advanced_except(self.IMAGE, self.LABEL, self.LABEL_VECTOR, self.LABEL_FIELD,
                             self.TILE_SIZE)

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        image_layer = raster_layer(self, parameters, self.IMAGE, context)
        if image_layer is None:
            raise QgsProcessingException(self.tr("No raster layer was given for {0}.")
                                         .format(self.IMAGE))
        resolution = self.parameterAsDouble(parameters, self.RESOLUTION, context)
        extent = None
        if parameters.get(self.EXTENT):
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, image_layer.crs())
        label_layer = self.parameterAsRasterLayer(parameters, self.LABEL, context)
        label = raster_path(label_layer, self.LABEL) if label_layer is not None else None
        label_vector, label_field = None, None
        if self.parameterAsSource(parameters, self.LABEL_VECTOR, context) is not None:
            if label is not None:
                raise QgsProcessingException(self.tr(
                    "Give either a label raster ({0}) or label polygons ({1}), not both.")
                    .format(self.LABEL, self.LABEL_VECTOR))
            label_field = self.parameterAsString(parameters, self.LABEL_FIELD, context)
            if not label_field:
                raise QgsProcessingException(self.tr(
                    "Label polygons were given ({0}) but no class field ({1}): choose the "
                    "numeric field that holds the class of each polygon.")
                    .format(self.LABEL_VECTOR, self.LABEL_FIELD))
            label_vector = self.ogr_path(parameters, self.LABEL_VECTOR, context, feedback)
        tile_size = self.parameterAsInt(parameters, self.TILE_SIZE, context)
        method = self.option(parameters, self.METHOD, context)
        stride = self.parameterAsInt(parameters, self.STRIDE, context)
        if method == "stride" and stride > tile_size:
            feedback.pushWarning(self.tr(
                "The stride ({0}) is larger than the tile size ({1}): parts of the image "
                "will not be tiled.").format(stride, tile_size))
        tiles_per_image = self.parameterAsInt(parameters, self.TILES_PER_IMAGE, context)
        val_fraction = self.parameterAsDouble(parameters, self.VAL_FRACTION, context)
        split = self.option(parameters, self.SPLIT, context)
        validation_area = None
        if self.parameterAsSource(parameters, self.VALIDATION_AREA, context) is not None:
            validation_area = self.ogr_path(parameters, self.VALIDATION_AREA, context,
                                            feedback)
        seed = self.parameterAsInt(parameters, self.SEED, context)
        min_labelled = self.parameterAsDouble(parameters, self.MIN_LABELLED, context)
        output = self.parameterAsString(parameters, self.OUTPUT, context)

        with layer_input(image_layer, self.IMAGE, resolution, extent, feedback) as image:
            result = self.run_engine(tile_scene, feedback, TileParams(
                image.source, output, label=label, label_vector=label_vector,
                label_field=label_field, tile_size=tile_size, method=method,
                stride=stride or None, tiles_per_image=tiles_per_image,
                val_fraction=val_fraction, seed=seed, min_labelled=min_labelled, split=split,
                validation_area=validation_area, resolution=image.resolution,
                extent=image.extent, image_name=image.name))
        feedback.pushInfo(self.tr(
            "{0} tiles written ({1} training, {2} validation, {3} skipped, {5} left out "
            "between the training and validation areas); the dataset now holds {4} tiles.")
            .format(result.tile_count, result.train, result.val, result.skipped,
                    result.total_tiles, result.dropped))
        return {self.OUTPUT: result.output_dir, self.TILE_COUNT: result.tile_count}
