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

// An 8-bit RGB PNG of {width, height, data (RGBA; alpha dropped)}, each row
// with the filter (PNG specification: 0 none, 1 sub, 2 up) giving the smallest
// sum of absolute values, the usual heuristic.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
export function encodePng({ width, height, data }) {
  const chunk = (type, body) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  const stride = width * 3, raw = Buffer.alloc(height * (stride + 1));
  const row = Buffer.alloc(stride), prev = Buffer.alloc(stride), out = Buffer.alloc(stride);
  for (let y = 0; y < height; ++y) {
    for (let x = 0; x < width; ++x) for (let k = 0; k < 3; ++k) row[x * 3 + k] = data[(y * width + x) * 4 + k];
    let best = 0, bestCost = Infinity;
    for (const f of [0, 1, 2]) {
      let cost = 0;
      for (let i = 0; i < stride; ++i) {
        const v = (row[i] - (f === 1 ? (i >= 3 ? row[i - 3] : 0) : f === 2 ? prev[i] : 0)) & 255;
        cost += v < 128 ? v : 256 - v;
      }
      if (cost < bestCost) { bestCost = cost; best = f; }
    }
    for (let i = 0; i < stride; ++i) out[i] = (row[i] - (best === 1 ? (i >= 3 ? row[i - 3] : 0) : best === 2 ? prev[i] : 0)) & 255;
    raw[y * (stride + 1)] = best;
    out.copy(raw, y * (stride + 1) + 1);
    row.copy(prev);
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Pixel comparison of two decoded images: a pixel differs when any of its R, G,
// B values differs by more than `channelTolerance` (0-255). Returns the count and
// fraction of differing pixels and a diff image (differing pixels red over the
// actual image dimmed to a quarter), or {sizeDiffers} when the sizes differ.
export function comparePixels(actual, reference, channelTolerance) {
  if (actual.width !== reference.width || actual.height !== reference.height) return { sizeDiffers: true, differing: actual.width * actual.height, fraction: 1 };
  const diff = Buffer.alloc(actual.data.length);
  let differing = 0;
  for (let i = 0; i < actual.data.length; i += 4) {
    let d = 0;
    for (let k = 0; k < 3; ++k) d = Math.max(d, Math.abs(actual.data[i + k] - reference.data[i + k]));
    const off = d > channelTolerance;
    if (off) ++differing;
    diff[i] = off ? 255 : actual.data[i] >> 2;
    diff[i + 1] = off ? 0 : actual.data[i + 1] >> 2;
    diff[i + 2] = off ? 0 : actual.data[i + 2] >> 2;
    diff[i + 3] = 255;
  }
  return { differing, fraction: differing / (actual.width * actual.height), diff: { width: actual.width, height: actual.height, data: diff } };
}

// The image at half its resolution: each pixel the rounded mean of a 2x2 block
// (the reference is kept at this size: a quarter of the bytes, and a pixel
// edge moved by one screen pixel changes a block by half, not by all).
export function halve({ width, height, data }) {
  const w = width >> 1, h = height >> 1, out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; ++y) for (let x = 0; x < w; ++x) for (let k = 0; k < 4; ++k) {
    const at = (yy, xx) => data[((2 * y + yy) * width + 2 * x + xx) * 4 + k];
    out[(y * w + x) * 4 + k] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1) + 2) >> 2;
  }
  return { width: w, height: h, data: out };
}
