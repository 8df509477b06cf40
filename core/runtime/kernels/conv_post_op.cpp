#include "runtime/kernels/conv_post_op.h"

#include <algorithm>
#include <cmath>

namespace bg {

void applyConvPostOp(const ConvPostOp& act, std::span<float> y, int64_t channels, int64_t plane)
{
    switch (act.kind) {
    case ConvPostOpKind::Relu:
        for (float& v : y)
            v = std::max(v, 0.0f);
        return;
    case ConvPostOpKind::Clip:
        for (float& v : y)
            v = std::min(std::max(v, act.alpha), act.beta);
        return;
    case ConvPostOpKind::HardSwish:
        for (float& v : y)
            v = v * std::max(0.0f, std::min(1.0f, v * (1.0f / 6.0f) + 0.5f));
        return;
    case ConvPostOpKind::Sigmoid:
        for (float& v : y) {
            if (v >= 0.0f) {
                v = 1.0f / (1.0f + std::exp(-v));
            } else {
                const float e = std::exp(v);
                v = e / (1.0f + e);
            }
        }
        return;
    case ConvPostOpKind::HardSigmoid:
        for (float& v : y)
            v = std::max(0.0f, std::min(1.0f, act.alpha * v + act.beta));
        return;
    case ConvPostOpKind::Mul:
        for (float& v : y)
            v = v * act.alpha;
        return;
    case ConvPostOpKind::Add:
        for (float& v : y)
            v = v + act.alpha;
        return;
    case ConvPostOpKind::Sub:
        for (float& v : y)
            v = v - act.alpha;
        return;
    case ConvPostOpKind::Div:
        for (float& v : y)
            v = v / act.alpha;
        return;
    case ConvPostOpKind::ChannelMul:
    case ConvPostOpKind::ChannelAdd: {
        const bool mul = act.kind == ConvPostOpKind::ChannelMul;
        for (size_t i = 0; i < y.size(); ++i) {
            const float k = act.channel[static_cast<size_t>((static_cast<int64_t>(i) / plane) % channels)];
            y[i] = mul ? y[i] * k : y[i] + k;
        }
        return;
    }
    }
}

bool isActivation(ConvPostOpKind kind)
{
    return kind != ConvPostOpKind::Mul && kind != ConvPostOpKind::Add && kind != ConvPostOpKind::Sub
        && kind != ConvPostOpKind::Div && kind != ConvPostOpKind::ChannelMul && kind != ConvPostOpKind::ChannelAdd;
}

void applyConvPostOps(const ConvPostOps& ops, std::span<float> y, int64_t channels, int64_t plane)
{
    for (const ConvPostOp& op : ops)
        applyConvPostOp(op, y, channels, plane);
}

} // namespace bg
