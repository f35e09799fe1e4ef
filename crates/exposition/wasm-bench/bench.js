// node bench.js PKG_DIR FILE [REPEAT]: parse FILE in wasm REPEAT times, print MB/s (mean, best).
const fs = require("fs");
const path = require("path");
const [pkg, file, repeatArg] = process.argv.slice(2);
const wasm = require(path.resolve(pkg, "exposition_wasm_bench.js"));
const text = fs.readFileSync(file, "utf8");
wasm.load(text);
const bytes = Buffer.byteLength(text);
const repeat = Number(repeatArg || 5);
let samples = wasm.parse_loaded(); // warm-up
let total = 0, best = Infinity;
for (let i = 0; i < repeat; i++) {
  const t = performance.now();
  samples = wasm.parse_loaded();
  const dt = performance.now() - t;
  total += dt; best = Math.min(best, dt);
}
const mb = bytes / 1e6;
console.log(`wasm ${path.basename(file)} samples=${samples} bytes=${bytes} MBps=${(mb / (total / repeat / 1000)).toFixed(1)} best=${(mb / (best / 1000)).toFixed(1)}`);
