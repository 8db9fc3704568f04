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

With SEMSEG_DESKTOP_FIRST_RUN=1 it then does what a new user does (issue 23): in the
Sample data dialog and then the First run on the sample dialog, parameters set, it
presses Run; each runs as QGIS runs it, in a task beside the event loop, and loads
its layers. The engine is SEMSEG_PYTHON, which then needs TensorFlow. Short settings
(SEMSEG_DESKTOP_FIRST_RUN_EPOCHS, _STEPS, _WIDTH: 2, 3 and 0.25) keep it to about a
minute on two cores (the docs' screenshots: EPOCHS=12, STEPS=0, WIDTH=0, HOME=/home/user
and SEMSEG_DESKTOP_FIRST_RUN_DIR=/home/user/semseg). The outputs go to sample/ and
first_run/ in SEMSEG_DESKTOP_FIRST_RUN_DIR (by default first-run/ in
SEMSEG_SCREENSHOT_DIR). It saves sampledata-log.txt and firstrun-log.txt (the dialogs'
logs), firstrun-log.png (the dialog when done), first-run-map.png (the main window,
SEMSEG_DESKTOP_WINDOW pixels: prediction and label-next cells over the sample, zoomed
to it, the Results Viewer listing the HTML outputs),
first-run-entropy.png (the same with the prediction hidden: the uncertainty) and
training-summary.png (the TRAINING_SUMMARY page with its curves in a web view), and
records report["first_run"]: results, loaded layers, mean IoU, seconds and errors.
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
                     "semseg:enginestatus", "semseg:sampledata", "semseg:firstrun"]
    os.makedirs(out_dir, exist_ok=True)
    report = {"screenshots": {}, "errors": [], "warnings": [], "messages": [], "options": {},
              "shown_first": {}, "encoder": {}, "labels": {},
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
            json.dump(report, f, indent=2, default=str)

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
        report["shown_first"][alg_id] = shown_first(dialog)
        path = os.path.join(out_dir, alg_id.split(":")[1] + ".png")
        image = dialog.grab().toImage()
        if image.save(path, "PNG", 9):
            report["screenshots"][alg_id] = path
        dialog.close()
        dialog.deleteLater()
        pump(0.2)

    def wrapper_widget(wrapper):
        widget = getattr(wrapper, "widget", None)
        return widget if widget is not None and not callable(widget) else \
            wrapper.wrappedWidget()

    def shown_first(dialog):
        """The parameters whose widgets lie outside the "Advanced parameters" group."""
        names = []
        for name, wrapper in dialog.mainWidget().wrappers.items():
            parent = wrapper_widget(wrapper)
            while parent is not None and parent.objectName() != "grpAdvanced":
                parent = parent.parentWidget()
            if parent is None:
                names.append(name)
        return sorted(names)

    def check_encoder():
        """Train Model: choose DeepLabV3+ and read the Encoder list (report["encoder"]),
        with a screenshot of the list open; Evaluate's labels (report["labels"])."""
        import processing
        from qgis.core import QgsProcessingContext

        dialog = processing.createAlgorithmDialog("semseg:trainmodel", {})
        dialog.resize(980, 720)
        dialog.show()
        dialog.raise_()
        pump(0.5)
        wrappers = dialog.mainWidget().wrappers
        encoder = wrappers["ENCODER"]
        checks = report["encoder"]
        checks["before"] = encoder.options_shown()
        wrappers["MODEL"].setParameterValue("deeplab_v3p", QgsProcessingContext())
        pump(0.3)
        checks["model"] = wrappers["MODEL"].parameterValue()
        checks["names"] = encoder.options_shown()
        checks["state"] = combo_state(encoder)
        checks["current_text"] = encoder.widget.currentText()
        encoder.widget.showPopup()
        pump(0.5)
        path = os.path.join(out_dir, "trainmodel-deeplab-encoders.png")
        if QApplication.primaryScreen().grabWindow(0).save(path, "PNG", 9):
            report["screenshots"]["trainmodel-deeplab-encoders"] = path
        encoder.widget.hidePopup()
        dialog.close()
        dialog.deleteLater()

        dialog = processing.createAlgorithmDialog("semseg:evaluate", {})
        wrappers = dialog.mainWidget().wrappers
        for name in ("PREDICTION", "REFERENCE", "PREDICTION_FOLDER"):
            wrapper = wrappers[name]
            label = getattr(wrapper, "label", None)
            if label is None or callable(label):
                label = wrapper.wrappedLabel()
            report["labels"][name] = label.text() if label is not None else None
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

    def fail(where):
        report["errors"].append({"tag": "desktop_check", "level": 2,
                                 "message": f"{where}: {traceback.format_exc()}"})

    def run_in_dialog(alg_id, parameters, log_name, wait_s):
        """Open the algorithm's dialog with ``parameters`` set and press Run, as a user
        does: the dialog runs it in a QgsProcessingAlgRunnerTask beside the event loop
        and, when done, loads its layers and lists its HTML outputs in the Results
        Viewer. Events are pumped until then; (ok, results, dialog). The dialog's log
        goes to ``log_name`` in the output folder."""
        import processing
        from qgis.core import QgsProcessingContext
        from qgis.gui import QgsProcessingAlgorithmDialogBase

        dialog = processing.createAlgorithmDialog(alg_id, parameters)
        dialog.resize(980, 720)
        dialog.show()
        dialog.raise_()
        pump(0.5)
        given = dialog.createProcessingParameters()
        ok, message = dialog.algorithm().checkParameterValues(given, QgsProcessingContext())
        if not ok:  # Run would stop at a modal message box
            raise RuntimeError(f"{alg_id} refuses the dialog's parameters: {message}")
        done = {}
        dialog.algorithmFinished.connect(
            lambda successful, results: done.update(ok=successful, results=dict(results)))
        tasks = QgsApplication.taskManager()
        dialog.runButton().click()
        end = time.monotonic() + wait_s
        seen_task, idle_since = False, None
        while "ok" not in done and not report["timed_out"] and time.monotonic() < end:
            pump(0.2)
            if tasks.countActiveTasks():
                seen_task, idle_since = True, None
            elif seen_task:  # done, but the dialog did not say so (e.g. a layer failed)
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 10:
                    break
        pump(1.0)
        dialog.saveLogToFile(os.path.join(out_dir, log_name),
                             QgsProcessingAlgorithmDialogBase.FormatPlainText)
        return done.get("ok", False), done.get("results", {}), dialog

    def wait_for_canvas(canvas, seconds=30):
        canvas.refreshAllLayers()
        pump(0.5)
        end = time.monotonic() + seconds
        while canvas.isDrawing() and time.monotonic() < end:
            pump(0.1)
        pump(0.5)

    def source_path(layer):
        return os.path.normpath(layer.source().split("|", 1)[0])

    def first_run():
        """Sample data, then First run on the sample, each from its dialog (Run
        pressed); screenshots of the outcome (see the module's docstring)."""
        import qgis.utils
        from qgis.core import QgsProject
        from qgis.PyQt.QtCore import QSize

        checks = report["first_run"] = {"errors": [], "layers": []}
        began = time.monotonic()
        folder = os.path.abspath(os.environ.get("SEMSEG_DESKTOP_FIRST_RUN_DIR")
                                 or os.path.join(out_dir, "first-run"))
        checks["folder"] = folder
        wait_s = max(timeout_s - (time.monotonic() - started) - 20, 30)
        ok, sample, dialog = run_in_dialog(
            "semseg:sampledata", {"OUTPUT": os.path.join(folder, "sample"), "LOAD": True},
            "sampledata-log.txt", wait_s)
        checks["sample_ok"], checks["sample"] = ok, sample
        checks["sample_seconds"] = round(time.monotonic() - began, 1)
        dialog.close()
        dialog.deleteLater()
        if not ok:
            checks["errors"].append("Sample data failed: see sampledata-log.txt")
            return
        parameters = {
            "OUTPUT": os.path.join(folder, "first_run"),
            "EPOCHS": int(os.environ.get("SEMSEG_DESKTOP_FIRST_RUN_EPOCHS", "2")),
            "STEPS_PER_EPOCH": int(os.environ.get("SEMSEG_DESKTOP_FIRST_RUN_STEPS", "3")),
            "WIDTH": float(os.environ.get("SEMSEG_DESKTOP_FIRST_RUN_WIDTH", "0.25"))}
        checks["parameters"] = parameters
        run_began = time.monotonic()
        wait_s = max(timeout_s - (time.monotonic() - started) - 20, 30)
        ok, results, dialog = run_in_dialog("semseg:firstrun", parameters,
                                            "firstrun-log.txt", wait_s)
        checks["ok"], checks["results"] = ok, results
        checks["seconds"] = round(time.monotonic() - run_began, 1)
        checks["mean_iou"] = results.get("MEAN_IOU")
        path = os.path.join(out_dir, "firstrun-log.png")
        if dialog.isVisible() and dialog.grab().toImage().save(path, "PNG", 9):
            report["screenshots"]["firstrun-log"] = path
        dialog.close()
        dialog.deleteLater()
        pump(0.5)
        if not ok:
            checks["errors"].append("First run failed: see firstrun-log.txt")
            return

        project = QgsProject.instance()
        root = project.layerTreeRoot()
        by_path = {}
        for node in root.findLayers():
            layer = node.layer()
            checks["layers"].append({
                "name": layer.name(), "source": layer.source(),
                "renderer": layer.renderer().type() if layer.renderer() else None,
                "visible": node.isVisible()})
            by_path[source_path(layer)] = layer
        outputs = {key: by_path.get(os.path.normpath(results[key]))
                   for key in ("PREDICTION", "ENTROPY", "LABEL_NEXT") if results.get(key)}
        missing = [key for key, layer in outputs.items() if layer is None]
        if missing:
            checks["errors"].append(f"not loaded: {missing}")
            return

        window = qgis.utils.iface.mainWindow()
        width, height = (int(v) for v in os.environ.get(
            "SEMSEG_DESKTOP_WINDOW", "1400x860").split("x"))
        window.resize(QSize(width, height))
        window.move(0, 0)
        window.raise_()
        # As a user would before looking: the label-next cells on top (QGIS 3.22 stacks
        # an algorithm's layers in the order of their paths, which puts the prediction
        # over them), the legends of the first run's rasters open, the others closed.
        node = root.findLayer(outputs["LABEL_NEXT"].id())
        checks["label_next_was_on_top"] = root.children()[0] is node
        root.insertChildNode(0, node.clone())
        node.parent().removeChildNode(node)
        for node in root.findLayers():
            node.setExpanded(node.layerId() in (outputs["PREDICTION"].id(),
                                                outputs["ENTROPY"].id()))
        canvas = qgis.utils.iface.mapCanvas()
        qgis.utils.iface.setActiveLayer(outputs["PREDICTION"])
        canvas.setExtent(outputs["PREDICTION"].extent())
        wait_for_canvas(canvas)
        for name, hide in (("first-run-map", None), ("first-run-entropy", "PREDICTION")):
            if hide:
                root.findLayer(outputs[hide].id()).setItemVisibilityChecked(False)
                qgis.utils.iface.setActiveLayer(outputs["ENTROPY"])
                wait_for_canvas(canvas)
            path = os.path.join(out_dir, name + ".png")
            if window.grab().toImage().save(path, "PNG", 9):
                report["screenshots"][name] = path
        root.findLayer(outputs["PREDICTION"].id()).setItemVisibilityChecked(True)
        show_training_summary(results.get("TRAINING_SUMMARY"), checks)

    def show_training_summary(summary, checks):
        """The training summary (an HTML page and its curves.png) in a web view, as
        the Results Viewer's link opens it; QTextBrowser where QtWebKit is missing."""
        from qgis.PyQt.QtCore import QUrl
        from qgis.PyQt.QtWidgets import QDialog, QVBoxLayout

        if not summary or not os.path.isfile(summary):
            checks["errors"].append(f"no training summary: {summary!r}")
            return
        window = QDialog(iface_window())
        window.setWindowTitle(f"Training summary - {summary}")
        layout = QVBoxLayout(window)
        layout.setContentsMargins(0, 0, 0, 0)
        loaded = {}
        try:
            from qgis.PyQt.QtWebKitWidgets import QWebView

            view = QWebView(window)
            view.loadFinished.connect(lambda ok: loaded.update(ok=ok))
            view.load(QUrl.fromLocalFile(summary))
            checks["summary_viewer"] = "QWebView"
        except ImportError:
            from qgis.PyQt.QtWidgets import QTextBrowser

            view = QTextBrowser(window)
            view.setSource(QUrl.fromLocalFile(summary))
            loaded["ok"] = True
            checks["summary_viewer"] = "QTextBrowser"
        layout.addWidget(view)
        window.resize(960, 820)
        window.show()
        window.raise_()
        end = time.monotonic() + 15
        while "ok" not in loaded and time.monotonic() < end:
            pump(0.1)
        pump(0.5)
        checks["summary_loaded"] = loaded.get("ok", False)
        path = os.path.join(out_dir, "training-summary.png")
        if window.grab().toImage().save(path, "PNG", 9):
            report["screenshots"]["training-summary"] = path
        window.close()
        window.deleteLater()

    def iface_window():
        import qgis.utils

        return qgis.utils.iface.mainWindow()

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
            try:
                check_encoder()
            except Exception:
                report["errors"].append({"tag": "desktop_check", "level": 2,
                                         "message": f"encoder: {traceback.format_exc()}"})
            pump(float(os.environ.get("SEMSEG_DESKTOP_SETTLE_S", "0.5")))
            if os.environ.get("SEMSEG_DESKTOP_FIRST_RUN") == "1":
                try:
                    first_run()
                except Exception:
                    fail("first run")
                finally:  # QGIS 3.22 may crash at exit tearing down a layer tree it shows
                    from qgis.core import QgsProject

                    QgsProject.instance().clear()
                    pump(0.5)
            report["finished"] = not report["timed_out"]
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
