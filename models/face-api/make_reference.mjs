#!/usr/bin/env node
// Dev-only parity reference: runs face-api's OWN networks (its bundled tfjs 4, pure-JS CPU backend) on inputs cut
// from test/fixtures/photos/astronaut.jpg and writes their raw outputs to test/faces/faceapi_reference.json, which
// test/faces/parity.test.ts compares with our converted graphs. Needs the devDependency @vladmandic/face-api;
// nothing is downloaded. Run: node models/face-api/make_reference.mjs
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';
import { createRequire } from 'module';
import { types, TextEncoder, TextDecoder } from 'util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const jpeg = require('jpeg-js');

// face-api's ESM bundle picks tfjs's Node platform when it sees Node, and that platform needs a `util` the bundle
// left out; hiding the Node version while it loads gives the neutral platform, then a minimal one is installed.
const versions = process.versions;
Object.defineProperty(process, 'versions', { value: { ...versions, node: undefined }, configurable: true });
const faceapi = await import(path.join(root, 'node_modules/@vladmandic/face-api/dist/face-api.esm.js'));
Object.defineProperty(process, 'versions', { value: versions, configurable: true });
const { tf } = faceapi;
tf.env().setPlatform('node-minimal', {
  fetch: () => Promise.reject(new Error('no network: weights are read from disk')),
  now: () => performance.now(),
  encode: (s) => new TextEncoder().encode(s),
  decode: (b, e) => new TextDecoder(e).decode(b),
  isTypedArray: (a) => types.isTypedArray(a),
  setTimeoutCustom: setTimeout,
});
// face-api's own environment (what a canvas is) was skipped for the same reason; tensors are all it is given here
faceapi.env.setEnv(faceapi.env.createNodejsEnv());
await tf.setBackend('cpu');
await tf.ready();

async function load(net, name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(here, `${name}-weights_manifest.json`), 'utf8'));
  const map = {};
  for (const group of manifest) {
    const bytes = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(here, p))));
    Object.assign(map, tf.io.decodeWeights(new Uint8Array(bytes).buffer, group.weights));
  }
  net.loadFromWeightMap(map);
}
await load(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
await load(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');

// The same two inputs parity.test.ts cuts: HWC floats 0..255
const img = jpeg.decode(fs.readFileSync(path.join(root, 'test/fixtures/photos/astronaut.jpg')), { useTArray: true, formatAsRGBA: false });
const px = (x, y, c) => img.data[(y * img.width + x) * 3 + c];
const DET = 416;
const det = new Float32Array(DET * DET * 3);
for (let y = 0; y < DET; y++) for (let x = 0; x < DET; x++) for (let c = 0; c < 3; c++) det[(y * DET + x) * 3 + c] = px(x, y, c);
const LM = 112;
const [lx, ly] = [110, 20];
const lm = new Float32Array(LM * LM * 3);
for (let y = 0; y < LM; y++)
  for (let x = 0; x < LM; x++)
    for (let c = 0; c < 3; c++)
      lm[(y * LM + x) * 3 + c] = (px(lx + 2 * x, ly + 2 * y, c) + px(lx + 2 * x + 1, ly + 2 * y, c) + px(lx + 2 * x, ly + 2 * y + 1, c) + px(lx + 2 * x + 1, ly + 2 * y + 1, c)) / 4;

// forward() letterboxes (a no-op on a square of the input size) and runs runMobilenet: the raw [1, 13, 13, 25] grid
const grid = await faceapi.nets.tinyFaceDetector.forward(tf.tensor3d(det, [DET, DET, 3]), DET);
// forward() on a 112 px square: the 136 outputs as fractions of the side (postProcess divides by 112 after * 112)
const landmarks = await faceapi.nets.faceLandmark68Net.forward(tf.tensor3d(lm, [LM, LM, 3]));
const round = (a) => Array.from(a, (v) => Number(v.toPrecision(7)));
const out = {
  source: `@vladmandic/face-api ${JSON.parse(fs.readFileSync(path.join(root, 'node_modules/@vladmandic/face-api/package.json'), 'utf8')).version}, tfjs ${tf.version_core} cpu backend`,
  detector: { input: 'astronaut.jpg pixels [0, 416) x [0, 416)', shape: grid.shape, nhwc: round(grid.dataSync()) },
  landmarks: { input: `astronaut.jpg 2x2 means from (${lx}, ${ly}), 112 x 112`, origin: [lx, ly], shape: landmarks.shape, values: round(landmarks.dataSync()) },
};
fs.writeFileSync(path.join(root, 'test/faces/faceapi_reference.json'), `${JSON.stringify(out)}\n`);
console.log(out.source, 'grid', grid.shape, 'landmarks', landmarks.shape);
