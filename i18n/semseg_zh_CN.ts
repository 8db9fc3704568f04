<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>SemanticSegmentation</name>
    <message>
      <source>no engine is configured</source>
      <translation>未配置引擎</translation>
    </message>
    <message>
      <source>no answer in {0} s</source>
      <translation>{0} 秒内无响应</translation>
    </message>
    <message>
      <source>exit code {0}</source>
      <translation>退出码 {0}</translation>
    </message>
    <message>
      <source>By hand, in the OSGeo4W Shell:
    python -m venv --system-site-packages %USERPROFILE%\semseg-venv
    %USERPROFILE%\semseg-venv\Scripts\pip install -r {0}</source>
      <translation>手动操作，在 OSGeo4W Shell 中运行：
    python -m venv --system-site-packages %USERPROFILE%\semseg-venv
    %USERPROFILE%\semseg-venv\Scripts\pip install -r {0}</translation>
    </message>
    <message>
      <source>By hand, in a terminal:
    /Applications/QGIS.app/Contents/MacOS/bin/python3 -m venv --system-site-packages ~/semseg-venv
    ~/semseg-venv/bin/pip install -r {0} (with tensorflow instead of tensorflow-cpu)</source>
      <translation>手动操作，在终端中运行：
    /Applications/QGIS.app/Contents/MacOS/bin/python3 -m venv --system-site-packages ~/semseg-venv
    ~/semseg-venv/bin/pip install -r {0}（用 tensorflow 代替 tensorflow-cpu）</translation>
    </message>
    <message>
      <source>By hand, in a terminal:
    /usr/bin/python3 -m venv --system-site-packages ~/semseg-venv
    ~/semseg-venv/bin/pip install -r {0}</source>
      <translation>手动操作，在终端中运行：
    /usr/bin/python3 -m venv --system-site-packages ~/semseg-venv
    ~/semseg-venv/bin/pip install -r {0}</translation>
    </message>
    <message>
      <source>Run "Set up the engine" (Processing Toolbox &gt; Semantic Segmentation): it makes a Python environment with TensorFlow, Keras and NumPy beside QGIS's GDAL and selects it. Or make one yourself and name its Python in Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation &gt; Engine Python interpreter (or in the environment variable {0}).</source>
      <translation>运行“配置引擎”（处理工具箱 &gt; 语义分割）：它会创建一个包含 TensorFlow、Keras 和 NumPy、并与 QGIS 共用 GDAL 的 Python 环境，并选用该环境。也可以自行创建一个环境，并在 设置 &gt; 选项 &gt; 处理 &gt; 提供者 &gt; 语义分割 &gt; 引擎 Python 解释器 中指定其 Python（或在环境变量 {0} 中指定）。</translation>
    </message>
    <message>
      <source>No Python is set up to run the segmentation engine (TensorFlow and Keras never run inside QGIS).</source>
      <translation>尚未设置用于运行分割引擎的 Python（TensorFlow 和 Keras 从不在 QGIS 内部运行）。</translation>
    </message>
    <message>
      <source>The engine's Python {0} cannot import {1}.</source>
      <translation>引擎的 Python {0} 无法导入 {1}。</translation>
    </message>
    <message>
      <source>The engine's Python {0} cannot run the engine.</source>
      <translation>引擎的 Python {0} 无法运行引擎。</translation>
    </message>
    <message>
      <source>The segmentation engine is not set up yet.</source>
      <translation>分割引擎尚未配置。</translation>
    </message>
    <message>
      <source>The segmentation engine's Python cannot import {0}.</source>
      <translation>分割引擎的 Python 无法导入 {0}。</translation>
    </message>
    <message>
      <source>The segmentation engine's Python cannot run the engine.</source>
      <translation>分割引擎的 Python 无法运行引擎。</translation>
    </message>
    <message>
      <source>The engine's Python {0} is ready: TensorFlow {1}, Keras {2}.</source>
      <translation>引擎的 Python {0} 已就绪：TensorFlow {1}，Keras {2}。</translation>
    </message>
    <message>
      <source>Engine Python interpreter</source>
      <translation>引擎 Python 解释器</translation>
    </message>
    <message>
      <source>Memory budget (MiB)</source>
      <translation>内存预算（MiB）</translation>
    </message>
    <message>
      <source>Engine backend</source>
      <translation>引擎后端</translation>
    </message>
    <message>
      <source>No raster layer was given for {0}.</source>
      <translation>没有为 {0} 提供栅格图层。</translation>
    </message>
    <message>
      <source>The layer {0} ({1}) is not a GDAL raster file: save it as a GeoTIFF first.</source>
      <translation>图层 {0}（{1}）不是 GDAL 栅格文件：请先将其另存为 GeoTIFF。</translation>
    </message>
    <message>
      <source>{0}: QGIS cannot open the web layer {1}.</source>
      <translation>{0}：QGIS 无法打开 Web 图层 {1}。</translation>
    </message>
    <message>
      <source>The layer {0} ({1}) is a web layer without a pixel size of its own: give {2} (map units per pixel, in the layer's CRS) and {3} (the area to read).</source>
      <translation>图层 {0}（{1}）是没有自身像素大小的 Web 图层：请提供 {2}（每像素的地图单位数，采用图层的坐标参考系）和 {3}（要读取的区域）。</translation>
    </message>
    <message>
      <source>Missing: {0}.</source>
      <translation>缺少：{0}。</translation>
    </message>
    <message>
      <source>The layer {0} has no pixel size: give a resolution.</source>
      <translation>图层 {0} 没有像素大小：请提供分辨率。</translation>
    </message>
    <message>
      <source>The layer {0} has pixels of a type the plugin cannot read.</source>
      <translation>图层 {0} 的像素类型无法被插件读取。</translation>
    </message>
    <message>
      <source>Reading the layer {0} ({1} x {2} pixels) through QGIS.</source>
      <translation>正在通过 QGIS 读取图层 {0}（{1} x {2} 像素）。</translation>
    </message>
    <message>
      <source>[Not selected]</source>
      <translation>[未选择]</translation>
    </message>
    <message>
      <source>{0} (default)</source>
      <translation>{0}（默认）</translation>
    </message>
    <message>
      <source>Semantic Segmentation: checking the engine's Python</source>
      <translation>语义分割：正在检查引擎的 Python</translation>
    </message>
    <message>
      <source>Semantic Segmentation</source>
      <translation>语义分割</translation>
    </message>
    <message>
      <source>Details are in the Log Messages panel.</source>
      <translation>详细信息见日志消息面板。</translation>
    </message>
    <message>
      <source>Set up the engine…</source>
      <translation>配置引擎…</translation>
    </message>
    <message>
      <source>Segmentation chain (tile, train, predict, evaluate)</source>
      <translation>分割流程（切片、训练、预测、评估）</translation>
    </message>
    <message>
      <source>Cannot read the model {0}</source>
      <translation>无法读取模型 {0}</translation>
    </message>
    <message>
      <source>Engine: {0}</source>
      <translation>引擎：{0}</translation>
    </message>
    <message>
      <source>Cannot start the engine's Python {0}: {1}.</source>
      <translation>无法启动引擎的 Python {0}：{1}。</translation>
    </message>
    <message>
      <source>Cancelled: no output was written.</source>
      <translation>已取消：未写入任何输出。</translation>
    </message>
    <message>
      <source>The engine process was killed (signal {0}), most often because the system ran out of memory: try a smaller BATCH_SIZE or TILE_SIZE.</source>
      <translation>引擎进程被终止（信号 {0}），最常见的原因是系统内存不足：请尝试更小的 BATCH_SIZE 或 TILE_SIZE。</translation>
    </message>
    <message>
      <source>(nothing)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>The engine process ({0}) ended without a result (exit code {1}). Its last words:
{2}</source>
      <translation>引擎进程（{0}）未返回结果即结束（退出码 {1}）。其最后的输出：
{2}</translation>
    </message>
    <message>
      <source>{0} failed: {1}</source>
      <translation>{0} 失败：{1}</translation>
    </message>
    <message>
      <source>Semantic segmentation</source>
      <translation>语义分割</translation>
    </message>
    <message>
      <source>{0}: {1} is not an option; give one of these names: {2}.</source>
      <translation>{0}：{1} 不是有效选项；请给出以下名称之一：{2}。</translation>
    </message>
    <message>
      <source>{0}: {1}</source>
      <translation>{0}：{1}</translation>
    </message>
    <message>
      <source>Color to Index</source>
      <translation>颜色转索引</translation>
    </message>
    <message>
      <source>Converts a colour-coded label image (RGB, or one band with a colour table) into a class-index raster that Tile Dataset, Train Model and Evaluate read, or an index raster back into colours.

Input raster: the colour label image, or the class-index raster to colour. Direction: colour to index, or index to colour. Colour map: a shipped preset (PASCAL VOC, Cityscapes, ADE20K, Inria...), or a Colour map file, which replaces the preset: a JSON colour map, or one exported from QGIS's paletted renderer (.txt or .clr lines 'value,r,g,b,alpha,label'). Output raster: a Byte GeoTIFF with the input's georeference; an index raster carries the class colours and names.

Advanced parameters: Unknown colours, fail (the error lists the colours that are not in the map and their pixel counts), or map them to 255, the value training and evaluation ignore.

qgis_process names: INPUT, MODE (color_to_index, index_to_color), COLOR_MAP (voc, cityscapes, ade20k, inria...), COLOR_MAP_FILE, OUTPUT; UNKNOWN (fail, ignore).</source>
      <translation>将颜色编码的标签影像（RGB，或带颜色表的单波段影像）转换为“切片数据集”、“训练模型”和“评估”可读取的类别索引栅格，或将索引栅格转换回颜色。

输入栅格：颜色标签影像，或要着色的类别索引栅格。方向：颜色转索引，或索引转颜色。颜色映射：内置预设（PASCAL VOC、Cityscapes、ADE20K、Inria……），或颜色映射文件（提供时将代替预设）：JSON 颜色映射，或从 QGIS 调色板渲染器导出的颜色映射（.txt 或 .clr，每行为 'value,r,g,b,alpha,label'）。输出栅格：Byte 类型的 GeoTIFF，沿用输入的地理参考；索引栅格带有类别颜色和名称。

高级参数：未知颜色，可选择失败（错误信息会列出不在映射中的颜色及其像素数），或将其映射为 255，即训练和评估时忽略的值。

qgis_process 名称：INPUT、MODE（color_to_index、index_to_color）、COLOR_MAP（voc、cityscapes、ade20k、inria……）、COLOR_MAP_FILE、OUTPUT；UNKNOWN（fail、ignore）。</translation>
    </message>
    <message>
      <source>Input raster</source>
      <translation>输入栅格</translation>
    </message>
    <message>
      <source>Direction</source>
      <translation>方向</translation>
    </message>
    <message>
      <source>Colour map</source>
      <translation>颜色映射</translation>
    </message>
    <message>
      <source>Colour map file (replaces the preset)</source>
      <translation>颜色映射文件（替代预设）</translation>
    </message>
    <message>
      <source>Colour maps (*.json *.txt *.clr *.csv);;All files (*.*)</source>
      <translation>颜色映射 (*.json *.txt *.clr *.csv);;所有文件 (*.*)</translation>
    </message>
    <message>
      <source>Unknown colours</source>
      <translation>未知颜色</translation>
    </message>
    <message>
      <source>Output raster</source>
      <translation>输出栅格</translation>
    </message>
    <message>
      <source>{0} must be a GeoTIFF (.tif), not {1}.</source>
      <translation>{0} 必须是 GeoTIFF（.tif），而不是 {1}。</translation>
    </message>
    <message>
      <source>Colour map: {0} ({1} classes)</source>
      <translation>颜色映射：{0}（{1} 个类别）</translation>
    </message>
    <message>
      <source>{0} pixels had colours not in the map and were set to 255 (ignore).</source>
      <translation>{0} 个像元的颜色不在映射中，已设为 255（忽略）。</translation>
    </message>
    <message>
      <source>{0} pixels had values not in the map and were drawn black: {1}.</source>
      <translation>{0} 个像元的值不在映射中，已绘制为黑色：{1}。</translation>
    </message>
    <message>
      <source>{0} class indices</source>
      <translation>{0} 类别索引</translation>
    </message>
    <message>
      <source>{0} colours</source>
      <translation>{0} 颜色</translation>
    </message>
    <message>
      <source>, {0} cores</source>
      <translation>，{0} 个核心</translation>
    </message>
    <message>
      <source> (not visible to TensorFlow)</source>
      <translation>（对 TensorFlow 不可见）</translation>
    </message>
    <message>
      <source>{0}: cannot be imported ({1})</source>
      <translation>{0}：无法导入（{1}）</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>setting</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>auto</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>Engine backend: {0} ({1})</source>
      <translation>引擎后端：{0}（{1}）</translation>
    </message>
    <message>
      <source>ONNX Runtime: {0}</source>
      <translation>ONNX Runtime：{0}</translation>
    </message>
    <message>
      <source>Semantic Segmentation engine status</source>
      <translation>语义分割引擎状态</translation>
    </message>
    <message>
      <source>Plugin version: {0}</source>
      <translation>插件版本：{0}</translation>
    </message>
    <message>
      <source>QGIS: {0}</source>
      <translation>QGIS：{0}</translation>
    </message>
    <message>
      <source>OS: {0}</source>
      <translation>操作系统：{0}</translation>
    </message>
    <message>
      <source>Engine Python: {0} {1}</source>
      <translation>引擎 Python：{0} {1}</translation>
    </message>
    <message>
      <source>TensorFlow: {0}</source>
      <translation>TensorFlow：{0}</translation>
    </message>
    <message>
      <source>Keras: {0}</source>
      <translation>Keras：{0}</translation>
    </message>
    <message>
      <source>NumPy: {0}</source>
      <translation>NumPy：{0}</translation>
    </message>
    <message>
      <source>GDAL: {0}</source>
      <translation>GDAL：{0}</translation>
    </message>
    <message>
      <source>Devices:</source>
      <translation>设备：</translation>
    </message>
    <message>
      <source>Missing modules: {0}</source>
      <translation>缺少的模块：{0}</translation>
    </message>
    <message>
      <source>Error: {0}</source>
      <translation>错误：{0}</translation>
    </message>
    <message>
      <source>Ready: {0}</source>
      <translation>就绪：{0}</translation>
    </message>
    <message>
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>Engine status</source>
      <translation>引擎状态</translation>
    </message>
    <message>
      <source>Runs the engine's self-check in its own Python (never inside QGIS) and reports the interpreter, the versions of TensorFlow, Keras, NumPy and GDAL it imports, the CPU and GPUs it can use, the Keras backend jobs run on (the setting Engine backend, or KERAS_BACKEND) with the devices each installed backend (TensorFlow, PyTorch, JAX) sees, ONNX Runtime's execution providers, and whether Train Model and Predict Raster can run (Ready: TensorFlow, Keras 3, NumPy 1.x and GDAL all import). The log shows the same as a block to paste into a bug report.

Python interpreter: empty for the engine's interpreter (the environment variable SEMSEG_PYTHON, else the setting Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation &gt; Engine Python interpreter, else the environment made by Set up the engine), under Advanced parameters. When nothing is ready, run Set up the engine.

qgis_process name: PYTHON.</source>
      <translation>在引擎自己的 Python 中（从不在 QGIS 内部）运行引擎自检，并报告解释器、它导入的 TensorFlow、Keras、NumPy 和 GDAL 的版本、它可使用的 CPU 和 GPU、任务运行所用的 Keras 后端（设置项“引擎后端”或 KERAS_BACKEND）以及每个已安装后端（TensorFlow、PyTorch、JAX）可见的设备、ONNX Runtime 的执行提供程序，以及“训练模型”和“预测栅格”能否运行（就绪：TensorFlow、Keras 3、NumPy 1.x 和 GDAL 均可导入）。日志中会以文本块的形式显示相同内容，可直接粘贴到错误报告中。

Python 解释器：留空则使用引擎的解释器（环境变量 SEMSEG_PYTHON；若未设置，则为 设置 &gt; 选项 &gt; 处理 &gt; 提供者 &gt; 语义分割 &gt; 引擎 Python 解释器 中的设置；再否则为“配置引擎”创建的环境），位于高级参数中。若没有任何环境就绪，请运行“配置引擎”。

qgis_process 名称：PYTHON。</translation>
    </message>
    <message>
      <source>Python interpreter to check (empty: the engine's)</source>
      <translation>要检查的 Python 解释器（留空：引擎的解释器）</translation>
    </message>
    <message>
      <source>All files (*)</source>
      <translation>所有文件 (*)</translation>
    </message>
    <message>
      <source>Engine Python</source>
      <translation>引擎 Python</translation>
    </message>
    <message>
      <source>TensorFlow version</source>
      <translation>TensorFlow 版本</translation>
    </message>
    <message>
      <source>Keras version</source>
      <translation>Keras 版本</translation>
    </message>
    <message>
      <source>NumPy version</source>
      <translation>NumPy 版本</translation>
    </message>
    <message>
      <source>GDAL version</source>
      <translation>GDAL 版本</translation>
    </message>
    <message>
      <source>Devices</source>
      <translation>设备</translation>
    </message>
    <message>
      <source>Engine ready</source>
      <translation>引擎就绪</translation>
    </message>
    <message>
      <source>Running the engine's self-check...</source>
      <translation>正在运行引擎自检……</translation>
    </message>
    <message>
      <source>Evaluate</source>
      <translation>评估</translation>
    </message>
    <message>
      <source>Compares predicted class rasters with reference labels: confusion matrix, overall accuracy, Cohen's kappa, per-class precision, recall, F1 and IoU, mean IoU.

Prediction: the class raster (from Predict Raster). Reference: the label raster to compare it with. The prediction is resampled (nearest) onto the reference grid and only the overlap is compared. Scores table (CSV), Report (HTML) and Scores as JSON: the files to write, each optional; overall accuracy, kappa and mean IoU are also outputs that a model can use. A warning says when the reference lies where the prediction's model was trained.

Advanced parameters, other inputs instead of the two rasters: a Prediction folder and a Reference folder, whose rasters are paired by file name; or, with the Prediction, a Reference sample (points or polygons) and its Class field, an integer field holding the reference class: points take the prediction's class at their pixel, polygons are burnt onto the prediction grid. The report then adds map accuracy and class areas estimated as Olofsson et al. (2014) recommend (map classes as strata, mapped proportions from the whole prediction), each with its 95% confidence interval; areas in map units squared. Each point is one sample, and so is each polygon (a cluster of pixels).

Advanced parameters, what to count: Mode, one confusion matrix over all pixels of all pairs, or the mean of each image's scores. Ignore background: skip pixels whose reference is class 0 (class 0 gets no row; a pixel of another class predicted as 0 still counts as a miss). Ignore value in the reference: reference pixels with this value (and nodata pixels) are not counted. A prediction whose nodata value is a class of the reference is refused.

qgis_process names: PREDICTION, REFERENCE, OUTPUT_TABLE, OUTPUT_REPORT, OUTPUT_JSON; PREDICTION_FOLDER, REFERENCE_FOLDER, REFERENCE_VECTOR, REFERENCE_FIELD, MODE (global, per_image), IGNORE_BACKGROUND, IGNORE_VALUE. Give two rasters, two folders, or a prediction raster and a sample.</source>
      <translation>将预测的类别栅格与参考标签进行比较：混淆矩阵、总体精度、Cohen's kappa 系数、各类别的精确率、召回率、F1 和 IoU，以及平均 IoU。

预测：类别栅格（来自“预测栅格”）。参考：与之比较的标签栅格。预测会（以最近邻法）重采样到参考网格上，仅比较重叠部分。得分表（CSV）、报告（HTML）和 JSON 格式的得分：要写入的文件，均为可选；总体精度、kappa 和平均 IoU 也作为输出提供，可在处理模型中使用。当参考位于预测所用模型的训练区域内时，会给出警告。

高级参数，代替两个栅格的其他输入：预测文件夹和参考文件夹，其中的栅格按文件名配对；或者，与预测一起给出参考样本（点或多边形）及其类别字段，即保存参考类别的整数字段：点取其所在像素的预测类别，多边形则烧录到预测网格上。此时报告还会按照 Olofsson 等（2014）推荐的方法给出地图精度和类别面积估计（以地图类别为分层，地图比例取自整个预测结果），每项均附 95% 置信区间；面积单位为地图单位的平方。每个点是一个样本，每个多边形（一组像素）也是一个样本。

高级参数，统计方式：模式，对所有配对的全部像素计算一个混淆矩阵，或取各影像得分的平均值。忽略背景：跳过参考为类别 0 的像素（类别 0 不单独占一行；其他类别的像素被预测为 0 时仍计为漏判）。参考中的忽略值：参考中具有此值的像素（以及 nodata 像素）不参与统计。nodata 值为参考中某一类别的预测将被拒绝。

qgis_process 名称：PREDICTION、REFERENCE、OUTPUT_TABLE、OUTPUT_REPORT、OUTPUT_JSON；PREDICTION_FOLDER、REFERENCE_FOLDER、REFERENCE_VECTOR、REFERENCE_FIELD、MODE（global、per_image）、IGNORE_BACKGROUND、IGNORE_VALUE。请给出两个栅格、两个文件夹，或一个预测栅格和一个样本。</translation>
    </message>
    <message>
      <source>Prediction (class raster)</source>
      <translation>预测（类别栅格）</translation>
    </message>
    <message>
      <source>Reference (label raster)</source>
      <translation>参考（标签栅格）</translation>
    </message>
    <message>
      <source>Prediction folder (instead of a raster)</source>
      <translation>预测文件夹（代替栅格）</translation>
    </message>
    <message>
      <source>Reference folder (instead of a raster)</source>
      <translation>参考文件夹（代替栅格）</translation>
    </message>
    <message>
      <source>Reference sample (points or polygons, instead of a reference raster)</source>
      <translation>参考样本（点或多边形，代替参考栅格）</translation>
    </message>
    <message>
      <source>Class field of the reference sample</source>
      <translation>参考样本的类别字段</translation>
    </message>
    <message>
      <source>Mode</source>
      <translation>模式</translation>
    </message>
    <message>
      <source>Ignore background (class 0)</source>
      <translation>忽略背景（类别 0）</translation>
    </message>
    <message>
      <source>Ignore value in the reference</source>
      <translation>参考中的忽略值</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>Scores table</source>
      <translation>得分表</translation>
    </message>
    <message>
      <source>HTML files (*.html *.htm)</source>
      <translation>HTML 文件 (*.html *.htm)</translation>
    </message>
    <message>
      <source>Report</source>
      <translation>报告</translation>
    </message>
    <message>
      <source>JSON files (*.json)</source>
      <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
      <source>Scores as JSON</source>
      <translation>JSON 格式的得分</translation>
    </message>
    <message>
      <source>Overall accuracy</source>
      <translation>总体精度</translation>
    </message>
    <message>
      <source>Kappa</source>
      <translation>Kappa 系数</translation>
    </message>
    <message>
      <source>Mean IoU</source>
      <translation>平均 IoU</translation>
    </message>
    <message>
      <source>Prediction ({0})</source>
      <translation>预测（{0}）</translation>
    </message>
    <message>
      <source>Reference ({0})</source>
      <translation>参考（{0}）</translation>
    </message>
    <message>
      <source>Choose the Prediction (the class raster to score) and the Reference (the label raster to compare it with). Missing: {0}. Folders of rasters, or a reference sample, can replace them: see Advanced parameters.</source>
      <translation>请选择预测（要评分的类别栅格）和参考（与之比较的标签栅格）。缺少：{0}。也可以用栅格文件夹或参考样本代替它们：参见高级参数。</translation>
    </message>
    <message>
      <source>Segmentation evaluation</source>
      <translation>分割评估</translation>
    </message>
    <message>
      <source>Cannot write the report: {0}</source>
      <translation>无法写入报告：{0}</translation>
    </message>
    <message>
      <source>Overall accuracy {0}, kappa {1}, mean IoU {2}, mean F1 {3} ({4} pixels)</source>
      <translation>总体精度 {0}，kappa {1}，平均 IoU {2}，平均 F1 {3}（{4} 个像元）</translation>
    </message>
    <message>
      <source>  class {0} ({1}): IoU {2}</source>
      <translation>  类别 {0}（{1}）：IoU {2}</translation>
    </message>
    <message>
      <source>Map accuracy (stratified estimate): overall accuracy {0} ± {1} (95% confidence interval)</source>
      <translation>地图精度（分层估计）：总体精度 {0} ± {1}（95% 置信区间）</translation>
    </message>
    <message>
      <source>{0:.1%} of the reference lies where the model {1} was trained (its training chips): there the scores tell how well it learnt its own training pixels, not how well it maps new ground. Evaluate on an area it was not trained on, such as a held-out part of the scene.</source>
      <translation>参考中有 {0:.1%} 位于模型 {1} 的训练区域（其训练切片）内：这部分的得分反映的是模型对自身训练像素的学习程度，而不是它对新区域的制图能力。请在模型未训练过的区域上进行评估，例如影像中留出的部分。</translation>
    </message>
    <message>
      <source>(unknown)</source>
      <translation>（未知）</translation>
    </message>
    <message>
      <source>A reference sample was given ({0}) but no class field ({1}): choose the integer field that holds the reference class.</source>
      <translation>给出了参考样本（{0}）但没有类别字段（{1}）：请选择保存参考类别的整数字段。</translation>
    </message>
    <message>
      <source>With a reference sample ({0}), give the prediction raster ({1}) and no other reference ({2}, {3}) or folder ({4}).</source>
      <translation>使用参考样本（{0}）时，请给出预测栅格（{1}），且不要给出其他参考（{2}、{3}）或文件夹（{4}）。</translation>
    </message>
    <message>
      <source>Give either two rasters ({0}, {1}) or two folders ({2}, {3}), not both.</source>
      <translation>请给出两个栅格（{0}、{1}）或两个文件夹（{2}、{3}），不能同时给出。</translation>
    </message>
    <message>
      <source>{0} is missing: give both folders.</source>
      <translation>缺少 {0}：请给出两个文件夹。</translation>
    </message>
    <message>
      <source>{0}: {1} is not a folder.</source>
      <translation>{0}：{1} 不是文件夹。</translation>
    </message>
    <message>
      <source>Give a prediction and a reference: two rasters ({0}, {1}) or two folders ({2}, {3}). Missing: {4}.</source>
      <translation>请给出预测和参考：两个栅格（{0}、{1}）或两个文件夹（{2}、{3}）。缺少：{4}。</translation>
    </message>
    <message>
      <source>Export Model</source>
      <translation>导出模型</translation>
    </message>
    <message>
      <source>Exports a model file made by Train Model as a standalone ONNX file that ONNX Runtime runs without this plugin or TensorFlow, for example in the Deepness plugin. The export runs in the engine's Python and checks the ONNX file against the Keras model.

Model file: the .keras file. Ready for Deepness (on by default): the file takes what Deepness feeds (channels first, tiles of the model's tile size, any batch) and carries Deepness's metadata: class names, tile size, overlap, ground resolution and the normalisation, so Deepness reproduces this plugin's preprocessing. A model Deepness cannot feed (for example one trained on a data type Deepness does not read) is exported as plain ONNX instead, with a warning that says why. Off: plain ONNX, channels last, any size; the caller normalises the pixels with the model's mean and standard deviation. Both layouts carry the whole model metadata (property semseg). ONNX model: the file to write.

Advanced parameters: Ground resolution in cm per pixel that Deepness resamples the map to; 0 reads it from the training scenes where they are still readable.

qgis_process names: MODEL, DEEPNESS, OUTPUT; RESOLUTION.</source>
      <translation>将“训练模型”生成的模型文件导出为独立的 ONNX 文件，ONNX Runtime 无需本插件或 TensorFlow 即可运行它，例如在 Deepness 插件中。导出在引擎的 Python 中运行，并将 ONNX 文件与 Keras 模型进行比对校验。

模型文件：.keras 文件。适用于 Deepness（默认开启）：该文件接受 Deepness 提供的输入（通道在前、模型切片大小的切片、任意批大小），并带有 Deepness 的元数据：类别名称、切片大小、重叠、地面分辨率和归一化参数，使 Deepness 能复现本插件的预处理。Deepness 无法为其提供输入的模型（例如在 Deepness 不读取的数据类型上训练的模型）将改为导出为普通 ONNX，并给出说明原因的警告。关闭：普通 ONNX，通道在后，任意尺寸；调用方需用模型的均值和标准差对像素进行归一化。两种布局都带有完整的模型元数据（属性 semseg）。ONNX 模型：要写入的文件。

高级参数：地面分辨率，即 Deepness 将地图重采样到的分辨率，单位为 cm/像素；0 表示从训练影像中读取（若这些影像仍可读取）。

qgis_process 名称：MODEL、DEEPNESS、OUTPUT；RESOLUTION。</translation>
    </message>
    <message>
      <source>Model file (from Train Model)</source>
      <translation>模型文件（来自“训练模型”）</translation>
    </message>
    <message>
      <source>Ready for Deepness (channels first, its metadata)</source>
      <translation>适用于 Deepness（通道在前，带 Deepness 元数据）</translation>
    </message>
    <message>
      <source>ONNX model</source>
      <translation>ONNX 模型</translation>
    </message>
    <message>
      <source>ONNX model (*.onnx)</source>
      <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
      <source>Ground resolution in cm/px for Deepness (0 = from the training scenes)</source>
      <translation>Deepness 使用的地面分辨率，单位 cm/px（0 = 取自训练影像）</translation>
    </message>
    <message>
      <source>Ready for Deepness</source>
      <translation>适用于 Deepness</translation>
    </message>
    <message>
      <source>{0} is plain ONNX: Deepness cannot use this model as it is (the reasons are above).</source>
      <translation>{0} 是普通 ONNX：Deepness 无法直接使用此模型（原因见上文）。</translation>
    </message>
    <message>
      <source>First run on the sample</source>
      <translation>在示例数据上首次运行</translation>
    </message>
    <message>
      <source>Runs the whole chain on the plugin's sample (see Sample data), the way make demo does, and loads the results styled: a few minutes on a laptop's CPU.

1. Sample data: the Landsat-8 scene and its cloud label (clear, cloud, cirrus).
2. The east third of the scene is held out: training never sees it.
3. Tile Dataset cuts the west two thirds into 64-pixel chips (a fifth of them validate).
4. Train Model trains the default network (Epochs, early stopping after 4 epochs without gain); its training summary with the curves opens in the Results Viewer.
5. Predict Raster maps the whole scene, with its uncertainty (entropy) and the ten cells to label next.
6. Evaluate compares the map with the label on the held-out east third only.

Output folder: where everything goes (by default semseg/first_run in your home folder); a dataset an earlier first run left there is replaced. Each step is an algorithm of this provider: open it from the Processing Toolbox to run it on your own data with the same settings. Cancel stops at once and keeps the steps done.

Advanced parameters: Steps per epoch (0: every chip once) and Network width multiplier (0: the network's default) make a shorter or smaller run.

qgis_process names: OUTPUT (the folder), EPOCHS, STEPS_PER_EPOCH, WIDTH; the results MODEL, PREDICTION, ENTROPY, LABEL_NEXT, TRAINING_SUMMARY, REPORT, OVERALL_ACCURACY, MEAN_IOU and BEST_VAL_MIOU.</source>
      <translation>在插件的示例数据（参见“示例数据”）上运行整个流程，与 make demo 的做法相同，并加载带样式的结果：在笔记本电脑的 CPU 上需要几分钟。

1. 示例数据：Landsat-8 影像及其云标签（晴空、云、卷云）。
2. 影像东侧三分之一被留出：训练从不会看到它。
3. “切片数据集”将西侧三分之二切成 64 像素的切片（其中五分之一用于验证）。
4. “训练模型”训练默认网络（按“轮次”训练，连续 4 轮没有提升时提前停止）；其带曲线的训练摘要会在结果查看器中打开。
5. “预测栅格”对整幅影像制图，并给出其不确定性（熵）和下一步要标注的十个单元格。
6. “评估”仅在留出的东侧三分之一上将地图与标签进行比较。

输出文件夹：所有内容的存放位置（默认为主文件夹中的 semseg/first_run）；之前的首次运行留在那里的数据集会被替换。每一步都是本提供者的一个算法：从处理工具箱中打开它，即可用相同的设置在您自己的数据上运行。取消会立即停止，并保留已完成的步骤。

高级参数：每轮步数（0：每个切片使用一次）和网络宽度倍数（0：网络的默认值）可使运行更短或网络更小。

qgis_process 名称：OUTPUT（文件夹）、EPOCHS、STEPS_PER_EPOCH、WIDTH；结果 MODEL、PREDICTION、ENTROPY、LABEL_NEXT、TRAINING_SUMMARY、REPORT、OVERALL_ACCURACY、MEAN_IOU 和 BEST_VAL_MIOU。</translation>
    </message>
    <message>
      <source>Output folder</source>
      <translation>输出文件夹</translation>
    </message>
    <message>
      <source>Epochs</source>
      <translation>轮次</translation>
    </message>
    <message>
      <source>Steps per epoch (0 = all chips)</source>
      <translation>每轮步数（0 = 全部切片）</translation>
    </message>
    <message>
      <source>Network width multiplier (0 = the network's default)</source>
      <translation>网络宽度倍数（0 = 网络的默认值）</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Prediction</source>
      <translation>预测</translation>
    </message>
    <message>
      <source>Uncertainty (entropy)</source>
      <translation>不确定性（熵）</translation>
    </message>
    <message>
      <source>Label next</source>
      <translation>下一步标注</translation>
    </message>
    <message>
      <source>Training summary</source>
      <translation>训练摘要</translation>
    </message>
    <message>
      <source>Evaluation on the held-out third</source>
      <translation>留出三分之一区域上的评估</translation>
    </message>
    <message>
      <source>Overall accuracy (held out)</source>
      <translation>总体精度（留出区域）</translation>
    </message>
    <message>
      <source>Mean IoU (held out)</source>
      <translation>平均 IoU（留出区域）</translation>
    </message>
    <message>
      <source>Best validation mean IoU</source>
      <translation>最佳验证平均 IoU</translation>
    </message>
    <message>
      <source>Cancelled: the steps done so far are kept in {0}.</source>
      <translation>已取消：已完成的步骤保留在 {0} 中。</translation>
    </message>
    <message>
      <source>1/6 Sample data: the Landsat-8 scene and its cloud label</source>
      <translation>1/6 示例数据：Landsat-8 影像及其云标签</translation>
    </message>
    <message>
      <source>2/6 Training and validation use the columns west of {0}; the east third is held out for Evaluate.</source>
      <translation>2/6 训练和验证使用 {0} 以西的列；东侧三分之一留给“评估”。</translation>
    </message>
    <message>
      <source>3/6 Tile Dataset: chips of the west two thirds</source>
      <translation>3/6 切片数据集：西侧三分之二的切片</translation>
    </message>
    <message>
      <source>4/6 Train Model: each epoch's loss and validation mean IoU follow</source>
      <translation>4/6 训练模型：下面是每轮的损失和验证平均 IoU</translation>
    </message>
    <message>
      <source>5/6 Predict Raster: the whole scene, its uncertainty and the cells to label next</source>
      <translation>5/6 预测栅格：整幅影像、其不确定性和下一步要标注的单元格</translation>
    </message>
    <message>
      <source>6/6 Evaluate: the map against the label on the held-out east third</source>
      <translation>6/6 评估：在留出的东侧三分之一上将地图与标签比较</translation>
    </message>
    <message>
      <source>On the held-out east third: overall accuracy {0:.3f}, mean IoU {1:.3f} (best validation mean IoU during training {2:.3f}). Everything is in {3}.</source>
      <translation>在留出的东侧三分之一上：总体精度 {0:.3f}，平均 IoU {1:.3f}（训练期间的最佳验证平均 IoU {2:.3f}）。所有结果均位于 {3}。</translation>
    </message>
    <message>
      <source>Landsat-8 sample (B4, B3, B2)</source>
      <translation>Landsat-8 示例影像（B4, B3, B2）</translation>
    </message>
    <message>
      <source>Cloud label</source>
      <translation>云标签</translation>
    </message>
    <message>
      <source>Predict Raster</source>
      <translation>预测栅格</translation>
    </message>
    <message>
      <source>Predicts a class map of a whole scene with a model file made by Train Model (.keras) or exported from one by Export Model (.onnx). The scene is read and written window by window, so its size is not limited by memory, and overlapping windows are blended, so there are no seams. Nodata in any input band is nodata in every output.

Input raster: any raster layer, files (GeoTIFF, VRT, JPEG2000...) or web layers (XYZ tiles, WMS, WMTS, WCS). Model file: the .keras or .onnx file. Class raster: a tiled, compressed GeoTIFF with the class colours and names. The other outputs are made only when you name a file for them: Class probabilities (one band per class), Confidence (the largest class probability), Uncertainty (normalised entropy, 0 certain to 1 undecided), Class polygons (a polygon per patch with its class, name and area) and Label next (the squares where the model is least sure, ranked: label them and give them to Tile Dataset as Label polygons). Layers loaded into the project are named after their files.

The prediction runs in a separate Python process that has TensorFlow, or for an .onnx file only ONNX Runtime. Cancel stops it within a batch and removes its files. A warning says when the input's resolution is more than 25% away from the model's training resolution, or when its bands or values look unlike the training data.

Advanced parameters, what to read: Bands (in the model's order; by default the first ones). Extent and Mask polygons limit the prediction; parts predicted with an Extent fit together into exactly the class map of one run. Resolution: map units per pixel to read the input at; empty or 0 is the input's own pixels, and a web layer, which has none, is read at the model's training resolution and needs an Extent. Mode: windows over the scene, or per image (the whole image resized to the model's input, for small photos).

Advanced parameters, how to run: Window size, Window overlap and Batch size, 0 for automatic: windows as large as the memory budget allows (a network with image-level context, such as DeepLabV3+, keeps its training tile) and the overlap the network needs. Memory budget (0: the Processing setting, 512 MiB by default): a plan over it is refused before the network loads; the plan is written into the class raster's metadata. Test-time augmentation averages flips (4 passes) or flips and rotations (8 passes). Probability format: byte (0-254) or float (0-1). Minimum polygon area drops smaller class polygons. Number of cells to label next. Backend: automatic (ONNX Runtime for .onnx files, TensorFlow for .keras), TensorFlow, or ONNX Runtime (a .keras model is converted once and cached).

Worker processes (0: the Processing setting "Prediction worker processes", by default one process): more cut the scene into blocks and predict them on a Dask cluster of that many processes on this machine; the outputs are the same, pixel for pixel, as one process writes. With the Processing setting "Dask scheduler" (or the environment variable SEMSEG_DASK_SCHEDULER) the blocks run on that existing cluster instead, whose workers must see the model, the scene and the output folder under the same paths. Label next and per-image mode run in one process only.

qgis_process names: INPUT (a web layer as INPUT='wms://type=xyz&amp;url=...'), MODEL, OUTPUT, OUTPUT_PROBABILITY, OUTPUT_CONFIDENCE, OUTPUT_ENTROPY, OUTPUT_VECTOR, OUTPUT_LABEL_NEXT; BANDS, EXTENT, MASK, RESOLUTION, MODE (stride, per_image), TILE_SIZE, OVERLAP, BATCH_SIZE, MEMORY_BUDGET, TTA (none, flips, d4), PROBABILITY_FORMAT (byte, float), MIN_AREA, LABEL_NEXT_COUNT, BACKEND (auto, tensorflow, onnxruntime), WORKERS.</source>
      <translation>使用“训练模型”生成的模型文件（.keras）或由“导出模型”从其导出的文件（.onnx）预测整幅影像的类别图。影像按窗口逐块读写，因此其大小不受内存限制；重叠的窗口会进行融合，因此不会出现接缝。任一输入波段中的 nodata 在所有输出中均为 nodata。

输入栅格：任意栅格图层，文件（GeoTIFF、VRT、JPEG2000……）或 Web 图层（XYZ 瓦片、WMS、WMTS、WCS）均可。模型文件：.keras 或 .onnx 文件。类别栅格：带有类别颜色和名称的分块压缩 GeoTIFF。其他输出仅在您为其指定文件时才会生成：类别概率（每个类别一个波段）、置信度（最大类别概率）、不确定性（归一化熵，0 为确定，1 为无法判定）、类别多边形（每个图斑一个多边形，带有类别、名称和面积）以及下一步标注（模型最不确定的方格，按排名排列：标注这些方格，并将其作为标签多边形提供给“切片数据集”）。加载到项目中的图层以其文件命名。

预测在一个独立的 Python 进程中运行，该进程装有 TensorFlow，对于 .onnx 文件则只需 ONNX Runtime。取消会在一个批次内停止预测并删除其文件。当输入的分辨率与模型的训练分辨率相差超过 25%，或其波段或数值看起来与训练数据不符时，会给出警告。

高级参数，读取内容：波段（按模型的顺序；默认为前几个波段）。范围和掩膜多边形用于限定预测区域；用范围分块预测的各部分可以拼接成与一次运行完全相同的类别图。分辨率：读取输入时的每像素地图单位数；留空或 0 表示输入自身的像素，而 Web 图层没有自身的像素，将以模型的训练分辨率读取，并且需要范围。模式：步进（在影像上滑动窗口），或逐图像（将整幅图像缩放到模型输入大小，适用于小幅照片）。

高级参数，运行方式：窗口大小、窗口重叠和批大小，0 表示自动：窗口在内存预算允许的范围内尽可能大（具有图像级上下文的网络，如 DeepLabV3+，保持其训练切片大小），重叠取网络所需的大小。内存预算（0：使用处理设置中的值，默认 512 MiB）：超出预算的计划会在加载网络之前被拒绝；该计划会写入类别栅格的元数据。测试时增强对翻转（4 次推理）或翻转和旋转（8 次推理）的结果取平均。概率格式：byte（0-254）或 float（0-1）。最小多边形面积：舍弃更小的类别多边形。下一步要标注的单元格数量。后端：自动（.onnx 文件使用 ONNX Runtime，.keras 使用 TensorFlow）、TensorFlow 或 ONNX Runtime（.keras 模型转换一次并缓存）。

工作进程（0：使用处理设置“预测工作进程数”，默认为单个进程）：设为更多进程时，将影像切分为若干块，在本机上由相应数量进程组成的 Dask 集群上进行预测；输出与单个进程写出的结果逐像素相同。设置了处理设置“Dask 调度器”（或环境变量 SEMSEG_DASK_SCHEDULER）时，这些块改在该已有集群上运行，其工作节点必须能以相同路径访问模型、影像和输出文件夹。下一步标注和逐图像模式只能在单个进程中运行。

qgis_process 名称：INPUT（Web 图层写作 INPUT='wms://type=xyz&amp;url=...'）、MODEL、OUTPUT、OUTPUT_PROBABILITY、OUTPUT_CONFIDENCE、OUTPUT_ENTROPY、OUTPUT_VECTOR、OUTPUT_LABEL_NEXT；BANDS、EXTENT、MASK、RESOLUTION、MODE（stride、per_image）、TILE_SIZE、OVERLAP、BATCH_SIZE、MEMORY_BUDGET、TTA（none、flips、d4）、PROBABILITY_FORMAT（byte、float）、MIN_AREA、LABEL_NEXT_COUNT、BACKEND（auto、tensorflow、onnxruntime）、WORKERS。</translation>
    </message>
    <message>
      <source>Bands (in the model's order; default: the first ones)</source>
      <translation>波段（按模型顺序；默认：前几个波段）</translation>
    </message>
    <message>
      <source>Model file (from Train Model, or its ONNX export)</source>
      <translation>模型文件（来自“训练模型”，或其 ONNX 导出）</translation>
    </message>
    <message>
      <source>Model files (*.keras *.onnx);;All files (*.*)</source>
      <translation>模型文件 (*.keras *.onnx);;所有文件 (*.*)</translation>
    </message>
    <message>
      <source>Extent (only this part of the scene)</source>
      <translation>范围（仅预测影像的这一部分）</translation>
    </message>
    <message>
      <source>Resolution (map units per pixel; empty or 0 = the input's own, for a web layer the model's)</source>
      <translation>分辨率（每像素地图单位；留空或 0 = 输入自身的分辨率，Web 图层则为模型的分辨率）</translation>
    </message>
    <message>
      <source>Mask polygons (predict only inside)</source>
      <translation>掩膜多边形（仅在其内部预测）</translation>
    </message>
    <message>
      <source>Class raster</source>
      <translation>类别栅格</translation>
    </message>
    <message>
      <source>Class probabilities</source>
      <translation>类别概率</translation>
    </message>
    <message>
      <source>Confidence (largest class probability)</source>
      <translation>置信度（最大类别概率）</translation>
    </message>
    <message>
      <source>Uncertainty (normalised entropy, 0-1)</source>
      <translation>不确定性（归一化熵，0-1）</translation>
    </message>
    <message>
      <source>Class polygons</source>
      <translation>类别多边形</translation>
    </message>
    <message>
      <source>Label next (most uncertain cells, ranked)</source>
      <translation>下一步标注（最不确定的单元格，按排名）</translation>
    </message>
    <message>
      <source>No model file was given (MODEL).</source>
      <translation>未提供模型文件（MODEL）。</translation>
    </message>
    <message>
      <source>scene</source>
      <translation>影像</translation>
    </message>
    <message>
      <source>{0} prediction</source>
      <translation>{0} 预测</translation>
    </message>
    <message>
      <source>{0} class probabilities</source>
      <translation>{0} 类别概率</translation>
    </message>
    <message>
      <source>{0} confidence</source>
      <translation>{0} 置信度</translation>
    </message>
    <message>
      <source>{0} uncertainty</source>
      <translation>{0} 不确定性</translation>
    </message>
    <message>
      <source>{0} class polygons</source>
      <translation>{0} 类别多边形</translation>
    </message>
    <message>
      <source>{0} label next</source>
      <translation>{0} 下一步标注</translation>
    </message>
    <message>
      <source>{0}: the model's training resolution, {1} map units per pixel.</source>
      <translation>{0}：模型的训练分辨率，每像素 {1} 地图单位。</translation>
    </message>
    <message>
      <source>Dask scheduler (address such as tcp://host:8786; empty: none)</source>
      <translation>Dask 调度器（地址，如 tcp://host:8786；留空：不使用）</translation>
    </message>
    <message>
      <source>Prediction worker processes (0 = one process)</source>
      <translation>预测工作进程数（0 = 单个进程）</translation>
    </message>
    <message>
      <source>Worker processes (Dask; 0 = the Processing setting, by default one process)</source>
      <translation>工作进程数（Dask；0 = 使用处理设置，默认为单个进程）</translation>
    </message>
    <message>
      <source>Window size (0 = auto)</source>
      <translation>窗口大小（0 = 自动）</translation>
    </message>
    <message>
      <source>Window overlap in pixels (0 = auto)</source>
      <translation>窗口重叠像素数（0 = 自动）</translation>
    </message>
    <message>
      <source>Batch size (0 = auto)</source>
      <translation>批大小（0 = 自动）</translation>
    </message>
    <message>
      <source>Memory budget in MiB (0 = the Processing setting)</source>
      <translation>内存预算，单位 MiB（0 = 使用处理设置中的值）</translation>
    </message>
    <message>
      <source>Test-time augmentation</source>
      <translation>测试时增强</translation>
    </message>
    <message>
      <source>Probability format</source>
      <translation>概率格式</translation>
    </message>
    <message>
      <source>Minimum polygon area (map units²)</source>
      <translation>最小多边形面积（地图单位²）</translation>
    </message>
    <message>
      <source>Number of cells to label next</source>
      <translation>下一步要标注的单元格数量</translation>
    </message>
    <message>
      <source>Backend</source>
      <translation>后端</translation>
    </message>
    <message>
      <source>Label next and per-image mode run in one process; the Dask settings are not used for this run.</source>
      <translation>下一步标注和逐图像模式只在单个进程中运行；本次运行不使用 Dask 设置。</translation>
    </message>
    <message>
      <source>Predicting in blocks on the Dask scheduler {0}.</source>
      <translation>正在 Dask 调度器 {0} 上分块预测。</translation>
    </message>
    <message>
      <source>Predicting in blocks on {0} worker processes.</source>
      <translation>正在 {0} 个工作进程上分块预测。</translation>
    </message>
    <message>
      <source>Predict Scenes</source>
      <translation>预测多幅影像</translation>
    </message>
    <message>
      <source>Predicts a list of scenes with one model, each scene's outputs named after it in the output folder: NAME_classes.tif and, when asked, NAME_probability.tif, NAME_confidence.tif, NAME_entropy.tif and NAME_classes.gpkg, each as Predict Raster writes it (NAME: the layer's name; a second scene of the same name gets _2). Progress runs over all the scenes; a scene that fails is reported by name and the others go on.

Worker processes: 0 (and no Dask settings) predicts the scenes one after the other in one engine process, the model loaded once; more puts the blocks of every scene on a Dask cluster of that many processes on this machine, and the Processing setting "Dask scheduler" (or SEMSEG_DASK_SCHEDULER) on an existing cluster, whose workers must see the model, the scenes and the output folder under the same paths.

qgis_process names: INPUTS, MODEL, OUTPUT_FOLDER; PROBABILITY, CONFIDENCE, ENTROPY, VECTOR (true/false), TILE_SIZE, OVERLAP, BATCH_SIZE, MEMORY_BUDGET, TTA, PROBABILITY_FORMAT, MIN_AREA, BACKEND, WORKERS. Outputs: OUTPUT_FOLDER, OUTPUTS (the class rasters), FAILED (how many scenes failed).</source>
      <translation>用同一个模型预测一组影像，每幅影像的输出以其名称命名并保存在输出文件夹中：NAME_classes.tif，以及按需生成的 NAME_probability.tif、NAME_confidence.tif、NAME_entropy.tif 和 NAME_classes.gpkg，格式均与“预测栅格”写出的相同（NAME：图层名称；同名的第二幅影像会加上 _2）。进度按全部影像计算；失败的影像会按名称报告，其余影像继续处理。

工作进程：0（且没有 Dask 设置）时在一个引擎进程中逐幅预测影像，模型只加载一次；设为更多进程时，将每幅影像的块放到本机上由相应数量进程组成的 Dask 集群上运行；设置了处理设置“Dask 调度器”（或 SEMSEG_DASK_SCHEDULER）时，则放到已有集群上运行，其工作节点必须能以相同路径访问模型、影像和输出文件夹。

qgis_process 名称：INPUTS、MODEL、OUTPUT_FOLDER；PROBABILITY、CONFIDENCE、ENTROPY、VECTOR（true/false）、TILE_SIZE、OVERLAP、BATCH_SIZE、MEMORY_BUDGET、TTA、PROBABILITY_FORMAT、MIN_AREA、BACKEND、WORKERS。输出：OUTPUT_FOLDER、OUTPUTS（类别栅格）、FAILED（失败的影像数）。</translation>
    </message>
    <message>
      <source>No scene was given ({0}).</source>
      <translation>未提供影像（{0}）。</translation>
    </message>
    <message>
      <source>Sample data</source>
      <translation>示例数据</translation>
    </message>
    <message>
      <source>Writes the plugin's sample into a folder and loads it, styled: a real Landsat-8 scene (512 x 512 pixels of 30 m, 15 km a side; bands B1-B7, B9, B10, B11, shown as B4, B3, B2) and its cloud label (clear, cloud, cirrus, derived from the scene's quality band). The label carries its class names and colours inside the .tif, so a copy of the file alone keeps them.

Use them with Tile Dataset (Image and Label), or run First run on the sample, which runs the whole chain on them.

Output folder: where the two GeoTIFFs go (by default the folder semseg/sample in your home folder). Load the layers: add them to the project when done.

qgis_process names: OUTPUT (the folder), LOAD; the results IMAGE and LABEL are the two files.</source>
      <translation>将插件的示例数据写入一个文件夹并加载带样式的图层：一幅真实的 Landsat-8 影像（512 x 512 像素，像素大小 30 m，边长 15 km；波段 B1-B7、B9、B10、B11，以 B4、B3、B2 显示）及其云标签（晴空、云、卷云，由影像的质量波段得出）。标签的类别名称和颜色保存在 .tif 内部，因此只复制该文件也能保留它们。

可将它们用于“切片数据集”（影像和标签），或运行“在示例数据上首次运行”，在它们上运行整个流程。

输出文件夹：两个 GeoTIFF 的存放位置（默认为主文件夹中的 semseg/sample 文件夹）。加载图层：完成后将它们添加到项目中。

qgis_process 名称：OUTPUT（文件夹）、LOAD；结果 IMAGE 和 LABEL 即这两个文件。</translation>
    </message>
    <message>
      <source>Load the layers</source>
      <translation>加载图层</translation>
    </message>
    <message>
      <source>Landsat-8 sample</source>
      <translation>Landsat-8 示例影像</translation>
    </message>
    <message>
      <source>Sample image {0} and label {1} ({2})</source>
      <translation>示例影像 {0} 和标签 {1}（{2}）</translation>
    </message>
    <message>
      <source>Set up the engine</source>
      <translation>配置引擎</translation>
    </message>
    <message>
      <source>Makes the Python environment that runs the segmentation engine (Train Model, Predict Raster), and selects it. TensorFlow never runs inside QGIS: it runs in this environment, a virtual environment made from QGIS's own Python with its system packages (so it shares QGIS's GDAL), into which pip installs the plugin's pinned requirements: TensorFlow, Keras and NumPy 1.x. Linux with an NVIDIA driver gets TensorFlow with CUDA, other Linux machines and Windows the CPU package (TensorFlow has no native GPU support on Windows: use WSL2), macOS the tensorflow package.

It downloads about 600 MB (several GB with CUDA) and takes a few minutes; the log shows pip's output. Cancel stops pip and leaves no half-made environment. When the engine's self-check passes in the new environment, its interpreter becomes the setting Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation &gt; Engine Python interpreter.

Environment folder: empty for semseg-engine in the QGIS profile folder. Run again on an existing environment to repair or upgrade it.
Requirements file: empty for the plugin's requirements.txt.
Wheels folder (offline machines): install only from the wheel files in this folder (pip download -r requirements.txt -d &lt;folder&gt; on a connected machine of the same system). The last two are under Advanced parameters.

What it installs follows the machine, and each choice is logged with its reason (Advanced parameters override them). Backend: auto adds PyTorch's CUDA build on Windows with an NVIDIA driver (PyTorch wheel index: where pip finds it, since PyPI has only CPU builds for Windows) and PyTorch (Apple GPU, MPS) on macOS; torch or jax adds that backend anywhere. The backend chosen is recorded in the environment: Train Model and Predict Raster run on it while the setting Engine backend is auto (TensorFlow, always installed, converts models for Export Model). ONNX Runtime package: auto installs onnxruntime-gpu on Linux with an NVIDIA driver, onnxruntime-directml on Windows (any DirectX 12 GPU) and onnxruntime elsewhere (CoreML on macOS); Predict Raster uses it when its Backend is ONNX Runtime. NVIDIA GPU: auto looks for the driver.

qgis_process names: FOLDER; REQUIREMENTS, WHEELS, BACKEND, ONNXRUNTIME, NVIDIA_GPU, TORCH_INDEX.</source>
      <translation>创建运行分割引擎（“训练模型”、“预测栅格”）的 Python 环境并选用它。TensorFlow 从不在 QGIS 内部运行，而是在此环境中运行：这是一个基于 QGIS 自带 Python 及其系统包创建的虚拟环境（因此与 QGIS 共用 GDAL），pip 会在其中安装插件锁定版本的依赖：TensorFlow、Keras 和 NumPy 1.x。装有 NVIDIA 驱动的 Linux 安装带 CUDA 的 TensorFlow，其他 Linux 机器和 Windows 安装 CPU 版软件包（TensorFlow 在 Windows 上没有原生 GPU 支持：请使用 WSL2），macOS 安装 tensorflow 软件包。

需要下载约 600 MB（带 CUDA 时为数 GB），耗时几分钟；日志会显示 pip 的输出。取消会停止 pip，且不会留下未完成的环境。当引擎自检在新环境中通过后，其解释器将成为 设置 &gt; 选项 &gt; 处理 &gt; 提供者 &gt; 语义分割 &gt; 引擎 Python 解释器 的设置值。

环境文件夹：留空则使用 QGIS 用户配置文件夹中的 semseg-engine。对已有环境再次运行可修复或升级它。
依赖文件：留空则使用插件的 requirements.txt。
Wheel 文件夹（离线机器）：仅从此文件夹中的 wheel 文件安装（在一台联网且系统相同的机器上运行 pip download -r requirements.txt -d &lt;folder&gt;）。后两项位于高级参数中。

安装的内容取决于机器，每项选择及其原因都会记录到日志中（高级参数可覆盖这些选择）。后端：auto 在装有 NVIDIA 驱动的 Windows 上添加 PyTorch 的 CUDA 版本（PyTorch wheel 索引：pip 查找它的位置，因为 PyPI 上只有 Windows 的 CPU 版本），在 macOS 上添加 PyTorch（Apple GPU，MPS）；torch 或 jax 会在任何系统上添加该后端。所选后端会记录在环境中：当设置项“引擎后端”为 auto 时，“训练模型”和“预测栅格”在其上运行（始终安装的 TensorFlow 为“导出模型”转换模型）。ONNX Runtime 软件包：auto 在装有 NVIDIA 驱动的 Linux 上安装 onnxruntime-gpu，在 Windows 上安装 onnxruntime-directml（任何 DirectX 12 GPU），在其他系统上安装 onnxruntime（macOS 上使用 CoreML）；当“预测栅格”的后端为 ONNX Runtime 时使用它。NVIDIA GPU：auto 会查找驱动。

qgis_process 名称：FOLDER；REQUIREMENTS、WHEELS、BACKEND、ONNXRUNTIME、NVIDIA_GPU、TORCH_INDEX。</translation>
    </message>
    <message>
      <source>Environment folder (empty: semseg-engine in the QGIS profile folder)</source>
      <translation>环境文件夹（留空：QGIS 用户配置文件夹中的 semseg-engine）</translation>
    </message>
    <message>
      <source>Requirements file (empty: the plugin's requirements.txt)</source>
      <translation>依赖文件（留空：插件的 requirements.txt）</translation>
    </message>
    <message>
      <source>Wheels folder, to install offline</source>
      <translation>Wheel 文件夹，用于离线安装</translation>
    </message>
    <message>
      <source>ONNX Runtime package</source>
      <translation>ONNX Runtime 软件包</translation>
    </message>
    <message>
      <source>NVIDIA GPU</source>
      <translation>NVIDIA GPU</translation>
    </message>
    <message>
      <source>PyTorch wheel index (empty: PyTorch's CUDA builds on Windows with an NVIDIA GPU)</source>
      <translation>PyTorch wheel 索引（留空：在装有 NVIDIA GPU 的 Windows 上使用 PyTorch 的 CUDA 版本）</translation>
    </message>
    <message>
      <source>The requirements file {0} does not exist.</source>
      <translation>依赖文件 {0} 不存在。</translation>
    </message>
    <message>
      <source>The new environment cannot run the engine; it is not selected.</source>
      <translation>新环境无法运行引擎；未选用该环境。</translation>
    </message>
    <message>
      <source>Self-check passed: TensorFlow {0}, Keras {1}, NumPy {2}, GDAL {3}.</source>
      <translation>自检通过：TensorFlow {0}，Keras {1}，NumPy {2}，GDAL {3}。</translation>
    </message>
    <message>
      <source>The engine's Python is now {0} (Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation).</source>
      <translation>引擎的 Python 现在为 {0}（设置 &gt; 选项 &gt; 处理 &gt; 提供者 &gt; 语义分割）。</translation>
    </message>
    <message>
      <source>The environment variable {0} ({1}) is set and takes precedence over this setting.</source>
      <translation>已设置环境变量 {0}（{1}），它优先于此设置。</translation>
    </message>
    <message>
      <source>Tile Dataset</source>
      <translation>切片数据集</translation>
    </message>
    <message>
      <source>Cuts an image and its label into square chips for training, and adds them to a dataset folder that Train Model reads. Run it again into the same folder to add more scenes.

Image: the multi-band scene, any raster layer: files and VRTs as well as web layers (XYZ tiles, WMS, WMTS, WCS). Label raster: a class-index raster (0..254; 255 is ignored), resampled (nearest) onto the image grid; it must overlap the image. Or, instead, Label polygons and their Class field, an integer field burnt onto the image grid. Give at most one label. Tile size: chip width and height in pixels. Dataset folder: new and empty, or an existing dataset to add to.

Advanced parameters, what to read: Resolution (map units per pixel; 0 is the image's own) and Extent (only this area). A web layer has no pixel size of its own and needs both. The dataset records the resolution; Predict Raster warns when a scene's resolution is far from it, and reads a web layer at it by default.

Advanced parameters, which chips: Method, random windows (Tiles per image of them) or a regular grid every Stride pixels (0: the tile size, no overlap); Minimum labelled fraction skips chips with a smaller share of labelled, valid pixels; Random seed makes the windows and the split reproducible.

Advanced parameters, validation: Validation fraction of the scene is kept for validation. Validation split: spatial blocks (the default) keeps whole blocks for validation and leaves out the chips that straddle both, so no validation pixel lies in a training chip; random chips may share pixels across the split. Validation area: polygons you draw instead; chips inside them validate, chips touching them are left out.

qgis_process names: IMAGE (a web layer as IMAGE='wms://type=xyz&amp;url=...'), LABEL, LABEL_VECTOR, LABEL_FIELD, TILE_SIZE, OUTPUT; RESOLUTION, EXTENT, METHOD (random, stride), STRIDE, TILES_PER_IMAGE, VAL_FRACTION, SPLIT (blocks, random), VALIDATION_AREA, SEED, MIN_LABELLED.</source>
      <translation>将影像及其标签切割成用于训练的正方形切片，并添加到“训练模型”所读取的数据集文件夹中。再次运行并输出到同一文件夹可添加更多影像。

影像：多波段影像，任意栅格图层：文件、VRT 以及 Web 图层（XYZ 瓦片、WMS、WMTS、WCS）均可。标签栅格：类别索引栅格（0..254；255 表示忽略），会（以最近邻法）重采样到影像网格上；它必须与影像重叠。也可以改用标签多边形及其类别字段，将该整数字段烧录到影像网格上。最多给出一种标签。切片大小：切片的宽度和高度（像素）。数据集文件夹：新建的空文件夹，或要向其添加切片的已有数据集。

高级参数，读取内容：分辨率（每像素地图单位数；0 表示影像自身的分辨率）和范围（仅此区域）。Web 图层没有自身的像素大小，两者都需要提供。数据集会记录分辨率；影像的分辨率与之相差较大时“预测栅格”会发出警告，并默认以该分辨率读取 Web 图层。

高级参数，选取哪些切片：方法，随机窗口（数量为“每幅影像的切片数”），或每隔“步长”个像素取一个的规则网格（0：等于切片大小，无重叠）；切片的最小标注比例：已标注有效像素所占比例低于此值的切片将被跳过；随机种子使窗口和划分可复现。

高级参数，验证：验证比例，即影像中留作验证的比例。验证划分：空间分块（默认）将完整的块留作验证，并舍弃横跨训练和验证的切片，因此没有验证像素位于训练切片中；随机切片则可能在训练集和验证集之间共享像素。验证区域：改用您绘制的多边形；位于其内部的切片用于验证，与其相接触的切片被舍弃。

qgis_process 名称：IMAGE（Web 图层写作 IMAGE='wms://type=xyz&amp;url=...'）、LABEL、LABEL_VECTOR、LABEL_FIELD、TILE_SIZE、OUTPUT；RESOLUTION、EXTENT、METHOD（random、stride）、STRIDE、TILES_PER_IMAGE、VAL_FRACTION、SPLIT（blocks、random）、VALIDATION_AREA、SEED、MIN_LABELLED。</translation>
    </message>
    <message>
      <source>Image</source>
      <translation>影像</translation>
    </message>
    <message>
      <source>Resolution (map units per pixel, 0 = the image's own)</source>
      <translation>分辨率（每像素地图单位数，0 = 影像自身的分辨率）</translation>
    </message>
    <message>
      <source>Extent (only this area of the image)</source>
      <translation>范围（仅影像的这一区域）</translation>
    </message>
    <message>
      <source>Label raster (class indices)</source>
      <translation>标签栅格（类别索引）</translation>
    </message>
    <message>
      <source>Label polygons</source>
      <translation>标签多边形</translation>
    </message>
    <message>
      <source>Class field of the label polygons</source>
      <translation>标签多边形的类别字段</translation>
    </message>
    <message>
      <source>Tile size (pixels)</source>
      <translation>切片大小（像元）</translation>
    </message>
    <message>
      <source>Method</source>
      <translation>方法</translation>
    </message>
    <message>
      <source>Stride for the grid method (pixels, 0 = tile size)</source>
      <translation>网格方法的步长（像元，0 = 切片大小）</translation>
    </message>
    <message>
      <source>Tiles per image (random method)</source>
      <translation>每幅影像的切片数（随机方法）</translation>
    </message>
    <message>
      <source>Validation fraction</source>
      <translation>验证比例</translation>
    </message>
    <message>
      <source>Validation split</source>
      <translation>验证划分</translation>
    </message>
    <message>
      <source>Validation area (polygons, instead of the split)</source>
      <translation>验证区域（多边形，代替划分方式）</translation>
    </message>
    <message>
      <source>Random seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Minimum labelled fraction of a tile</source>
      <translation>切片的最小标注比例</translation>
    </message>
    <message>
      <source>Dataset folder</source>
      <translation>数据集文件夹</translation>
    </message>
    <message>
      <source>Tiles written</source>
      <translation>已写入的切片数</translation>
    </message>
    <message>
      <source>Give either a label raster ({0}) or label polygons ({1}), not both.</source>
      <translation>请给出标签栅格（{0}）或标签多边形（{1}），不能同时给出。</translation>
    </message>
    <message>
      <source>Label polygons were given ({0}) but no class field ({1}): choose the numeric field that holds the class of each polygon.</source>
      <translation>给出了标签多边形（{0}）但没有类别字段（{1}）：请选择保存每个多边形类别的数值字段。</translation>
    </message>
    <message>
      <source>The stride ({0}) is larger than the tile size ({1}): parts of the image will not be tiled.</source>
      <translation>步长（{0}）大于切片大小（{1}）：影像的部分区域将不会被切片。</translation>
    </message>
    <message>
      <source>{0} tiles written ({1} training, {2} validation, {3} skipped, {5} left out between the training and validation areas); the dataset now holds {4} tiles.</source>
      <translation>已写入 {0} 个切片（训练 {1} 个，验证 {2} 个，跳过 {3} 个，在训练区与验证区之间舍弃 {5} 个）；数据集现有 {4} 个切片。</translation>
    </message>
    <message>
      <source>Train Model</source>
      <translation>训练模型</translation>
    </message>
    <message>
      <source>Trains a segmentation network on a dataset folder made by Tile Dataset and saves the best model (by validation mean IoU) as a .keras file that Predict Raster and Evaluate use on their own.

Dataset folder: the folder Tile Dataset wrote. Model and Encoder: the network and its backbone; the Encoder list shows only the encoders that fit the chosen Model and marks the one it is usually paired with as (default). Epochs: passes over the training chips. Output model: the .keras file to write (by default in the folder semseg of your home folder, which outlives QGIS; a model in QGIS's temporary folder is deleted when QGIS closes). Log folder: training curves, history as CSV and JSON, TensorBoard events and an HTML summary (by default the folder &lt;model&gt;_logs beside the model); the summary opens in the Results Viewer when training ends. Each epoch's loss and validation mean IoU are logged as one line.

Training runs in a separate Python process that has TensorFlow (made by Set up the engine); QGIS itself never loads TensorFlow. Cancel stops it and writes no model.

Advanced parameters, the network: Output stride (8, 16 or 32: finer features are slower), Network width multiplier, Encoder weights (random, ImageNet weights downloaded once, or an Encoder weights file) and Epochs with the encoder frozen (the decoder trains alone first).

Advanced parameters, the training: Loss, Class weights (inverse class frequency helps rare classes), Optimizer, Learning rate and Learning-rate schedule (constant, power decay, exponential decay, progressive drops at 50% and 75% of training, or cosine cycles of Cosine cycle length epochs) down to Minimum learning rate; Batch size; Steps per epoch (0: every chip once); Early-stopping patience (0: off); Augment (flips, rotations, scale and crop; the fill values say what lies outside); Distribution strategy; Random seed.

Advanced parameters, where to start: an Initial model, started from by fine-tuning (its weights with a new optimizer; its classes must match the dataset's) or by resuming a stopped run from its checkpoint &lt;model&gt;.resume.keras, which Write a resume checkpoint keeps beside the output model and removes when training finishes.

qgis_process names (batch files and models give options by name too): DATASET, MODEL (unet, deeplab_v3p...), ENCODER (mobilenet_v2, resnet_v2_50...), EPOCHS, OUTPUT_MODEL, LOG_DIR; OUTPUT_STRIDE, WIDTH, ENCODER_WEIGHTS (none, imagenet, file), ENCODER_WEIGHTS_FILE, FREEZE_ENCODER_EPOCHS, LOSS, CLASS_WEIGHTS, OPTIMIZER, LEARNING_RATE, LR_MODE, MIN_LR, LR_CYCLE, LR_POWER, BATCH_SIZE, STEPS_PER_EPOCH, EARLY_STOP_PATIENCE, AUGMENT, CVAL, LABEL_CVAL, STRATEGY, SEED, INIT_MODEL, INIT_MODE (fine_tune, resume), RESUME_CHECKPOINT. qgis_process help semseg:trainmodel lists every option's names.</source>
      <translation>在“切片数据集”生成的数据集文件夹上训练分割网络，并将最佳模型（按验证平均 IoU）保存为 .keras 文件，“预测栅格”和“评估”无需其他文件即可直接使用它。

数据集文件夹：“切片数据集”写出的文件夹。模型和编码器：网络及其骨干网络；编码器列表只显示适用于所选模型的编码器，并将通常与之搭配的编码器标记为（默认）。轮次：遍历训练切片的次数。输出模型：要写入的 .keras 文件（默认位于主文件夹中的 semseg 文件夹，QGIS 关闭后它仍会保留；位于 QGIS 临时文件夹中的模型会在 QGIS 关闭时被删除）。日志文件夹：训练曲线、CSV 和 JSON 格式的历史记录、TensorBoard 事件以及 HTML 摘要（默认为模型旁的 &lt;model&gt;_logs 文件夹）；训练结束时摘要会在结果查看器中打开。每轮的损失和验证平均 IoU 会作为一行记录到日志中。

训练在一个装有 TensorFlow 的独立 Python 进程中运行（由“配置引擎”创建）；QGIS 本身从不加载 TensorFlow。取消会停止训练且不写入模型。

高级参数，网络：输出步幅（8、16 或 32：特征越精细越慢）、网络宽度倍数、编码器权重（随机、只下载一次的 ImageNet 权重，或编码器权重文件）以及冻结编码器的轮次（先单独训练解码器）。

高级参数，训练：损失函数、类别权重（类别频率倒数有助于稀有类别）、优化器、学习率和学习率调度（恒定、幂衰减、指数衰减、在训练进行到 50% 和 75% 时分段下降，或周期为“余弦周期长度”轮的余弦循环），最低降至最小学习率；批大小；每轮步数（0：每个切片使用一次）；早停耐心轮次（0：关闭）；数据增强（翻转、旋转、缩放和裁剪；填充值决定影像以外区域的取值）；分布式策略；随机种子。

高级参数，起点：初始模型，可通过微调开始（使用其权重和新的优化器；其类别必须与数据集一致），或从检查点 &lt;model&gt;.resume.keras 继续已停止的训练；“每轮在输出模型旁写入续训检查点”会将该检查点保存在输出模型旁，并在训练结束时删除。

qgis_process 名称（批处理文件和处理模型也按名称给出选项）：DATASET、MODEL（unet、deeplab_v3p……）、ENCODER（mobilenet_v2、resnet_v2_50……）、EPOCHS、OUTPUT_MODEL、LOG_DIR；OUTPUT_STRIDE、WIDTH、ENCODER_WEIGHTS（none、imagenet、file）、ENCODER_WEIGHTS_FILE、FREEZE_ENCODER_EPOCHS、LOSS、CLASS_WEIGHTS、OPTIMIZER、LEARNING_RATE、LR_MODE、MIN_LR、LR_CYCLE、LR_POWER、BATCH_SIZE、STEPS_PER_EPOCH、EARLY_STOP_PATIENCE、AUGMENT、CVAL、LABEL_CVAL、STRATEGY、SEED、INIT_MODEL、INIT_MODE（fine_tune、resume）、RESUME_CHECKPOINT。qgis_process help semseg:trainmodel 会列出每个选项的名称。</translation>
    </message>
    <message>
      <source>Dataset folder (made by Tile Dataset)</source>
      <translation>数据集文件夹（由“切片数据集”生成）</translation>
    </message>
    <message>
      <source>Encoder</source>
      <translation>编码器</translation>
    </message>
    <message>
      <source>Output stride</source>
      <translation>输出步幅</translation>
    </message>
    <message>
      <source>Encoder weights</source>
      <translation>编码器权重</translation>
    </message>
    <message>
      <source>Encoder weights file (.weights.h5 or .keras)</source>
      <translation>编码器权重文件（.weights.h5 或 .keras）</translation>
    </message>
    <message>
      <source>Epochs with the encoder frozen (0 = off)</source>
      <translation>冻结编码器的轮次（0 = 关闭）</translation>
    </message>
    <message>
      <source>Loss</source>
      <translation>损失函数</translation>
    </message>
    <message>
      <source>Class weights</source>
      <translation>类别权重</translation>
    </message>
    <message>
      <source>Optimizer</source>
      <translation>优化器</translation>
    </message>
    <message>
      <source>Learning rate</source>
      <translation>学习率</translation>
    </message>
    <message>
      <source>Learning-rate schedule</source>
      <translation>学习率调度</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批大小</translation>
    </message>
    <message>
      <source>Early-stopping patience in epochs (0 = off)</source>
      <translation>早停耐心轮次（0 = 关闭）</translation>
    </message>
    <message>
      <source>Augment (flips, rotations, scale/crop)</source>
      <translation>数据增强（翻转、旋转、缩放/裁剪）</translation>
    </message>
    <message>
      <source>Initial model (resume or fine-tune)</source>
      <translation>初始模型（继续训练或微调）</translation>
    </message>
    <message>
      <source>Start from the initial model by</source>
      <translation>从初始模型开始的方式</translation>
    </message>
    <message>
      <source>Write a resume checkpoint beside the output model every epoch</source>
      <translation>每轮在输出模型旁写入续训检查点</translation>
    </message>
    <message>
      <source>Keras model (*.keras)</source>
      <translation>Keras 模型 (*.keras)</translation>
    </message>
    <message>
      <source>Output model</source>
      <translation>输出模型</translation>
    </message>
    <message>
      <source>Log folder (TensorBoard, CSV, curves, HTML summary; skipped: &lt;model&gt;_logs beside the model)</source>
      <translation>日志文件夹（TensorBoard、CSV、曲线、HTML 摘要；跳过：模型旁的 &lt;model&gt;_logs）</translation>
    </message>
    <message>
      <source>Minimum learning rate</source>
      <translation>最小学习率</translation>
    </message>
    <message>
      <source>Cosine cycle length in epochs</source>
      <translation>余弦周期长度（轮次）</translation>
    </message>
    <message>
      <source>Power of the power decay</source>
      <translation>幂衰减的幂</translation>
    </message>
    <message>
      <source>Image fill value for augmentation (empty: each band's mean)</source>
      <translation>数据增强的影像填充值（留空：各波段的均值）</translation>
    </message>
    <message>
      <source>Label fill value for augmentation</source>
      <translation>数据增强的标签填充值</translation>
    </message>
    <message>
      <source>Distribution strategy</source>
      <translation>分布式策略</translation>
    </message>
    <message>
      <source>Training summary (curves, best epoch)</source>
      <translation>训练摘要（曲线、最佳轮次）</translation>
    </message>
    <message>
      <source>The model goes to {0}, the training logs and summary to {1}.</source>
      <translation>模型将写入 {0}，训练日志和摘要将写入 {1}。</translation>
    </message>
    <message>
      <source>The model is written to QGIS's temporary folder, which is deleted when QGIS closes: choose another Output model to keep it.</source>
      <translation>模型将写入 QGIS 的临时文件夹，该文件夹会在 QGIS 关闭时被删除：如需保留模型，请选择其他输出模型。</translation>
    </message>
    <message>
      <source>Training {0} with the {1} encoder on {2}</source>
      <translation>正在用 {1} 编码器在 {2} 上训练 {0}</translation>
    </message>
    <message>
      <source>Best validation mean IoU: {0:.4f}</source>
      <translation>最佳验证平均 IoU：{0:.4f}</translation>
    </message>
    <message>
      <source>Training summary with the curves: {0}</source>
      <translation>带曲线的训练摘要：{0}</translation>
    </message>
    <message>
      <source>KERAS_BACKEND is {backend}; the engine runs on one of {choices}: unset it or name one of them.</source>
      <translation>KERAS_BACKEND 为 {backend}；引擎只能在 {choices} 之一上运行：请取消设置该变量，或指定其中之一。</translation>
    </message>
    <message>
      <source>Unknown engine backend {backend}; choose one of {choices}.</source>
      <translation>未知的引擎后端 {backend}；请从以下选项中选择：{choices}。</translation>
    </message>
    <message>
      <source>KERAS_BACKEND names {backend}, which is not installed in the engine's Python {python}: install {package} there, or unset KERAS_BACKEND.</source>
      <translation>KERAS_BACKEND 指定了 {backend}，但引擎的 Python {python} 中未安装它：请在其中安装 {package}，或取消设置 KERAS_BACKEND。</translation>
    </message>
    <message>
      <source>The Engine backend setting is {backend}, which is not installed in the engine's Python {python}: install {package} there (Set up the engine, Backend {backend}), or set Engine backend to auto.</source>
      <translation>设置项“引擎后端”为 {backend}，但引擎的 Python {python} 中未安装它：请在其中安装 {package}（“配置引擎”，后端 {backend}），或将“引擎后端”设为 auto。</translation>
    </message>
    <message>
      <source>{task} converts the model on TensorFlow (tf2onnx), which is not installed in the engine's Python {python}: install {package} there (Set up the engine installs it).</source>
      <translation>{task} 在 TensorFlow 上转换模型（tf2onnx），但引擎的 Python {python} 中没有安装 TensorFlow：请在其中安装 {package}（“设置引擎”会安装它）。</translation>
    </message>
    <message>
      <source>Keras {keras} on {title} {version}; device: {device}.</source>
      <translation>Keras {keras}，运行于 {title} {version}；设备：{device}。</translation>
    </message>
    <message>
      <source>Random windows</source>
      <translation>随机窗口</translation>
    </message>
    <message>
      <source>Regular grid (stride)</source>
      <translation>规则网格（步长）</translation>
    </message>
    <message>
      <source>Spatial blocks (no validation pixel in a training chip)</source>
      <translation>空间分块（训练切片中不含验证像素）</translation>
    </message>
    <message>
      <source>Random chips (overlapping chips share pixels)</source>
      <translation>随机切片（重叠的切片会共享像素）</translation>
    </message>
    <message>
      <source>Colour to index</source>
      <translation>颜色转索引</translation>
    </message>
    <message>
      <source>Index to colour</source>
      <translation>索引转颜色</translation>
    </message>
    <message>
      <source>Fail</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Map to 255 (ignore)</source>
      <translation>映射为 255（忽略）</translation>
    </message>
    <message>
      <source>Categorical cross-entropy</source>
      <translation>分类交叉熵</translation>
    </message>
    <message>
      <source>Binary cross-entropy (2 classes)</source>
      <translation>二元交叉熵（2 类）</translation>
    </message>
    <message>
      <source>Focal</source>
      <translation>Focal</translation>
    </message>
    <message>
      <source>Dice</source>
      <translation>Dice</translation>
    </message>
    <message>
      <source>Lovasz-softmax</source>
      <translation>Lovasz-softmax</translation>
    </message>
    <message>
      <source>Cross-entropy + Dice</source>
      <translation>交叉熵 + Dice</translation>
    </message>
    <message>
      <source>None</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Inverse class frequency</source>
      <translation>类别频率倒数</translation>
    </message>
    <message>
      <source>Adam</source>
      <translation>Adam</translation>
    </message>
    <message>
      <source>RMSprop</source>
      <translation>RMSprop</translation>
    </message>
    <message>
      <source>SGD</source>
      <translation>SGD</translation>
    </message>
    <message>
      <source>Constant</source>
      <translation>恒定</translation>
    </message>
    <message>
      <source>Power decay</source>
      <translation>幂衰减</translation>
    </message>
    <message>
      <source>Exponential decay</source>
      <translation>指数衰减</translation>
    </message>
    <message>
      <source>Progressive drops</source>
      <translation>分段下降</translation>
    </message>
    <message>
      <source>Cosine cycles</source>
      <translation>余弦循环</translation>
    </message>
    <message>
      <source>Fine-tune (its weights, a new optimizer and schedule)</source>
      <translation>微调（使用其权重，以及新的优化器和学习率调度）</translation>
    </message>
    <message>
      <source>Resume (continue the stopped run from its checkpoint)</source>
      <translation>继续训练（从检查点继续已停止的训练）</translation>
    </message>
    <message>
      <source>None (random initialisation)</source>
      <translation>无（随机初始化）</translation>
    </message>
    <message>
      <source>ImageNet (Keras Applications, downloaded once)</source>
      <translation>ImageNet（Keras Applications，只下载一次）</translation>
    </message>
    <message>
      <source>From a file (Encoder weights file)</source>
      <translation>来自文件（编码器权重文件）</translation>
    </message>
    <message>
      <source>Auto (one device)</source>
      <translation>自动（单设备）</translation>
    </message>
    <message>
      <source>Mirrored (all local GPUs)</source>
      <translation>镜像（本机所有 GPU）</translation>
    </message>
    <message>
      <source>Multi-worker (TF_CONFIG)</source>
      <translation>多工作节点（TF_CONFIG）</translation>
    </message>
    <message>
      <source>Stride (windows over the scene)</source>
      <translation>步进（在影像上滑动窗口）</translation>
    </message>
    <message>
      <source>Per image (resize the whole image)</source>
      <translation>逐图像（缩放整幅图像）</translation>
    </message>
    <message>
      <source>Byte (0-254, 255 = nodata)</source>
      <translation>Byte（0-254，255 = 无数据）</translation>
    </message>
    <message>
      <source>Float32 (0-1)</source>
      <translation>Float32（0-1）</translation>
    </message>
    <message>
      <source>Flips (4 passes)</source>
      <translation>翻转（4 次推理）</translation>
    </message>
    <message>
      <source>Flips and rotations (8 passes)</source>
      <translation>翻转和旋转（8 次推理）</translation>
    </message>
    <message>
      <source>Auto (ONNX Runtime for .onnx files, TensorFlow for .keras)</source>
      <translation>自动（.onnx 文件使用 ONNX Runtime，.keras 使用 TensorFlow）</translation>
    </message>
    <message>
      <source>TensorFlow</source>
      <translation>TensorFlow</translation>
    </message>
    <message>
      <source>ONNX Runtime (a .keras model is converted once, cached)</source>
      <translation>ONNX Runtime（.keras 模型转换一次并缓存）</translation>
    </message>
    <message>
      <source>Auto (for this machine's system and GPU)</source>
      <translation>自动（根据本机的系统和 GPU）</translation>
    </message>
    <message>
      <source>TensorFlow only</source>
      <translation>仅 TensorFlow</translation>
    </message>
    <message>
      <source>PyTorch besides TensorFlow</source>
      <translation>PyTorch（与 TensorFlow 并存）</translation>
    </message>
    <message>
      <source>JAX besides TensorFlow</source>
      <translation>JAX（与 TensorFlow 并存）</translation>
    </message>
    <message>
      <source>onnxruntime (CPU; CoreML on macOS)</source>
      <translation>onnxruntime（CPU；macOS 上为 CoreML）</translation>
    </message>
    <message>
      <source>onnxruntime-gpu (NVIDIA, CUDA)</source>
      <translation>onnxruntime-gpu（NVIDIA，CUDA）</translation>
    </message>
    <message>
      <source>onnxruntime-directml (Windows, any DirectX 12 GPU)</source>
      <translation>onnxruntime-directml（Windows，任何 DirectX 12 GPU）</translation>
    </message>
    <message>
      <source>onnxruntime-openvino (Intel)</source>
      <translation>onnxruntime-openvino（Intel）</translation>
    </message>
    <message>
      <source>Auto (look for the NVIDIA driver)</source>
      <translation>自动（查找 NVIDIA 驱动）</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <source>Global confusion matrix</source>
      <translation>全局混淆矩阵</translation>
    </message>
    <message>
      <source>Per-image mean</source>
      <translation>逐图像平均</translation>
    </message>
    <message>
      <source>{name} {value} is not valid; choose one of {valid}.</source>
      <translation>{name} {value} 无效；请从以下选项中选择：{valid}。</translation>
    </message>
    <message>
      <source>The {task} job's params must be a JSON object.</source>
      <translation>{task} 任务的 params 必须是 JSON 对象。</translation>
    </message>
    <message>
      <source>Unknown {task} parameter(s) {unknown}; valid: {known}.</source>
      <translation>{task} 任务的未知参数 {unknown}；有效参数：{known}。</translation>
    </message>
    <message>
      <source>The {task} job needs the parameter(s) {missing}.</source>
      <translation>{task} 作业需要参数 {missing}。</translation>
    </message>
    <message>
      <source>Cannot create the folder {folder} for {path}: {error}.</source>
      <translation>无法为 {path} 创建文件夹 {folder}：{error}。</translation>
    </message>
    <message>
      <source>Cannot write the folder {path}: a file has that name.</source>
      <translation>无法写入文件夹 {path}：已存在同名文件。</translation>
    </message>
    <message>
      <source>Cannot write {path}: it is a folder.</source>
      <translation>无法写入 {path}：它是一个文件夹。</translation>
    </message>
    <message>
      <source>Cannot write {path}: {blocker} is a file, not a folder.</source>
      <translation>无法写入 {path}：{blocker} 是文件，而不是文件夹。</translation>
    </message>
    <message>
      <source>Cannot write {path}: the folder {blocker} is not writable.</source>
      <translation>无法写入 {path}：文件夹 {blocker} 不可写。</translation>
    </message>
    <message>
      <source>{function} needs Keras on TensorFlow; the engine backend is {backend}. Set Engine backend to auto or tensorflow (Settings &gt; Options &gt; Processing &gt; Providers &gt; Semantic Segmentation) and unset KERAS_BACKEND.</source>
      <translation>{function} 需要在 TensorFlow 上运行的 Keras；当前引擎后端为 {backend}。请将“引擎后端”设为 auto 或 tensorflow（设置 &gt; 选项 &gt; 处理 &gt; 提供者 &gt; 语义分割），并取消 KERAS_BACKEND 环境变量。</translation>
    </message>
    <message>
      <source>VIRTUAL_CPUS must be set before TensorFlow starts: {error}</source>
      <translation>VIRTUAL_CPUS 必须在 TensorFlow 启动前设置：{error}</translation>
    </message>
    <message>
      <source>The label {source} has the value {wrong} at pixels ({x}, {y}) + {width} x {height}: class values must be whole numbers 0..254 (255 = unlabelled).</source>
      <translation>标签 {source} 在像素 ({x}, {y}) + {width} x {height} 处的值为 {wrong}：类别值必须是 0..254 的整数（255 = 未标注）。</translation>
    </message>
    <message>
      <source>Cannot create the chip {path}: {gdal_error}.</source>
      <translation>无法创建切片 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>Cannot write the chip {path}: {gdal_error}.</source>
      <translation>无法写入切片 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>No dataset folder was given.</source>
      <translation>未指定数据集文件夹。</translation>
    </message>
    <message>
      <source>The dataset folder {folder} does not exist.</source>
      <translation>数据集文件夹 {folder} 不存在。</translation>
    </message>
    <message>
      <source>The dataset folder {folder} is empty: run Tile Dataset first.</source>
      <translation>数据集文件夹 {folder} 为空：请先运行“切片数据集”。</translation>
    </message>
    <message>
      <source>{folder} is not a dataset made by Tile Dataset: it has no {dataset_json}.</source>
      <translation>{folder} 不是“切片数据集”生成的数据集：其中没有 {dataset_json}。</translation>
    </message>
    <message>
      <source>{path} is incomplete or invalid ({error}).</source>
      <translation>{path} 不完整或无效（{error}）。</translation>
    </message>
    <message>
      <source>{path} gives mean/std for {n_mean}/{n_std} bands but {bands} bands.</source>
      <translation>{path} 给出了 {n_mean}/{n_std} 个波段的均值/标准差，但数据有 {bands} 个波段。</translation>
    </message>
    <message>
      <source>The dataset {folder} has no labels: tile it again with a label layer to train a model.</source>
      <translation>数据集 {folder} 没有标签：请使用标签图层重新切片后再训练模型。</translation>
    </message>
    <message>
      <source>The dataset {folder} has {n_values} class(es) ({values}); training needs at least 2.</source>
      <translation>数据集 {folder} 只有 {n_values} 个类别（{values}）；训练至少需要 2 个类别。</translation>
    </message>
    <message>
      <source>The dataset {folder} lists no training chips in train.txt.</source>
      <translation>数据集 {folder} 的 train.txt 中没有列出任何训练切片。</translation>
    </message>
    <message>
      <source>The chip {chip} listed in {split}.txt of {folder} is missing: no {kind}/{name}.tif.</source>
      <translation>{split}.txt 中列出的切片 {chip}（位于 {folder}）缺失：不存在 {kind}/{name}.tif。</translation>
    </message>
    <message>
      <source>The chip {path} is {width} x {height} pixels but dataset.json says tiles are {size} x {size}.</source>
      <translation>切片 {path} 为 {width} x {height} 像素，但 dataset.json 中的切片大小为 {size} x {size}。</translation>
    </message>
    <message>
      <source>The chip {path} has {chip_bands} band(s) but dataset.json says {bands}.</source>
      <translation>切片 {path} 有 {chip_bands} 个波段，但 dataset.json 中为 {bands} 个。</translation>
    </message>
    <message>
      <source>The dataset {folder} lists no chips in {split}.txt.</source>
      <translation>数据集 {folder} 的 {split}.txt 中没有列出任何切片。</translation>
    </message>
    <message>
      <source>{where} has no classes.</source>
      <translation>{where} 没有类别。</translation>
    </message>
    <message>
      <source>{where}: values, names and colours differ in length.</source>
      <translation>{where}：类别值、名称和颜色的数量不一致。</translation>
    </message>
    <message>
      <source>{where}: class value {v} ({n}) is outside 0..254 (255 is reserved for 'ignore').</source>
      <translation>{where}：类别值 {v}（{n}）超出 0..254 范围（255 保留给“忽略”）。</translation>
    </message>
    <message>
      <source>{where}: colour {c} of class {v} is not three numbers 0..255.</source>
      <translation>{where}：类别 {v} 的颜色 {c} 不是三个 0..255 之间的数。</translation>
    </message>
    <message>
      <source>{where}: class value {v} appears twice ({seen_v} and {n}).</source>
      <translation>{where}：类别值 {v} 出现了两次（{seen_v} 和 {n}）。</translation>
    </message>
    <message>
      <source>{where}: colour {c} is used by both class {seen_c} and class {v}.</source>
      <translation>{where}：颜色 {c} 同时被类别 {seen_c} 和类别 {v} 使用。</translation>
    </message>
    <message>
      <source>{where}: ignore colour {c} is not three numbers 0..255.</source>
      <translation>{where}：忽略颜色 {c} 不是三个 0..255 之间的数。</translation>
    </message>
    <message>
      <source>{where}: colour {c} is both class {seen_c} and 'ignore'.</source>
      <translation>{where}：颜色 {c} 既是类别 {seen_c}，又是“忽略”。</translation>
    </message>
    <message>
      <source>Unknown colour-map preset {name}; known: {names}.</source>
      <translation>未知的颜色映射预设 {name}；已知预设：{names}。</translation>
    </message>
    <message>
      <source>The colour-map file {path} does not exist.</source>
      <translation>颜色映射文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>The colour-map file {path} is not valid JSON: {error}.</source>
      <translation>颜色映射文件 {path} 不是有效的 JSON：{error}。</translation>
    </message>
    <message>
      <source>The colour-map file {path} has no 'classes' list.</source>
      <translation>颜色映射文件 {path} 没有 'classes' 列表。</translation>
    </message>
    <message>
      <source>The colour-map file {path}: class entry {i} ({entry}) needs an integer 'value' and a 'color' [r, g, b].</source>
      <translation>颜色映射文件 {path}：第 {i} 个类别条目（{entry}）需要整数 'value' 和颜色 'color' [r, g, b]。</translation>
    </message>
    <message>
      <source>The colour-map file {path}: class {value} colour {color} is not [r, g, b].</source>
      <translation>颜色映射文件 {path}：类别 {value} 的颜色 {color} 不是 [r, g, b]。</translation>
    </message>
    <message>
      <source>The colour-map file {path}: 'ignore_colors' must be a list of [r, g, b].</source>
      <translation>颜色映射文件 {path}：'ignore_colors' 必须是 [r, g, b] 的列表。</translation>
    </message>
    <message>
      <source>Cannot read the colour-map file {path}: {error}.</source>
      <translation>无法读取颜色映射文件 {path}：{error}。</translation>
    </message>
    <message>
      <source>The colour-map file {path}, line {number}: expected 'value,r,g,b,alpha,label', got {line}.</source>
      <translation>颜色映射文件 {path} 第 {number} 行：应为 'value,r,g,b,alpha,label'，实际为 {line}。</translation>
    </message>
    <message>
      <source>The colour-map file {path}, line {number}: bad number in {line}.</source>
      <translation>颜色映射文件 {path} 第 {number} 行：{line} 中有无效数字。</translation>
    </message>
    <message>
      <source>The colour-map file {path} has no 'value,r,g,b,alpha,label' lines.</source>
      <translation>颜色映射文件 {path} 中没有 'value,r,g,b,alpha,label' 格式的行。</translation>
    </message>
    <message>
      <source>The colour-map file {path} is neither JSON, a QGIS colour-map export, nor a raster with a colour table.</source>
      <translation>颜色映射文件 {path} 既不是 JSON、QGIS 颜色映射导出文件，也不是带颜色表的栅格。</translation>
    </message>
    <message>
      <source>The colour label raster {path} must have 8-bit (Byte) R, G, B bands.</source>
      <translation>彩色标签栅格 {path} 必须具有 8 位（Byte）R、G、B 波段。</translation>
    </message>
    <message>
      <source>The colour label raster {path} has {bands} band(s) and no colour table: give an RGB(A) raster or a single band with a colour table.</source>
      <translation>彩色标签栅格 {path} 有 {bands} 个波段且没有颜色表：请提供 RGB(A) 栅格，或带颜色表的单波段栅格。</translation>
    </message>
    <message>
      <source>The colour label raster {path} has {total} pixels in {n_colors} colour(s) that are not in the colour map {color_map}: {listed} and {more} more. Add them to the map or map unknown colours to 255 (ignore).</source>
      <translation>彩色标签栅格 {path} 中有 {total} 个像素属于 {n_colors} 种不在颜色映射 {color_map} 中的颜色：{listed}，以及另外 {more} 种。请将它们添加到颜色映射中，或将未知颜色映射为 255（忽略）。</translation>
    </message>
    <message>
      <source>The colour label raster {path} has {total} pixels in {n_colors} colour(s) that are not in the colour map {color_map}: {listed}. Add them to the map or map unknown colours to 255 (ignore).</source>
      <translation>彩色标签栅格 {path} 中有 {total} 个像素属于 {n_colors} 种不在颜色映射 {color_map} 中的颜色：{listed}。请将它们添加到颜色映射中，或将未知颜色映射为 255（忽略）。</translation>
    </message>
    <message>
      <source>The class index raster {input_path} must hold integers, not {dtype}.</source>
      <translation>类别索引栅格 {input_path} 必须为整数类型，而不是 {dtype}。</translation>
    </message>
    <message>
      <source>Unsupported pixel type {dtype}.</source>
      <translation>不支持的像素类型 {dtype}。</translation>
    </message>
    <message>
      <source>Unsupported GDAL pixel type {name}.</source>
      <translation>不支持的 GDAL 像素类型 {name}。</translation>
    </message>
    <message>
      <source>No {role} was given.</source>
      <translation>未指定 {role}。</translation>
    </message>
    <message>
      <source>The {role} file {path} does not exist.</source>
      <translation>{role} 文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>GDAL cannot open the {role} {path}: {last_error}.</source>
      <translation>GDAL 无法打开 {role} {path}：{last_error}。</translation>
    </message>
    <message>
      <source>The {role} {path} has no raster bands.</source>
      <translation>{role} {path} 没有栅格波段。</translation>
    </message>
    <message>
      <source>The {role} {path} has {bands} bands, but a class raster has one band of class values. For a colour label (one colour per class), run Color to Index first.</source>
      <translation>{role} {path} 有 {bands} 个波段，但类别栅格应只有一个存放类别值的波段。如果是彩色标签（每个类别一种颜色），请先运行“颜色转索引”。</translation>
    </message>
    <message>
      <source>The class raster {path} holds the value {value}: class values must be whole numbers.</source>
      <translation>类别栅格 {path} 中含有值 {value}：类别值必须是整数。</translation>
    </message>
    <message>
      <source>The class raster {path} holds the value {bad:g}, outside the class range 0..{n}.</source>
      <translation>类别栅格 {path} 中含有值 {bad:g}，超出类别范围 0..{n}。</translation>
    </message>
    <message>
      <source>Tile size ({size}) and stride ({stride}) must be positive.</source>
      <translation>切片大小（{size}）和步长（{stride}）必须为正数。</translation>
    </message>
    <message>
      <source>The scene ({width} x {height} pixels) is smaller than a tile ({size} x {size}).</source>
      <translation>影像（{width} x {height} 像素）小于一个切片（{size} x {size}）。</translation>
    </message>
    <message>
      <source>GDAL could not read {source}: {last_error}.</source>
      <translation>GDAL 无法读取 {source}：{last_error}。</translation>
    </message>
    <message>
      <source>The GDAL driver {driver} is not available.</source>
      <translation>GDAL 驱动 {driver} 不可用。</translation>
    </message>
    <message>
      <source>Cannot create {path}: {last_error}.</source>
      <translation>无法创建 {path}：{last_error}。</translation>
    </message>
    <message>
      <source>Cannot set the georeference of {path}: {last_error}.</source>
      <translation>无法设置 {path} 的地理参考：{last_error}。</translation>
    </message>
    <message>
      <source>Cannot create the folder {folder}: {error}.</source>
      <translation>无法创建文件夹 {folder}：{error}。</translation>
    </message>
    <message>
      <source>GDAL could not write {target}: {last_error}.</source>
      <translation>GDAL 无法写入 {target}：{last_error}。</translation>
    </message>
    <message>
      <source>The {role} {source} does not overlap the reference grid ({xmin:.3f}, {ymin:.3f}, {xmax:.3f}, {ymax:.3f}).</source>
      <translation>{role} {source} 与参考网格（{xmin:.3f}, {ymin:.3f}, {xmax:.3f}, {ymax:.3f}）不重叠。</translation>
    </message>
    <message>
      <source>Cannot align the {role} {source} to the grid: {last_error}.</source>
      <translation>无法将 {role} {source} 对齐到网格：{last_error}。</translation>
    </message>
    <message>
      <source>The plugin's sample file {path} is missing: reinstall the plugin.</source>
      <translation>插件的示例文件 {path} 缺失：请重新安装插件。</translation>
    </message>
    <message>
      <source>The hold-out fraction {fraction} leaves nothing to train on or to evaluate.</source>
      <translation>留出比例 {fraction} 使得没有可用于训练或评估的数据。</translation>
    </message>
    <message>
      <source>The tile URL {url} uses quadkeys, which GDAL's tile reader does not take.</source>
      <translation>瓦片 URL {url} 使用 quadkey，GDAL 的瓦片读取器不支持这种方式。</translation>
    </message>
    <message>
      <source>The tile layer's zoom levels {zmin}..{zmax} are not valid.</source>
      <translation>瓦片图层的缩放级别 {zmin}..{zmax} 无效。</translation>
    </message>
    <message>
      <source>The extent {extent} must be xmin, ymin, xmax, ymax.</source>
      <translation>范围 {extent} 必须为 xmin, ymin, xmax, ymax。</translation>
    </message>
    <message>
      <source>The extent {extent} is empty (xmax &lt;= xmin or ymax &lt;= ymin).</source>
      <translation>范围 {extent} 为空（xmax &lt;= xmin 或 ymax &lt;= ymin）。</translation>
    </message>
    <message>
      <source>The resolution must be positive, not {resolution}.</source>
      <translation>分辨率必须为正数，而不是 {resolution}。</translation>
    </message>
    <message>
      <source>EXTENT must be [xmin, ymin, xmax, ymax], not {extent}.</source>
      <translation>EXTENT 必须为 [xmin, ymin, xmax, ymax]，而不是 {extent}。</translation>
    </message>
    <message>
      <source>EXTENT {extent} is empty (xmax &lt;= xmin or ymax &lt;= ymin).</source>
      <translation>EXTENT {extent} 为空（xmax &lt;= xmin 或 ymax &lt;= ymin）。</translation>
    </message>
    <message>
      <source>EXTENT needs a north-up raster; {path} is rotated.</source>
      <translation>EXTENT 需要正北朝上的栅格；{path} 是旋转的。</translation>
    </message>
    <message>
      <source>EXTENT {extent} lies outside the raster {path} ({b_0:.3f}, {b_1:.3f}, {b_2:.3f}, {b_3:.3f}).</source>
      <translation>EXTENT {extent} 位于栅格 {path}（{b_0:.3f}, {b_1:.3f}, {b_2:.3f}, {b_3:.3f}）之外。</translation>
    </message>
    <message>
      <source>The {role} {source} is a web layer with no pixel size of its own: give a RESOLUTION (map units per pixel) and an EXTENT.</source>
      <translation>{role} {source} 是没有自身像素大小的 Web 图层：请提供 RESOLUTION（每像素地图单位数）和 EXTENT。</translation>
    </message>
    <message>
      <source>The {role} {source} has no georeference: it cannot be read at a resolution or extent.</source>
      <translation>{role} {source} 没有地理参考：无法按分辨率或范围读取。</translation>
    </message>
    <message>
      <source>The extent ({e_0:.3f}, {e_1:.3f}, {e_2:.3f}, {e_3:.3f}) lies outside the {role} {source}.</source>
      <translation>范围（{e_0:.3f}, {e_1:.3f}, {e_2:.3f}, {e_3:.3f}）位于 {role} {source} 之外。</translation>
    </message>
    <message>
      <source>Cannot read the window {window} of the {role} {source}: {last_error}.</source>
      <translation>无法读取{role} {source} 的窗口 {window}：{last_error}。</translation>
    </message>
    <message>
      <source>Cannot read the {role} {source} at {resolution} map units per pixel: {last_error}.</source>
      <translation>无法以每像素 {resolution} 地图单位读取 {role} {source}：{last_error}。</translation>
    </message>
    <message>
      <source>Cannot open the validation area {vector}.</source>
      <translation>无法打开验证区域 {vector}。</translation>
    </message>
    <message>
      <source>The validation area {vector} has no layer {layer}.</source>
      <translation>验证区域 {vector} 中没有图层 {layer}。</translation>
    </message>
    <message>
      <source>The validation area {vector} holds no polygon.</source>
      <translation>验证区域 {vector} 中没有多边形。</translation>
    </message>
    <message>
      <source>Unknown split method {method}: use one of {methods}.</source>
      <translation>未知的划分方法 {method}：请使用以下方法之一：{methods}。</translation>
    </message>
    <message>
      <source>The split method 'area' needs a validation area (polygons).</source>
      <translation>划分方法 'area' 需要验证区域（多边形）。</translation>
    </message>
    <message>
      <source>Give either a label raster or a label vector, not both (label={label}, label_vector={label_vector}).</source>
      <translation>请提供标签栅格或标签矢量之一，不能同时提供（label={label}, label_vector={label_vector}）。</translation>
    </message>
    <message>
      <source>The image {image} ({width} x {height} pixels) is smaller than a tile ({tile_size} x {tile_size} pixels).</source>
      <translation>影像 {image}（{width} x {height} 像素）小于一个切片（{tile_size} x {tile_size} 像素）。</translation>
    </message>
    <message>
      <source>The image {image} holds only nodata where it was cut ({windows} windows, nodata {nodata}): its chips would have nothing to learn from and mean and standard deviation 0. Check the image's nodata value, its bands and the extent.</source>
      <translation>影像 {image} 在切片范围内全为无数据值（{windows} 个窗口，无数据值 {nodata}）：其切片没有可学习的内容，均值和标准差均为 0。请检查影像的无数据值、波段和范围。</translation>
    </message>
    <message>
      <source>No chip of {image} has at least {min_labelled:.0%} labelled, valid pixels ({skipped} skipped): lower the minimum labelled fraction or check that the label covers the image.</source>
      <translation>{image} 中没有任何切片的有效已标注像素达到 {min_labelled:.0%}（跳过 {skipped} 个）：请降低最小标注比例，或检查标签是否覆盖影像。</translation>
    </message>
    <message>
      <source>The image {image} is too small for a spatial validation split with {tile_size}-pixel tiles: validation chips are drawn at random, and overlapping chips may share pixels across the split (dataset.json records how many).</source>
      <translation>影像 {image} 太小，无法以 {tile_size} 像素的切片进行空间验证划分：将随机抽取验证切片，重叠的切片可能在训练集和验证集之间共享像素（dataset.json 记录了其数量）。</translation>
    </message>
    <message>
      <source>The dataset {output_dir} holds {n_val} validation chips of {n_chips} ({share:.1%}): fewer than {minimum} are too few to choose the best epoch by, so Train Model will keep the last epoch. Raise the validation fraction (now {val_fraction}), tile more scenes into the dataset, or draw a validation area.</source>
      <translation>数据集 {output_dir} 的 {n_chips} 个切片中有 {n_val} 个验证切片（{share:.1%}）：少于 {minimum} 个不足以选出最佳轮次，“训练模型”将保留最后一轮。请提高验证比例（当前为 {val_fraction}）、向数据集加入更多影像，或绘制验证区域。</translation>
    </message>
    <message>
      <source>{across} validation pixels lie inside training chips of other scenes of the dataset {output_dir}: the scenes overlap and were split differently (another CRS, validation fraction or split method). dataset.json records {leaked} in all.</source>
      <translation>有 {across} 个验证像素位于数据集 {output_dir} 中其他影像的训练切片内：这些影像相互重叠且划分方式不同（坐标参考系、验证比例或划分方法不同）。dataset.json 共记录 {leaked} 个。</translation>
    </message>
    <message>
      <source>{tile_count} chips from {image} ({train} train, {val} validation, {skipped} skipped) in {output_dir}</source>
      <translation>从 {image} 得到 {tile_count} 个切片（训练 {train} 个，验证 {val} 个，跳过 {skipped} 个），位于 {output_dir}</translation>
    </message>
    <message>
      <source>{dropped} chips straddled validation and training areas and were left out, so no validation pixel lies in a training chip.</source>
      <translation>{dropped} 个切片横跨验证区和训练区，已被舍弃，因此没有验证像素位于训练切片中。</translation>
    </message>
    <message>
      <source>The tile size must be positive (got {tile_size}).</source>
      <translation>切片大小必须为正数（当前为 {tile_size}）。</translation>
    </message>
    <message>
      <source>The stride must be positive (got {stride}).</source>
      <translation>步长必须为正数（当前为 {stride}）。</translation>
    </message>
    <message>
      <source>Tiles per image must be positive (got {tiles_per_image}).</source>
      <translation>每幅影像的切片数必须为正数（当前为 {tiles_per_image}）。</translation>
    </message>
    <message>
      <source>The validation fraction must be in [0, 1) (got {val_fraction}).</source>
      <translation>验证比例必须在 [0, 1) 范围内（当前为 {val_fraction}）。</translation>
    </message>
    <message>
      <source>The minimum labelled fraction must be in [0, 1] (got {min_labelled}).</source>
      <translation>最小标注比例必须在 [0, 1] 范围内（当前为 {min_labelled}）。</translation>
    </message>
    <message>
      <source>The dataset {where} has tiles of {dataset_tile_size} pixels; tiling {image} with {tile_size} would mix sizes.</source>
      <translation>数据集 {where} 的切片为 {dataset_tile_size} 像素；以 {tile_size} 切分 {image} 会混用不同大小。</translation>
    </message>
    <message>
      <source>The image {image} has {scene_bands} bands but the dataset {where} has {dataset_bands}.</source>
      <translation>影像 {image} 有 {scene_bands} 个波段，但数据集 {where} 有 {dataset_bands} 个。</translation>
    </message>
    <message>
      <source>The image {image} is {scene_data_type} but the dataset {where} is {dataset_data_type}.</source>
      <translation>影像 {image} 为 {scene_data_type}，但数据集 {where} 为 {dataset_data_type}。</translation>
    </message>
    <message>
      <source>The dataset {where} has labels: give {image} a label too.</source>
      <translation>数据集 {where} 带有标签：请同时为 {image} 提供标签。</translation>
    </message>
    <message>
      <source>The dataset {where} has no labels: give {image} no label.</source>
      <translation>数据集 {where} 不带标签：请不要为 {image} 提供标签。</translation>
    </message>
    <message>
      <source>The output folder {output_dir} is a file.</source>
      <translation>输出文件夹 {output_dir} 是一个文件。</translation>
    </message>
    <message>
      <source>The folder {output_dir} is not empty and holds no {dataset_json}: choose an empty folder or an existing dataset.</source>
      <translation>文件夹 {output_dir} 不为空且不含 {dataset_json}：请选择空文件夹或已有的数据集。</translation>
    </message>
    <message>
      <source>Name the class field of the label vector {vector}.</source>
      <translation>请指定标签矢量 {vector} 的类别字段。</translation>
    </message>
    <message>
      <source>The label vector file {path} does not exist.</source>
      <translation>标签矢量文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>GDAL cannot open the label vector {path}: {gdal_error}.</source>
      <translation>GDAL 无法打开标签矢量 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The label vector {path} has no layer {layer_ref}.</source>
      <translation>标签矢量 {path} 中没有图层 {layer_ref}。</translation>
    </message>
    <message>
      <source>The label vector {vector} has no field {field} (fields: {fields}).</source>
      <translation>标签矢量 {vector} 中没有字段 {field}（现有字段：{fields}）。</translation>
    </message>
    <message>
      <source>The class field {field} of {vector} must be an integer field, not {field_type}.</source>
      <translation>{vector} 的类别字段 {field} 必须是整数字段，而不是 {field_type}。</translation>
    </message>
    <message>
      <source>The filter {subset} of the label vector {vector} is invalid: {gdal_error}.</source>
      <translation>标签矢量 {vector} 的过滤条件 {subset} 无效：{gdal_error}。</translation>
    </message>
    <message>
      <source>Cannot read the label vector {vector}: {gdal_error}.</source>
      <translation>无法读取标签矢量 {vector}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The label vector {vector} has the class {value} in field {field}: classes must be whole numbers 0..254.</source>
      <translation>标签矢量 {vector} 的字段 {field} 中有类别 {value}：类别必须是 0..254 的整数。</translation>
    </message>
    <message>
      <source>Cannot rasterize the label vector {vector}: {gdal_error}.</source>
      <translation>无法栅格化标签矢量 {vector}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The label vector {vector} does not overlap the image {source} (no polygon falls on it).</source>
      <translation>标签矢量 {vector} 与影像 {source} 不重叠（没有多边形落在影像上）。</translation>
    </message>
    <message>
      <source>The vector output {path} must end with one of {drivers} (GeoPackage or Shapefile).</source>
      <translation>矢量输出 {path} 必须以 {drivers} 之一结尾（GeoPackage 或 Shapefile）。</translation>
    </message>
    <message>
      <source>Cannot create the vector file {path}: {gdal_error}.</source>
      <translation>无法创建矢量文件 {path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>Polygonizing into {path} failed: {gdal_error}.</source>
      <translation>多边形化到 {path} 失败：{gdal_error}。</translation>
    </message>
    <message>
      <source>The sample counts must form a square matrix, not {shape}.</source>
      <translation>样本计数必须构成方阵，而不是 {shape}。</translation>
    </message>
    <message>
      <source>A polygon's class index falls outside the {q} classes.</source>
      <translation>某个多边形的类别索引超出了 {q} 个类别的范围。</translation>
    </message>
    <message>
      <source>{count} mapped pixel counts were given for {q} classes.</source>
      <translation>给出了 {count} 个地图像素计数，但有 {q} 个类别。</translation>
    </message>
    <message>
      <source>The map has no classified pixel: nothing to estimate.</source>
      <translation>地图中没有已分类的像素：无法进行估计。</translation>
    </message>
    <message>
      <source>The prediction {path} has the nodata value {value}, which is also a class of the reference {reference}: its pixels of class {value} cannot be told from nodata. Give the prediction another nodata value, or none.</source>
      <translation>预测 {path} 的 nodata 值为 {value}，而这也是参考 {reference} 中的一个类别：其类别 {value} 的像素无法与 nodata 区分。请为预测设置另一个 nodata 值，或不设 nodata。</translation>
    </message>
    <message>
      <source>The prediction {path} has the nodata value 0, which the reference {reference} also holds: pixels predicted as 0 are left out of the scores. Turn on Ignore background to count them as background.</source>
      <translation>预测 {path} 的 nodata 值为 0，而参考 {reference} 中也有该值：预测为 0 的像素不计入评分。开启“忽略背景”可将其计为背景。</translation>
    </message>
    <message>
      <source>The reference {reference} has no CRS but the prediction {prediction} has one: they are compared as if both were in the prediction's CRS.</source>
      <translation>参考 {reference} 没有坐标参考系，而预测 {prediction} 有：二者按同处预测的坐标参考系进行比较。</translation>
    </message>
    <message>
      <source>The prediction {prediction} has no CRS but the reference {reference} has one: they are compared as if both were in the reference's CRS.</source>
      <translation>预测 {prediction} 没有坐标参考系，而参考 {reference} 有：二者按同处参考的坐标参考系进行比较。</translation>
    </message>
    <message>
      <source>GDAL could not read a block of {source}: {gdal_error}.</source>
      <translation>GDAL 无法读取 {source} 的数据块：{gdal_error}。</translation>
    </message>
    <message>
      <source>The reference vector {vector} holds {geometry} geometries: give points (a sample) or polygons.</source>
      <translation>参考矢量 {vector} 包含 {geometry} 几何：请提供点（样本）或多边形。</translation>
    </message>
    <message>
      <source>{outside} reference point(s) of {vector} fall outside the prediction and {on_nodata} on its nodata; skipped.</source>
      <translation>{vector} 中有 {outside} 个参考点落在预测范围之外，{on_nodata} 个落在其 nodata 上；已跳过。</translation>
    </message>
    <message>
      <source>No reference point of {vector} falls on a classified pixel of the prediction {prediction}.</source>
      <translation>{vector} 中没有任何参考点落在预测 {prediction} 的已分类像素上。</translation>
    </message>
    <message>
      <source>Give a reference: a raster, a folder or a vector.</source>
      <translation>请提供参考：栅格、文件夹或矢量。</translation>
    </message>
    <message>
      <source>Give either a reference raster ({reference}) or a reference vector ({vector}), not both.</source>
      <translation>请提供参考栅格（{reference}）或参考矢量（{vector}），不能同时提供。</translation>
    </message>
    <message>
      <source>A reference vector is compared with one prediction raster, not the folder {prediction}.</source>
      <translation>参考矢量只能与单个预测栅格比较，不能与文件夹 {prediction} 比较。</translation>
    </message>
    <message>
      <source>Map class {value} covers {pixels} pixels but no reference sample falls on it: its area is not estimated and the other estimates are biased.</source>
      <translation>地图类别 {value} 覆盖 {pixels} 个像素，但没有参考样本落在其中：不估计其面积，其他估计值也会有偏差。</translation>
    </message>
    <message>
      <source>Cannot read the {role} folder {folder}: {error}.</source>
      <translation>无法读取 {role} 文件夹 {folder}：{error}。</translation>
    </message>
    <message>
      <source>The {role} folder {folder} holds no rasters ({extensions}).</source>
      <translation>{role} 文件夹 {folder} 中没有栅格（{extensions}）。</translation>
    </message>
    <message>
      <source>Give two rasters or two folders: {prediction} is a folder, {reference} is a file.</source>
      <translation>请提供两个栅格或两个文件夹：{prediction} 是文件夹，而 {reference} 是文件。</translation>
    </message>
    <message>
      <source>Give two rasters or two folders: {prediction} is a file, {reference} is a folder.</source>
      <translation>请提供两个栅格或两个文件夹：{prediction} 是文件，而 {reference} 是文件夹。</translation>
    </message>
    <message>
      <source>No raster in the prediction folder {prediction} has the same name as one in the reference folder {reference}.</source>
      <translation>预测文件夹 {prediction} 中没有任何栅格与参考文件夹 {reference} 中的栅格同名。</translation>
    </message>
    <message>
      <source>Prediction {path} has no reference with the same name; skipped.</source>
      <translation>预测 {path} 没有同名的参考；已跳过。</translation>
    </message>
    <message>
      <source>Reference {path} has no prediction with the same name; skipped.</source>
      <translation>参考 {path} 没有同名的预测；已跳过。</translation>
    </message>
    <message>
      <source>Cannot write {path}: {error}.</source>
      <translation>无法写入 {path}：{error}。</translation>
    </message>
    <message>
      <source>Cannot read the dataset description {path}: {error}.</source>
      <translation>无法读取数据集描述 {path}：{error}。</translation>
    </message>
    <message>
      <source>{path} is not a dataset description made by Tile Dataset (format is not {format}).</source>
      <translation>{path} 不是“切片数据集”生成的数据集描述（格式不是 {format}）。</translation>
    </message>
    <message>
      <source>{path} is incomplete or invalid: its entry {key} is missing or wrong.</source>
      <translation>{path} 不完整或无效：其条目 {key} 缺失或有误。</translation>
    </message>
    <message>
      <source>{path} is version {dataset_version}; this plugin reads version {version} and older.</source>
      <translation>{path} 的版本为 {dataset_version}；本插件只能读取 {version} 及更早版本。</translation>
    </message>
    <message>
      <source>Cannot read the split file {path}: {error}.</source>
      <translation>无法读取划分文件 {path}：{error}。</translation>
    </message>
    <message>
      <source>Cannot write the dataset files in {folder}: {error}.</source>
      <translation>无法在 {folder} 中写入数据集文件：{error}。</translation>
    </message>
    <message>
      <source>The model file {path} must have the {suffix} extension.</source>
      <translation>模型文件 {path} 的扩展名必须为 {suffix}。</translation>
    </message>
    <message>
      <source>{path} is not a resume checkpoint: it has no {entry} entry (Train Model writes one beside the output model while it trains, named like {example}).</source>
      <translation>{path} 不是续训检查点：其中没有 {entry} 条目（“训练模型”在训练期间会在输出模型旁写入检查点，命名形如 {example}）。</translation>
    </message>
    <message>
      <source>The resume checkpoint {path} is corrupt: {error}.</source>
      <translation>续训检查点 {path} 已损坏：{error}。</translation>
    </message>
    <message>
      <source>No model file was given.</source>
      <translation>未指定模型文件。</translation>
    </message>
    <message>
      <source>The model file {path} does not exist.</source>
      <translation>模型文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>The model file {path} is a folder, not a Keras model file.</source>
      <translation>模型文件 {path} 是一个文件夹，而不是 Keras 模型文件。</translation>
    </message>
    <message>
      <source>{path} is not a Keras model file (.keras archive).</source>
      <translation>{path} 不是 Keras 模型文件（.keras 压缩包）。</translation>
    </message>
    <message>
      <source>{path} is not a Keras model file: {error}.</source>
      <translation>{path} 不是 Keras 模型文件：{error}。</translation>
    </message>
    <message>
      <source>{path} is not a Keras model file: the archive has no {keras_config_entry}.</source>
      <translation>{path} 不是 Keras 模型文件：压缩包中没有 {keras_config_entry}。</translation>
    </message>
    <message>
      <source>The {entry} entry of the model file {path} unpacks to {size} bytes, more than the {limit} bytes allowed: the file was not written by Train Model.</source>
      <translation>模型文件 {path} 中的 {entry} 条目解压后为 {size} 字节，超过允许的 {limit} 字节：该文件不是由“训练模型”写出的。</translation>
    </message>
    <message>
      <source>The {entry} entry of the model file {path} is corrupt: {error}.</source>
      <translation>模型文件 {path} 中的 {entry} 条目已损坏：{error}。</translation>
    </message>
    <message>
      <source>{path} is a Keras model, but not one made by Train Model: no {metadata_entry} metadata.</source>
      <translation>{path} 是 Keras 模型，但不是由“训练模型”生成的：没有 {metadata_entry} 元数据。</translation>
    </message>
    <message>
      <source>The {metadata_entry} metadata of {path} is not {format} metadata.</source>
      <translation>{path} 的 {metadata_entry} 元数据不是 {format} 元数据。</translation>
    </message>
    <message>
      <source>The {metadata_entry} metadata of {path} has an invalid version {version}.</source>
      <translation>{path} 的 {metadata_entry} 元数据版本 {version} 无效。</translation>
    </message>
    <message>
      <source>The model file {path} was written by a newer plugin (metadata version {version}); update the plugin.</source>
      <translation>模型文件 {path} 由更新版本的插件写入（元数据版本 {version}）；请更新插件。</translation>
    </message>
    <message>
      <source>The metadata of {path} lists no classes.</source>
      <translation>{path} 的元数据中没有列出任何类别。</translation>
    </message>
    <message>
      <source>The metadata of {path} gives the class value {value}; class values must be different whole numbers from 0 to 254 (255 marks nodata).</source>
      <translation>{path} 的元数据给出了类别值 {value}；类别值必须是 0 到 254 之间互不相同的整数（255 表示无数据）。</translation>
    </message>
    <message>
      <source>{path} is not a Keras model file: its {keras_config_entry} does not describe a model.</source>
      <translation>{path} 不是 Keras 模型文件：其 {keras_config_entry} 并未描述一个模型。</translation>
    </message>
    <message>
      <source>The model file {path} contains layers that cannot be loaded safely: {bad}. Lambda layers and custom classes other than this plugin's are refused; re-export the model without them.</source>
      <translation>模型文件 {path} 包含无法安全加载的层：{bad}。Lambda 层以及本插件之外的自定义类会被拒绝；请在不含这些层的情况下重新导出模型。</translation>
    </message>
    <message>
      <source>{path} is an ONNX file: Keras cannot load it; give the .keras model file it was exported from.</source>
      <translation>{path} 是 ONNX 文件：Keras 无法加载它；请提供导出它所用的 .keras 模型文件。</translation>
    </message>
    <message>
      <source>Keras cannot load the model file {path}: {name}: {error}</source>
      <translation>Keras 无法加载模型文件 {path}：{name}：{error}</translation>
    </message>
    <message>
      <source>The model file {path} is inconsistent: the network has {n_out} output channels but the metadata lists {n_classes} classes.</source>
      <translation>模型文件 {path} 不一致：网络有 {n_out} 个输出通道，但元数据列出了 {n_classes} 个类别。</translation>
    </message>
    <message>
      <source>A metadata property of the ONNX file {path} takes {size} bytes, more than the {limit} bytes allowed: the file was not written by Export Model.</source>
      <translation>ONNX 文件 {path} 的一个元数据属性占 {size} 字节，超过允许的 {limit} 字节：该文件不是由“导出模型”写出的。</translation>
    </message>
    <message>
      <source>{path} is not an ONNX file: {error}.</source>
      <translation>{path} 不是 ONNX 文件：{error}。</translation>
    </message>
    <message>
      <source>{path} is an ONNX model, but not one written by Export Model: no {metadata_key} metadata.</source>
      <translation>{path} 是 ONNX 模型，但不是由“导出模型”写出的：没有 {metadata_key} 元数据。</translation>
    </message>
    <message>
      <source>The {metadata_key} metadata of {path} is corrupt: {error}.</source>
      <translation>{path} 的 {metadata_key} 元数据已损坏：{error}。</translation>
    </message>
    <message>
      <source>ONNX Runtime is not installed in the engine's Python: pip install onnxruntime ({error}).</source>
      <translation>引擎的 Python 中未安装 ONNX Runtime：pip install onnxruntime（{error}）。</translation>
    </message>
    <message>
      <source>The ONNX file {path} does not exist.</source>
      <translation>ONNX 文件 {path} 不存在。</translation>
    </message>
    <message>
      <source>ONNX Runtime cannot open {path}: {error}</source>
      <translation>ONNX Runtime 无法打开 {path}：{error}</translation>
    </message>
    <message>
      <source>{path} has {n_in} inputs and {n_out} outputs; a segmentation model has one input and one output.</source>
      <translation>{path} 有 {n_in} 个输入和 {n_out} 个输出；分割模型应只有一个输入和一个输出。</translation>
    </message>
    <message>
      <source>{path} has input shape {shape}; expected a 4-d NHWC or NCHW image batch.</source>
      <translation>{path} 的输入形状为 {shape}；应为 4 维 NHWC 或 NCHW 影像批次。</translation>
    </message>
    <message>
      <source>The batch has shape {shape}; expected (n, height, width, bands).</source>
      <translation>批次的形状为 {shape}；应为 (n, height, width, bands)。</translation>
    </message>
    <message>
      <source>The batch has {got} bands; the model takes {bands}.</source>
      <translation>批次有 {got} 个波段；模型需要 {bands} 个。</translation>
    </message>
    <message>
      <source>The model takes windows of {height} x {width} pixels, not {got_h} x {got_w}.</source>
      <translation>模型接受 {height} x {width} 像素的窗口，而不是 {got_h} x {got_w}。</translation>
    </message>
    <message>
      <source>The prediction needs {missing}.</source>
      <translation>预测需要 {missing}。</translation>
    </message>
    <message>
      <source>WORKERS must be 0 (one process) or a number of worker processes, not {workers}.</source>
      <translation>WORKERS 必须为 0（单个进程）或工作进程数，而不是 {workers}。</translation>
    </message>
    <message>
      <source>A cluster run needs WORKERS of at least 1 or a Dask scheduler address.</source>
      <translation>集群运行需要 WORKERS 至少为 1，或提供 Dask 调度器地址。</translation>
    </message>
    <message>
      <source>Connecting to the Dask scheduler {address}.</source>
      <translation>正在连接 Dask 调度器 {address}。</translation>
    </message>
    <message>
      <source>Cannot reach the Dask scheduler {address}: {error}</source>
      <translation>无法连接 Dask 调度器 {address}：{error}</translation>
    </message>
    <message>
      <source>The Dask scheduler {address} has no worker.</source>
      <translation>Dask 调度器 {address} 没有工作节点。</translation>
    </message>
    <message>
      <source>The cluster has {n_workers} worker(s).</source>
      <translation>集群有 {n_workers} 个工作节点。</translation>
    </message>
    <message>
      <source>Starting {n_workers} Dask worker process(es) on this machine, {threads} thread(s) each.</source>
      <translation>正在本机上启动 {n_workers} 个 Dask 工作进程，每个进程 {threads} 个线程。</translation>
    </message>
    <message>
      <source>The Dask worker {worker} cannot read or write {path} ({reason}): the model, the scenes and the outputs' folder must be on a filesystem every worker shares, under the same path.</source>
      <translation>Dask 工作节点 {worker} 无法读写 {path}（{reason}）：模型、影像和输出文件夹必须位于所有工作节点共享的文件系统上，且路径相同。</translation>
    </message>
    <message>
      <source>OUTPUT_LABEL_NEXT is made by a single process only: set WORKERS to 0 and no Dask scheduler to write it.</source>
      <translation>OUTPUT_LABEL_NEXT 只能由单个进程生成：如需写出它，请将 WORKERS 设为 0 且不设置 Dask 调度器。</translation>
    </message>
    <message>
      <source>Per-image mode runs in a single process only: set WORKERS to 0 and no Dask scheduler, or use stride mode.</source>
      <translation>逐图像模式只能在单个进程中运行：请将 WORKERS 设为 0 且不设置 Dask 调度器，或使用步进模式。</translation>
    </message>
    <message>
      <source>A cluster run needs a north-up raster; {path} is rotated.</source>
      <translation>集群运行需要正北朝上的栅格；{path} 是旋转的。</translation>
    </message>
    <message>
      <source>{scene}: {n_blocks} block(s) of at most {block} pixels a side.</source>
      <translation>{scene}：{n_blocks} 个块，每块边长最多 {block} 像素。</translation>
    </message>
    <message>
      <source>{scene} failed: {error}</source>
      <translation>{scene} 失败：{error}</translation>
    </message>
    <message>
      <source>{scene}: block {block} of {n_blocks} failed.</source>
      <translation>{scene}：第 {block} 块（共 {n_blocks} 块）失败。</translation>
    </message>
    <message>
      <source>Deepness reads only {types} rasters, and this model was trained on {data_type} pixels.</source>
      <translation>Deepness 只能读取 {types} 栅格，而此模型是在 {data_type} 像素上训练的。</translation>
    </message>
    <message>
      <source>The model's metadata gives mean/std for {n_mean}/{n_std} bands but {bands} bands: Deepness could not normalise the pixels as the model expects.</source>
      <translation>模型元数据给出了 {n_mean}/{n_std} 个波段的均值/标准差，但数据有 {bands} 个波段：Deepness 无法按模型的预期对像素进行归一化。</translation>
    </message>
    <message>
      <source>Deepness feeds tiles of one fixed size, and the model's tile size {tile_size} is not a valid input size (a multiple of {divisor}).</source>
      <translation>Deepness 输入固定大小的切片，而模型的切片大小 {tile_size} 不是有效的输入大小（应为 {divisor} 的倍数）。</translation>
    </message>
    <message>
      <source>The metadata of {path} gives no band count.</source>
      <translation>{path} 的元数据没有给出波段数。</translation>
    </message>
    <message>
      <source>The ONNX file {path} must have the {suffix} extension.</source>
      <translation>ONNX 文件 {path} 的扩展名必须为 {suffix}。</translation>
    </message>
    <message>
      <source>ONNX opset {opset} is not supported here; use 13 to 18.</source>
      <translation>此处不支持 ONNX opset {opset}；请使用 13 到 18。</translation>
    </message>
    <message>
      <source>The model file {path} has {n_in} inputs and {n_out} outputs; only one of each can be exported.</source>
      <translation>模型文件 {path} 有 {n_in} 个输入和 {n_out} 个输出；只能导出各有一个输入和输出的模型。</translation>
    </message>
    <message>
      <source>Converting {model} to ONNX (opset {opset}, {layout} input {shape}).</source>
      <translation>正在将 {model} 转换为 ONNX（opset {opset}，{layout} 输入 {shape}）。</translation>
    </message>
    <message>
      <source>Wrote {output}: NCHW input of {tile_size} x {tile_size} pixels, ready for Deepness.</source>
      <translation>已写入 {output}：NCHW 输入，{tile_size} x {tile_size} 像素，适用于 Deepness。</translation>
    </message>
    <message>
      <source>Wrote {output}: plain ONNX, NHWC input of any size.</source>
      <translation>已写入 {output}：普通 ONNX，任意尺寸的 NHWC 输入。</translation>
    </message>
    <message>
      <source>The model cannot be exported for Deepness (see above); writing a plain ONNX file instead: NHWC input of any size, pixels normalised by the caller.</source>
      <translation>无法为 Deepness 导出此模型（见上文）；改为写入普通 ONNX 文件：任意尺寸的 NHWC 输入，像素由调用方归一化。</translation>
    </message>
    <message>
      <source>The ground resolution of the training scenes is unknown: set RESOLUTION (cm/px) so that Deepness resamples the map as in training.</source>
      <translation>训练影像的地面分辨率未知：请设置 RESOLUTION（cm/px），使 Deepness 按训练时的分辨率对地图进行重采样。</translation>
    </message>
    <message>
      <source>Deepness does not know the nodata value {nodata}; this plugin's Predict Raster leaves such pixels unclassified.</source>
      <translation>Deepness 不知道 nodata 值 {nodata}；本插件的“预测栅格”会将此类像素保留为未分类。</translation>
    </message>
    <message>
      <source>The ONNX file does not reproduce the Keras model: probabilities differ by up to {difference:.2e} (more than {tolerance:.0e}).</source>
      <translation>ONNX 文件未能复现 Keras 模型：概率最多相差 {difference:.2e}（超过 {tolerance:.0e}）。</translation>
    </message>
    <message>
      <source>GDAL could not read {input}: {gdal_error}.</source>
      <translation>GDAL 无法读取 {input}：{gdal_error}。</translation>
    </message>
    <message>
      <source>Per-image mode: {width} x {height} pixels resampled to {tile} x {tile}.</source>
      <translation>整图模式：{width} x {height} 像素重采样为 {tile} x {tile}。</translation>
    </message>
    <message>
      <source>MIN_AREA must not be negative ({min_area}).</source>
      <translation>MIN_AREA 不能为负数（{min_area}）。</translation>
    </message>
    <message>
      <source>LABEL_NEXT_COUNT must be at least 1, not {count}.</source>
      <translation>LABEL_NEXT_COUNT 必须至少为 1，而不是 {count}。</translation>
    </message>
    <message>
      <source>The class, probability, confidence, entropy and vector outputs must be different files.</source>
      <translation>类别、概率、置信度、熵和矢量输出必须是不同的文件。</translation>
    </message>
    <message>
      <source>An output would overwrite the input {input}.</source>
      <translation>某个输出将覆盖输入 {input}。</translation>
    </message>
    <message>
      <source>BANDS {bad} do not exist in {input}, which has {count} band(s).</source>
      <translation>BANDS 中的波段 {bad} 在 {input} 中不存在，该栅格有 {count} 个波段。</translation>
    </message>
    <message>
      <source>BANDS lists {n_bands} band(s) but the model {model} takes {n_model}.</source>
      <translation>BANDS 列出了 {n_bands} 个波段，但模型 {model} 需要 {n_model} 个。</translation>
    </message>
    <message>
      <source>The raster {input} has {count} band(s) but the model {model} takes {n_model} (trained on {band_names}); choose the {n_model} band(s) to use with BANDS.</source>
      <translation>栅格 {input} 有 {count} 个波段，但模型 {model} 需要 {n_model} 个（训练时使用 {band_names}）；请用 BANDS 选择要使用的 {n_model} 个波段。</translation>
    </message>
    <message>
      <source>The raster {input} has {count} band(s) but the model {model} takes {n_model}; choose the {n_model} band(s) to use with BANDS.</source>
      <translation>栅格 {input} 有 {count} 个波段，但模型 {model} 需要 {n_model} 个；请用 BANDS 选择要使用的 {n_model} 个波段。</translation>
    </message>
    <message>
      <source>OGR cannot open the mask {mask} as a vector layer.</source>
      <translation>OGR 无法将掩膜 {mask} 作为矢量图层打开。</translation>
    </message>
    <message>
      <source>The mask {path} has no layer {name}.</source>
      <translation>掩膜 {path} 中没有图层 {name}。</translation>
    </message>
    <message>
      <source>The filter {subset} of the mask {mask} is invalid: {gdal_error}.</source>
      <translation>掩膜 {mask} 的过滤条件 {subset} 无效：{gdal_error}。</translation>
    </message>
    <message>
      <source>Cannot rasterize the mask {mask_path}: {gdal_error}.</source>
      <translation>无法栅格化掩膜 {mask_path}：{gdal_error}。</translation>
    </message>
    <message>
      <source>The model file {model} has normalisation statistics for {size} band(s), not {n}.</source>
      <translation>模型文件 {model} 的归一化统计量对应 {size} 个波段，而不是 {n} 个。</translation>
    </message>
    <message>
      <source>Loading ONNX Runtime and the model {model}.</source>
      <translation>正在加载 ONNX Runtime 和模型 {model}。</translation>
    </message>
    <message>
      <source>Loading Keras and the model {model}.</source>
      <translation>正在加载 Keras 和模型 {model}。</translation>
    </message>
    <message>
      <source>ONNX Runtime and the model loaded in {seconds:.1f} s; it runs on {provider} (session providers: {providers}).</source>
      <translation>ONNX Runtime 和模型已加载，耗时 {seconds:.1f} 秒；在 {provider} 上运行（会话执行提供程序：{providers}）。</translation>
    </message>
    <message>
      <source>Keras and the model loaded in {seconds:.1f} s.</source>
      <translation>Keras 和模型已加载，耗时 {seconds:.1f} 秒。</translation>
    </message>
    <message>
      <source>Batch lowered from {planned} to {batch} for the {free_mb} MiB of free memory; the output is the same.</source>
      <translation>因可用内存仅 {free_mb} MiB，批大小由 {planned} 降为 {batch}；输出不变。</translation>
    </message>
    <message>
      <source>Predicted {width} x {height} pixels in {n_windows} window(s) ({empty} empty and {outside} outside the extent skipped), {seconds:.1f} s.</source>
      <translation>已预测 {width} x {height} 像素，共 {n_windows} 个窗口（跳过 {empty} 个空窗口和 {outside} 个范围外窗口），耗时 {seconds:.1f} 秒。</translation>
    </message>
    <message>
      <source>Unknown prediction backend {backend}.</source>
      <translation>未知的预测后端 {backend}。</translation>
    </message>
    <message>
      <source>TensorFlow cannot run the ONNX file {model}: set BACKEND to auto or onnxruntime, or give the .keras model file.</source>
      <translation>TensorFlow 无法运行 ONNX 文件 {model}：请将 BACKEND 设为 auto 或 onnxruntime，或提供 .keras 模型文件。</translation>
    </message>
    <message>
      <source>Using the ONNX copy of {model} converted before: {path}.</source>
      <translation>使用之前转换的 {model} 的 ONNX 副本：{path}。</translation>
    </message>
    <message>
      <source>Converting {model} to ONNX once; the copy is kept in {folder}.</source>
      <translation>正在将 {model} 转换为 ONNX（仅一次）；副本保存在 {folder}。</translation>
    </message>
    <message>
      <source>The model {model} takes {n_model} band(s), not {bands}.</source>
      <translation>模型 {model} 需要 {n_model} 个波段，而不是 {bands} 个。</translation>
    </message>
    <message>
      <source>Out of memory: batch size halved to {batch}.</source>
      <translation>内存不足：批大小减半为 {batch}。</translation>
    </message>
    <message>
      <source>Predict Scenes needs scenes, a model and an output folder.</source>
      <translation>“预测多幅影像”需要影像、模型和输出文件夹。</translation>
    </message>
    <message>
      <source>Predicting {n_scenes} scene(s) into {folder}.</source>
      <translation>正在预测 {n_scenes} 幅影像，输出到 {folder}。</translation>
    </message>
    <message>
      <source>Loading the model {model}.</source>
      <translation>正在加载模型 {model}。</translation>
    </message>
    <message>
      <source>{n_done} of {n_scenes} scene(s) predicted in {seconds:.1f} s; {n_failed} failed.</source>
      <translation>{n_scenes} 幅影像中已预测 {n_done} 幅，耗时 {seconds:.1f} 秒；{n_failed} 幅失败。</translation>
    </message>
    <message>
      <source>No scene could be predicted; {scene}: {error}</source>
      <translation>没有任何影像预测成功；{scene}：{error}</translation>
    </message>
    <message>
      <source>First batch (with tracing) {t_first:.2f} s; the other {rest} window(s) {end:.2f} s ({rate:.2f} Mpixel/s of windows).</source>
      <translation>首个批次（含图追踪）{t_first:.2f} 秒；其余 {rest} 个窗口 {end:.2f} 秒（窗口处理速度 {rate:.2f} 百万像素/秒）。</translation>
    </message>
    <message>
      <source>Plan: {mode} mode, {n_windows} window(s) of {win_w} x {win_h} pixels (window {window} {window_how}, network input {input_w} x {input_h}), overlap {overlap} ({overlap_how}), batch {batch} ({batch_how}), test-time augmentation {tta} ({transforms} pass(es)), {skipped} window(s) outside the extent skipped; memory estimate {memory_mb} MiB of a {budget_mb} MiB budget.</source>
      <translation>计划：{mode} 模式，{n_windows} 个 {win_w} x {win_h} 像素的窗口（窗口 {window} {window_how}，网络输入 {input_w} x {input_h}），重叠 {overlap}（{overlap_how}），批大小 {batch}（{batch_how}），测试时增强 {tta}（{transforms} 次推理），跳过范围外的 {skipped} 个窗口；内存估计 {memory_mb} MiB，预算 {budget_mb} MiB。</translation>
    </message>
    <message>
      <source>The scene is predicted in {n_strips} vertical strips so that memory stays the same however wide it is; {extra} window(s) on strip edges are predicted twice.</source>
      <translation>场景分为 {n_strips} 个竖条进行预测，无论场景多宽内存占用都保持不变；条带边缘的 {extra} 个窗口会预测两次。</translation>
    </message>
    <message>
      <source>MEMORY_BUDGET must be 0 (the default, {default} MiB) or at least {minimum} MiB, not {value}.</source>
      <translation>MEMORY_BUDGET 必须为 0（默认值，{default} MiB）或至少 {minimum} MiB，而不是 {value}。</translation>
    </message>
    <message>
      <source>{name} must be a whole number, not {value}.</source>
      <translation>{name} 必须是整数，而不是 {value}。</translation>
    </message>
    <message>
      <source>The plan needs about {memory_mb} MiB, more than the memory budget of {budget_mb} MiB: lower TILE_SIZE (window {window} pixels) or BATCH_SIZE (batch {batch}), or raise MEMORY_BUDGET.</source>
      <translation>该计划约需 {memory_mb} MiB，超过 {budget_mb} MiB 的内存预算：请减小 TILE_SIZE（窗口 {window} 像素）或 BATCH_SIZE（批大小 {batch}），或提高 MEMORY_BUDGET。</translation>
    </message>
    <message>
      <source>TILE_SIZE must be 0 (auto) or {divisor}..{max_tile} pixels (the network needs multiples of {divisor}), not {tile_size}.</source>
      <translation>TILE_SIZE 必须为 0（自动）或 {divisor}..{max_tile} 像素（网络需要 {divisor} 的倍数），而不是 {tile_size}。</translation>
    </message>
    <message>
      <source>BATCH_SIZE must be 0 (auto) or positive, not {batch_size}.</source>
      <translation>BATCH_SIZE 必须为 0（自动）或正数，而不是 {batch_size}。</translation>
    </message>
    <message>
      <source>OVERLAP must be 0 (auto) or positive, not {overlap}.</source>
      <translation>OVERLAP 必须为 0（自动）或正数，而不是 {overlap}。</translation>
    </message>
    <message>
      <source>The model takes windows of {fixed} x {fixed} pixels only (an ONNX file with a fixed tile size); set TILE_SIZE to 0 (auto) or {fixed}, not {tile_size}.</source>
      <translation>该模型只接受 {fixed} x {fixed} 像素的窗口（切片大小固定的 ONNX 文件）；请将 TILE_SIZE 设为 0（自动）或 {fixed}，而不是 {tile_size}。</translation>
    </message>
    <message>
      <source>The scene ({width} x {height} pixels) is too large for per-image mode (at most {per_image_limit} pixels a side); use stride mode.</source>
      <translation>影像（{width} x {height} 像素）对整图模式来说过大（每边最多 {per_image_limit} 像素）；请使用步长模式。</translation>
    </message>
    <message>
      <source>OVERLAP must be 0 (auto) or 1..{max_overlap} pixels for a {tile}-pixel window, not {overlap}.</source>
      <translation>对于 {tile} 像素的窗口，OVERLAP 必须为 0（自动）或 1..{max_overlap} 像素，而不是 {overlap}。</translation>
    </message>
    <message>
      <source>Unknown backend {backend}; choose one of {choices}.</source>
      <translation>未知的后端 {backend}；请从以下选项中选择：{choices}。</translation>
    </message>
    <message>
      <source>Unknown ONNX Runtime package {package}; choose one of {choices}.</source>
      <translation>未知的 ONNX Runtime 软件包 {package}；请从以下选项中选择：{choices}。</translation>
    </message>
    <message>
      <source>Cannot read the requirements file {path}: {error}</source>
      <translation>无法读取依赖文件 {path}：{error}</translation>
    </message>
    <message>
      <source>Creating the virtual environment {folder} from {python}...</source>
      <translation>正在用 {python} 创建虚拟环境 {folder}……</translation>
    </message>
    <message>
      <source>{python} cannot make a virtual environment: its venv module or ensurepip is missing. On Debian and Ubuntu install it with `apt install python3-venv` (as root, or with sudo), then run Set up the engine again.
{output}</source>
      <translation>{python} 无法创建虚拟环境：缺少其 venv 模块或 ensurepip。在 Debian 和 Ubuntu 上请用 `apt install python3-venv` 安装（以 root 身份或使用 sudo），然后再次运行“配置引擎”。
{output}</translation>
    </message>
    <message>
      <source>Making the virtual environment {folder} with {python} failed (exit code {code}):
{output}</source>
      <translation>用 {python} 创建虚拟环境 {folder} 失败（退出码 {code}）：
{output}</translation>
    </message>
    <message>
      <source>Installing the engine's packages: {command}</source>
      <translation>正在安装引擎的软件包：{command}</translation>
    </message>
    <message>
      <source>pip: {line}</source>
      <translation>pip：{line}</translation>
    </message>
    <message>
      <source>pip could not install the engine's packages into {python} (exit code {code}):
{output}</source>
      <translation>pip 无法将引擎的软件包安装到 {python}（退出码 {code}）：
{output}</translation>
    </message>
    <message>
      <source>An NVIDIA GPU driver was found: installing {package} (TensorFlow with its CUDA libraries, a download of several GB) instead of the CPU-only package.</source>
      <translation>检测到 NVIDIA GPU 驱动：将安装 {package}（带 CUDA 库的 TensorFlow，需下载数 GB），而不是仅支持 CPU 的软件包。</translation>
    </message>
    <message>
      <source>Windows: installing {package}. TensorFlow after 2.10 has no native GPU support on Windows; to train on an NVIDIA GPU, run the engine in WSL2.</source>
      <translation>Windows：正在安装 {package}。2.10 之后的 TensorFlow 在 Windows 上没有原生 GPU 支持；如需在 NVIDIA GPU 上训练，请在 WSL2 中运行引擎。</translation>
    </message>
    <message>
      <source>macOS: installing {package}. On Apple silicon TensorFlow can use the GPU through Metal with the optional package tensorflow-metal.</source>
      <translation>macOS：正在安装 {package}。在 Apple 芯片上，TensorFlow 可借助可选软件包 tensorflow-metal 通过 Metal 使用 GPU。</translation>
    </message>
    <message>
      <source>Installing {package} beside {backend}: Train Model and Predict Raster run on {backend} (Engine backend auto); TensorFlow converts models for Export Model, on the CPU.</source>
      <translation>在 {backend} 旁安装 {package}：“训练模型”和“预测栅格”在 {backend} 上运行（引擎后端 auto）；TensorFlow 在 CPU 上为“导出模型”转换模型。</translation>
    </message>
    <message>
      <source>No NVIDIA GPU driver found (nvidia-smi, /proc/driver/nvidia): installing {package}, TensorFlow for the CPU.</source>
      <translation>未找到 NVIDIA GPU 驱动（nvidia-smi、/proc/driver/nvidia）：正在安装 {package}，即 CPU 版 TensorFlow。</translation>
    </message>
    <message>
      <source>Windows with an NVIDIA GPU driver: installing {package}, PyTorch's CUDA build, from {index_url} (PyPI has only CPU builds of PyTorch for Windows; the PyTorch wheel index parameter changes it). Train Model and Predict Raster run on it, on the GPU (Engine backend auto means torch in this environment).</source>
      <translation>装有 NVIDIA GPU 驱动的 Windows：从 {index_url} 安装 {package}，即 PyTorch 的 CUDA 版本（PyPI 上只有 Windows 的 PyTorch CPU 版本；“PyTorch wheel 索引”参数可更改）。“训练模型”和“预测栅格”在其上运行，使用 GPU（在此环境中引擎后端 auto 即 torch）。</translation>
    </message>
    <message>
      <source>macOS: installing {package}, PyTorch with the Apple GPU (MPS). Train Model and Predict Raster run on it (Engine backend auto means torch in this environment).</source>
      <translation>macOS：安装 {package}，即支持 Apple GPU（MPS）的 PyTorch。“训练模型”和“预测栅格”在其上运行（在此环境中引擎后端 auto 即 torch）。</translation>
    </message>
    <message>
      <source>An NVIDIA GPU driver was found: Train Model and Predict Raster run on TensorFlow with CUDA, so no other backend is installed (Backend torch or jax adds one).</source>
      <translation>检测到 NVIDIA GPU 驱动：“训练模型”和“预测栅格”在带 CUDA 的 TensorFlow 上运行，因此不安装其他后端（后端选 torch 或 jax 可另行添加）。</translation>
    </message>
    <message>
      <source>No GPU found: TensorFlow for the CPU runs everything; no other backend is installed (Backend torch or jax adds one).</source>
      <translation>未找到 GPU：全部由 CPU 版 TensorFlow 运行；不安装其他后端（后端选 torch 或 jax 可另行添加）。</translation>
    </message>
    <message>
      <source>Backend tensorflow chosen: no other backend is installed.</source>
      <translation>已选择后端 tensorflow：不安装其他后端。</translation>
    </message>
    <message>
      <source>Backend {backend} chosen: installing {package} from {index_url}. Train Model and Predict Raster run on it (Engine backend auto means {backend} in this environment).</source>
      <translation>已选择后端 {backend}：从 {index_url} 安装 {package}。“训练模型”和“预测栅格”在其上运行（在此环境中引擎后端 auto 即 {backend}）。</translation>
    </message>
    <message>
      <source>Windows: installing {package}, ONNX Runtime on any DirectX 12 GPU (NVIDIA, AMD or Intel) with only the display driver; onnxruntime-gpu would need CUDA and cuDNN installed system-wide. Predict Raster uses it when its Backend is ONNX Runtime (a .keras model is converted once).</source>
      <translation>Windows：正在安装 {package}，即只需显卡驱动即可在任何 DirectX 12 GPU（NVIDIA、AMD 或 Intel）上运行的 ONNX Runtime；onnxruntime-gpu 则需要在系统范围内安装 CUDA 和 cuDNN。当“预测栅格”的后端为 ONNX Runtime 时会使用它（.keras 模型会转换一次）。</translation>
    </message>
    <message>
      <source>An NVIDIA GPU driver was found: installing {package}, ONNX Runtime with its CUDA provider, for Predict Raster when its Backend is ONNX Runtime.</source>
      <translation>检测到 NVIDIA GPU 驱动：正在安装 {package}，即带 CUDA 执行提供程序的 ONNX Runtime，供后端为 ONNX Runtime 时的“预测栅格”使用。</translation>
    </message>
    <message>
      <source>macOS: installing {package}; its CoreML provider runs on the Apple GPU and Neural Engine.</source>
      <translation>macOS：正在安装 {package}；其 CoreML 执行提供程序可在 Apple GPU 和神经网络引擎上运行。</translation>
    </message>
    <message>
      <source>Installing {package}, ONNX Runtime for the CPU.</source>
      <translation>正在安装 {package}，即 CPU 版 ONNX Runtime。</translation>
    </message>
    <message>
      <source>Installing {package}, the ONNX Runtime package chosen.</source>
      <translation>正在安装所选的 ONNX Runtime 软件包 {package}。</translation>
    </message>
    <message>
      <source>The wheels folder {path} does not exist.</source>
      <translation>Wheel 文件夹 {path} 不存在。</translation>
    </message>
    <message>
      <source>{folder} is neither a virtual environment nor an empty folder: choose another folder.</source>
      <translation>{folder} 既不是虚拟环境也不是空文件夹：请选择其他文件夹。</translation>
    </message>
    <message>
      <source>Cannot find the Python interpreter that QGIS runs (looked beside {prefix}): make the environment by hand, see the README.</source>
      <translation>找不到 QGIS 所运行的 Python 解释器（已在 {prefix} 旁查找）：请手动创建环境，参见 README。</translation>
    </message>
    <message>
      <source>Repairing the existing environment {folder}.</source>
      <translation>正在修复已有环境 {folder}。</translation>
    </message>
    <message>
      <source>Checking the engine in {python}...</source>
      <translation>正在 {python} 中检查引擎……</translation>
    </message>
    <message>
      <source>The environment takes {size_mb} MiB on disk ({folder}).</source>
      <translation>该环境占用 {size_mb} MiB 磁盘空间（{folder}）。</translation>
    </message>
    <message>
      <source>Importing {module} failed: {error}</source>
      <translation>导入 {module} 失败：{error}</translation>
    </message>
    <message>
      <source>NumPy {version} is installed; GDAL's Python bindings here are built for NumPy 1.x: install numpy&lt;2.</source>
      <translation>已安装 NumPy {version}；此处 GDAL 的 Python 绑定是针对 NumPy 1.x 构建的：请安装 numpy&lt;2。</translation>
    </message>
    <message>
      <source>Keras {version} is installed; the engine needs Keras 3.</source>
      <translation>已安装 Keras {version}；引擎需要 Keras 3。</translation>
    </message>
    <message>
      <source>The job's temporary folder {path} does not exist.</source>
      <translation>任务的临时文件夹 {path} 不存在。</translation>
    </message>
    <message>
      <source>The engine could not import {module}: install TensorFlow into the Python the plugin uses ({python}). {error}</source>
      <translation>引擎无法导入 {module}：请将 TensorFlow 安装到插件所用的 Python 中（{python}）。{error}</translation>
    </message>
    <message>
      <source>Unknown task {task}; expected one of {tasks}.</source>
      <translation>未知任务 {task}；应为以下之一：{tasks}。</translation>
    </message>
    <message>
      <source>Cannot read the job file {path}: {error}</source>
      <translation>无法读取任务文件 {path}：{error}</translation>
    </message>
    <message>
      <source>Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss {val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, learning rate {lr:.3g}; no gain for {wait} epochs: stopping early.</source>
      <translation>第 {epoch}/{epochs} 轮：损失 {loss:.4f}，mIoU {miou:.4f}，验证损失 {val_loss:.4f}，验证 mIoU {val_miou:.4f}，验证精度 {val_accuracy:.4f}，学习率 {lr:.3g}；已连续 {wait} 轮没有提升：提前停止。</translation>
    </message>
    <message>
      <source>Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss {val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, learning rate {lr:.3g} (best so far)</source>
      <translation>第 {epoch}/{epochs} 轮：损失 {loss:.4f}，mIoU {miou:.4f}，验证损失 {val_loss:.4f}，验证 mIoU {val_miou:.4f}，验证精度 {val_accuracy:.4f}，学习率 {lr:.3g}（目前最佳）</translation>
    </message>
    <message>
      <source>Epoch {epoch}/{epochs}: loss {loss:.4f}, mIoU {miou:.4f}, val loss {val_loss:.4f}, val mIoU {val_miou:.4f}, val accuracy {val_accuracy:.4f}, learning rate {lr:.3g}</source>
      <translation>第 {epoch}/{epochs} 轮：损失 {loss:.4f}，mIoU {miou:.4f}，验证损失 {val_loss:.4f}，验证 mIoU {val_miou:.4f}，验证精度 {val_accuracy:.4f}，学习率 {lr:.3g}</translation>
    </message>
    <message>
      <source>{asked} needs TensorFlow's tf.distribute; the engine backend is {backend}, which trains on one device. Set STRATEGY to auto, or Engine backend to tensorflow.</source>
      <translation>{asked} 需要 TensorFlow 的 tf.distribute；当前引擎后端为 {backend}，它只在一个设备上训练。请将 STRATEGY 设为 auto，或将引擎后端设为 tensorflow。</translation>
    </message>
    <message>
      <source>Reading {n_train} training and {n_val} validation chips ({tile_size} x {tile_size}, {bands} bands, {n_classes} classes) from {folder}.</source>
      <translation>正在从 {folder} 读取 {n_train} 个训练切片和 {n_val} 个验证切片（{tile_size} x {tile_size}，{bands} 个波段，{n_classes} 个类别）。</translation>
    </message>
    <message>
      <source>The dataset has no validation chips (val.txt is empty): validating on the training chips.</source>
      <translation>数据集没有验证切片（val.txt 为空）：将使用训练切片进行验证。</translation>
    </message>
    <message>
      <source>Fine-tuning {model} + {encoder} from {init_model}.</source>
      <translation>正在从 {init_model} 微调 {model} + {encoder}。</translation>
    </message>
    <message>
      <source>Starting the {encoder} encoder from its ImageNet weights (Keras Applications).</source>
      <translation>正在以 ImageNet 权重（Keras Applications）初始化 {encoder} 编码器。</translation>
    </message>
    <message>
      <source>FREEZE_ENCODER_EPOCHS needs a network with an encoder; {name} has none.</source>
      <translation>FREEZE_ENCODER_EPOCHS 需要带编码器的网络；{name} 没有编码器。</translation>
    </message>
    <message>
      <source>{name}: {parameters:,} parameters; {epochs} epochs of {steps} steps, batch {batch_size}, {replicas} replica(s), mixed precision. Preparing the training step (the first step takes longest).</source>
      <translation>{name}：{parameters:,} 个参数；{epochs} 轮，每轮 {steps} 步，批大小 {batch_size}，{replicas} 个副本，混合精度。正在准备训练步骤（第一步耗时最长）。</translation>
    </message>
    <message>
      <source>{name}: {parameters:,} parameters; {epochs} epochs of {steps} steps, batch {batch_size}, {replicas} replica(s). Preparing the training step (the first step takes longest).</source>
      <translation>{name}：{parameters:,} 个参数；{epochs} 轮，每轮 {steps} 步，批大小 {batch_size}，{replicas} 个副本。正在准备训练步骤（第一步耗时最长）。</translation>
    </message>
    <message>
      <source>Epochs {first} to {last}: training the decoder, the encoder frozen.</source>
      <translation>第 {first} 至 {last} 轮：训练解码器，编码器冻结。</translation>
    </message>
    <message>
      <source>Epochs {first} to {last}: training the whole network.</source>
      <translation>第 {first} 至 {last} 轮：训练整个网络。</translation>
    </message>
    <message>
      <source>The resume checkpoint {checkpoint} holds the state of another optimizer ({saved} variables, this run's has {current}).</source>
      <translation>续训检查点 {checkpoint} 保存的是另一个优化器的状态（{saved} 个变量，本次运行的优化器有 {current} 个）。</translation>
    </message>
    <message>
      <source>{error}</source>
      <translation>{error}</translation>
    </message>
    <message>
      <source>Saving the best network (epoch {best_epoch}, val mIoU {best_miou:.4f}) to {output_model}.</source>
      <translation>正在将最佳网络（第 {best_epoch} 轮，验证 mIoU {best_miou:.4f}）保存到 {output_model}。</translation>
    </message>
    <message>
      <source>Saving the last epoch's network (epoch {best_epoch}, val mIoU {best_miou:.4f}) to {output_model}.</source>
      <translation>正在将最后一轮的网络（第 {best_epoch} 轮，验证 mIoU {best_miou:.4f}）保存到 {output_model}。</translation>
    </message>
    <message>
      <source>Binary cross-entropy needs exactly 2 classes; the dataset has {n_classes}. Choose categorical cross-entropy instead.</source>
      <translation>二元交叉熵需要恰好 2 个类别；该数据集有 {n_classes} 个。请改用分类交叉熵。</translation>
    </message>
    <message>
      <source>Unknown loss {name}; valid losses: {losses}.</source>
      <translation>未知的损失函数 {name}；有效的损失函数：{losses}。</translation>
    </message>
    <message>
      <source>The minimum learning rate ({min_lr}) is larger than the learning rate ({base}).</source>
      <translation>最小学习率（{min_lr}）大于学习率（{base}）。</translation>
    </message>
    <message>
      <source>Unknown learning-rate mode {mode}; valid modes: {lr_modes}.</source>
      <translation>未知的学习率模式 {mode}；有效模式：{lr_modes}。</translation>
    </message>
    <message>
      <source>The training parameter {parameter} is required.</source>
      <translation>必须提供训练参数 {parameter}。</translation>
    </message>
    <message>
      <source>OUTPUT_MODEL {output_model} must end in {suffix}.</source>
      <translation>OUTPUT_MODEL {output_model} 必须以 {suffix} 结尾。</translation>
    </message>
    <message>
      <source>{parameter} must be at least {low}; got {value}.</source>
      <translation>{parameter} 必须至少为 {low}；当前为 {value}。</translation>
    </message>
    <message>
      <source>WIDTH must be positive (or 0, the network's default); got {width}.</source>
      <translation>WIDTH 必须为正数（或 0，即网络的默认值）；当前为 {width}。</translation>
    </message>
    <message>
      <source>{parameter} must be positive; got {value}.</source>
      <translation>{parameter} 必须为正数；当前为 {value}。</translation>
    </message>
    <message>
      <source>MIN_LR must not be negative; got {min_lr}.</source>
      <translation>MIN_LR 不能为负数；当前为 {min_lr}。</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} does not exist.</source>
      <translation>INIT_MODEL {init_model} 不存在。</translation>
    </message>
    <message>
      <source>ENCODER_WEIGHTS {encoder_weights} starts a new network; with INIT_MODEL {init_model} the weights come from that model: set ENCODER_WEIGHTS to none.</source>
      <translation>ENCODER_WEIGHTS {encoder_weights} 用于新建网络；使用 INIT_MODEL {init_model} 时，权重来自该模型：请将 ENCODER_WEIGHTS 设为 none。</translation>
    </message>
    <message>
      <source>ENCODER_WEIGHTS file needs ENCODER_WEIGHTS_FILE, an existing .weights.h5 or .keras file; got {encoder_weights_file}.</source>
      <translation>ENCODER_WEIGHTS file 需要 ENCODER_WEIGHTS_FILE 为已存在的 .weights.h5 或 .keras 文件；当前为 {encoder_weights_file}。</translation>
    </message>
    <message>
      <source>ENCODER_WEIGHTS imagenet needs WIDTH 1 (the published network's width); got {width}.</source>
      <translation>ENCODER_WEIGHTS imagenet 需要 WIDTH 为 1（已发布网络的宽度）；当前为 {width}。</translation>
    </message>
    <message>
      <source>ENCODER_WEIGHTS imagenet: Keras Applications publishes no ImageNet weights for ENCODER {encoder}; choose one of {imagenet_encoders}.</source>
      <translation>ENCODER_WEIGHTS imagenet：Keras Applications 没有为 ENCODER {encoder} 发布 ImageNet 权重；请从以下编码器中选择：{imagenet_encoders}。</translation>
    </message>
    <message>
      <source>INIT_MODE resume needs the resume checkpoint {checkpoint}, written beside the output model while it trains (and removed when training finishes), but it does not exist; to start again from a finished model {init_model}, use INIT_MODE fine_tune.</source>
      <translation>INIT_MODE resume 需要续训检查点 {checkpoint}（训练期间写在输出模型旁，训练结束时删除），但该文件不存在；若要从已完成的模型 {init_model} 重新开始，请使用 INIT_MODE fine_tune。</translation>
    </message>
    <message>
      <source>The dataset's tiles are {tile_size} pixels but {model} + {encoder} at output stride {output_stride} needs a multiple of {divisor}: tile again with another TILE_SIZE or pick another OUTPUT_STRIDE.</source>
      <translation>数据集的切片为 {tile_size} 像素，但 {model} + {encoder} 在输出步幅 {output_stride} 下需要 {divisor} 的倍数：请用其他 TILE_SIZE 重新切片，或选择其他 OUTPUT_STRIDE。</translation>
    </message>
    <message>
      <source>Resuming {model} + {encoder} from {checkpoint} after epoch {epochs_done} of {epochs}.</source>
      <translation>正在从 {checkpoint} 继续训练 {model} + {encoder}，从第 {epochs_done} 轮（共 {epochs} 轮）之后开始。</translation>
    </message>
    <message>
      <source>The resume checkpoint {checkpoint} has all {epochs} epochs of its run done: nothing to resume; fine-tune instead.</source>
      <translation>续训检查点 {checkpoint} 所属训练的 {epochs} 轮已全部完成：没有可继续的内容；请改用微调。</translation>
    </message>
    <message>
      <source>The dataset {folder} has {n_val} validation chips of {n_chips}: fewer than {minimum} are too few to choose the best epoch by, so the model keeps the last epoch and training does not stop early. Tile with a larger validation fraction, more scenes or a validation area.</source>
      <translation>数据集 {folder} 的 {n_chips} 个切片中有 {n_val} 个验证切片：少于 {minimum} 个不足以选出最佳轮次，因此模型保留最后一轮，训练也不会提前停止。请用更大的验证比例、更多影像或验证区域重新切片。</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} takes {model_bands} band(s) but the dataset {folder} has {dataset_bands}.</source>
      <translation>INIT_MODEL {init_model} 需要 {model_bands} 个波段，但数据集 {folder} 有 {dataset_bands} 个。</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} predicts {n_classes} classes but the dataset {folder} has {dataset_classes} ({class_values}).</source>
      <translation>INIT_MODEL {init_model} 预测 {n_classes} 个类别，但数据集 {folder} 有 {dataset_classes} 个（{class_values}）。</translation>
    </message>
    <message>
      <source>INIT_MODEL {init_model} does not fit the dataset {folder}: its classes (value: name) are {model_classes}, the dataset's are {dataset_classes}; each output channel must keep its value and name.</source>
      <translation>INIT_MODEL {init_model} 与数据集 {folder} 不匹配：其类别（值: 名称）为 {model_classes}，数据集的类别为 {dataset_classes}；每个输出通道必须保持其值和名称不变。</translation>
    </message>
    <message>
      <source>ENCODER {encoder} does not fit MODEL {model}; choose one of {compatible_encoders}.</source>
      <translation>ENCODER {encoder} 不适用于 MODEL {model}；请从以下编码器中选择：{compatible_encoders}。</translation>
    </message>
    <message>
      <source>OUTPUT_STRIDE {output_stride} is not supported by {model} + {encoder}; choose one of {strides}.</source>
      <translation>{model} + {encoder} 不支持 OUTPUT_STRIDE {output_stride}；请从以下选项中选择：{strides}。</translation>
    </message>
  </context>
</TS>
