// Runs an ONNX model on onnxruntime's CPU provider: the peer of the CPU
// benchmark. Usage:
//   node ort_run.js MODEL THREADS REPEAT OUT.npy NAME=IN.npy...
// Prints one JSON line: {"median_ms", "min_ms", "runs"}; writes the first
// output to OUT.npy (float32) for the numerics check.
// onnxruntime-node comes from `npm install --ignore-scripts onnxruntime-node`
// (in bench/cpu or any parent directory; ORT_NODE overrides the path).
'use strict';
const fs = require('fs');
const ort = require(process.env.ORT_NODE || 'onnxruntime-node');

function readNpy(path) {
  const buf = fs.readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  if (!header.includes("'descr': '<f4'") || header.includes("'fortran_order': True"))
    throw new Error(`${path}: only C-order float32 .npy is supported`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1].split(',')
      .map((s) => s.trim()).filter((s) => s.length).map(Number);
  const start = 10 + headerLen;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length));
  return new ort.Tensor('float32', data, shape);
}

function writeNpy(path, tensor) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${tensor.dims.join(', ')}${tensor.dims.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1; prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const data = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  fs.writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'), data]));
}

async function main() {
  const [model, threads, repeat, out, ...specs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const feeds = {};
  for (const spec of specs) {
    const [name, path] = spec.split('=');
    feeds[name] = readNpy(path);
  }
  let result = await session.run(feeds); // warm-up
  const times = [];
  for (let i = 0; i < Number(repeat); ++i) {
    // Node's garbage collector otherwise runs inside some timed calls (the
    // previous outputs' buffers), doubling a median of large-output models.
    if (global.gc) global.gc();
    const start = process.hrtime.bigint();
    result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  writeNpy(out, result[session.outputNames[0]]);
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({median_ms: times[times.length >> 1], min_ms: times[0], runs: times.length}));
}

main().catch((e) => { console.error(e.message); process.exit(1); });
