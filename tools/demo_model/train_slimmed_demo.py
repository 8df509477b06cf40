#!/usr/bin/python3
"""Makes BiasGuard's trained demo: resources/models/demo/trained_slimmed_cnn.onnx, its labelled test
set and its calibration set.

A synthetic labelled image dataset (10 classes of procedural patterns, 3x24x24, every sample made
from its own seeded numpy RandomState) and a small CNN (four Conv-BN-ReLU blocks, global average
pool, a Gemm head with [1, 10] logits) trained with network slimming (Liu et al. 2017: an L1
penalty on the BatchNorm γ, so that many γ end near zero). The β start at --beta-init (> 0) and
are not penalised, so a slimmed channel (γ ≈ 0) outputs the constant ReLU(β) that the next layer
reads: the next BN's running mean and the head's bias were learned with it. Folding such a BN
divides β by a tiny fold factor and the merged bias overflows a 16-bit register; clamping it
removes that constant and shifts every downstream layer, which costs task accuracy.

Requirements (a dev-only dependency, not needed to build or test BiasGuard):
    apt-get install python3-torch     # Debian 12: torch 1.13 for /usr/bin/python3 (not pyenv's)

Usage:
    /usr/bin/python3 tools/demo_model/train_slimmed_demo.py [--out-dir resources/models/demo]
        [--data-only] [--epochs N] [--l1 L] [--beta-init B] [--train-samples N]

Writes OUT/trained_slimmed_cnn.onnx (opset 13, BatchNormalization kept unfolded),
OUT/testset/test_data_set_K/input_0.pb (K < --test-samples) with OUT/testset/labels.json (the class
of each, in folder order) and OUT/calib/test_data_set_K/input_0.pb (K < --calib-samples).
--data-only writes only the two sets (no torch needed beyond numpy; seconds). Deterministic: fixed
seeds, one thread, torch.use_deterministic_algorithms(True); the data bytes are the same on every run.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tensor_proto import encode_float_tensor  # noqa: E402

SIZE = 24
CLASSES = 10
CLASS_NAMES = ["h-stripes", "v-stripes", "diag", "anti-diag", "checker", "rings", "disc", "square",
               "cross", "dots"]
# Every split draws sample i from RandomState(base + i): any sample can be remade alone.
SEED_TRAIN, SEED_TEST, SEED_CALIB = 1_000_000, 2_000_000, 3_000_000


def pattern(cls, rng, yy, xx):
    """The class's mask in [0, 1] over the unit square: random frequency, phase, position, size."""
    f = rng.uniform(2.5, 5.0)
    ph = rng.uniform(0, 2 * np.pi)
    cy, cx = rng.uniform(0.3, 0.7, size=2)
    two_pi = 2 * np.pi
    if cls == 0:
        return np.sin(two_pi * f * yy + ph) > 0
    if cls == 1:
        return np.sin(two_pi * f * xx + ph) > 0
    if cls == 2:
        return np.sin(two_pi * f * (xx + yy) / np.sqrt(2) + ph) > 0
    if cls == 3:
        return np.sin(two_pi * f * (xx - yy) / np.sqrt(2) + ph) > 0
    if cls == 4:
        return np.sin(two_pi * f * xx + ph) * np.sin(two_pi * f * yy + rng.uniform(0, 2 * np.pi)) > 0
    r = np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2)
    if cls == 5:
        return np.sin(two_pi * f * r + ph) > 0
    if cls == 6:
        return r < rng.uniform(0.15, 0.3)
    if cls == 7:
        h = rng.uniform(0.12, 0.25)
        return (np.abs(yy - cy) < h) & (np.abs(xx - cx) < h)
    if cls == 8:
        w = rng.uniform(0.05, 0.1)
        return (np.abs(yy - cy) < w) | (np.abs(xx - cx) < w)
    return (np.sin(two_pi * f * xx + ph) > 0.6) & (np.sin(two_pi * f * yy + rng.uniform(0, 2 * np.pi)) > 0.6)


