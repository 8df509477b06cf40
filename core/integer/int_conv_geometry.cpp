#include "integer/int_conv_geometry.h"

#include "io/error.h"

namespace bg {

Shape IntConv2dGeometry::outputShape() const
{
    if (spatialRank == 1)
        return {n, cout, ow};
    return {n, cout, oh, ow};
}

namespace {

// Attribute value for spatial axis i (0 = H, 1 = W in 2-D; the only axis in 1-D).
std::vector<int64_t> perAxis(const std::vector<int64_t>& v, int rank, int64_t dflt,
                             const char* what, const std::string& subject)
{
    if (v.empty())
        return std::vector<int64_t>(static_cast<size_t>(rank), dflt);
    if (static_cast<int>(v.size()) != rank)
        throw Error(ErrorCode::BadAttribute, subject,
                    std::string(what) + " has " + std::to_string(v.size()) + " values for " +
                        std::to_string(rank) + " spatial axes");
    return v;
}

struct Common {
    IntConv2dGeometry g;
    int rank = 2;
};

Common commonGeometry(const Shape& x, const Shape& w, int64_t group,
                      const std::vector<int64_t>& strides, const std::vector<int64_t>& dilations,
                      const std::vector<int64_t>& padsBegin, const std::vector<int64_t>& padsEnd,
                      const std::string& subject)
{
    if (x.size() != w.size() || (x.size() != 3 && x.size() != 4))
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "integer convolution supports 1-D and 2-D inputs (rank 3 or 4) with a weight "
                    "of the same rank; got input " + shapeToString(x) + " and weight " +
                        shapeToString(w));
    for (int64_t d : x)
        if (d <= 0)
            throw Error(ErrorCode::ShapeMismatch, subject,
                        "input shape " + shapeToString(x) + " has an empty dimension");
    for (int64_t d : w)
        if (d <= 0)
            throw Error(ErrorCode::ShapeMismatch, subject,
                        "weight shape " + shapeToString(w) + " has an empty dimension");
    if (group < 1)
        throw Error(ErrorCode::BadAttribute, subject, "group must be at least 1");
    Common c;
    c.rank = static_cast<int>(x.size()) - 2;
    const auto s = perAxis(strides, c.rank, 1, "strides", subject);
    const auto d = perAxis(dilations, c.rank, 1, "dilations", subject);
    const auto pb = perAxis(padsBegin, c.rank, 0, "pads (begin)", subject);
    const auto pe = perAxis(padsEnd, c.rank, 0, "pads (end)", subject);
    for (int i = 0; i < c.rank; ++i) {
        if (s[static_cast<size_t>(i)] < 1 || d[static_cast<size_t>(i)] < 1)
            throw Error(ErrorCode::BadAttribute, subject, "strides and dilations must be >= 1");
        if (pb[static_cast<size_t>(i)] < 0 || pe[static_cast<size_t>(i)] < 0)
            throw Error(ErrorCode::BadAttribute, subject, "pads must be >= 0");
    }
    IntConv2dGeometry& g = c.g;
    g.spatialRank = c.rank;
    g.group = group;
    g.n = x[0];
    g.cin = x[1];
    if (c.rank == 1) {
        g.h = 1;
        g.w = x[2];
        g.kh = 1;
        g.kw = w[2];
        g.sw = s[0];
        g.dw = d[0];
        g.pl = pb[0];
        g.pr = pe[0];
    } else {
        g.h = x[2];
        g.w = x[3];
        g.kh = w[2];
        g.kw = w[3];
        g.sh = s[0];
        g.sw = s[1];
        g.dh = d[0];
        g.dw = d[1];
        g.pt = pb[0];
        g.pl = pb[1];
        g.pb = pe[0];
        g.pr = pe[1];
    }
    if (g.cin % group != 0)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "input channels " + std::to_string(g.cin) + " are not divisible by group " +
                        std::to_string(group));
    return c;
}

} // namespace

IntConv2dGeometry intConvGeometry(const Shape& x, const Shape& w, int64_t group,
                                  const std::vector<int64_t>& strides,
                                  const std::vector<int64_t>& dilations,
                                  const std::vector<int64_t>& padsBegin,
                                  const std::vector<int64_t>& padsEnd, const std::string& subject)
{
    Common c = commonGeometry(x, w, group, strides, dilations, padsBegin, padsEnd, subject);
    IntConv2dGeometry& g = c.g;
    g.cout = w[0];
    if (w[1] != g.cin / group)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "weight " + shapeToString(w) + " expects " + std::to_string(w[1]) +
                        " input channels per group but the input has " + std::to_string(g.cin) +
                        " channels in " + std::to_string(group) + " groups");
    if (g.cout % group != 0)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "output channels " + std::to_string(g.cout) + " are not divisible by group " +
                        std::to_string(group));
    const int64_t effH = (g.kh - 1) * g.dh + 1;
    const int64_t effW = (g.kw - 1) * g.dw + 1;
    const int64_t padH = g.h + g.pt + g.pb;
    const int64_t padW = g.w + g.pl + g.pr;
    if (padH < effH || padW < effW)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "the dilated kernel is larger than the padded input " + shapeToString(x));
    g.oh = (padH - effH) / g.sh + 1;
    g.ow = (padW - effW) / g.sw + 1;
    return g;
}

IntConv2dGeometry intConvTransposeGeometry(const Shape& x, const Shape& w, int64_t group,
                                           const std::vector<int64_t>& strides,
                                           const std::vector<int64_t>& dilations,
                                           const std::vector<int64_t>& padsBegin,
                                           const std::vector<int64_t>& padsEnd,
                                           const std::vector<int64_t>& outputPadding,
                                           const std::string& subject)
{
    Common c = commonGeometry(x, w, group, strides, dilations, padsBegin, padsEnd, subject);
    IntConv2dGeometry& g = c.g;
    if (w[0] != g.cin)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "ConvTranspose weight " + shapeToString(w) + " must have the input's " +
                        std::to_string(g.cin) + " channels on axis 0");
    g.cout = w[1] * group;
    const auto op = perAxis(outputPadding, c.rank, 0, "output_padding", subject);
    for (int64_t v : op)
        if (v < 0)
            throw Error(ErrorCode::BadAttribute, subject, "output_padding must be >= 0");
    if (c.rank == 1) {
        g.opw = op[0];
    } else {
        g.oph = op[0];
        g.opw = op[1];
    }
    g.oh = g.sh * (g.h - 1) + g.oph + (g.kh - 1) * g.dh + 1 - g.pt - g.pb;
    g.ow = g.sw * (g.w - 1) + g.opw + (g.kw - 1) * g.dw + 1 - g.pl - g.pr;
    if (g.oh <= 0 || g.ow <= 0)
        throw Error(ErrorCode::ShapeMismatch, subject,
                    "pads leave an empty ConvTranspose output for input " + shapeToString(x));
    return g;
}

} // namespace bg
