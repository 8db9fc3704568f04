"""Class styles for index rasters: a paletted renderer with class colours and
names in the legend, applied to a loaded layer or saved as a QML sidecar; and
a continuous colour ramp for 0..1 rasters (confidence, entropy).

``classes`` is always a list of ``(value, name, (r, g, b))``, the shape the
engine's colour maps and model metadata give (``ColorMap.classes()``).
"""

import os

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsContrastEnhancement,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsMultiBandColorRenderer,
    QgsPalettedRasterRenderer,
    QgsProcessingLayerPostProcessorInterface,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRasterShader,
    QgsRendererCategory,
    QgsSingleBandPseudoColorRenderer,
    QgsStyle,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor


def class_renderer(provider, classes, band=1):
    """A QgsPalettedRasterRenderer drawing each class value in its colour."""
    items = []
    for value, name, color in classes:
        r, g, b = (int(c) for c in tuple(color)[:3])
        items.append(QgsPalettedRasterRenderer.Class(int(value), QColor(r, g, b), str(name)))
    return QgsPalettedRasterRenderer(provider, band, items)


def apply_class_style(layer, classes):
    """Give a class-index raster layer a paletted renderer; True when applied."""
    if layer is None or not layer.isValid() or not classes:
        return False
    layer.setRenderer(class_renderer(layer.dataProvider(), classes))
    layer.triggerRepaint()
    return True


def qml_path(raster_path):
    """Where QGIS looks for a raster's default style (``name.tif`` -> ``name.qml``)."""
    return os.path.splitext(os.fspath(raster_path))[0] + ".qml"


def write_class_qml(raster_path, classes):
    """Save the class style as the raster's default-style sidecar (``.qml``).

    Returns the sidecar's path, or None when the raster cannot be opened or
    the style cannot be written.
    """
    layer = QgsRasterLayer(os.fspath(raster_path), os.path.basename(raster_path), "gdal")
    if not apply_class_style(layer, classes):
        return None
    path = qml_path(raster_path)
    _message, ok = layer.saveNamedStyle(path)
    return path if ok else None


def remove_class_qml(raster_path):
    """Remove a raster's default-style sidecar, e.g. a stale class style left by an
    earlier result at the same path (True when one was removed)."""
    path = qml_path(raster_path)
    if os.path.isfile(path):
        os.remove(path)
        return True
    return False


def class_polygon_renderer(classes, field="class"):
    """A categorized renderer for class polygons (``field`` holds the value)."""
    categories = []
    for value, name, color in classes:
        r, g, b = (int(c) for c in tuple(color)[:3])
        symbol = QgsFillSymbol.createSimple({
            "color": f"{r},{g},{b},180", "outline_color": f"{r},{g},{b},255",
            "outline_width": "0.2"})
        categories.append(QgsRendererCategory(int(value), symbol, str(name)))
    return QgsCategorizedSymbolRenderer(field, categories)


class _PostProcessor(QgsProcessingLayerPostProcessorInterface):
    """What Processing calls on a layer it loads when an algorithm ends; a
    subclass's :meth:`apply` does the work.

    Create one with :meth:`create` and hand it to
    ``context.layerToLoadOnCompletionDetails(output).setPostProcessor(...)``:
    QGIS does not own Python post-processors, so ``create`` keeps the object
    alive until it has run.
    """

    _alive = []  # each subclass has its own list

    @classmethod
    def create(cls, *args, **kwargs):
        processor = cls(*args, **kwargs)
        cls._alive.append(processor)
        return processor

    def apply(self, layer):
        raise NotImplementedError

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        try:
            self.apply(layer)
        finally:
            if self in type(self)._alive:
                type(self)._alive.remove(self)


class ClassStylePostProcessor(_PostProcessor):
    """Styles an output layer with its classes when Processing loads it: a
    paletted renderer for a class raster, a categorized one for polygons."""

    _alive = []

    def __init__(self, classes, name=None):
        super().__init__()
        self.classes = list(classes)
        self.name = name

    def apply(self, layer):
        if self.name:
            layer.setName(self.name)
        if isinstance(layer, QgsRasterLayer):
            apply_class_style(layer, self.classes)
        elif isinstance(layer, QgsVectorLayer) and self.classes:
            layer.setRenderer(class_polygon_renderer(self.classes))
            layer.triggerRepaint()


def style_class_output(context, output, classes, name=None):
    """Class colours and names in the legend of a class raster: a .qml sidecar
    for later loads, and a post-processor when Processing loads it now."""
    write_class_qml(output, classes)
    style_when_loaded(context, output, classes, name)


def style_when_loaded(context, output, classes, name=None):
    """Class colours and names for a class raster or class polygons when
    Processing loads the output (nothing when it will not load it)."""
    if output and context.willLoadLayerOnCompletion(output):
        details = context.layerToLoadOnCompletionDetails(output)
        details.setPostProcessor(ClassStylePostProcessor.create(classes, name))


# ---------------------------------------------------------------- continuous 0..1 rasters
CONTINUOUS_RAMP = "Viridis"


def continuous_renderer(provider, minimum=0.0, maximum=1.0, band=1, reverse=False):
    """A pseudo-colour renderer over ``minimum..maximum`` with QGIS's Viridis ramp
    (a grey-to-red gradient where the style database lacks it); ``reverse``
    flips it, e.g. so that low confidence and high entropy share a colour."""
    ramp = QgsStyle.defaultStyle().colorRamp(CONTINUOUS_RAMP) if QgsStyle.defaultStyle() \
        else None
    if ramp is None:
        ramp = QgsGradientColorRamp(QColor(68, 1, 84), QColor(253, 231, 37))
    if reverse:
        ramp.invert()
    function = QgsColorRampShader(float(minimum), float(maximum), ramp,
                                  QgsColorRampShader.Type.Interpolated)
    function.classifyColorRamp(5, -1)
    shader = QgsRasterShader(float(minimum), float(maximum))
    shader.setRasterShaderFunction(function)
    renderer = QgsSingleBandPseudoColorRenderer(provider, band, shader)
    renderer.setClassificationMin(float(minimum))
    renderer.setClassificationMax(float(maximum))
    return renderer


