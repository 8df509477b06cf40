"""The two ONNX TensorProto forms the demo needs, without the onnx package: a float tensor written
as dims + data_type + name + raw_data (what BiasGuard and ONNX Runtime read), and a reader for
float outputs (raw_data or float_data). Shared by train_slimmed_demo.py and accuracy.py."""
import struct


def _varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def encode_float_tensor(name, dims, floats_le_bytes):
    """floats_le_bytes: the little-endian float32 data, row-major, product(dims) values."""
    out = bytearray()
    for d in dims:
        out += b"\x08" + _varint(d)          # field 1 dims (int64, unpacked)
    out += b"\x10" + _varint(1)              # field 2 data_type = FLOAT
    name_bytes = name.encode()
    out += b"\x42" + _varint(len(name_bytes)) + name_bytes         # field 8 name
    out += b"\x4a" + _varint(len(floats_le_bytes)) + floats_le_bytes  # field 9 raw_data
    return bytes(out)


def _read_varint(buf, pos):
    shift = result = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def decode_float_tensor(buf):
    """Returns (dims, list of floats). Raises ValueError for a non-float tensor."""
    dims, floats, raw, dtype = [], [], None, 1
    pos = 0
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(buf, pos)
            if field == 1:
                dims.append(value)
            elif field == 2:
                dtype = value
        elif wire == 2:
            length, pos = _read_varint(buf, pos)
            chunk = buf[pos:pos + length]
            pos += length
            if field == 1:  # packed dims
                p = 0
                while p < len(chunk):
                    v, p = _read_varint(chunk, p)
                    dims.append(v)
            elif field == 4:  # packed float_data
                floats.extend(struct.unpack("<%df" % (len(chunk) // 4), chunk))
            elif field == 9:
                raw = chunk
        elif wire == 5:
            if field == 4:
                floats.append(struct.unpack("<f", buf[pos:pos + 4])[0])
            pos += 4
        elif wire == 1:
            pos += 8
        else:
            raise ValueError("unsupported protobuf wire type %d" % wire)
    if dtype != 1:
        raise ValueError("tensor data_type %d is not FLOAT" % dtype)
    if raw is not None:
        floats = list(struct.unpack("<%df" % (len(raw) // 4), raw))
    return dims, floats
