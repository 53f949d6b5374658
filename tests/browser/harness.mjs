// Shared by the browser test (tests/browser/run.mjs) and the overlay benchmark
// (bench/overlay_time.mjs): playwright-core from tests/browser/node_modules,
// `sirtkit serve --demo` on a free loopback port, PNG decoding and comparison.
import { spawn } from 'node:child_process';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// playwright-core's chromium, or null when it is not installed (`npm ci` in tests/browser).
export async function loadChromium() {
  try {
    return (await import(path.join(here, 'node_modules', 'playwright-core', 'index.mjs'))).chromium;
  } catch (e) {
    return null;
  }
}

// Starts `sirtkit serve --demo` over a fresh registry in `tmp`; `ready` resolves
// {port, password} (the one-time admin password printed on stdout).
export function startServer(sirtkit, tmp) {
  const child = spawn(sirtkit, ['serve', '--db', path.join(tmp, 'demo.sqlite'), '--demo', '--data', path.join(tmp, 'data'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  child.stderr.on('data', (d) => { err += d; });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sirtkit serve did not start in 30 s: ' + out + err)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const port = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
      const pw = out.match(/password\s+(\S{20})/);
      if (port && pw) { clearTimeout(timer); resolve({ port: Number(port[1]), password: pw[1] }); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`sirtkit serve exited (${code}): ${out}${err}`)); });
  });
  return { child, ready, log: () => err };
}

// RGBA pixels of an 8-bit RGB/RGBA PNG (what Chromium's screenshots are), by the
// PNG specification: IDAT inflated, each row unfiltered (filters 0-4).
export function decodePng(buf) {
  let at = 8, width = 0, height = 0, channels = 0;
  const idat = [];
  while (at < buf.length) {
    const len = buf.readUInt32BE(at), type = buf.toString('ascii', at + 4, at + 8), data = buf.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      if (data[8] !== 8 || (data[9] !== 2 && data[9] !== 6) || data[12] !== 0) throw new Error('unexpected PNG format');
      channels = data[9] === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels, out = Buffer.alloc(width * height * 4), prev = Buffer.alloc(stride), cur = Buffer.alloc(stride);
  for (let y = 0; y < height; ++y) {
    const f = raw[y * (stride + 1)];
    raw.copy(cur, 0, y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; ++i) {
      const a = i >= channels ? cur[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : f === 4 ? (pa <= pb && pa <= pc ? a : pb <= pc ? b : c) : 0;
      cur[i] = (cur[i] + pred) & 255;
    }
    for (let x = 0; x < width; ++x) {
      for (let k = 0; k < 3; ++k) out[(y * width + x) * 4 + k] = cur[x * channels + k];
      out[(y * width + x) * 4 + 3] = channels === 4 ? cur[x * channels + 3] : 255;
    }
    cur.copy(prev);
  }
  return { width, height, data: out };
}
