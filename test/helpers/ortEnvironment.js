// Jest runs tests in a separate V8 realm, but onnxruntime-node's native addon creates typed arrays in the main
// realm; onnxruntime-common then rejects them with an instanceof check. Sharing the constructors fixes that.
const { TestEnvironment } = require('jest-environment-node');

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Float32Array', 'Float64Array', 'Int32Array', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array',
      'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView']) {
      this.global[name] = globalThis[name];
    }
  }
}

module.exports = OrtEnvironment;
