#!/usr/bin/python3
"""Top-1 accuracy of `biasguard-cli run` outputs against the demo's labels.

    accuracy.py LABELS.json OUT_DIR [OUT_DIR ...]

Each OUT_DIR holds test_data_set_K/output_0.pb (as `run --input-dir testset/test_data_set_K`
writes them, one folder per sample) or output_K.pb; prints one line per folder: accuracy and, from
the second folder on, top-1 agreement with the first. Needs only the Python standard library."""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensor_proto import decode_float_tensor  # noqa: E402


def argmaxes(out_dir, count):
    result = []
    for k in range(count):
        path = os.path.join(out_dir, "test_data_set_%d" % k, "output_0.pb")
        if not os.path.exists(path):
            path = os.path.join(out_dir, "output_%d.pb" % k)
        with open(path, "rb") as f:
            _, values = decode_float_tensor(f.read())
        result.append(max(range(len(values)), key=values.__getitem__))
    return result


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        labels = json.load(f)
    first = None
    for out_dir in sys.argv[2:]:
        pred = argmaxes(out_dir, len(labels))
        acc = sum(p == y for p, y in zip(pred, labels)) / len(labels)
        line = "%s: accuracy %.1f%%" % (out_dir, 100 * acc)
        if first is None:
            first = pred
        else:
            agree = sum(a == b for a, b in zip(first, pred)) / len(labels)
            line += ", top-1 agreement with %s %.1f%%" % (sys.argv[2], 100 * agree)
        print(line)


if __name__ == "__main__":
    main()
