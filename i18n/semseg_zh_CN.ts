<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>SemanticSegmentation</name>
    <message>
      <source>Train Model and Predict Raster need TensorFlow and Keras in the Python that runs the segmentation engine, {0}, and it cannot import them{1}. Install them with:
{2}
or name another Python that has them in the environment variable {3} or the QGIS setting {4} (Settings &gt; Options &gt; Advanced).</source>
      <translation>“训练模型”和“预测栅格”需要运行分割引擎的 Python（{0}）中装有 TensorFlow 和 Keras，但它无法导入它们{1}。请用以下命令安装：
{2}
或在环境变量 {3} 或 QGIS 设置 {4}（设置 &gt; 选项 &gt; 高级）中指定另一个已安装它们的 Python。</translation>
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
      <source>The engine's Python {0} has TensorFlow and Keras.</source>
      <translation>引擎的 Python {0} 已安装 TensorFlow 和 Keras。</translation>
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
      <source>The layer {0} ({1}) is not a file OGR can read: save it as a GeoPackage first.</source>
      <translation>图层 {0}（{1}）不是 OGR 可读取的文件：请先将其另存为 GeoPackage。</translation>
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
      <source>Cannot read the model {0}</source>
      <translation>无法读取模型 {0}</translation>
    </message>
    <message>
      <source>Engine: {0}</source>
      <translation>引擎：{0}</translation>
    </message>
    <message>
      <source>Cannot start the engine's Python {0}: {1}. Set the interpreter that has TensorFlow in the environment variable {2} or the QGIS setting {3}.</source>
      <translation>无法启动引擎的 Python {0}：{1}。请在环境变量 {2} 或 QGIS 设置 {3} 中指定装有 TensorFlow 的解释器。</translation>
    </message>
    <message>
      <source>Cancelled: no output was written.</source>
      <translation>已取消：未写入任何输出。</translation>
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
      <source>Semantic segmentation</source>
      <translation>语义分割</translation>
    </message>
    <message>
      <source>Color to Index</source>
      <translation>颜色转索引</translation>
    </message>
    <message>
      <source>Converts a colour-coded label image (RGB, or one band with a colour table) into a class-index raster that Tile Dataset, Train Model and Evaluate read, or an index raster back into colours.

Input raster: the colour label image (colour to index) or the class-index raster (index to colour).
Direction: colour to index, or index to colour.
Colour map: a shipped preset (PASCAL VOC, Cityscapes, ADE20K, Inria...).
Colour map file: a JSON colour map, or a colour map exported from QGIS's paletted renderer (.txt / .clr lines 'value,r,g,b,alpha,label'); when given it is used instead of the preset.
Unknown colours: fail (the error lists the colours not in the map and their pixel counts), or write them as 255, the value training and evaluation ignore.
Output: a Byte GeoTIFF with the input's georeference; the index raster carries the class colours and names (colour table and a .qml style).</source>
      <translation>将彩色编码的标签图像（RGB，或带颜色表的单波段）转换为“切片数据集”“训练模型”和“评估”可读取的类别索引栅格，或将索引栅格转换回颜色。

输入栅格：彩色标签图像（颜色转索引）或类别索引栅格（索引转颜色）。
方向：颜色转索引，或索引转颜色。
颜色映射：内置预设（PASCAL VOC、Cityscapes、ADE20K、Inria 等）。
颜色映射文件：JSON 颜色映射，或从 QGIS 调色板渲染器导出的颜色映射（.txt / .clr，每行“值,r,g,b,alpha,标签”）；给出时将替代预设。
未知颜色：失败（错误信息列出映射中没有的颜色及其像元数），或写为 255，即训练和评估忽略的值。
输出：保留输入地理参考的 Byte 型 GeoTIFF；索引栅格带有类别颜色和名称（颜色表和 .qml 样式）。</translation>
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
      <source>Colour to index</source>
      <translation>颜色转索引</translation>
    </message>
    <message>
      <source>Index to colour</source>
      <translation>索引转颜色</translation>
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
      <source>Fail</source>
      <translation>失败</translation>
    </message>
    <message>
      <source>Map to 255 (ignore)</source>
      <translation>映射为 255（忽略）</translation>
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
      <source>{0}: no preset number {1}.</source>
      <translation>{0}：没有编号为 {1} 的预设。</translation>
    </message>
    <message>
      <source>Evaluate</source>
      <translation>评估</translation>
    </message>
    <message>
      <source>Compares predicted class rasters with reference labels: confusion matrix, overall accuracy, Cohen's kappa, per-class precision, recall, F1 and IoU, mean IoU.

