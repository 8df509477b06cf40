// Minimal ONNX TensorProto reader/writer (protobuf wire format) for float32 and int64 tensors,
// so this tool needs nothing but onnxruntime-node. Field numbers from onnx.proto:
// dims=1 (int64, packed or not), data_type=2, float_data=4, int64_data=7, name=8, raw_data=9.
import fs from 'node:fs';

function readVarint(buf, pos) {
  let result = 0n, shift = 0n;
  for (;;) {
    const b = buf[pos++];
    result |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) return [result, pos];
    shift += 7n;
  }
}

export function readTensorProto(path) {
  const buf = fs.readFileSync(path);
  let pos = 0, dims = [], dataType = 1, name = '', raw = null, floats = [], ints = [];
  while (pos < buf.length) {
    let key; [key, pos] = readVarint(buf, pos);
    const field = Number(key >> 3n), wire = Number(key & 7n);
    if (wire === 0) {
      let v; [v, pos] = readVarint(buf, pos);
      if (field === 1) dims.push(Number(v));
      else if (field === 2) dataType = Number(v);
      else if (field === 7) ints.push(BigInt.asIntN(64, v));
    } else if (wire === 2) {
      let len; [len, pos] = readVarint(buf, pos); len = Number(len);
      const bytes = buf.subarray(pos, pos + len); pos += len;
      if (field === 8) name = bytes.toString('utf8');
      else if (field === 9) raw = bytes;
      else if (field === 1) { let p = 0; while (p < bytes.length) { let v; [v, p] = readVarint(bytes, p); dims.push(Number(v)); } }
      else if (field === 4) for (let p = 0; p < bytes.length; p += 4) floats.push(bytes.readFloatLE(p));
      else if (field === 7) { let p = 0; while (p < bytes.length) { let v; [v, p] = readVarint(bytes, p); ints.push(BigInt.asIntN(64, v)); } }
    } else if (wire === 5) { if (field === 4) floats.push(buf.readFloatLE(pos)); pos += 4; }
    else if (wire === 1) pos += 8;
    else throw new Error(`${path}: unsupported wire type ${wire}`);
  }
  if (dataType === 1) {
    const data = raw ? new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)) : Float32Array.from(floats);
    return { name, dims, type: 'float32', data };
  }
  if (dataType === 7) {
    const data = raw ? new BigInt64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)) : BigInt64Array.from(ints);
    return { name, dims, type: 'int64', data };
  }
  throw new Error(`${path}: data_type ${dataType} not supported by this tool`);
}

function varint(n) {
  let v = BigInt.asUintN(64, BigInt(n)); const out = [];
  while (v >= 0x80n) { out.push(Number((v & 0x7fn) | 0x80n)); v >>= 7n; }
  out.push(Number(v));
  return Buffer.from(out);
}

export function writeTensorProto(path, name, dims, type, data) {
  const parts = [];
  for (const d of dims) parts.push(varint(1 << 3), varint(d));
  parts.push(varint(2 << 3), varint(type === 'float32' ? 1 : 7));
  const nameBytes = Buffer.from(name, 'utf8');
  parts.push(varint((8 << 3) | 2), varint(nameBytes.length), nameBytes);
  const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  parts.push(varint((9 << 3) | 2), varint(raw.length), raw);
  const tmp = `${path}.tmp${process.pid}`;
  fs.writeFileSync(tmp, Buffer.concat(parts));
  fs.renameSync(tmp, path);
}
