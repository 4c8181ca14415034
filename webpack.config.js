// Bundles: the Node CLI (dist/node/draggan.js), the standalone page and Photopea page (dist/web/) and the UXP
// panel (dist/uxp/, loadable by the UXP Developer Tool as it is).
const fs = require('fs');
const path = require('path');
const webpack = require('webpack');

/** Makes the CLI bundle executable, so `./dist/node/draggan.js` and npm's bin link run it directly. */
class ChmodPlugin {
  constructor(file) {
    this.file = file;
  }
  apply(compiler) {
    compiler.hooks.afterEmit.tap('ChmodPlugin', () => {
      const f = path.join(compiler.outputPath, this.file);
      if (fs.existsSync(f)) fs.chmodSync(f, 0o755);
    });
  }
}

/**
 * Writes <output>/.build-stamp after a build without errors, dated when the build began: the tests
 * (test/helpers/ensureBuilt.ts) compare it with the sources to rebuild a missing or stale dist/ before using it.
 * Webpack leaves unchanged outputs undated, so their own dates cannot tell.
 */
class BuildStampPlugin {
  apply(compiler) {
    compiler.hooks.done.tap('BuildStampPlugin', (stats) => {
      if (stats.hasErrors()) return;
      const stamp = path.join(compiler.outputPath, '.build-stamp');
      const began = new Date(stats.startTime);
      fs.writeFileSync(stamp, `${began.toISOString()}\n`);
      fs.utimesSync(stamp, began, began);
    });
  }
}

const node = {
  name: 'node',
  target: 'node20',
  // the server's image decoder runs in a worker thread, from its own file beside the CLI
  entry: { draggan: './plugin/hosts/cli/main.ts', imageDecodeWorker: './plugin/hosts/server/imageDecodeWorker.ts' },
  output: { path: path.resolve(__dirname, 'dist/node'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    // transpileOnly: `npm test` typechecks; the bundle only needs the JavaScript
    rules: [
      { test: /\.ts$/, loader: 'ts-loader', exclude: /node_modules/, options: { transpileOnly: true } },
      // the video decoder: tinyh264's worker build made a module Node runs (its wasm is inlined: nothing to ship)
      {
        test: /tinyh264[\\/]lib[\\/]TinyH264\.js$/,
        loader: path.resolve(__dirname, 'webpack-loaders/tinyH264Loader.cjs'),
      },
    ],
  },
  // Loaded from node_modules at run time: onnxruntime-node's native addon and onnxruntime-web's .wasm files are
  // found relative to their own packages, which a bundle would break.
  externals: { 'onnxruntime-node': 'commonjs onnxruntime-node', 'onnxruntime-web': 'commonjs onnxruntime-web' },
  // the real __dirname, so the CLI finds the package root (and models/bundled) from dist/node
  node: { __dirname: false, __filename: false },
  devtool: 'source-map',
  optimization: { minimize: false },
  plugins: [
    new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true }),
    new ChmodPlugin('draggan.js'),
    new BuildStampPlugin(),
  ],
  performance: { hints: false },
};

/**
 * The model the page and the panel ship with: models/bundled once it is trained, the tiny random-weight test model
 * until then. DRAGGAN_MODEL_DIR overrides it at build time; pages also take ?model=<url> at run time.
 */
function bundledModelDir() {
  if (process.env.DRAGGAN_MODEL_DIR) return path.resolve(process.env.DRAGGAN_MODEL_DIR);
  const bundled = path.resolve(__dirname, 'models/bundled');
  if (fs.existsSync(path.join(bundled, 'model.json')) && fs.existsSync(path.join(bundled, 'weights.safetensors')))
    return bundled;
  return path.resolve(__dirname, 'test/fixtures/packages/tiny128');
}

/** Copies files into the output (no extra dependency for what is a handful of files). */
class CopyFilesPlugin {
  constructor(files) {
    this.files = files; // [{ from, to }]
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('CopyFilesPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'CopyFilesPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const { from, to } of this.files) {
            compilation.fileDependencies.add(from);
            compilation.emitAsset(to, new webpack.sources.RawSource(fs.readFileSync(from)));
          }
        },
      );
    });
  }
}

const modelFiles = (dir) =>
  ['model.json', 'weights.safetensors'].map((f) => ({ from: path.join(dir, f), to: `model/${f}` }));

/**
 * The photo face finder's models (face-api's tfjs files, MIT, models/face-api): shipped as they are, next to the
 * page and in the panel's folder, and converted into ONNX graphs by plugin/faces when a host loads them.
 */
const faceModelDir = path.resolve(__dirname, 'models/face-api');
const faceModelFiles = () => [
  ...fs
    .readdirSync(faceModelDir)
    .filter((f) => f.endsWith('.json') || f.endsWith('.bin') || f === 'LICENSE')
    .map((f) => ({ from: path.join(faceModelDir, f), to: `faces/${f}` })),
  // the bundled model's own face finder (its model.json says face_model: procedural): plugin/engine/photoFaces.ts
  { from: path.resolve(__dirname, 'models/landmarks/detector.onnx'), to: 'faces/landmark-detector.onnx' },
  { from: path.resolve(__dirname, 'models/landmarks/detector.json'), to: 'faces/landmark-detector.json' },
];

