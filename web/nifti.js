// NIfTI-1 volumes as the server sends them (sirtkit's plan volumes: float32
// images and integer label maps, written by ITK): the bytes, the voxels and the
// voxel-to-world (RAS, mm) transform. Used by the plan page and its preview.

// A volume's NIfTI-1 bytes. The server sends them with Content-Encoding: gzip
// (inflated by the browser off the page's thread); a body still gzip-compressed
// (a server or proxy without the content coding) is inflated here.
export async function fetchBytes(url) {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
  let buf = await r.arrayBuffer();
  const head = new Uint8Array(buf, 0, 2);
  if (head[0] === 0x1f && head[1] === 0x8b) buf = await new Response(new Blob([buf]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
  return buf;
}

// The voxels of a float32 NIfTI-1 volume (as the server writes them), with scl_slope/inter applied.
export function niftiFloats(buf, name) {
  const v = new DataView(buf);
  if (v.getInt32(0, true) !== 348 || v.getInt16(70, true) !== 16) throw new Error(name + ': not a float32 NIfTI-1');
  const n = v.getInt16(42, true) * v.getInt16(44, true) * v.getInt16(46, true);
  const data = new Float32Array(buf.slice(Math.round(v.getFloat32(108, true)), Math.round(v.getFloat32(108, true)) + 4 * n));
  const slope = v.getFloat32(112, true), inter = v.getFloat32(116, true);
  if (slope && (slope !== 1 || inter)) for (let i = 0; i < n; ++i) data[i] = data[i] * slope + inter;
  return data;
}

// The dimensions and voxels (in the file's type, unscaled) of an integer NIfTI-1 volume (the label map).
export function niftiVoxels(buf, name) {
  const v = new DataView(buf);
  if (v.getInt32(0, true) !== 348) throw new Error(name + ': not a NIfTI-1 file');
  const types = { 2: Uint8Array, 4: Int16Array, 8: Int32Array, 256: Int8Array, 512: Uint16Array, 768: Uint32Array };
  const Type = types[v.getInt16(70, true)];
  if (!Type) throw new Error(name + ': NIfTI datatype ' + v.getInt16(70, true) + ' is not an integer type');
  const dims = [v.getInt16(42, true), v.getInt16(44, true), v.getInt16(46, true)];
  const offset = Math.round(v.getFloat32(108, true));
  return { dims, voxels: new Type(buf.slice(offset, offset + Type.BYTES_PER_ELEMENT * dims[0] * dims[1] * dims[2])) };
}

// The sform of a NIfTI-1 header: voxel (i, j, k) -> world RAS mm as three rows
// [a, b, c, d] (x = a·i + b·j + c·k + d), with the dimensions; null when the
// file has no sform (sform_code 0): then only niivue places the volume.
export function niftiGeometry(buf) {
  const v = new DataView(buf);
  if (v.getInt32(0, true) !== 348 || v.getInt16(254, true) <= 0) return null;
  const rows = [280, 296, 312].map((at) => [0, 1, 2, 3].map((k) => v.getFloat32(at + 4 * k, true)));
  return { dims: [v.getInt16(42, true), v.getInt16(44, true), v.getInt16(46, true)], rows };
}