Prediction and Reference: two class-index rasters. The prediction is resampled (nearest) onto the reference grid; only the overlap is compared.
Prediction folder and Reference folder: instead of two rasters, two folders whose rasters are paired by file name. Give exactly one pair: two rasters or two folders.
Mode: one confusion matrix over all pixels of all pairs, or the mean of the scores of each image.
Ignore background: leave class 0 out of every figure.
Ignore value: reference pixels with this value (and nodata pixels) are not counted.
Outputs: a CSV table of per-class and summary figures, an HTML report, an optional JSON file with everything; overall accuracy, kappa and mean IoU are also outputs that a model can use.</source>
      <translation>将预测的类别栅格与参考标签进行比较：混淆矩阵、总体精度、Cohen's kappa、各类别的精确率、召回率、F1 和 IoU，以及平均 IoU。

预测与参考：两个类别索引栅格。预测结果以最近邻方式重采样到参考栅格网格上，仅比较重叠部分。
预测文件夹与参考文件夹：代替两个栅格，按文件名配对的两个文件夹中的栅格。只能给出一对：两个栅格或两个文件夹。
模式：对所有配对的全部像元计算一个混淆矩阵，或对每幅图像的得分取平均。
忽略背景：所有指标中不计类别 0。
忽略值：参考中等于该值的像元（以及无数据像元）不参与统计。
输出：各类别及汇总指标的 CSV 表、HTML 报告、包含全部内容的可选 JSON 文件；总体精度、kappa 和平均 IoU 也作为输出，可供模型使用。</translation>
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
      <source>Mode</source>
      <translation>模式</translation>
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
      <source>Predict Raster</source>
      <translation>预测栅格</translation>
    </message>
    <message>
      <source>Predicts a class map of a whole scene with a model file made by Train Model. The scene is read and written window by window, so its size is not limited by memory; overlapping windows are blended with weights that fall off towards their edges, so there are no seams.

INPUT: any raster GDAL reads (GeoTIFF, VRT, JPEG2000...). BANDS: the bands to use, in the model's order (default: the first bands). MODE: stride (windows over the scene) or per image (the whole image resized to the model input, for small photos). TILE_SIZE 0 uses the model's. OVERLAP -1 chooses it from the network. EXTENT and MASK limit the prediction. OUTPUT is a tiled, compressed GeoTIFF with overviews and the class colours and names; OUTPUT_PROBABILITY (optional) has one band per class; OUTPUT_VECTOR (optional) has a polygon per patch with its class, name and area, without patches smaller than MIN_AREA (map units squared). Nodata in any input band is nodata (255) in the output. The prediction runs in a separate Python process that has TensorFlow; cancel stops it within a batch and removes its files.</source>
      <translation>使用“训练模型”生成的模型文件预测整景影像的类别图。影像按窗口逐块读写，因此其大小不受内存限制；相互重叠的窗口以向边缘递减的权重融合，因此没有接缝。

