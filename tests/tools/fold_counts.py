#!/usr/bin/python3
"""Independent check of QUANT_SPEC §1, §2, §4, §5: counts Conv->BatchNormalization pairs of an ONNX
model and their out-of-range merged biases, with its own protobuf reader and numpy arithmetic
(no code shared with BiasGuard's C++ core).

usage: fold_counts.py MODEL.onnx RANGES.json --weight-bits N --bias-bits N [--activation-bits N]
                      [--granularity per_channel|per_tensor]
RANGES.json: {"tensor name": [min, max], ...}. Prints one JSON object:
{"pairs", "channels", "out_of_range", "crushed", "max_bits"}.
Handles Conv (the PaddleOCR models' only linear kind); other linear kinds make the BN standalone here.
"""
import argparse
import json
import math
import struct
import sys

import numpy as np


def varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def fields(buf):
    """Yields (field number, wire type, value) of one protobuf message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, pos = varint(buf, pos)
        elif wt == 1:
            val = buf[pos:pos + 8]
            pos += 8
        elif wt == 2:
            n, pos = varint(buf, pos)
            val = buf[pos:pos + n]
            pos += n
        elif wt == 5:
            val = buf[pos:pos + 4]
            pos += 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        yield num, wt, val


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def tensor(buf):
    dims, dtype, raw, floats, name = [], 1, None, [], ""
    for num, wt, val in fields(buf):
        if num == 1:
            if wt == 2:  # packed
                p = 0
                while p < len(val):
                    d, p = varint(val, p)
                    dims.append(signed64(d))
            else:
                dims.append(signed64(val))
        elif num == 2:
            dtype = val
        elif num == 4:
            floats.extend(struct.unpack("<%df" % (len(val) // 4), val) if wt == 2 else struct.unpack("<f", val))
        elif num == 8:
            name = val.decode()
        elif num == 9:
            raw = val
    if dtype != 1:
        return name, None  # only float32 constants matter here
    arr = np.frombuffer(raw, dtype="<f4") if raw is not None else np.array(floats, dtype=np.float32)
    return name, arr.astype(np.float64).reshape(dims)


def attribute(buf):
    name, a = "", {}
    for num, wt, val in fields(buf):
        if num == 1:
            name = val.decode()
        elif num == 2:
            a["f"] = struct.unpack("<f", val)[0]
        elif num == 3:
            a["i"] = signed64(val)
        elif num == 5:
            a["t"] = tensor(val)[1]
    return name, a


def node(buf):
    n = {"inputs": [], "outputs": [], "name": "", "op": "", "domain": "", "attrs": {}}
    for num, wt, val in fields(buf):
        if num == 1:
            n["inputs"].append(val.decode())
        elif num == 2:
            n["outputs"].append(val.decode())
        elif num == 3:
            n["name"] = val.decode()
        elif num == 4:
            n["op"] = val.decode()
        elif num == 5:
            k, a = attribute(val)
            n["attrs"][k] = a
        elif num == 7:
            n["domain"] = val.decode()
    return n


def load(path):
    data = open(path, "rb").read()
    graph = next(val for num, wt, val in fields(data) if num == 7)
    nodes, consts, outputs = [], {}, set()
    for num, wt, val in fields(graph):
        if num == 1:
            nodes.append(node(val))
        elif num == 5:
            name, arr = tensor(val)
            consts[name] = arr
        elif num == 12:
            outputs.add(next(v.decode() for n, w, v in fields(val) if n == 1))
    real = []
    for n in nodes:
        if n["op"] == "Constant" and "value" in n["attrs"]:
            consts[n["outputs"][0]] = n["attrs"]["value"]["t"]
        else:
            real.append(n)
    return real, consts, outputs


def bits(q):
    k = 1
    while not (-(2 ** (k - 1)) <= q <= 2 ** (k - 1) - 1):
        k += 1
    return k


def act_scale(lo, hi, n_a):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    return 1.0 if hi == lo else (hi - lo) / (2 ** n_a - 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("ranges")
    ap.add_argument("--weight-bits", type=int, default=4)
    ap.add_argument("--bias-bits", type=int, default=16)
    ap.add_argument("--activation-bits", type=int, default=8)
    ap.add_argument("--granularity", default="per_channel")
    args = ap.parse_args()
    nodes, consts, outputs = load(args.model)
    ranges = json.load(open(args.ranges))
    producer = {o: n for n in nodes for o in n["outputs"]}
    readers = {}
    for n in nodes:
        for i in n["inputs"]:
            readers[i] = readers.get(i, 0) + 1
    qw = 2 ** (args.weight_bits - 1) - 1
    res = {"pairs": 0, "channels": 0, "out_of_range": 0, "crushed": 0, "max_bits": 0}
    for bn in nodes:
        if bn["op"] != "BatchNormalization":
            continue
        x = bn["inputs"][0]
        conv = producer.get(x)
        if conv is None or conv["op"] != "Conv" or readers.get(x) != 1 or x in outputs:
            continue
        if bn["attrs"].get("training_mode", {}).get("i", 0) != 0:
            continue
        names = [conv["inputs"][1]] + bn["inputs"][1:5] + conv["inputs"][2:3]
        if any(consts.get(k) is None for k in names):
            continue
        w = consts[conv["inputs"][1]]
        c_out = w.shape[0]
        gamma, beta, mean, var = (consts[k].reshape(-1) for k in bn["inputs"][1:5])
        b = consts[conv["inputs"][2]].reshape(-1) if len(conv["inputs"]) > 2 and conv["inputs"][2] else np.zeros(c_out)
        eps = bn["attrs"].get("epsilon", {}).get("f", struct.unpack("<f", struct.pack("<f", 1e-5))[0])
        a = gamma / np.sqrt(var + eps)                      # §2
        wf = w.reshape(c_out, -1) * a[:, None]
        bf = a * (b - mean) + beta
        m = np.abs(wf).max(axis=1)
        if args.granularity == "per_tensor":
            m = np.full_like(m, m.max())
        sw = np.where(m == 0, 1.0, m / qw)                   # §4
        lo, hi = ranges[conv["inputs"][0]]
        sx = act_scale(lo, hi, args.activation_bits)
        B = bf / (sw * sx)                                   # §5
        q = np.sign(B) * np.floor(np.abs(B) + 0.5)
        for c in range(c_out):
            k = bits(int(q[c]))
            res["max_bits"] = max(res["max_bits"], k)
            res["out_of_range"] += k > args.bias_bits
            if args.granularity == "per_tensor":
                qc = np.clip(np.sign(wf[c] / sw[c]) * np.floor(np.abs(wf[c] / sw[c]) + 0.5), -qw, qw)
                res["crushed"] += bool(np.any(wf[c] != 0) and np.all(qc == 0))
        res["pairs"] += 1
        res["channels"] += int(c_out)
    json.dump(res, sys.stdout)
    print()


if __name__ == "__main__":
    main()
