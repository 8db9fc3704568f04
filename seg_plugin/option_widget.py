"""The dialogs' widget for option parameters: translated labels, names as values.

The algorithms' option parameters are enums with static strings (their values
are names such as ``deeplab_v3p``; see algorithms/base.py, option_parameter).
QGIS 3.22's own enum widget would list those names; this wrapper lists the
options' labels, in the user's language, and keeps the name as each item's
data, so the value the dialog hands to the algorithm (and writes into batch
files, history and models) is the name. It serves the algorithm dialog, the
batch dialog and the Model Designer, where it also offers the model's inputs
and other steps' outputs that can supply a name (enum and string inputs,
string outputs).

Processing imports this module by its dotted path (the parameter's
``widget_wrapper`` metadata) when it builds a dialog, so ``processing.gui``
loads only then, never in ``qgis_process`` or when the provider loads.
"""

from processing.gui.wrappers import DIALOG_MODELER, WidgetWrapper
from qgis.core import (
    NULL,
    QgsProcessingModelChildParameterSource,
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QComboBox

from .i18n import tr


class OptionWidgetWrapper(WidgetWrapper):
    """A combo box of (label, name) items for a static-string enum parameter."""

    def createWidget(self, labels=None, **_kwargs):  # noqa: N802 (Processing's name)
        definition = self.parameterDefinition()
        names = list(definition.options())
        labels = [str(label) for label in labels or []]
        if len(labels) != len(names):
            labels = names
        combo = QComboBox()
        if definition.flags() & QgsProcessingParameterDefinition.Flag.FlagOptional:
            combo.addItem(tr("[Not selected]"), self.NOT_SET_OPTION)
        for name, label in zip(names, labels):
            combo.addItem(label, name)
            combo.setItemData(combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        if self.dialogType == DIALOG_MODELER:
            sources = self.dialog.getAvailableValuesOfType(
                [QgsProcessingParameterEnum, QgsProcessingParameterString],
                [QgsProcessingOutputString])
            for source in sources:
                combo.addItem(self.dialog.resolveValueDescription(source), source)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    def _changed(self, _index):
        self.widgetValueHasChanged.emit(self)

    def setValue(self, value):  # noqa: N802
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, QgsProcessingModelChildParameterSource):
            if value.source() == QgsProcessingModelChildParameterSource.Source.StaticValue:
                value = value.staticValue()
            else:
                self._select_source(value)
                return
        if value is None or value == NULL:
            return
        names = self.parameterDefinition().options()
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
            value = names[value]  # a position, as QGIS wrote enums before static strings
        index = self.widget.findData(str(value))
        if index >= 0:
            self.widget.setCurrentIndex(index)

    def _select_source(self, source):
        for index in range(self.widget.count()):
            data = self.widget.itemData(index)
            if isinstance(data, QgsProcessingModelChildParameterSource) and data == source:
                self.widget.setCurrentIndex(index)
                return

    def value(self):
        data = self.widget.currentData()
        if isinstance(data, str) and data == self.NOT_SET_OPTION:
            return None
        return data