def make_sample(seed):
    """(image [3, SIZE, SIZE] float32 in about [-1, 1], label)."""
    rng = np.random.RandomState(seed)
    label = int(rng.randint(CLASSES))
    yy, xx = np.meshgrid(np.arange(SIZE) / SIZE, np.arange(SIZE) / SIZE, indexing="ij")
    mask = pattern(label, rng, yy, xx).astype(np.float64)
    fg = rng.uniform(0.55, 1.0, size=3)
    bg = rng.uniform(0.0, 0.45, size=3)
    if rng.randint(2):
        fg, bg = bg, fg
    img = bg[:, None, None] + (fg - bg)[:, None, None] * mask[None]
    img = img + rng.normal(0.0, 0.12, size=img.shape)
    return ((img - 0.5) / 0.5).astype(np.float32), label


def make_split(base, count):
    images, labels = zip(*(make_sample(base + i) for i in range(count)))
    return np.stack(images), list(labels)


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def write_set(folder, images):
    for k, img in enumerate(images):
        d = os.path.join(folder, "test_data_set_%d" % k)
        os.makedirs(d, exist_ok=True)
        raw = np.ascontiguousarray(img[None], dtype="<f4").tobytes()
        write_atomic(os.path.join(d, "input_0.pb"), encode_float_tensor("image", [1, 3, SIZE, SIZE], raw))


def build_model(torch, beta_init, weight_bits):
    nn = torch.nn
    F = nn.functional
    qmax = 2 ** (weight_bits - 1) - 1 if weight_bits else 0

    def fake_quant(w):
        """Per output channel, symmetric narrow range, straight-through gradient (weight_bits 0: w)."""
        if not qmax:
            return w
        scale = (w.detach().abs().amax(dim=tuple(range(1, w.dim())), keepdim=True) / qmax).clamp_min(1e-12)
        return w + (torch.clamp(torch.round(w / scale), -qmax, qmax) * scale - w).detach()

    class Block(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn = nn.BatchNorm2d(cout)
            nn.init.constant_(self.bn.bias, beta_init)
            self.fake_quant = True

        def forward(self, x):
            w = fake_quant(self.conv.weight) if self.fake_quant else self.conv.weight
            return F.relu(self.bn(F.conv2d(x, w, None, self.conv.stride, self.conv.padding)))

    block = Block

    class Head(nn.Linear):
        fake_quant = True

        def forward(self, x):
            return F.linear(x, fake_quant(self.weight) if self.fake_quant else self.weight, self.bias)

    class SlimmedCnn(nn.Module):
        def __init__(self):
            super().__init__()
            # Named blocks: ONNX node names /conv1/conv/Conv, /conv1/bn/BatchNormalization, ...
            self.conv1, self.conv2 = block(3, 16, 1), block(16, 32, 2)
            self.conv3, self.conv4 = block(32, 32, 2), block(32, 64, 2)
            self.fc = Head(64, CLASSES)

        def forward(self, x):
            x = self.conv4(self.conv3(self.conv2(self.conv1(x))))
            x = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
            return self.fc(x)

    model = SlimmedCnn()
    model.fake_quant = fake_quant
    return model


def bake_weights(torch, model):
    """Writes the fake-quantized weights into the model and drops the fake-quant ops, so the exported
    float model is exactly the one trained (its weights on the per-channel grid of --weight-bits)."""
    with torch.no_grad():
        for m in model.modules():
            if getattr(m, "fake_quant", None) is True:
                weight = m.conv.weight if hasattr(m, "conv") else m.weight
                weight.copy_(model.fake_quant(weight))
                m.fake_quant = False


def train(args, test_x, test_y):
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    t0 = time.time()
    train_x, train_y = make_split(SEED_TRAIN, args.train_samples)
    xs, ys = torch.from_numpy(train_x), torch.tensor(train_y)
    model = build_model(torch, args.beta_init, args.weight_bits)
    bns = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    bn_params = {id(p) for m in bns for p in m.parameters()}
    decay = [p for p in model.parameters() if id(p) not in bn_params]
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4},
                           {"params": [p for m in bns for p in m.parameters()], "weight_decay": 0.0}],
                          lr=args.lr, momentum=0.9)
    steps = args.epochs * ((len(ys) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    gen = torch.Generator().manual_seed(1)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(ys), generator=gen)
        total = 0.0
        for i in range(0, len(ys), args.batch):
            idx = perm[i:i + args.batch]
            loss = torch.nn.functional.cross_entropy(model(xs[idx]), ys[idx])
            total += float(loss) * len(idx)
            loss = loss + args.l1 * sum(m.weight.abs().sum() for m in bns)  # network slimming
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        print("epoch %d: loss %.4f, test accuracy %.1f%%" % (epoch, total / len(ys),
                                                              100 * evaluate(torch, model, test_x, test_y)))
    # Running statistics over the whole training set at the final weights (a cumulative average).
    with torch.no_grad():
        model.train()
        for m in bns:
            m.reset_running_stats()
            m.momentum = None
        for i in range(0, len(ys), 256):
            model(xs[i:i + 256])
    bake_weights(torch, model)
    model.eval()
    print("trained in %.0f s (%d samples, %d epochs, 1 thread)" % (time.time() - t0, len(ys), args.epochs))
    for n, m in enumerate(bns):
        g = m.weight.detach().abs()
        print("bn%d: %d channels, %d with |gamma| < 1e-2, beta of those in [%.2f, %.2f]" % (
            n + 1, len(g), int((g < 1e-2).sum()),
            float(m.bias[g < 1e-2].min()) if (g < 1e-2).any() else 0.0,
            float(m.bias[g < 1e-2].max()) if (g < 1e-2).any() else 0.0))
    print("float test accuracy %.1f%%" % (100 * evaluate(torch, model, test_x, test_y)))
    # A float stand-in for what clamping does to the slimmed channels: their folded output loses β.
    import copy
    proxy = copy.deepcopy(model)
    with torch.no_grad():
        for m in proxy.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.bias[m.weight.abs() < 1e-2] = 0.0
    print("float test accuracy with the beta of |gamma| < 1e-2 channels zeroed %.1f%%"
          % (100 * evaluate(torch, proxy, test_x, test_y)))
    return torch, model


def evaluate(torch, model, xs, ys):
    was = model.training
    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(xs)).argmax(1)
    model.train(was)
    return float((pred == torch.tensor(ys)).float().mean())


