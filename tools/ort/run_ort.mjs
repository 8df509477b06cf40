// Runs a model with ONNX Runtime (CPU) on input_K.pb files and writes output_K.pb, mirroring
// `biasguard-cli run MODEL --input-dir DIR --output-dir DIR`, so both runtimes can be diffed.
//   node run_ort.mjs MODEL INPUT_DIR OUTPUT_DIR [--repeat N] [--threads T]   (median of N timed runs after one)
//   node run_ort.mjs --batch JOBS.txt      (one "MODEL<TAB>INPUT_DIR<TAB>OUTPUT_DIR" per line, one process:
//                                            the tests run dozens of exported models without a node start each)
//   node run_ort.mjs --make-input OUT.pb NAME d0,d1,...         (the fixed test input, see below)
//   node run_ort.mjs --make-text-input OUT.pb NAME n,c,h,w      (synthetic "text lines" image)
// The fixed test input is x[i] = ((i * 7919) mod 2001) / 1000 - 1 over the row-major index i:
// integer arithmetic then one division, so C++ and JavaScript produce the same float32 values.
// The text-lines input (for the PaddleOCR detector, which outputs ~0 everywhere on noise) is a
// normalised bright page, 2.0, with dark glyph-like strokes, -1.5, the same in every channel:
// with r = y mod 64 and u = x mod 24, a pixel is dark when 32 <= x < w - 32, 20 <= r < 44 and
// (u < 4 or 10 <= u < 14 or (r in {20, 31, 43} and u < 14)). About 13 % of the detector's map is text.
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';
import { readTensorProto, writeTensorProto } from './tensor_proto.mjs';

const args = process.argv.slice(2);
if (args[0] === '--make-input') {
  const [, out, name, dimsText] = args;
  const dims = dimsText.split(',').map(Number);
  const n = dims.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; ++i) data[i] = Number((BigInt(i) * 7919n) % 2001n) / 1000 - 1;
  writeTensorProto(out, name, dims, 'float32', data);
  process.exit(0);
}
if (args[0] === '--make-text-input') {
  const [, out, name, dimsText] = args;
  const dims = dimsText.split(',').map(Number);
  const [n, c, h, w] = dims;
  const data = new Float32Array(n * c * h * w);
  for (let i = 0; i < data.length; ++i) {
    const x = i % w, y = Math.floor(i / w) % h;
    const r = y % 64, u = x % 24;
    const dark = x >= 32 && x < w - 32 && r >= 20 && r < 44
      && (u < 4 || (u >= 10 && u < 14) || ((r === 20 || r === 31 || r === 43) && u < 14));
    data[i] = dark ? -1.5 : 2.0;
  }
  writeTensorProto(out, name, dims, 'float32', data);
  process.exit(0);
}
// Runs one model on the input_K.pb files of inputDir and writes output_K.pb to outputDir; returns
// the median time of `repeat` timed runs after the first (NaN when repeat is 0).
async function runModel(modelPath, inputDir, outputDir, repeat, options) {
  const session = await ort.InferenceSession.create(modelPath, options);
  const feeds = {};
  const files = fs.readdirSync(inputDir).filter(f => /^input_\d+\.pb$/.test(f))
    .sort((a, b) => Number(a.match(/\d+/)[0]) - Number(b.match(/\d+/)[0]));
  files.forEach((f, k) => {
    const t = readTensorProto(path.join(inputDir, f));
    const name = t.name && session.inputNames.includes(t.name) ? t.name : session.inputNames[k];
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  });
  // One run whose outputs are written; with --repeat N it is the warm-up, and N timed runs follow,
  // reported as their median (as biasguard-cli run --repeat does).
  let results = await session.run(feeds);
  const times = [];
  for (let r = 0; r < repeat; ++r) {
    const t0 = process.hrtime.bigint();
    results = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const n = times.length;
  fs.mkdirSync(outputDir, { recursive: true });
  session.outputNames.forEach((name, k) => {
    const t = results[name];
    writeTensorProto(path.join(outputDir, `output_${k}.pb`), name, t.dims, t.type, t.data);
  });
  await session.release();
  return n === 0 ? NaN : (n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2);
}

const threadsAt = args.indexOf('--threads');
const optAt = args.indexOf('--optimization');
const options = { graphOptimizationLevel: optAt >= 0 ? args[optAt + 1] : 'all' };
if (threadsAt >= 0) options.intraOpNumThreads = Number(args[threadsAt + 1]);
if (args[0] === '--batch') {
  const jobs = fs.readFileSync(args[1], 'utf8').split('\n').filter(l => l.trim() !== '');
  for (const job of jobs) {
    const [modelPath, inputDir, outputDir] = job.split('\t');
    try {
      await runModel(modelPath, inputDir, outputDir, 0, options);
    } catch (e) {
      console.error(`onnxruntime ${modelPath}: ${e.message}`);
      process.exitCode = 1;
    }
  }
  process.exit();
}
const [modelPath, inputDir, outputDir] = args;
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 0;
const ms = await runModel(modelPath, inputDir, outputDir, repeat, options);
if (repeat > 0) {
  console.log(`onnxruntime ${modelPath}: ${ms.toFixed(1)} ms per run (median of ${repeat} after a warm-up)`);
  console.log(`median_ms: ${ms.toFixed(2)}`);
}
