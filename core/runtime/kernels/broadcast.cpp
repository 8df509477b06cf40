#include "runtime/kernels/broadcast.h"

#include "runtime/kernels/shape_util.h"

#include <algorithm>

namespace bg {

std::optional<Shape> broadcastShapesOf(const std::vector<Shape>& shapes, std::string& why)
{
    size_t rank = 0;
    for (const Shape& s : shapes)
        rank = std::max(rank, s.size());
    Shape out(rank, 1);
    for (const Shape& s : shapes) {
        const size_t lead = rank - s.size();
        for (size_t d = 0; d < s.size(); ++d) {
            int64_t& o = out[lead + d];
            const int64_t v = s[d];
            if (v == o || v == 1)
                continue;
            if (o == 1) {
                o = v;
                continue;
            }
            std::string list;
            for (const Shape& t : shapes)
                list += (list.empty() ? "" : " and ") + shapeToString(t);
            why = "cannot broadcast shapes " + list + " (dimension " + std::to_string(lead + d) + ": "
                + std::to_string(o) + " vs " + std::to_string(v) + ")";
            return std::nullopt;
        }
    }
    return out;
}

Shape broadcastShapes(const KernelContext& ctx, const std::vector<Shape>& shapes)
{
    std::string why;
    const std::optional<Shape> out = broadcastShapesOf(shapes, why);
    if (!out)
        ctx.fail(ErrorCode::ShapeMismatch, why);
    checkedNumel(ctx, *out, "broadcast output");
    return *out;
}

std::vector<int64_t> broadcastStrides(const Shape& in, const Shape& out)
{
    std::vector<int64_t> strides(out.size(), 0);
    const std::vector<int64_t> own = shapeStrides(in);
    const size_t lead = out.size() - in.size();
    for (size_t d = 0; d < in.size(); ++d)
        strides[lead + d] = in[d] == 1 ? 0 : own[d];
    return strides;
}

BroadcastRows broadcastRows(const Shape& sa, const Shape& sb, const Shape& out)
{
    const std::array<std::vector<int64_t>, 2> full{broadcastStrides(sa, out), broadcastStrides(sb, out)};
    // Merge from the right: dim d joins the group to its right when, for both operands, stepping d
    // once is stepping the whole group once. Dims of size 1 merge with anything.
    BroadcastRows r;
    std::vector<int64_t> dims;  // merged, innermost first
    std::array<std::vector<int64_t>, 2> st;
    for (size_t i = out.size(); i-- > 0;) {
        const int64_t n = out[i];
        if (n == 1)
            continue;
        if (!dims.empty()) {
            bool merges = true;
            for (size_t k = 0; k < 2; ++k)
                merges = merges && full[k][i] == st[k].back() * dims.back();
            if (merges) {
                dims.back() *= n;
                continue;
            }
        }
        dims.push_back(n);
        for (size_t k = 0; k < 2; ++k)
            st[k].push_back(full[k][i]);
    }
    if (dims.empty())
        return r;  // a single element
    r.row = dims.front();
    for (size_t k = 0; k < 2; ++k)
        r.rowStride[k] = st[k].front();
    for (size_t j = dims.size(); j-- > 1;) {
        r.outer.push_back(dims[j]);
        for (size_t k = 0; k < 2; ++k)
            r.strides[k].push_back(st[k][j]);
    }
    return r;
}

bool broadcastsTo(const Shape& from, const Shape& to)
{
    if (from.size() > to.size())
        return false;
    const size_t lead = to.size() - from.size();
    for (size_t d = 0; d < from.size(); ++d)
        if (from[d] != 1 && from[d] != to[lead + d])
            return false;
    return true;
}

} // namespace bg
