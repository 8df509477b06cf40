// Resize / Upsample (modes, coordinate transforms, nearest rounding, opset forms) and the softmax
// family across opsets: hand-computed values, run through bg::runNode with the reference kernels.
#include "tst_ops_light_support.h"

using namespace opstest;

namespace {

struct Case {
    const char* name;
    OpCall call;
    std::optional<bg::Tensor> expected;
    std::optional<bg::ErrorCode> error;
};

bg::Tensor row(std::vector<float> v)  // 1 x 1 x 1 x n
{
    const auto n = static_cast<int64_t>(v.size());
    return F({1, 1, 1, n}, std::move(v));
}

OpCall resize13(bg::Tensor x, std::optional<bg::Tensor> scales, std::optional<bg::Tensor> sizes,
                std::map<std::string, bg::Attribute> attrs, std::optional<bg::Tensor> roi = std::nullopt)
{
    return OpCall("Resize", 13, {std::move(x), std::move(roi), std::move(scales), std::move(sizes)}, std::move(attrs));
}

const float kLn2 = std::log(2.0f), kLn3 = std::log(3.0f);

std::vector<Case> cases()
{
    std::vector<Case> c;
    auto ok = [&](const char* name, OpCall call, bg::Tensor want) { c.push_back({name, std::move(call), std::move(want), {}}); };
    auto bad = [&](const char* name, OpCall call, bg::ErrorCode code) { c.push_back({name, std::move(call), {}, code}); };
    const bg::Tensor sizes4 = I({4}, {1, 1, 1, 4});

    // --- Resize, nearest ---
    ok("nearest asymmetric floor x2 (PaddleOCR det)",
       resize13(F({1, 1, 2, 2}, {1, 2, 3, 4}), F({4}, {1, 1, 2, 2}), std::nullopt,
                {{"mode", attrS("nearest")}, {"coordinate_transformation_mode", attrS("asymmetric")},
                 {"nearest_mode", attrS("floor")}}),
       F({1, 1, 4, 4}, {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}));
    ok("opset 10 nearest downsample rounds up",
       OpCall("Resize", 10, {F({1, 1, 2, 4}, {1, 2, 3, 4, 5, 6, 7, 8}), F({4}, {1, 1, 0.6f, 0.6f})}),
       F({1, 1, 1, 2}, {1, 3}));
    ok("nearest half_pixel round_prefer_ceil",
       resize13(row({1, 2, 3, 4}), std::nullopt, I({4}, {1, 1, 1, 3}), {{"nearest_mode", attrS("round_prefer_ceil")}}),
       row({1, 3, 4}));
    ok("nearest half_pixel round_prefer_floor (default)",
       resize13(row({1, 2, 3, 4}), std::nullopt, I({4}, {1, 1, 1, 3}), {}), row({1, 2, 4}));
    ok("nearest copies int64 exactly",
       resize13(I({1, 1, 1, 2}, {int64_t{1} << 40, 7}), F({4}, {1, 1, 1, 2}), std::nullopt,
                {{"coordinate_transformation_mode", attrS("asymmetric")}, {"nearest_mode", attrS("floor")}}),
       I({1, 1, 1, 4}, {int64_t{1} << 40, int64_t{1} << 40, 7, 7}));

    // --- Resize, linear: x_in = f(x_out) then clamp to [0, n-1] ---
    ok("linear half_pixel", resize13(row({1, 3}), std::nullopt, sizes4, {{"mode", attrS("linear")}}),
       row({1, 1.5f, 2.5f, 3}));
    ok("linear align_corners",
       resize13(row({1, 3}), std::nullopt, sizes4,
                {{"mode", attrS("linear")}, {"coordinate_transformation_mode", attrS("align_corners")}}),
       row({1, 5.0f / 3, 7.0f / 3, 3}));
    ok("linear asymmetric",
       resize13(row({1, 3}), F({4}, {1, 1, 1, 2}), std::nullopt,
                {{"mode", attrS("linear")}, {"coordinate_transformation_mode", attrS("asymmetric")}}),
       row({1, 2, 3, 3}));
    ok("linear half_pixel to one element",
       resize13(row({1, 3, 5, 7}), std::nullopt, I({4}, {1, 1, 1, 1}), {{"mode", attrS("linear")}}), row({4}));
    ok("linear pytorch_half_pixel to one element",
       resize13(row({1, 3, 5, 7}), std::nullopt, I({4}, {1, 1, 1, 1}),
                {{"mode", attrS("linear")}, {"coordinate_transformation_mode", attrS("pytorch_half_pixel")}}),
       row({1}));
    ok("linear 2-D bilinear centre",
       resize13(F({1, 1, 2, 2}, {0, 2, 4, 6}), std::nullopt, I({4}, {1, 1, 3, 3}),
                {{"mode", attrS("linear")}, {"coordinate_transformation_mode", attrS("align_corners")}}),
       F({1, 1, 3, 3}, {0, 1, 2, 2, 3, 4, 4, 5, 6}));
    ok("tf_crop_and_resize extrapolates outside the input",
       resize13(row({1, 2, 3, 4}), std::nullopt, I({4}, {1, 1, 1, 3}),
                {{"mode", attrS("linear")}, {"coordinate_transformation_mode", attrS("tf_crop_and_resize")},
                 {"extrapolation_value", attrF(10)}},
                F({8}, {0, 0, 0, 0, 1, 1, 1, 1.5f})),
       row({1, 3.25f, 10}));
    bad("scales of wrong length", resize13(row({1, 2}), F({2}, {1, 2}), std::nullopt, {}), bg::ErrorCode::ShapeMismatch);
    bad("neither scales nor sizes", resize13(row({1, 2}), std::nullopt, std::nullopt, {}), bg::ErrorCode::InvalidModel);
    bad("unknown mode", resize13(row({1, 2}), F({4}, {1, 1, 1, 2}), std::nullopt, {{"mode", attrS("area")}}),
        bg::ErrorCode::BadAttribute);
    bad("unknown coordinate mode",
        resize13(row({1, 2}), F({4}, {1, 1, 1, 2}), std::nullopt, {{"coordinate_transformation_mode", attrS("x")}}),
        bg::ErrorCode::BadAttribute);
    bad("huge scale", resize13(row({1, 2}), F({4}, {1, 1, 1, 1e12f}), std::nullopt, {}), bg::ErrorCode::TensorTooLarge);

    // --- Upsample ---
    ok("upsample opset 9 nearest", OpCall("Upsample", 9, {row({1, 2}), F({4}, {1, 1, 1, 2})}), row({1, 1, 2, 2}));
    ok("upsample opset 7 linear attribute",
       OpCall("Upsample", 7, {row({1, 3})}, {{"mode", attrS("linear")}, {"scales", attrFloats({1, 1, 1, 2})}}),
       row({1, 2, 3, 3}));
    ok("upsample nearest x3", OpCall("Upsample", 9, {row({1, 2}), F({4}, {1, 1, 1, 3})}), row({1, 1, 1, 2, 2, 2}));

    // --- Softmax family: x = ln [1, 3, 2, 2] as [1, 2, 2] ---
    const bg::Tensor x = F({1, 2, 2}, {0, kLn3, kLn2, kLn2});
    ok("softmax opset 11 axis 1 coerces to 2-D", OpCall("Softmax", 11, {x}, {{"axis", attrI(1)}}),
       F({1, 2, 2}, {0.125f, 0.375f, 0.25f, 0.25f}));
    ok("softmax opset 11 default axis is 1", OpCall("Softmax", 11, {x}), F({1, 2, 2}, {0.125f, 0.375f, 0.25f, 0.25f}));
    ok("softmax opset 13 axis 1 is one dim", OpCall("Softmax", 13, {x}, {{"axis", attrI(1)}}),
       F({1, 2, 2}, {1.0f / 3, 0.6f, 2.0f / 3, 0.4f}));
    ok("softmax opset 13 default axis -1", OpCall("Softmax", 13, {x}), F({1, 2, 2}, {0.25f, 0.75f, 0.5f, 0.5f}));
    // 1/(1+e) and e/(1+e): exp(1000) would overflow without the max shift.
    ok("softmax large values", OpCall("Softmax", 13, {F({2}, {1000, 1001})}), F({2}, {0.268941421f, 0.731058579f}));
    ok("log softmax", OpCall("LogSoftmax", 13, {F({2}, {0, kLn3})}), F({2}, {std::log(0.25f), std::log(0.75f)}));
    bad("softmax axis out of range", OpCall("Softmax", 13, {x}, {{"axis", attrI(3)}}), bg::ErrorCode::BadAttribute);
    return c;
}

} // namespace

class TestOpsLightResize : public QObject {
    Q_OBJECT
private slots:
    void table_data()
    {
        QTest::addColumn<int>("row");
        const std::vector<Case> all = cases();
        for (size_t i = 0; i < all.size(); ++i)
            QTest::newRow(all[i].name) << static_cast<int>(i);
    }
    void table()
    {
        QFETCH(int, row);
        const Case c = cases()[static_cast<size_t>(row)];
        if (c.error)
            expectError(c.call, *c.error);
        else
            expectOutput(c.call, *c.expected);
    }
};

QTEST_APPLESS_MAIN(TestOpsLightResize)
#include "tst_ops_light_resize.moc"