/** Shared by the page and the panel: TypeScript, Lit, onnxruntime-web, all in one file per entry. */
const browserBase = {
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    rules: [{ test: /\.ts$/, loader: 'ts-loader', exclude: /node_modules/, options: { transpileOnly: true } }],
  },
  devtool: 'source-map',
  performance: { hints: false },
  // onnxruntime-web is imported lazily; one chunk keeps loading simple where there is no script loader (UXP)
  plugins: [new webpack.optimize.LimitChunkCountPlugin({ maxChunks: 1 }), new BuildStampPlugin()],
};

const ortDist = path.resolve(__dirname, 'node_modules/onnxruntime-web/dist');

const web = {
  ...browserBase,
  name: 'web',
  target: 'web',
  // engineWorker: the module worker both pages run the engine in (it loads onnxruntime-web, the pages do not)
  entry: {
    bundle: './plugin/hosts/browser/main.ts',
    photopea: './plugin/hosts/photopea/main.ts',
    engineWorker: './plugin/hosts/browser/engineWorker.ts',
  },
  output: {
    path: path.resolve(__dirname, 'dist/web'),
    filename: '[name].js',
    clean: true,
    assetModuleFilename: '[name][ext]',
  },
  module: {
    rules: [
      ...browserBase.module.rules,
      // the worker's MP4 encoder: h264-mp4-encoder's web build, a script that declares the global HME
      {
        test: /h264-mp4-encoder\.web\.js$/,
        loader: path.resolve(__dirname, 'webpack-loaders/exportGlobalLoader.cjs'),
        options: { name: 'HME' },
      },
    ],
  },
  resolve: {
    ...browserBase.resolve,
    // the self-contained ES build (WebGPU + wasm); its .wasm becomes an asset next to the page
    alias: { 'onnxruntime-web$': path.join(ortDist, 'ort.bundle.min.mjs') },
  },
  plugins: [
    ...browserBase.plugins,
    new CopyFilesPlugin([
      { from: path.resolve(__dirname, 'plugin/hosts/browser/index.html'), to: 'index.html' },
      { from: path.resolve(__dirname, 'plugin/hosts/photopea/index.html'), to: 'photopea.html' },
      ...modelFiles(bundledModelDir()),
      ...faceModelFiles(),
    ]),
  ],
};

const uxp = {
  ...browserBase,
  name: 'uxp',
  target: 'web',
  entry: { bundle: './plugin/hosts/photoshop/main.ts' },
  output: { path: path.resolve(__dirname, 'dist/uxp'), filename: '[name].js', clean: true },
  resolve: {
    ...browserBase.resolve,
    // the wasm-only build: UXP has no WebGPU, and its .wasm is the one the panel passes in as bytes
    alias: { 'onnxruntime-web$': path.join(ortDist, 'ort.wasm.bundle.min.mjs') },
  },
  // photoshop, uxp and UXP's fs (not Node's) are the host's own modules, provided by require() at run time
  externals: { photoshop: 'commonjs photoshop', uxp: 'commonjs uxp', fs: 'commonjs fs' },
  externalsType: 'commonjs',
  module: {
    ...browserBase.module,
    // no asset for onnxruntime's `new URL(".wasm", import.meta.url)`: the panel reads the file and passes the bytes
    parser: { javascript: { url: false } },
  },
  plugins: [
    ...browserBase.plugins,
    new CopyFilesPlugin([
      { from: path.resolve(__dirname, 'manifest.json'), to: 'manifest.json' },
      { from: path.resolve(__dirname, 'plugin/hosts/photoshop/index.html'), to: 'index.html' },
      { from: path.join(ortDist, 'ort-wasm-simd-threaded.wasm'), to: 'ort-wasm-simd-threaded.wasm' },
      ...fs
        .readdirSync(path.resolve(__dirname, 'icons'))
        .filter((f) => f.endsWith('.png'))
        .map((f) => ({ from: path.resolve(__dirname, 'icons', f), to: `icons/${f}` })),
      ...modelFiles(bundledModelDir()),
      ...faceModelFiles(),
    ]),
  ],
};

/** Test-only: the engine without the panel on one page, for the WebGPU-vs-wasm e2e test (test/e2e/webgpu/). */
const webgpuTest = {
  ...web,
  name: 'webgpu-test',
  entry: { enginePage: './test/e2e/webgpu/enginePage.ts' },
  output: { ...web.output, path: path.resolve(__dirname, 'dist/webgpu-test') },
  plugins: [
    ...browserBase.plugins,
    new CopyFilesPlugin([
      { from: path.resolve(__dirname, 'test/e2e/webgpu/index.html'), to: 'index.html' },
      ...modelFiles(bundledModelDir()),
    ]),
  ],
};

/**
 * Test-only: the UXP harness's host side (test/e2e/uxp/fakeHost.ts): the photoshop / uxp fakes for the page, run
 * before dist/uxp's own bundle (test/e2e/uxpHarness.test.ts).
 */
const uxpHarness = {
  ...browserBase,
  name: 'uxp-harness',
  target: 'web',
  entry: { fakeHost: './test/e2e/uxp/fakeHost.ts' },
  output: { path: path.resolve(__dirname, 'dist/uxp-harness'), filename: '[name].js', clean: true },
  devtool: false,
  optimization: { minimize: false },
};

module.exports = [node, web, uxp, webgpuTest, uxpHarness];
