// Jest runs each test file in its own realm with its own typed-array constructors, while
// onnxruntime-node creates output tensors from the host realm's and checks them with
// `instanceof` ("A float32 tensor's data must be type of function Float32Array()").
// Test files that run an ONNX session opt in with
//   /** @jest-environment ./test/unit/embedding/onnx-test-environment.js */
// so the sandbox shares the host's typed arrays.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OnnxTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxTestEnvironment;