INPUT：GDAL 可读取的任意栅格（GeoTIFF、VRT、JPEG2000 等）。BANDS：按模型顺序使用的波段（默认：前几个波段）。MODE：步进（在影像上滑动窗口）或逐图像（将整幅图像缩放到模型输入大小，适用于小照片）。TILE_SIZE 为 0 时使用模型的大小。OVERLAP 为 -1 时根据网络自动选择。EXTENT 和 MASK 限定预测范围。OUTPUT 是带金字塔、类别颜色和名称的分块压缩 GeoTIFF；OUTPUT_PROBABILITY（可选）每个类别一个波段；OUTPUT_VECTOR（可选）每个斑块一个多边形，带有类别、名称和面积，并去除小于 MIN_AREA（地图单位的平方）的斑块。任一输入波段中的无数据在输出中为无数据（255）。预测在装有 TensorFlow 的独立 Python 进程中运行；取消会在一个批次内停止并删除其文件。</translation>
    </message>
    <message>
      <source>Bands (in the model's order; default: the first ones)</source>
      <translation>波段（按模型顺序；默认：前几个波段）</translation>
    </message>
    <message>
      <source>Model file (from Train Model)</source>
      <translation>模型文件（来自“训练模型”）</translation>
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
      <source>Extent (only this part of the scene)</source>
      <translation>范围（仅预测影像的这一部分）</translation>
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
      <source>Class polygons</source>
      <translation>类别多边形</translation>
    </message>
    <message>
      <source>Window size (0 = the model's)</source>
      <translation>窗口大小（0 = 模型的大小）</translation>
    </message>
    <message>
      <source>Window overlap in pixels (-1 = auto)</source>
      <translation>窗口重叠像元数（-1 = 自动）</translation>
    </message>
    <message>
      <source>Batch size (0 = auto)</source>
      <translation>批大小（0 = 自动）</translation>
    </message>
    <message>
      <source>Probability format</source>
      <translation>概率格式</translation>
    </message>
    <message>
      <source>Byte (0-250)</source>
      <translation>Byte（0-250）</translation>
    </message>
    <message>
      <source>Float32 (0-1)</source>
      <translation>Float32（0-1）</translation>
    </message>
    <message>
      <source>Minimum polygon area (map units²)</source>
      <translation>最小多边形面积（地图单位²）</translation>
    </message>
    <message>
      <source>No model file was given (MODEL).</source>
      <translation>未提供模型文件（MODEL）。</translation>
    </message>
    <message>
      <source>Tile Dataset</source>
      <translation>切片数据集</translation>
    </message>
    <message>
      <source>Cuts an image and its label into square chips for training, and adds them to a dataset folder (images/, labels/, train.txt, val.txt, dataset.json) that Train Model reads. Run it again into the same folder to add more scenes.

Image: the multi-band scene.
Label raster: a class-index raster (0..254; 255 = ignore). It is resampled (nearest) onto the image grid and must overlap the image.
Label polygons and Class field: polygons whose integer field is burnt onto the image grid instead of a label raster. Give at most one label.
Tile size: chip width and height in pixels.
Method: random windows, or a regular grid every Stride pixels (0: the tile size, no overlap).
Tiles per image: how many random windows to keep.
Validation fraction: share of the new chips listed in val.txt.
Random seed: makes the windows and the split reproducible.
Minimum labelled fraction: chips with a smaller share of labelled, valid pixels (without a label: pixels that are not nodata) are skipped.
Output: the dataset folder (new and empty, or an existing dataset).</source>
      <translation>将影像及其标签切分为用于训练的方形切片，并将其加入“训练模型”可读取的数据集文件夹（images/、labels/、train.txt、val.txt、dataset.json）。对同一文件夹再次运行可加入更多景影像。

影像：多波段影像。
标签栅格：类别索引栅格（0..254；255 = 忽略）。它以最近邻方式重采样到影像网格上，且必须与影像重叠。
标签多边形与类别字段：以多边形的整数字段栅格化到影像网格上，代替标签栅格。最多给出一种标签。
切片大小：切片的宽和高（像元）。
方法：随机窗口，或每隔“步长”像元的规则网格（0：等于切片大小，无重叠）。
每幅影像的切片数：保留多少个随机窗口。
验证比例：新切片中列入 val.txt 的比例。
随机种子：使窗口和划分可重现。
最小标注比例：已标注且有效像元所占比例（无标签时：非无数据像元）小于该值的切片将被跳过。
输出：数据集文件夹（新建的空文件夹，或已有的数据集）。</translation>
    </message>
    <message>
      <source>Image</source>
      <translation>影像</translation>
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
      <source>Random windows</source>
      <translation>随机窗口</translation>
    </message>
    <message>
      <source>Regular grid (stride)</source>
      <translation>规则网格（步长）</translation>
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
      <source>{0} must be between 0 and 0.9, not {1}.</source>
      <translation>{0} 必须介于 0 和 0.9 之间，而不是 {1}。</translation>
    </message>
    <message>
      <source>{0} must be between 0 and 1, not {1}.</source>
      <translation>{0} 必须介于 0 和 1 之间，而不是 {1}。</translation>
    </message>
    <message>
      <source>{0} tiles written ({1} training, {2} validation, {3} skipped); the dataset now holds {4} tiles.</source>
      <translation>已写入 {0} 个切片（训练 {1} 个，验证 {2} 个，跳过 {3} 个）；数据集现有 {4} 个切片。</translation>
    </message>
    <message>
      <source>Train Model</source>
      <translation>训练模型</translation>
    </message>
    <message>
      <source>Trains a segmentation network on a dataset folder made by Tile Dataset and saves the best model (by validation mean IoU) as a self-describing .keras file that Predict Raster and Evaluate need nothing else to use.

Training runs in a separate Python process that has TensorFlow (set it with the environment variable SEMSEG_PYTHON or the QGIS setting semantic_segmentation/python); QGIS itself never loads TensorFlow. Cancel stops it and writes no model.

DATASET: the Tile Dataset folder. MODEL / ENCODER: the network and its backbone (not every pair fits: the error lists the encoders a model accepts). OUTPUT_STRIDE: 8, 16 or 32. LOSS: cross-entropy, binary cross-entropy (2 classes), focal, Dice, Lovasz-softmax or cross-entropy + Dice. CLASS_WEIGHTS: none or inverse class frequency. LR_MODE: constant, power decay, exponential decay, progressive drops (x0.1 at 50% and 75% of training) or cosine cycles of LR_CYCLE epochs, down to MIN_LR. STEPS_PER_EPOCH 0 uses every chip once per epoch. EARLY_STOP_PATIENCE 0 is off. AUGMENT adds flips, 90 degree rotations and random scale/crop (CVAL / LABEL_CVAL fill the image / label outside). INIT_MODEL resumes or fine-tunes a model file. LOG_DIR receives TensorBoard events, CSV/JSON history, curves PNG and an HTML summary.</source>
      <translation>在“切片数据集”生成的数据集文件夹上训练分割网络，并将最佳模型（按验证集平均 IoU）保存为自描述的 .keras 文件，“预测栅格”和“评估”只需此文件即可使用。

训练在装有 TensorFlow 的独立 Python 进程中运行（通过环境变量 SEMSEG_PYTHON 或 QGIS 设置 semantic_segmentation/python 指定）；QGIS 本身从不加载 TensorFlow。取消会停止训练且不写出模型。

DATASET：切片数据集文件夹。MODEL / ENCODER：网络及其骨干（并非所有组合都可用：错误信息会列出模型接受的编码器）。OUTPUT_STRIDE：8、16 或 32。LOSS：交叉熵、二元交叉熵（2 类）、Focal、Dice、Lovasz-softmax 或交叉熵 + Dice。CLASS_WEIGHTS：无或类别频率倒数。LR_MODE：恒定、幂衰减、指数衰减、分段下降（在训练的 50% 和 75% 处乘以 0.1）或以 LR_CYCLE 个轮次为周期的余弦循环，最低降至 MIN_LR。STEPS_PER_EPOCH 为 0 时每轮使用每个切片一次。EARLY_STOP_PATIENCE 为 0 时关闭早停。AUGMENT 加入翻转、90 度旋转和随机缩放/裁剪（CVAL / LABEL_CVAL 填充影像 / 标签的外部区域）。INIT_MODEL 从模型文件继续训练或微调。LOG_DIR 接收 TensorBoard 事件、CSV/JSON 历史、曲线 PNG 和 HTML 摘要。</translation>
    </message>
    <message>
      <source>Dataset folder (made by Tile Dataset)</source>
      <translation>数据集文件夹（由“切片数据集”生成）</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
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
      <source>Categorical cross-entropy</source>
      <translation>分类交叉熵</translation>
    </message>
    <message>
      <source>Loss</source>
      <translation>损失函数</translation>
    </message>
    <message>
      <source>Binary cross-entropy (2 classes)</source>
      <translation>二元交叉熵（2 类）</translation>
    </message>
    <message>
      <source>Dice</source>
      <translation>Dice</translation>
    </message>
    <message>
      <source>Focal</source>
      <translation>Focal</translation>
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
      <source>Class weights</source>
      <translation>类别权重</translation>
    </message>
    <message>
      <source>Inverse class frequency</source>
      <translation>类别频率倒数</translation>
    </message>
    <message>
      <source>None</source>
      <translation>无</translation>
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
      <source>Constant</source>
      <translation>恒定</translation>
    </message>
    <message>
      <source>Exponential decay</source>
      <translation>指数衰减</translation>
    </message>
    <message>
      <source>Power decay</source>
      <translation>幂衰减</translation>
    </message>
    <message>
      <source>Cosine cycles</source>
      <translation>余弦循环</translation>
    </message>
    <message>
      <source>Progressive drops</source>
      <translation>分段下降</translation>
    </message>
    <message>
      <source>Batch size</source>
      <translation>批大小</translation>
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
      <source>Keras model (*.keras)</source>
      <translation>Keras 模型 (*.keras)</translation>
    </message>
    <message>
      <source>Output model</source>
      <translation>输出模型</translation>
    </message>
    <message>
      <source>Log folder (TensorBoard, CSV, curves, HTML summary)</source>
      <translation>日志文件夹（TensorBoard、CSV、曲线、HTML 摘要）</translation>
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
      <source>Image fill value for augmentation</source>
      <translation>数据增强的影像填充值</translation>
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
      <source>Network width multiplier</source>
      <translation>网络宽度倍数</translation>
    </message>
    <message>
      <source>Best validation mean IoU</source>
      <translation>最佳验证平均 IoU</translation>
    </message>
    <message>
      <source>The model {0} does not work with the encoder {1}; it accepts: {2}.</source>
      <translation>模型 {0} 不能与编码器 {1} 一起使用；它接受：{2}。</translation>
    </message>
    <message>
      <source>The model {0} with the encoder {1} supports output strides {2}, not {3}.</source>
      <translation>模型 {0} 与编码器 {1} 支持的输出步幅为 {2}，而不是 {3}。</translation>
    </message>
    <message>
      <source>Training {0} with the {1} encoder on {2}</source>
      <translation>正在用 {1} 编码器在 {2} 上训练 {0}</translation>
    </message>
    <message>
      <source>Best validation mean IoU: {0:.4f}</source>
      <translation>最佳验证平均 IoU：{0:.4f}</translation>
    </message>
  </context>
</TS>
