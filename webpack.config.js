// Bundles. Now: the Node CLI (dist/node/draggan.js). The web page and the UXP panel join here later.
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

const node = {
  name: 'node',
  target: 'node20',
  entry: { draggan: './plugin/hosts/cli/main.ts' },
  output: { path: path.resolve(__dirname, 'dist/node'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.js'] },
  module: {
    // transpileOnly: `npm test` typechecks; the bundle only needs the JavaScript
    rules: [{ test: /\.ts$/, loader: 'ts-loader', exclude: /node_modules/, options: { transpileOnly: true } }],
  },
  // Loaded from node_modules at run time: onnxruntime-node's native addon and onnxruntime-web's .wasm files are
  // found relative to their own packages, which a bundle would break.
  externals: { 'onnxruntime-node': 'commonjs onnxruntime-node', 'onnxruntime-web': 'commonjs onnxruntime-web' },
  // the real __dirname, so the CLI finds the package root (and models/bundled) from dist/node
  node: { __dirname: false, __filename: false },
  devtool: 'source-map',
  optimization: { minimize: false },
  plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true }), new ChmodPlugin('draggan.js')],
  performance: { hints: false },
};

module.exports = [node];
