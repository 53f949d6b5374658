// The first look at a plan while niivue starts (issue 14): the CT with the dose
// wash, drawn by the page itself on a 2-D canvas over the viewer's, as soon as
// the volumes and the dose sum are there. niivue first compiles its 48 shader
// programs (0.3-0.7 s in a browser that has not compiled them yet); this
// drawing needs none. It shows what niivue's first frame will: the coronal,
// sagittal and axial slices through the CT's centre in niivue's 2x2 layout
// (coronal and sagittal above, axial below; the patient's left on the left,
// anterior up in the axial slice), the CT in the viewer's first window, the
// dose in niivue's "jet" colour map at the viewer's opacity, transparent below
// its lowest level; nearest voxel, no outlines. The page removes it once niivue
// has drawn, so it is never what a physicist reads values from.
import { niftiFloats, niftiGeometry } from './nifti.js';

// niivue's "jet" (its src/cmaps/jet.json): colours at the indices I, linear between them.
const JET = { R: [0, 0, 127, 255, 127], G: [0, 127, 255, 127, 0], B: [127, 255, 127, 0, 0], I: [0, 63, 128, 192, 255] };

function jetTable() {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; ++i) {
    let k = 0;
    while (k < JET.I.length - 2 && i > JET.I[k + 1]) ++k;
    const t = (i - JET.I[k]) / (JET.I[k + 1] - JET.I[k]);
    for (const [c, channel] of [JET.R, JET.G, JET.B].entries()) table[3 * i + c] = Math.round(channel[k] + t * (channel[k + 1] - channel[k]));
  }
  return table;
}

