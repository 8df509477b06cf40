#include "runtime/kernels/conv_geometry.h"

#include <algorithm>
#include <optional>
#include <string>

namespace bg {

namespace {

std::string listToString(const std::vector<int64_t>& v)
{
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i)
        s += (i ? "," : "") + std::to_string(v[i]);
    return s + "]";
}

// An ints attribute of exactly `n` entries, each >= minValue; `fallback` fills it when absent.
std::vector<int64_t> spatialAttr(const KernelContext& ctx, const char* key, size_t n, int64_t fallback,
                                 int64_t minValue)
{
    std::vector<int64_t> v = ctx.node.attrInts(key, std::vector<int64_t>(n, fallback));
    if (v.size() != n)
        ctx.fail(ErrorCode::BadAttribute, std::string(key) + " " + listToString(v) + " must have "
                                              + std::to_string(n) + " entries (one per spatial axis)");
    for (int64_t x : v)
        if (x < minValue)
            ctx.fail(ErrorCode::BadAttribute, std::string(key) + " " + listToString(v) + " must hold values >= "
                                                  + std::to_string(minValue));
    return v;
}

// ONNX pads: all begins, then all ends.
void readPads(const KernelContext& ctx, WindowGeometry& g, bool allowNegative)
{
    const size_t n = g.rank();
    std::vector<int64_t> pads = ctx.node.attrInts("pads", std::vector<int64_t>(2 * n, 0));
    if (pads.size() != 2 * n)
        ctx.fail(ErrorCode::BadAttribute, "pads " + listToString(pads) + " must have " + std::to_string(2 * n)
                                              + " entries (begins then ends)");
    for (int64_t p : pads)
        if (p < 0 && !allowNegative)
            ctx.fail(ErrorCode::BadAttribute, "pads " + listToString(pads) + " must not be negative");
    g.padBegin.assign(pads.begin(), pads.begin() + static_cast<std::ptrdiff_t>(n));
    g.padEnd.assign(pads.begin() + static_cast<std::ptrdiff_t>(n), pads.end());
}

int64_t ceilDiv(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
int64_t floorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

void checkOutput(const KernelContext& ctx, const WindowGeometry& g)
{
    for (size_t i = 0; i < g.rank(); ++i)
        if (g.out[i] <= 0)
            ctx.fail(ErrorCode::ShapeMismatch,
                     "spatial input " + listToString(g.in) + " is too small for kernel " + listToString(g.kernel)
                         + " (dilations " + listToString(g.dilations) + ", pads " + listToString(g.padBegin) + "/"
                         + listToString(g.padEnd) + "): output would be " + listToString(g.out));
}

} // namespace

int64_t WindowGeometry::inSize() const
{
    int64_t n = 1;
    for (int64_t d : in)
        n *= d;
    return n;
}

int64_t WindowGeometry::outSize() const
{
    int64_t n = 1;
    for (int64_t d : out)
        n *= d;
    return n;
}

int64_t WindowGeometry::kernelSize() const
{
    int64_t n = 1;
    for (int64_t d : kernel)
        n *= d;
    return n;
}

AutoPad readAutoPad(const KernelContext& ctx)
{
    const std::string s = ctx.node.attrString("auto_pad", "NOTSET");
    if (s == "NOTSET" || s.empty())
        return AutoPad::NotSet;
    if (s == "VALID")
        return AutoPad::Valid;
    if (s == "SAME_UPPER")
        return AutoPad::SameUpper;
    if (s == "SAME_LOWER")
        return AutoPad::SameLower;
    ctx.fail(ErrorCode::BadAttribute, "auto_pad '" + s + "' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER");
}

std::vector<int64_t> kernelShape(const KernelContext& ctx, const std::vector<int64_t>& fromWeights)
{
    if (!ctx.node.hasAttr("kernel_shape")) {
        if (fromWeights.empty())
            ctx.fail(ErrorCode::BadAttribute, "kernel_shape is required");
        return fromWeights;
    }
    std::vector<int64_t> k = ctx.node.attrInts("kernel_shape", {});
    for (int64_t x : k)
        if (x <= 0)
            ctx.fail(ErrorCode::BadAttribute, "kernel_shape " + listToString(k) + " must be positive");
    if (!fromWeights.empty() && k != fromWeights)
        ctx.fail(ErrorCode::ShapeMismatch,
                 "kernel_shape " + listToString(k) + " does not match the weights' spatial dims "
                     + listToString(fromWeights));
    return k;
}

// The checks and attributes windowed and transposed geometries share: one spatial axis at least,
// a kernel of as many axes, strides, dilations (1 when the operator has none).
static WindowGeometry spatialGeometry(const KernelContext& ctx, const std::vector<int64_t>& inSpatial,
                                      const std::vector<int64_t>& kernel, bool withDilations)
{
    WindowGeometry g;
    const size_t n = inSpatial.size();
    if (n == 0)
        ctx.fail(ErrorCode::ShapeMismatch, "input needs at least one spatial axis (shape N x C x D1 ...)");
    if (kernel.size() != n)
        ctx.fail(ErrorCode::ShapeMismatch, "kernel " + listToString(kernel) + " has " + std::to_string(kernel.size())
                                               + " axes, the input " + std::to_string(n) + " spatial axes");
    g.in = inSpatial;
    g.kernel = kernel;
    g.strides = spatialAttr(ctx, "strides", n, 1, 1);
    g.dilations = withDilations ? spatialAttr(ctx, "dilations", n, 1, 1) : std::vector<int64_t>(n, 1);
    return g;
}

// Windows of stride `stride` that fit a span of `span` positions past the first window (0 when
// even the first does not fit), rounding the last partial step up in ceil mode.
static int64_t windowCount(int64_t span, int64_t stride, bool ceilMode)
{
    if (span < 0)
        return 0;
    return (ceilMode ? ceilDiv(span, stride) : floorDiv(span, stride)) + 1;
}

WindowGeometry windowGeometry(const KernelContext& ctx, const std::vector<int64_t>& inSpatial,
                              const std::vector<int64_t>& kernel, bool ceilMode, bool withDilations)
{
    WindowGeometry g = spatialGeometry(ctx, inSpatial, kernel, withDilations);
    const size_t n = inSpatial.size();
    g.outputPadding.assign(n, 0);
    g.out.assign(n, 0);
    const AutoPad autoPad = readAutoPad(ctx);
    if (autoPad == AutoPad::NotSet) {
        readPads(ctx, g, false);
        for (size_t i = 0; i < n; ++i) {
            int64_t o = windowCount(g.in[i] + g.padBegin[i] + g.padEnd[i] - g.extent(i), g.strides[i], ceilMode);
            // The last window must start inside the input or the begin padding.
            if (ceilMode && o > 0 && (o - 1) * g.strides[i] >= g.in[i] + g.padBegin[i])
                --o;
            g.out[i] = o;
        }
    } else {
        g.padBegin.assign(n, 0);
        g.padEnd.assign(n, 0);
        for (size_t i = 0; i < n; ++i) {
            if (autoPad == AutoPad::Valid) {
                g.out[i] = windowCount(g.in[i] - g.extent(i), g.strides[i], ceilMode);
                continue;
            }
            g.out[i] = ceilDiv(g.in[i], g.strides[i]);
            const int64_t total = std::max<int64_t>(0, (g.out[i] - 1) * g.strides[i] + g.extent(i) - g.in[i]);
            // SAME_UPPER puts the odd extra pad at the end, SAME_LOWER at the beginning.
            const int64_t small = total / 2;
            g.padBegin[i] = autoPad == AutoPad::SameUpper ? small : total - small;
            g.padEnd[i] = total - g.padBegin[i];
        }
    }
    checkOutput(ctx, g);
    return g;
}

WindowGeometry transposeGeometry(const KernelContext& ctx, const std::vector<int64_t>& inSpatial,
                                 const std::vector<int64_t>& kernel)
{
    WindowGeometry g = spatialGeometry(ctx, inSpatial, kernel, true);
    const size_t n = inSpatial.size();
    g.outputPadding = spatialAttr(ctx, "output_padding", n, 0, 0);
    g.out.assign(n, 0);
    const AutoPad autoPad = readAutoPad(ctx);
    const bool same = autoPad == AutoPad::SameUpper || autoPad == AutoPad::SameLower;
    // Output length with no padding at all.
    std::vector<int64_t> full(n);
    for (size_t i = 0; i < n; ++i)
        full[i] = g.strides[i] * (g.in[i] - 1) + g.outputPadding[i] + g.extent(i);

    std::optional<std::vector<int64_t>> outShape = ctx.node.attrIntsOpt("output_shape");
    if (outShape) {
        // output_shape may list N and C too; only the trailing spatial dims matter.
        if (outShape->size() == n + 2)
            outShape->erase(outShape->begin(), outShape->begin() + 2);
        if (outShape->size() != n)
            ctx.fail(ErrorCode::BadAttribute, "output_shape " + listToString(*outShape) + " must have "
                                                  + std::to_string(n) + " spatial entries");
    } else if (same) {
        outShape = std::vector<int64_t>(n);
        for (size_t i = 0; i < n; ++i)
            (*outShape)[i] = g.in[i] * g.strides[i];
    }
    if (outShape) {
        g.out = *outShape;
        g.padBegin.assign(n, 0);
        g.padEnd.assign(n, 0);
        for (size_t i = 0; i < n; ++i) {
            // A negative total (output_shape beyond the full length) extends the end with zeros.
            const int64_t total = full[i] - g.out[i];
            if (total < 0) {
                g.padEnd[i] = total;
                continue;
            }
            const int64_t small = total / 2;
            g.padBegin[i] = autoPad == AutoPad::SameLower ? total - small : small;
            g.padEnd[i] = total - g.padBegin[i];
        }
    } else {
        if (autoPad == AutoPad::Valid) {
            g.padBegin.assign(n, 0);
            g.padEnd.assign(n, 0);
        } else {
            readPads(ctx, g, false);
        }
        for (size_t i = 0; i < n; ++i)
            g.out[i] = full[i] - g.padBegin[i] - g.padEnd[i];
    }
    checkOutput(ctx, g);
    return g;
}

} // namespace bg