def export(torch, model, path):
    # PRESERVE with the model in eval mode keeps BatchNormalization as its own node (EVAL would run
    # the exporter's eval peephole, which folds it into the Conv: nothing left for BiasGuard to find).
    tmp = path + ".tmp"
    torch.onnx.export(model, torch.zeros(1, 3, SIZE, SIZE), tmp, opset_version=13,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False,
                      input_names=["image"], output_names=["logits"])
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    p.add_argument("--out-dir", default=os.path.join(here, "..", "..", "resources", "models", "demo"))
    p.add_argument("--data-only", action="store_true")
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--l1", type=float, default=8.5e-3, help="slimming strength: L1 weight on the BN gamma")
    p.add_argument("--beta-init", type=float, default=0.4)
    p.add_argument("--weight-bits", type=int, default=4,
                   help="quantization-aware training of the weights at this width (BiasGuard's default 4; 0: off)")
    p.add_argument("--train-samples", type=int, default=4000)
    p.add_argument("--test-samples", type=int, default=200)
    p.add_argument("--calib-samples", type=int, default=16)
    args = p.parse_args()

    test_x, test_y = make_split(SEED_TEST, args.test_samples)
    calib_x, _ = make_split(SEED_CALIB, args.calib_samples)
    os.makedirs(args.out_dir, exist_ok=True)
    write_set(os.path.join(args.out_dir, "testset"), test_x)
    write_atomic(os.path.join(args.out_dir, "testset", "labels.json"), (json.dumps(test_y) + "\n").encode())
    write_set(os.path.join(args.out_dir, "calib"), calib_x)
    if args.data_only:
        return
    torch, model = train(args, test_x, test_y)
    export(torch, model, os.path.join(args.out_dir, "trained_slimmed_cnn.onnx"))


if __name__ == "__main__":
    main()
