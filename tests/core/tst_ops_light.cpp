// Light operators (element-wise, broadcasting, shape and data movement): hand-computed cases for
// the semantics that are easy to get wrong, run through bg::runNode with the reference kernels.
#include "tst_ops_light_support.h"

#include <cmath>
#include <limits>
#include <set>

using namespace opstest;

namespace {

struct Case {
    const char* name;
    OpCall call;
    std::optional<bg::Tensor> expected;  // output 0
    std::optional<bg::ErrorCode> error;  // instead of an output
};

const int64_t kMax = std::numeric_limits<int64_t>::max();
const int64_t kMin = std::numeric_limits<int64_t>::min();

std::vector<Case> cases()
{
    std::vector<Case> c;
    auto ok = [&](const char* name, OpCall call, bg::Tensor want) { c.push_back({name, std::move(call), std::move(want), {}}); };
    auto bad = [&](const char* name, OpCall call, bg::ErrorCode code) { c.push_back({name, std::move(call), {}, code}); };

    // --- broadcasting arithmetic ---
    ok("add row vector", {"Add", 13, {F({2, 3}, {1, 2, 3, 4, 5, 6}), F({3}, {10, 20, 30})}},
       F({2, 3}, {11, 22, 33, 14, 25, 36}));
    ok("mul both directions", {"Mul", 13, {F({2, 1}, {2, 3}), F({1, 3}, {1, 10, 100})}},
       F({2, 3}, {2, 20, 200, 3, 30, 300}));
    ok("sub scalar first", {"Sub", 13, {F({}, {10}), F({3}, {1, 2, 3})}}, F({3}, {9, 8, 7}));
    ok("add rank 3 with rank 2", {"Add", 13, {F({2, 1, 2}, {1, 2, 3, 4}), F({2, 1}, {10, 20})}},
       F({2, 2, 2}, {11, 12, 21, 22, 13, 14, 23, 24}));
    ok("add zero-sized", {"Add", 13, {F({0, 3}, {}), F({3}, {1, 2, 3})}}, F({0, 3}, {}));
    ok("div int truncates toward zero", {"Div", 13, {I({4}, {7, -7, 7, -7}), I({4}, {2, 2, -2, -2})}},
       I({4}, {3, -3, -3, 3}));
    ok("div int64 min by -1 wraps", {"Div", 13, {I({1}, {kMin}), I({1}, {-1})}}, I({1}, {kMin}));
    ok("div float", {"Div", 13, {F({2}, {1, -3}), F({}, {2})}}, F({2}, {0.5f, -1.5f}));
    ok("pow int exact", {"Pow", 13, {I({3}, {3, -2, 10}), I({3}, {4, 3, 0})}}, I({3}, {81, -8, 1}));
    ok("pow float with int exponent", {"Pow", 13, {F({2}, {2, 9}), I({2}, {3, 0})}}, F({2}, {8, 1}));
    bad("incompatible broadcast", {"Add", 13, {F({2, 3}, {1, 2, 3, 4, 5, 6}), F({2}, {1, 2})}},
        bg::ErrorCode::ShapeMismatch);
    bad("int division by zero", {"Div", 13, {I({2}, {1, 2}), I({2}, {1, 0})}}, bg::ErrorCode::BadInput);
    bad("mixed float and int", {"Add", 13, {F({1}, {1}), I({1}, {1})}}, bg::ErrorCode::UnsupportedType);
    ok("equal gives bool", {"Equal", 13, {I({3}, {1, 2, 3}), I({}, {2})}}, I({3}, {0, 1, 0}));
    ok("where broadcasts three ways", {"Where", 13, {I({2, 1}, {1, 0}), F({2}, {1, 2}), F({}, {-1})}},
       F({2, 2}, {1, 2, -1, -1}));
    ok("max variadic broadcast", {"Max", 13, {F({2}, {1, 5}), F({2, 1}, {3, 0}), F({}, {2})}},
       F({2, 2}, {3, 5, 2, 5}));
    ok("mean variadic", {"Mean", 13, {F({2}, {1, 2}), F({2}, {3, 6})}}, F({2}, {2, 4}));

    // --- activations ---
    ok("clip opset 6 attributes", {"Clip", 6, {F({4}, {-5, -0.5f, 0.5f, 5})}, {{"min", attrF(-1)}, {"max", attrF(1)}}},
       F({4}, {-1, -0.5f, 0.5f, 1}));
    ok("clip opset 11 only max input", {"Clip", 11, {F({3}, {-5, 0, 5}), std::nullopt, F({}, {2})}},
       F({3}, {-5, 0, 2}));
    ok("clip opset 11 no bounds", {"Clip", 11, {F({2}, {-5, 5})}}, F({2}, {-5, 5}));
    ok("clip opset 12 int", {"Clip", 12, {I({3}, {-5, 0, 5}), I({}, {-1}), I({}, {1})}}, I({3}, {-1, 0, 1}));
    ok("hard sigmoid defaults", {"HardSigmoid", 13, {F({3}, {-5, 0, 1})}}, F({3}, {0, 0.5f, 0.7f}));
    ok("hard sigmoid paddle attrs", {"HardSigmoid", 13, {F({2}, {0, 3})}, {{"alpha", attrF(1.0f / 6)}, {"beta", attrF(0.5f)}}},
       F({2}, {0.5f, 1}));
    ok("hard swish", {"HardSwish", 14, {F({4}, {-4, -1, 1, 4})}}, F({4}, {0, -1.0f / 3, 2.0f / 3, 4}));
    ok("leaky relu", {"LeakyRelu", 13, {F({2}, {-2, 3})}, {{"alpha", attrF(0.1f)}}}, F({2}, {-0.2f, 3}));
    ok("prelu channel slope", {"PRelu", 13, {F({1, 2, 1, 2}, {-1, 2, -1, 2}), F({2, 1, 1}, {0.5f, 2})}},
       F({1, 2, 1, 2}, {-0.5f, 2, -2, 2}));
    ok("sigmoid large negative stays accurate", {"Sigmoid", 13, {F({2}, {0, -20})}},
       F({2}, {0.5f, 2.0611536e-09f}));

    // --- shape ops ---
    ok("reshape 0 copies and -1 infers", {"Reshape", 13, {F({2, 3, 4}, std::vector<float>(24, 1)), I({3}, {0, -1, 2})}},
       F({2, 6, 2}, std::vector<float>(24, 1)));
    ok("reshape allowzero keeps 0", {"Reshape", 14, {F({0, 3}, {}), I({2}, {3, 0})}, {{"allowzero", attrI(1)}}},
       F({3, 0}, {}));
    bad("reshape two -1", {"Reshape", 13, {F({4}, {1, 2, 3, 4}), I({2}, {-1, -1})}}, bg::ErrorCode::ShapeMismatch);
    bad("reshape wrong count", {"Reshape", 13, {F({4}, {1, 2, 3, 4}), I({2}, {3, 2})}}, bg::ErrorCode::ShapeMismatch);
    bad("reshape 0 beyond input rank", {"Reshape", 13, {F({4}, {1, 2, 3, 4}), I({2}, {4, 0})}},
        bg::ErrorCode::ShapeMismatch);
    ok("flatten negative axis", {"Flatten", 13, {F({2, 3, 4}, std::vector<float>(24, 0))}, {{"axis", attrI(-1)}}},
       F({6, 4}, std::vector<float>(24, 0)));
    ok("flatten axis 0", {"Flatten", 13, {F({2, 3}, std::vector<float>(6, 0))}, {{"axis", attrI(0)}}},
       F({1, 6}, std::vector<float>(6, 0)));
    ok("squeeze opset 11 attribute", {"Squeeze", 11, {F({1, 2, 1}, {1, 2})}, {{"axes", attrInts({-1})}}},
       F({1, 2}, {1, 2}));
    ok("squeeze opset 13 all ones", {"Squeeze", 13, {F({1, 2, 1}, {1, 2})}}, F({2}, {1, 2}));
    bad("squeeze non-one dim", {"Squeeze", 13, {F({1, 2}, {1, 2}), I({1}, {1})}}, bg::ErrorCode::ShapeMismatch);
    ok("unsqueeze opset 13 input", {"Unsqueeze", 13, {F({2}, {1, 2}), I({2}, {0, -1})}}, F({1, 2, 1}, {1, 2}));
    ok("unsqueeze opset 11 attribute", {"Unsqueeze", 11, {F({2}, {1, 2})}, {{"axes", attrInts({1})}}},
       F({2, 1}, {1, 2}));
    ok("shape start end", {"Shape", 15, {F({2, 3, 4, 5}, std::vector<float>(120, 0))},
                           {{"start", attrI(1)}, {"end", attrI(-1)}}},
       I({2}, {3, 4}));
    ok("transpose perm", {"Transpose", 13, {F({2, 3}, {1, 2, 3, 4, 5, 6})}, {{"perm", attrInts({1, 0})}}},
       F({3, 2}, {1, 4, 2, 5, 3, 6}));
    ok("transpose default reverses", {"Transpose", 13, {F({1, 2, 3}, {1, 2, 3, 4, 5, 6})}},
       F({3, 2, 1}, {1, 4, 2, 5, 3, 6}));
    ok("concat axis -1 with empty", {"Concat", 13, {F({2, 1}, {1, 2}), F({2, 0}, {}), F({2, 2}, {3, 4, 5, 6})},
                                     {{"axis", attrI(-1)}}},
       F({2, 3}, {1, 3, 4, 2, 5, 6}));
    bad("concat mismatched dims", {"Concat", 13, {F({2, 1}, {1, 2}), F({3, 1}, {1, 2, 3})}, {{"axis", attrI(1)}}},
        bg::ErrorCode::ShapeMismatch);
    ok("gather negative indices axis 1", {"Gather", 13, {F({2, 3}, {1, 2, 3, 4, 5, 6}), I({2}, {-1, 0})},
                                          {{"axis", attrI(1)}}},
       F({2, 2}, {3, 1, 6, 4}));
    ok("gather int64 scalar index", {"Gather", 13, {I({4}, {1, 3, 224, 224}), I({}, {2})}}, I({}, {224}));
    ok("gather 2-D indices", {"Gather", 13, {F({3}, {10, 20, 30}), I({2, 2}, {0, 2, 1, -3})}},
       F({2, 2}, {10, 30, 20, 10}));
    bad("gather index out of range", {"Gather", 13, {F({3}, {1, 2, 3}), I({1}, {3})}}, bg::ErrorCode::BadInput);
    bad("gather negative index out of range", {"Gather", 13, {F({3}, {1, 2, 3}), I({1}, {-4})}},
        bg::ErrorCode::BadInput);

    // --- slice ---
    const bg::Tensor ten = F({10}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    ok("slice negative step whole", {"Slice", 13, {ten, I({1}, {-1}), I({1}, {kMin}), I({1}, {0}), I({1}, {-1})}},
       F({10}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
    ok("slice negative step 3", {"Slice", 13, {ten, I({1}, {8}), I({1}, {1}), I({1}, {0}), I({1}, {-3})}},
       F({3}, {8, 5, 2}));
    ok("slice end INT64_MAX step 2", {"Slice", 13, {ten, I({1}, {1}), I({1}, {kMax}), I({1}, {0}), I({1}, {2})}},
       F({5}, {1, 3, 5, 7, 9}));
    ok("slice start past end empty", {"Slice", 13, {ten, I({1}, {20}), I({1}, {kMax})}}, F({0}, {}));
    ok("slice huge step one element", {"Slice", 13, {ten, I({1}, {2}), I({1}, {kMax}), I({1}, {0}), I({1}, {kMax})}},
       F({1}, {2}));
    ok("slice negative axis 2-D", {"Slice", 13, {F({2, 3}, {1, 2, 3, 4, 5, 6}), I({1}, {1}), I({1}, {-1}), I({1}, {-1})}},
       F({2, 1}, {2, 5}));
    ok("slice opset 9 attributes", {"Slice", 9, {F({2, 3}, {1, 2, 3, 4, 5, 6})},
                                    {{"starts", attrInts({0, 1})}, {"ends", attrInts({1, 1000})}}},
       F({1, 2}, {2, 3}));
    bad("slice zero step", {"Slice", 13, {ten, I({1}, {0}), I({1}, {5}), I({1}, {0}), I({1}, {0})}},
        bg::ErrorCode::BadInput);

    // --- split / pad / misc ---
    ok("split opset 13 input sizes", {"Split", 13, {F({5}, {1, 2, 3, 4, 5}), I({2}, {2, 3})}, {}, 2}, F({2}, {1, 2}));
    ok("split opset 11 equal axis 1", {"Split", 11, {F({2, 2}, {1, 2, 3, 4})}, {{"axis", attrI(1)}}, 2},
       F({2, 1}, {1, 3}));
    bad("split sizes do not add up", {"Split", 13, {F({5}, {1, 2, 3, 4, 5}), I({2}, {2, 2})}, {}, 2},
        bg::ErrorCode::ShapeMismatch);
    ok("pad constant opset 11", {"Pad", 11, {F({3}, {1, 2, 3}), I({2}, {1, 2}), F({}, {9})}},
       F({6}, {9, 1, 2, 3, 9, 9}));
    ok("pad reflect", {"Pad", 13, {F({3}, {1, 2, 3}), I({2}, {2, 2})}, {{"mode", attrS("reflect")}}},
       F({7}, {3, 2, 1, 2, 3, 2, 1}));
    ok("pad edge", {"Pad", 13, {F({3}, {1, 2, 3}), I({2}, {2, 1})}, {{"mode", attrS("edge")}}},
       F({6}, {1, 1, 1, 2, 3, 3}));
    ok("pad opset 2 attributes 2-D", {"Pad", 2, {F({1, 2}, {1, 2})}, {{"pads", attrInts({0, 1, 1, 0})}, {"value", attrF(-1)}}},
       F({2, 3}, {-1, 1, 2, -1, -1, -1}));
    ok("pad negative crops", {"Pad", 13, {F({4}, {1, 2, 3, 4}), I({2}, {-1, 1})}}, F({4}, {2, 3, 4, 0}));
    bad("pad wrong count", {"Pad", 13, {F({3}, {1, 2, 3}), I({1}, {1})}}, bg::ErrorCode::ShapeMismatch);
    ok("expand", {"Expand", 13, {F({2, 1}, {1, 2}), I({3}, {2, 1, 3})}},
       F({2, 2, 3}, {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}));
    ok("tile", {"Tile", 13, {F({2}, {1, 2}), I({1}, {3})}}, F({6}, {1, 2, 1, 2, 1, 2}));
    ok("range int negative delta", {"Range", 13, {I({}, {10}), I({}, {4}), I({}, {-3})}}, I({2}, {10, 7}));
    ok("constant of shape int value", {"ConstantOfShape", 13, {I({2}, {2, 2})}, {{"value", attrT(I({1}, {7}))}}},
       I({2, 2}, {7, 7, 7, 7}));
    bad("constant of shape too large", {"ConstantOfShape", 13, {I({3}, {1 << 20, 1 << 20, 1 << 20})}},
        bg::ErrorCode::TensorTooLarge);
    ok("cast float to int64 truncates", {"Cast", 13, {F({3}, {2.7f, -2.7f, 0.5f})}, {{"to", attrI(7)}}},
       I({3}, {2, -2, 0}));
    ok("cast float to uint8 wraps", {"Cast", 13, {F({2}, {-1, 256})}, {{"to", attrI(2)}}}, I({2}, {255, 0}));
    ok("cast to bool", {"Cast", 13, {F({3}, {0, -0.5f, 3})}, {{"to", attrI(9)}}}, I({3}, {0, 1, 1}));
    ok("cast int to float", {"Cast", 13, {I({2}, {-3, 5})}, {{"to", attrI(1)}}}, F({2}, {-3, 5}));
    ok("reduce mean keepdims", {"ReduceMean", 13, {F({2, 2}, {1, 2, 3, 5})}, {{"axes", attrInts({1})}}},
       F({2, 1}, {1.5f, 4}));
    ok("reduce mean all no keepdims", {"ReduceMean", 13, {F({2, 2}, {1, 2, 3, 6})}, {{"keepdims", attrI(0)}}},
       F({}, {3}));
    ok("reduce sum opset 13 axes input", {"ReduceSum", 13, {F({2, 2}, {1, 2, 3, 5}), I({1}, {0})}},
       F({1, 2}, {4, 7}));
    ok("argmax first of ties", {"ArgMax", 13, {F({2, 3}, {1, 3, 3, 2, 0, 2})}, {{"axis", attrI(1)}}},
       I({2, 1}, {1, 0}));
    ok("argmax select last", {"ArgMax", 13, {F({2, 3}, {1, 3, 3, 2, 0, 2})},
                              {{"axis", attrI(1)}, {"keepdims", attrI(0)}, {"select_last_index", attrI(1)}}},
       I({2}, {2, 2}));
    ok("identity", {"Identity", 13, {I({2}, {4, 5})}}, I({2}, {4, 5}));
    ok("constant value_ints", {"Constant", 13, {}, {{"value_ints", attrInts({1, 2})}}}, I({2}, {1, 2}));
    return c;
}

} // namespace

class TestOpsLight : public QObject {
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

    void splitSecondOutput()
    {
        expectOutput({"Split", 13, {F({5}, {1, 2, 3, 4, 5}), I({2}, {2, 3})}, {}, 2}, F({3}, {3, 4, 5}), 1);
    }

    void dropoutMaskIsAllTrue()
    {
        const std::vector<bg::Tensor> outs = run({"Dropout", 13, {F({3}, {1, 2, 3})}, {}, 2});
        QCOMPARE(outs.size(), size_t(2));
        QCOMPARE(outs[0].floats()[1], 2.0f);
        QCOMPARE(outs[1].elemType(), 9);
        QCOMPARE(outs[1].toInt64Vector(), (std::vector<int64_t>{1, 1, 1}));
    }

    void castKeepsTargetElemType()
    {
        const std::vector<bg::Tensor> outs = run({"Cast", 13, {F({1}, {3.5f})}, {{"to", attrI(6)}}});
        QCOMPARE(outs[0].elemType(), 6);  // int32, stored as int64
        const std::vector<bg::Tensor> half = run({"Cast", 13, {F({1}, {1.0009765625f + 0.0001f})}, {{"to", attrI(10)}}});
        QCOMPARE(half[0].floats()[0], 1.0009765625f);  // nearest float16 (spacing 2^-10 at 1)
    }

    void comparisonIsBool()
    {
        const std::vector<bg::Tensor> outs = run({"Less", 13, {F({2}, {1, 3}), F({}, {2})}});
        QCOMPARE(outs[0].elemType(), 9);
        QCOMPARE(outs[0].toInt64Vector(), (std::vector<int64_t>{1, 0}));
    }

    // Hostile inputs (empty, scalar, mismatched, extreme integers in every input slot) must give a
    // result or a bg::Error naming the node, never a crash or another exception type.
    void hostileInputsOnlyRaiseBgError()
    {
        const int64_t big = std::numeric_limits<int64_t>::max();
        const std::vector<std::optional<bg::Tensor>> pool{
            std::nullopt,
            F({0}, {}),
            F({}, {2.5f}),
            F({2, 3}, {1, -2, 3, -4, 5, -6}),
            F({1, 1, 2, 2}, {1, 2, 3, 4}),
            I({}, {0}),
            I({1}, {-1}),
            I({2}, {big, kMin}),
            I({4}, {1, 1, 2, 2}),
            I({3}, {-5, 0, 7}),
            F({4}, {NAN, INFINITY, -INFINITY, 1e30f}),
        };
        const std::vector<std::string> ops = bg::OpRegistry::instance().opTypes();
        const std::set<std::string> heavy{"Conv", "ConvTranspose", "Gemm", "MatMul", "BatchNormalization", "MaxPool",
                                          "AveragePool", "GlobalAveragePool", "GlobalMaxPool"};
        int runs = 0, errors = 0;
        for (const std::string& op : ops) {
            if (heavy.count(op))
                continue;
            for (int64_t opset : {9, 11, 13}) {
                for (size_t a = 0; a < pool.size(); ++a)
                    for (size_t b = 0; b < pool.size(); b += 2) {
                        OpCall call(op, opset, {pool[a], pool[b], pool[(a + b) % pool.size()], pool[(a * 3 + 1) % pool.size()]},
                                    {{"axis", attrI(static_cast<int64_t>(a % 5) - 2)}, {"to", attrI(static_cast<int64_t>(b % 12))}},
                                    2);
                        ++runs;
                        try {
                            run(call);
                        } catch (const bg::Error&) {
                            ++errors;
                        } catch (const std::exception& e) {
                            QFAIL(qPrintable(QString::fromStdString(op) + ": non-bg exception: " + e.what()));
                        }
                    }
            }
        }
        QVERIFY(runs > 1000);
        QVERIFY(errors > 0);
    }

    void everyRequiredOpIsRegistered()
    {
        for (const char* op : {"Relu", "Clip", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Add",
                               "Sub", "Mul", "Div", "Concat", "Split", "Slice", "Reshape", "Flatten", "Transpose",
                               "Squeeze", "Unsqueeze", "Shape", "Gather", "Pad", "Resize", "Upsample", "Softmax",
                               "ReduceMean", "Identity", "Dropout", "Cast", "Constant"})
            QVERIFY2(bg::OpRegistry::instance().supports(op), op);
    }
};

QTEST_APPLESS_MAIN(TestOpsLight)
#include "tst_ops_light.moc"