def apply_continuous_style(layer, reverse=False):
    """Give a 0..1 raster layer the continuous ramp; True when applied."""
    if layer is None or not layer.isValid():
        return False
    layer.setRenderer(continuous_renderer(layer.dataProvider(), reverse=reverse))
    layer.triggerRepaint()
    return True


class ContinuousStylePostProcessor(_PostProcessor):
    """Styles a 0..1 raster output with the continuous ramp when Processing loads it."""

    _alive = []

    def __init__(self, reverse=False):
        super().__init__()
        self.reverse = reverse

    def apply(self, layer):
        if isinstance(layer, QgsRasterLayer):
            apply_continuous_style(layer, self.reverse)


def style_continuous_output(context, output, reverse=False):
    """The continuous ramp for a 0..1 raster: a .qml sidecar for later loads and a
    post-processor when Processing loads it now (nothing for no output)."""
    if not output:
        return None
    layer = QgsRasterLayer(os.fspath(output), os.path.basename(output), "gdal")
    path = None
    if apply_continuous_style(layer, reverse):
        path = qml_path(output)
        _message, ok = layer.saveNamedStyle(path)
        path = path if ok else None
    if context.willLoadLayerOnCompletion(output):
        details = context.layerToLoadOnCompletionDetails(output)
        details.setPostProcessor(ContinuousStylePostProcessor.create(reverse))
    return path


# ---------------------------------------------------------------- label next
LABEL_NEXT_COLOUR = "#e31a1c"


def apply_label_next_style(layer):
    """"Label next" cells as outlines with their rank, so the uncertainty under them
    stays visible (a filled symbol would hide exactly the places it points to)."""
    from qgis.core import (
        QgsPalLayerSettings,
        QgsSingleSymbolRenderer,
        QgsTextBufferSettings,
        QgsTextFormat,
        QgsVectorLayerSimpleLabeling,
    )

    if not isinstance(layer, QgsVectorLayer) or layer.fields().indexOf("rank") < 0:
        return False
    symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": LABEL_NEXT_COLOUR,
                                         "outline_width": "0.6"})
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    text = QgsTextFormat()
    text.setSize(9)
    text.setColor(QColor(LABEL_NEXT_COLOUR))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor("white"))
    text.setBuffer(buffer)
    settings = QgsPalLayerSettings()
    settings.fieldName = "rank"
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()
    return True


class LabelNextStylePostProcessor(_PostProcessor):
    """Styles the "label next" cells when Processing loads them."""

    _alive = []

    def apply(self, layer):
        apply_label_next_style(layer)


def style_label_next_output(context, output):
    """The "label next" style: a .qml sidecar beside the file (for later loads and
    for the first run, which loads it itself) and a post-processor when Processing
    loads it now (nothing for no output)."""
    if not output:
        return None
    layer = QgsVectorLayer(os.fspath(output), "label next", "ogr")
    path = None
    if layer.isValid() and apply_label_next_style(layer):
        path = qml_path(output)
        _message, ok = layer.saveNamedStyle(path)
        path = path if ok else None
    if context.willLoadLayerOnCompletion(output):
        details = context.layerToLoadOnCompletionDetails(output)
        details.setPostProcessor(LabelNextStylePostProcessor.create())
    return path


# ---------------------------------------------------------------- multiband images
def write_rgb_qml(raster_path, bands):
    """Save a true-colour style (``bands``: the 1-based red, green and blue bands,
    each stretched over its 2-98 % cumulative cut) as the raster's default-style
    sidecar; its path, or None when the raster cannot be opened or styled."""
    layer = QgsRasterLayer(os.fspath(raster_path), os.path.basename(raster_path), "gdal")
    if not layer.isValid() or layer.bandCount() < max(bands):
        return None
    red, green, blue = (int(b) for b in bands)
    layer.setRenderer(QgsMultiBandColorRenderer(layer.dataProvider(), red, green, blue))
    layer.setContrastEnhancement(
        QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum,
        QgsRasterMinMaxOrigin.Limits.CumulativeCut)
    path = qml_path(raster_path)
    _message, ok = layer.saveNamedStyle(path)
    return path if ok else None


class SidecarStylePostProcessor(_PostProcessor):
    """Gives a layer that Processing loads its ``.qml`` sidecar style (Processing
    loads output layers without their default style), and a name."""

    _alive = []

    def __init__(self, name=None):
        super().__init__()
        self.name = name

    def apply(self, layer):
        if self.name:
            layer.setName(self.name)
        path = qml_path(layer.source().split("|", 1)[0])
        if os.path.isfile(path):
            layer.loadNamedStyle(path)
            layer.triggerRepaint()


def load_with_style(context, path, name, output=""):
    """Load ``path`` into the project when the algorithm ends, named after its file
    (``name`` for a temporary file, see layers.output_layer_name) and styled by its
    ``.qml`` sidecar if it has one (``output``: the output it is)."""
    from qgis.core import QgsProcessingContext

    from .layers import output_layer_name

    name = output_layer_name(path, name)
    details = QgsProcessingContext.LayerDetails(name, context.project(), output)
    details.setPostProcessor(SidecarStylePostProcessor.create(name))
    context.addLayerToLoadOnCompletion(path, details)