// The inverse of a geometry's sform: world (RAS mm) -> fractional voxel
// coordinates, as rows [a, b, c, d] (i = a·x + b·y + c·z + d); null when singular.
function worldToVoxel(g) {
  const m = g.rows.map((r) => r.slice(0, 3)), t = g.rows.map((r) => r[3]);
  const det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (!det) return null;
  const inv = [
    [(m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det, (m[0][2] * m[2][1] - m[0][1] * m[2][2]) / det, (m[0][1] * m[1][2] - m[0][2] * m[1][1]) / det],
    [(m[1][2] * m[2][0] - m[1][0] * m[2][2]) / det, (m[0][0] * m[2][2] - m[0][2] * m[2][0]) / det, (m[0][2] * m[1][0] - m[0][0] * m[1][2]) / det],
    [(m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det, (m[0][1] * m[2][0] - m[0][0] * m[2][1]) / det, (m[0][0] * m[1][1] - m[0][1] * m[1][0]) / det],
  ];
  return inv.map((r) => [...r, -(r[0] * t[0] + r[1] * t[1] + r[2] * t[2])]);
}

// A tile's pixels -> voxel indices of one grid (nearest voxel, -1 outside):
// the world point of pixel (u, v) is origin + u·du + v·dv (mm), so each voxel
// coordinate is linear in u and v.
function pixelToVoxel(toVoxel, dims, origin, du, dv) {
  const lin = toVoxel.map((r) => {
    const at = (w) => r[0] * w[0] + r[1] * w[1] + r[2] * w[2];
    return [at(origin) + r[3], at(du), at(dv)];
  });
  const [nx, ny, nz] = dims;
  return (u, v) => {
    const i = Math.round(lin[0][0] + u * lin[0][1] + v * lin[0][2]);
    const j = Math.round(lin[1][0] + u * lin[1][1] + v * lin[1][2]);
    const k = Math.round(lin[2][0] + u * lin[2][1] + v * lin[2][2]);
    return i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz ? -1 : i + nx * (j + ny * k);
  };
}

// The world box (RAS mm) of a grid: the outer faces of its corner voxels.
function worldBox(g) {
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const i of [-0.5, g.dims[0] - 0.5]) for (const j of [-0.5, g.dims[1] - 0.5]) for (const k of [-0.5, g.dims[2] - 0.5]) {
    g.rows.forEach((r, a) => {
      const w = r[0] * i + r[1] * j + r[2] * k + r[3];
      lo[a] = Math.min(lo[a], w);
      hi[a] = Math.max(hi[a], w);
    });
  }
  return { lo, hi };
}

// Draws the preview on `canvas` (sized here to its box on the page) from the
// fetched volumes `buffers` (ct, dose_per_gbq_1 for the dose grid) and the
// summed dose `dose` (Gy, on the dose grid). `ctWindow` [lowest, highest] HU,
// `doseRange` [lowest, highest] Gy of the colour map, `opacity` of the dose.
// Returns false, having drawn nothing, when a volume has no sform.
export function drawPreview(canvas, buffers, dose, { ctWindow, doseRange, opacity }) {
  const ctGeometry = niftiGeometry(buffers.ct), doseGeometry = niftiGeometry(buffers.dose_per_gbq_1);
  if (!ctGeometry || !doseGeometry) return false;
  const ctToVoxel = worldToVoxel(ctGeometry), doseToVoxel = worldToVoxel(doseGeometry);
  if (!ctToVoxel || !doseToVoxel) return false;
  const ct = niftiFloats(buffers.ct, 'ct');
  // Half the box's CSS pixels (stretched to it by the page's style): about 2 mm
  // per pixel for the demo at the usual size (finer than its 4.42 mm voxels,
  // coarser than a clinical CT's), and a quarter of the work on the page's
  // thread while niivue's module is evaluated there.
  const W = Math.max(1, Math.round(canvas.clientWidth / 2)), H = Math.max(1, Math.round(canvas.clientHeight / 2));
  canvas.width = W;
  canvas.height = H;
  const { lo, hi } = worldBox(ctGeometry);
  const centre = [0, 1, 2].map((a) => (lo[a] + hi[a]) / 2);
  const [X, Y, Z] = [0, 1, 2].map((a) => hi[a] - lo[a]);
  // niivue's 2x2 layout: columns X and Y wide, rows Z and Y high, one scale, centred.
  const mmToPx = Math.min(W / (X + Y), H / (Z + Y));
  const left = (W - mmToPx * (X + Y)) / 2, top = (H - mmToPx * (Z + Y)) / 2;
  // Each tile: its place on the canvas, its size (mm), the world point of its
  // top-left corner and the world step (mm) of one pixel right and one pixel down.
  const s = 1 / mmToPx;
  const tiles = [
    { x0: left, y0: top, w: X, h: Z, origin: [lo[0], centre[1], hi[2]], du: [s, 0, 0], dv: [0, 0, -s] },                // coronal: left on the left, superior up
    { x0: left + mmToPx * X, y0: top, w: Y, h: Z, origin: [centre[0], lo[1], hi[2]], du: [0, s, 0], dv: [0, 0, -s] },   // sagittal: posterior on the left
    { x0: left, y0: top + mmToPx * Z, w: X, h: Y, origin: [lo[0], hi[1], centre[2]], du: [s, 0, 0], dv: [0, -s, 0] },   // axial: anterior up
  ];
  const image = new ImageData(W, H);
  const px = image.data;
  for (let i = 3; i < px.length; i += 4) px[i] = 255;  // black, opaque
  const jet = jetTable();
  const [ctLo, ctHi] = ctWindow, [dLo, dHi] = doseRange;
  for (const t of tiles) {
    const x0 = Math.round(t.x0), y0 = Math.round(t.y0);
    const w = Math.min(W - x0, Math.round(t.w * mmToPx)), h = Math.min(H - y0, Math.round(t.h * mmToPx));
    const centreOf = (o) => o.map((x, a) => x + (t.du[a] + t.dv[a]) / 2);  // pixel centres
    const ctAt = pixelToVoxel(ctToVoxel, ctGeometry.dims, centreOf(t.origin), t.du, t.dv);
    const doseAt = pixelToVoxel(doseToVoxel, doseGeometry.dims, centreOf(t.origin), t.du, t.dv);
    for (let v = 0; v < h; ++v) for (let u = 0; u < w; ++u) {
      const c = ctAt(u, v);
      if (c < 0) continue;
      let r = 255 * Math.min(1, Math.max(0, (ct[c] - ctLo) / (ctHi - ctLo)));
      let g = r, b = r;
      const d = doseAt(u, v);
      if (d >= 0 && dose[d] >= dLo) {
        const k = 3 * Math.round(255 * Math.min(1, (dose[d] - dLo) / (dHi - dLo)));
        r += opacity * (jet[k] - r);
        g += opacity * (jet[k + 1] - g);
        b += opacity * (jet[k + 2] - b);
      }
      const o = 4 * ((y0 + v) * W + x0 + u);
      px[o] = r; px[o + 1] = g; px[o + 2] = b;
    }
  }
  canvas.getContext('2d').putImageData(image, 0, 0);
  return true;
}
