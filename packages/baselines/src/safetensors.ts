/**
 * Reading and writing the safetensors format (huggingface/safetensors): an 8-byte little-endian
 * header length N, N bytes of JSON header `{name: {dtype, shape, data_offsets: [start, end]},
 * "__metadata__": {string: string}}` (padded with spaces to a multiple of 8), then the raw
 * little-endian tensor bytes, offsets relative to the end of the header.
 */

import { DataFormatError, InvalidArgumentError } from '@judgekit/core';

/** Tensor dtypes this module reads; it writes F32 and F64. */
export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16';

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2 };

/** One tensor: float64 values with a shape (and the dtype it was or will be stored as). */
export interface NamedTensor {
  data: Float64Array | Float32Array;
  shape: readonly number[];
  /** Storage dtype when writing (default: F32 for Float32Array data, F64 otherwise). */
  dtype?: SafetensorsDtype;
}

/** A decoded file: tensors (values widened to float64) and the string metadata. */
export interface SafetensorsFile {
  tensors: Record<string, { data: Float64Array; shape: number[]; dtype: SafetensorsDtype }>;
  metadata: Record<string, string>;
}

function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Encode tensors (and string metadata) as safetensors bytes. Tensors are laid out in key order. */
export function encodeSafetensors(
  tensors: Record<string, NamedTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  const names = Object.keys(tensors).sort();
  const plan: { name: string; dtype: SafetensorsDtype; start: number }[] = [];
  for (const name of names) {
    if (name === '__metadata__')
      throw new InvalidArgumentError('tensors', 'a tensor may not be named __metadata__');
    const t = tensors[name]!;
    const dtype = t.dtype ?? (t.data instanceof Float32Array ? 'F32' : 'F64');
    if (dtype !== 'F32' && dtype !== 'F64') {
      throw new InvalidArgumentError('dtype', `writing ${dtype} is not supported (use F32 or F64)`);
    }
    const n = numelOf(t.shape);
    if (n !== t.data.length) {
      throw new InvalidArgumentError(
        name,
        `shape [${t.shape.join(', ')}] holds ${n} values, data has ${t.data.length}`,
      );
    }
    const size = n * BYTES[dtype];
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + size] };
    plan.push({ name, dtype, start: offset });
    offset += size;
  }
  let json = JSON.stringify(header);
  const enc = new TextEncoder();
  let hb = enc.encode(json);
  const pad = (8 - (hb.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    hb = enc.encode(json);
  }
  const out = new Uint8Array(8 + hb.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  const base = 8 + hb.length;
  for (const { name, dtype, start } of plan) {
    const data = tensors[name]!.data;
    let o = base + start;
    if (dtype === 'F64') {
      for (let i = 0; i < data.length; i++, o += 8) view.setFloat64(o, data[i]!, true);
    } else {
      for (let i = 0; i < data.length; i++, o += 4) view.setFloat32(o, data[i]!, true);
    }
  }
  return out;
}

function f16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/**
 * Decode safetensors bytes. `file` names the source in errors. Any structural problem (short
 * file, bad header length or JSON, unknown dtype, offsets outside the data or not matching the
 * shape, overlapping or missing byte ranges) raises `DataFormatError` saying what is wrong.
 */
export function decodeSafetensors(bytes: Uint8Array, file = '<safetensors>'): SafetensorsFile {
  const fail = (problem: string, field?: string): never => {
    throw new DataFormatError(field === undefined ? { file } : { file, field }, problem);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = view.getBigUint64(0, true);
  if (hlen > BigInt(bytes.length - 8)) fail(`header length ${hlen} exceeds the file size ${bytes.length}`);
  const n = Number(hlen);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header is not a JSON object');
  const base = 8 + n;
  const dataLen = bytes.length - base;
  const out: SafetensorsFile = { tensors: {}, metadata: {} };
  const ranges: [number, number, string][] = [];
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        fail('__metadata__ is not an object', name);
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`metadata value of "${k}" is not a string`, `__metadata__.${k}`);
        out.metadata[k] = v as string;
      }
      continue;
    }
    if (typeof entry !== 'object' || entry === null) fail('tensor entry is not an object', name);
    const { dtype, shape, data_offsets } = entry as Record<string, unknown>;
    if (typeof dtype !== 'string' || !(dtype in BYTES)) {
      fail(`unsupported dtype ${JSON.stringify(dtype)} (expected F64, F32, F16 or BF16)`, `${name}.dtype`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      fail('shape is not a list of non-negative integers', `${name}.shape`);
    }
    if (
      !Array.isArray(data_offsets) ||
      data_offsets.length !== 2 ||
      !data_offsets.every((d) => Number.isInteger(d) && d >= 0) ||
      data_offsets[0] > data_offsets[1]
    ) {
      fail('data_offsets is not [start, end] with 0 ≤ start ≤ end', `${name}.data_offsets`);
    }
    const [start, end] = data_offsets as [number, number];
    const dt = dtype as SafetensorsDtype;
    const count = numelOf(shape as number[]);
    if (end > dataLen)
      fail(`data_offsets end ${end} is past the ${dataLen} data bytes`, `${name}.data_offsets`);
    if (end - start !== count * BYTES[dt]) {
      fail(
        `data_offsets span ${end - start} bytes but shape [${(shape as number[]).join(', ')}] of ${dt} needs ${count * BYTES[dt]}`,
        `${name}.data_offsets`,
      );
    }
    const data = new Float64Array(count);
    const tmp = new DataView(new ArrayBuffer(4));
    let o = base + start;
    for (let i = 0; i < count; i++) {
      if (dt === 'F64') data[i] = view.getFloat64(o, true);
      else if (dt === 'F32') data[i] = view.getFloat32(o, true);
      else if (dt === 'BF16') {
        tmp.setUint32(0, view.getUint16(o, true) << 16, true);
        data[i] = tmp.getFloat32(0, true);
      } else data[i] = f16ToNumber(view.getUint16(o, true));
      o += BYTES[dt];
    }
    out.tensors[name] = { data, shape: [...(shape as number[])], dtype: dt };
    ranges.push([start, end, name]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let pos = 0;
  for (const [s, e, name] of ranges) {
    if (s !== pos)
      fail(s < pos ? `byte range overlaps the previous tensor` : `hole in the data before this tensor`, name);
    pos = e;
  }
  if (pos !== dataLen) fail(`${dataLen - pos} trailing bytes after the last tensor`);
  return out;
}
