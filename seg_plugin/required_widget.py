"""The dialogs' widget for an input that is required unless an alternative replaces it.

Evaluate compares a Prediction with a Reference (two rasters). It can compare
two folders of rasters instead, or the prediction with a reference sample of
points or polygons: those alternatives sit under "Advanced parameters", and
the two rasters are optional parameters so that ``qgis_process``, batch files
and models can leave them out when an alternative replaces them. QGIS 3.22
labels every optional parameter "[optional]"; this wrapper shows QGIS's own
layer widget under the bare label, so the algorithm dialog presents the two
rasters as what a first run needs. The algorithm's ``checkParameterValues``
says which input is missing when neither they nor an alternative are given.

In the batch dialog and the Model Designer the parameter gets QGIS's own
wrapper, unchanged (``__new__`` returns it). Processing imports this module by
its dotted path (the parameter's ``widget_wrapper`` metadata) when it builds
a dialog, never in ``qgis_process``.
"""

from processing.gui.wrappers import DIALOG_BATCH, DIALOG_STANDARD, WidgetWrapper, dialogTypes
from processing.tools.dataobjects import createContext
from qgis.gui import QgsGui, QgsProcessingGui
from qgis.PyQt.QtWidgets import QLabel


def _dialog_type(dialog):
    return dialogTypes.get(dialog.__class__.__name__, QgsProcessingGui.WidgetType.Standard)


def stock_wrapper(parameter, dialog):
    """QGIS's own wrapper of ``parameter`` for ``dialog``, made as Processing makes
    it for a parameter without widget metadata (processing/gui/wrappers.py)."""
    registry = QgsGui.processingGuiRegistry()
    if dialog.__class__.__name__ == "ModelerParametersDialog":
        wrapper = registry.createModelerParameterWidget(dialog.model, dialog.childId,
                                                        parameter, dialog.context)
    else:
        wrapper = registry.createParameterWidgetWrapper(parameter, _dialog_type(dialog))
    if wrapper is not None:
        wrapper.setDialog(dialog)
    return wrapper


class RequiredInputWrapper(WidgetWrapper):
    """QGIS's widget for the parameter, labelled without "[optional]"."""

    def __new__(cls, parameter, dialog, row=0, col=0, **kwargs):
        if _dialog_type(dialog) != DIALOG_STANDARD:
            return stock_wrapper(parameter, dialog)
        return super().__new__(cls)

    def createWidget(self, **_kwargs):  # noqa: N802 (Processing's name)
        self._context = createContext()
        self._inner = QgsGui.processingGuiRegistry().createParameterWidgetWrapper(
            self.parameterDefinition(), QgsProcessingGui.WidgetType.Standard)
        widget = self._inner.createWrappedWidget(self._context)
        self._inner.widgetValueHasChanged.connect(self._changed)
        return widget

    def _changed(self, _wrapper):
        self.widgetValueHasChanged.emit(self)

    def createLabel(self):  # noqa: N802
        if self.dialogType == DIALOG_BATCH:
            return None
        label = QLabel(self.parameterDefinition().description())
        label.setToolTip(self.parameterDefinition().name())
        return label

    def setWidgetContext(self, context):  # noqa: N802
        super().setWidgetContext(context)
        self._inner.setWidgetContext(context)

    def registerProcessingContextGenerator(self, generator):  # noqa: N802
        super().registerProcessingContextGenerator(generator)
        self._inner.registerProcessingContextGenerator(generator)

    def postInitialize(self, wrappers):  # noqa: N802
        self._inner.postInitialize(wrappers)

    def setValue(self, value):  # noqa: N802
        if value is not None:
            self._inner.setParameterValue(value, self._context)

    def value(self):
        return self._inner.parameterValue()
