"""Desktop check: open every algorithm dialog of the plugin in a real QGIS window,
save a screenshot of each and report what QGIS logged.

QGIS 3.22 runs this file with ``exec`` in its Python once the main window exists
(``--code``), before the event loop starts; the work is therefore scheduled with
QTimer. Run it headless, in a throwaway profile that has the plugin enabled:

    SEMSEG_SCREENSHOT_DIR=out xvfb-run -a -s "-screen 0 1600x1000x24" \\
        qgis --nologo --noversioncheck --profiles-path PROFILES --code scripts/desktop_check.py

where PROFILES/profiles/default/python/plugins/semantic_segmentation links to the
plugin and PROFILES/profiles/default/QGIS/QGIS3.ini holds
``[PythonPlugins] semantic_segmentation=true`` (tests/desktop/test_desktop.py
sets this up). Writes ``<id>.png`` per algorithm and ``report.json`` into
SEMSEG_SCREENSHOT_DIR, then quits QGIS. A hard timeout quits it whatever happens.
"""


def _semseg_desktop_check():
    # Everything lives in this function: --code executes the file in QGIS's __main__.
    import json
    import os
    import threading
    import time
    import traceback

    from qgis.core import Qgis, QgsApplication
    from qgis.PyQt.QtCore import QTimer
    from qgis.PyQt.QtWidgets import QApplication

    out_dir = os.path.abspath(os.environ.get("SEMSEG_SCREENSHOT_DIR", "desktop-check"))
    timeout_s = float(os.environ.get("SEMSEG_DESKTOP_TIMEOUT", "90"))
    start_delay_ms = int(os.environ.get("SEMSEG_DESKTOP_START_DELAY_MS", "1500"))
    algorithm_ids = ["semseg:tiledataset", "semseg:colortoindex", "semseg:trainmodel",
                     "semseg:predictraster", "semseg:evaluate", "semseg:setupengine",
                     "semseg:enginestatus"]
    os.makedirs(out_dir, exist_ok=True)
    report = {"screenshots": {}, "errors": [], "warnings": [], "messages": [], "options": {},
              "plugin_loaded": False, "provider_present": False, "algorithms": [],
              "finished": False, "timed_out": False}
    started = time.monotonic()

    def on_message(message, tag, level):
        entry = {"tag": tag, "level": int(level), "message": message[:4000]}
        report["messages"].append(entry)
        if level == Qgis.MessageLevel.Critical or "python" in (tag or "").lower() and \
                level != Qgis.MessageLevel.Info:
            report["errors"].append(entry)
        elif level == Qgis.MessageLevel.Warning:
            report["warnings"].append(entry)

    QgsApplication.messageLog().messageReceived.connect(on_message)

    def write_report():
        report["seconds"] = round(time.monotonic() - started, 1)
        with open(os.path.join(out_dir, "report.json"), "w", encoding="utf-8") as f:
            json.dump(report, f, indent=2)

    def pump(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)

    def quit_qgis(code):
        write_report()
        QApplication.instance().exit(code)

    def screenshot(alg_id):
        import processing

        dialog = processing.createAlgorithmDialog(alg_id, {})
        if dialog is None:
            report["errors"].append({"tag": "desktop_check", "level": 2,
                                     "message": f"no dialog for {alg_id}"})
            return
        dialog.resize(980, 720)
        dialog.show()
        dialog.raise_()
        pump(1.0)
        path = os.path.join(out_dir, alg_id.split(":")[1] + ".png")
        image = dialog.grab().toImage()
        if image.save(path, "PNG", 9):
            report["screenshots"][alg_id] = path
        dialog.close()
        dialog.deleteLater()
        pump(0.2)

    def combo_state(wrapper):
        combo = wrapper.widget
        return {"class": type(wrapper).__name__,
                "texts": [combo.itemText(i) for i in range(combo.count())],
                "value": wrapper.parameterValue()}

    def check_options():
        """The option widget in the algorithm, batch and modeler dialogs of Train Model:
        labels shown, names as values (report["options"])."""
        import processing
        from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
        from processing.modeler.ModelerParametersDialog import ModelerParametersDialog
        from qgis.core import (QgsProcessingContext, QgsProcessingModelAlgorithm,
                               QgsProcessingModelParameter, QgsProcessingParameterString)

        context = QgsProcessingContext()

        checks = report["options"]
        dialog = processing.createAlgorithmDialog("semseg:trainmodel", {"LOSS": "dice"})
        wrappers = dialog.mainWidget().wrappers
        checks["standard_loss"] = combo_state(wrappers["LOSS"])
        wrappers["MODEL"].setParameterValue("deeplab_v3p", context)
        checks["standard_model"] = combo_state(wrappers["MODEL"])
        dialog.close()
        dialog.deleteLater()

        alg = QgsApplication.processingRegistry().createAlgorithmById("semseg:trainmodel")
        batch = BatchAlgorithmDialog(alg)
        panel = batch.mainWidget()
        column = panel.parameter_to_column["LOSS"]
        checks["batch_loss"] = combo_state(panel.wrappers[0][column])
        panel.wrappers[0][column].setParameterValue("lovasz", context)
        checks["batch_loss_set"] = panel.wrappers[0][column].parameterValue()
        batch.close()
        batch.deleteLater()

        model = QgsProcessingModelAlgorithm("check", "check")
        loss_input = QgsProcessingParameterString("LOSS_NAME", "Loss name")
        model.addModelParameter(loss_input, QgsProcessingModelParameter("LOSS_NAME"))
        alg = QgsApplication.processingRegistry().createAlgorithmById("semseg:trainmodel")
        modeler = ModelerParametersDialog(alg, model)
        modeler.resize(700, 900)
        modeler.show()
        pump(0.5)
        modeler.grab().toImage().save(os.path.join(out_dir, "trainmodel-modeler.png"), "PNG", 9)
        wrapper = modeler.widget.widget.wrappers["LOSS"]
        combo = wrapper.widget
        checks["modeler_loss"] = {"class": type(wrapper).__name__,
                                  "texts": [combo.itemText(i) for i in range(combo.count())],
                                  "value": wrapper.value()}
        source = modeler.createAlgorithm().parameterSources()["LOSS"][0]
        checks["modeler_static"] = source.staticValue()
        combo.setCurrentIndex(combo.findText("Loss name"))
        source = modeler.createAlgorithm().parameterSources()["LOSS"][0]
        checks["modeler_input"] = source.parameterName()
        modeler.close()
        modeler.deleteLater()
        pump(0.2)

    def run():
        try:
            import qgis.utils

            report["plugin_loaded"] = "semantic_segmentation" in qgis.utils.plugins
            report["active_plugins"] = list(qgis.utils.active_plugins)
            provider = QgsApplication.processingRegistry().providerById("semseg")
            report["provider_present"] = provider is not None
            if provider is not None:
                report["algorithms"] = sorted(a.id() for a in provider.algorithms())
            for alg_id in algorithm_ids:
                try:
                    screenshot(alg_id)
                except Exception:  # recorded, and the next dialog still gets its turn
                    report["errors"].append({"tag": "desktop_check", "level": 2,
                                             "message": f"{alg_id}: {traceback.format_exc()}"})
            try:
                check_options()
            except Exception:
                report["errors"].append({"tag": "desktop_check", "level": 2,
                                         "message": f"options: {traceback.format_exc()}"})
            pump(float(os.environ.get("SEMSEG_DESKTOP_SETTLE_S", "0.5")))
            report["finished"] = True
        except Exception:
            report["errors"].append({"tag": "desktop_check", "level": 2,
                                     "message": traceback.format_exc()})
        quit_qgis(0)

    def on_timeout():
        report["timed_out"] = True
        quit_qgis(3)

    def hard_exit():  # the event loop itself is stuck: leave without it
        if not report["finished"]:
            report["timed_out"] = True
            write_report()
            os._exit(4)

    QTimer.singleShot(start_delay_ms, run)
    QTimer.singleShot(int(timeout_s * 1000), on_timeout)
    killer = threading.Timer(timeout_s + 15, hard_exit)
    killer.daemon = True
    killer.start()


_semseg_desktop_check()
