#!/usr/bin/env node
// Recipe: copies the two face models the photo face finder runs (tfjs weights manifests + uint8-quantised shards)
// and face-api's MIT licence from the installed @vladmandic/face-api (a devDependency) into this folder, and prints
// their SHA-256 (also written to SHA256SUMS). Run after changing face-api's version: `node models/face-api/vendor.cjs`.
// Nothing is converted here: plugin/faces reads these files and builds its ONNX graphs when a host loads them.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const pkgDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
const models = ['tiny_face_detector_model', 'face_landmark_68_model'];
const files = models.flatMap((m) => {
  const manifest = `${m}-weights_manifest.json`;
  const shards = JSON.parse(fs.readFileSync(path.join(pkgDir, 'model', manifest), 'utf8')).flatMap((g) => g.paths);
  return [manifest, ...shards].map((f) => ({ from: path.join(pkgDir, 'model', f), to: f }));
});
files.push({ from: path.join(pkgDir, 'LICENSE'), to: 'LICENSE' });
const sums = [];
for (const { from, to } of files) {
  const bytes = fs.readFileSync(from);
  fs.writeFileSync(path.join(__dirname, to), bytes);
  sums.push(`${crypto.createHash('sha256').update(bytes).digest('hex')}  ${to}`);
}
fs.writeFileSync(path.join(__dirname, 'SHA256SUMS'), `${sums.join('\n')}\n`);
console.log(`@vladmandic/face-api ${version}:\n${sums.join('\n')}`);
