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

A parameter whose metadata names a parameter it ``follows`` lists only the
options that fit that parameter's value: Train Model's Encoder lists the
encoders that fit the chosen Model (models/catalog.py knows which), marks the
model's default encoder, and keeps the chosen encoder while it still fits,
else takes the model's default (the algorithm dialog and each row of the batch
dialog). The Model Designer, which does not link its widgets in QGIS 3.22, and
a value that is not a name list every option; ``qgis_process`` and batch files
take any name as before, and the algorithm checks the pair before it runs.

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

from ..models import catalog
from .i18n import tr


def encoder_choices(model):
    """``(names, default)``: the encoders that fit MODEL ``model``, in the catalog's
    order (its own encoders first), and the one it is usually paired with; None
    when ``model`` is not a model name (then every encoder is listed)."""
    if not isinstance(model, str) or model not in catalog.DECODERS:
        return None
    return catalog.compatible_encoders(model), catalog.default_encoder(model)


# The options a following parameter lists, by its option set: a function of the
# value of the parameter it follows (see encoder_choices).
FOLLOWERS = {"encoder": encoder_choices}


class OptionWidgetWrapper(WidgetWrapper):
    """A combo box of (label, name) items for a static-string enum parameter."""

    def createWidget(self, labels=None, follows=None, **_kwargs):  # noqa: N802 (Processing's)
        definition = self.parameterDefinition()
        names = list(definition.options())
        labels = [str(label) for label in labels or []]
        if len(labels) != len(names):
            labels = names
        self._labels = dict(zip(names, labels))
        self._follows = follows
        self._leader = None
        self._pending = None  # a name set before the parameter it follows
        self._sources = []
        if self.dialogType == DIALOG_MODELER:
            self._sources = self.dialog.getAvailableValuesOfType(
                [QgsProcessingParameterEnum, QgsProcessingParameterString],
                [QgsProcessingOutputString])
        combo = QComboBox()
        self._fill(combo, names)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    def _fill(self, combo, names, default=None):
        """Fill ``combo`` with the options ``names`` (``default`` marked as such)."""
        if self.parameterDefinition().flags() & QgsProcessingParameterDefinition.Flag.FlagOptional:
            combo.addItem(tr("[Not selected]"), self.NOT_SET_OPTION)
        for name in names:
            label = self._labels.get(name, name)
            if name == default:
                label = tr("{0} (default)").format(label)
            combo.addItem(label, name)
            combo.setItemData(combo.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
        for source in self._sources:
            combo.addItem(self.dialog.resolveValueDescription(source), source)

    def postInitialize(self, wrappers):  # noqa: N802 (Processing's name)
        """Follow the wrapper of the parameter named in ``follows``, if any."""
        if not self._follows or self.parameterDefinition().metadata().get(
                "option_set") not in FOLLOWERS:
            return
        for wrapper in wrappers:
            if wrapper.parameterDefinition().name() == self._follows:
                self._leader = wrapper
                wrapper.widgetValueHasChanged.connect(self.follow)
                self.follow(wrapper)
                return

    def follow(self, leader=None):
        """List the options that fit the value of the parameter this one follows,
        keeping the chosen one if it fits, else taking the fitting default."""
        leader = leader or self._leader
        if leader is None:
            return
        choose = FOLLOWERS[self.parameterDefinition().metadata()["option_set"]]
        choices = choose(leader.parameterValue())
        names, default = choices or (list(self.parameterDefinition().options()), None)
        current = self._pending or self.value()
        self._pending = None
        if isinstance(current, str) and current in names:
            chosen = current
        elif current is not None and not isinstance(current, str):
            chosen = current  # a model input or another step's output: kept
        else:
            chosen = default if default in names else None
        combo = self.widget
        combo.blockSignals(True)
        try:
            combo.clear()
            self._fill(combo, names, default)
            if chosen is not None and not isinstance(chosen, str):
                self._select_source(chosen)
            else:
                combo.setCurrentIndex(max(combo.findData(chosen), 0) if chosen else 0)
        finally:
            combo.blockSignals(False)
        if self.value() != current:
            self.widgetValueHasChanged.emit(self)

    def options_shown(self):
        """The names the combo box lists now, in order."""
        return [self.widget.itemData(i) for i in range(self.widget.count())
                if isinstance(self.widget.itemData(i), str)
                and self.widget.itemData(i) != self.NOT_SET_OPTION]

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
        elif self._follows and str(value) in names:
            self._pending = str(value)  # listed once the parameter it follows fits it

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
