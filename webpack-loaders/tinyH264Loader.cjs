// tinyh264's emscripten build as a CommonJS module Node runs: built for a worker, it reads `self.location.href` (for
// a wasm file's folder it never needs: the wasm is inlined) and is an ES module in a package without "type": "module".
// A webpack loader for the node bundle and, as `process`, Jest's transform for the same file: one patch for both.
function nodeModule(source) {
  const patched = source
    .replace('scriptDirectory = self.location.href;', 'scriptDirectory = "";')
    .replace(/^export default Module;$/m, 'module.exports = Module;');
  if (patched.includes('self.location') || !patched.includes('module.exports = Module;'))
    throw new Error('tinyh264 changed: webpack-loaders/tinyH264Loader.cjs no longer fits its TinyH264.js');
  return patched;
}

module.exports = nodeModule;
module.exports.process = (source) => ({ code: nodeModule(source) });
