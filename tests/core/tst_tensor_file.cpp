// Single-tensor files: ONNX TensorProto (.pb) and NumPy (.npy) round trips, hand-made files of
// every supported dtype, and malformed files that must give a clear bg::Error.
#include "common/test_paths.h"

#include "io/error.h"
#include "model/tensor_file.h"

#include <onnx/onnx_pb.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace {

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

template <typename T>
std::string bytesOf(const std::vector<T>& v)
{
    std::string s(v.size() * sizeof(T), '\0');
    std::memcpy(s.data(), v.data(), s.size());
    return s;
}

// An .npy file as numpy lays it out: magic, version, little-endian header length, dict, data.
std::string npy(int major, const std::string& dict, const std::string& data)
{
    std::string header = dict + "\n";
    std::string out("\x93NUMPY", 6);
    out += static_cast<char>(major);
    out += '\0';
    const size_t len = header.size();
    out += static_cast<char>(len & 0xFF);
    out += static_cast<char>((len >> 8) & 0xFF);
    if (major >= 2) {
        out += static_cast<char>((len >> 16) & 0xFF);
        out += static_cast<char>((len >> 24) & 0xFF);
    }
    return out + header + data;
}

std::string dict(const std::string& descr, const std::string& shape, const char* fortran = "False")
{
    return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

} // namespace

class TestTensorFile : public QObject {
    Q_OBJECT

private slots:
    void init() { QVERIFY(tmp_.isValid()); }

    void protoRoundTrip();
    void protoIntegerTypesKeepTheirType();
    void protoReadsOnnxTestData();
    void protoExternalDataBesideTheFile();
    void protoMalformed_data();
    void protoMalformed();
    void npyRoundTrip();
    void npyWrittenLikeNumpy();
    void npyReadsEveryDtype_data();
    void npyReadsEveryDtype();
    void npyMalformed_data();
    void npyMalformed();

private:
    std::string path(const std::string& name) const { return tmp_.path().toStdString() + "/" + name; }
    QTemporaryDir tmp_;
};

void TestTensorFile::protoRoundTrip()
{
    const bg::Tensor f(bg::Shape{2, 3}, std::vector<float>{1.5f, -2.0f, 0.0f, 1e-30f, 3e30f, -0.5f});
    bg::writeTensorProtoFile(path("f.pb"), "weights", f);
    const bg::NamedTensor back = bg::readTensorProtoFile(path("f.pb"));
    QCOMPARE(back.name, std::string("weights"));
    QCOMPARE(back.tensor.shape(), f.shape());
    QCOMPARE(back.tensor.toFloatVector(), f.toFloatVector());
    QCOMPARE(back.tensor.elemType(), 1);

    const bg::Tensor i(bg::Shape{3}, std::vector<int64_t>{-(int64_t{1} << 40), 0, 7});
    bg::writeTensorProtoFile(path("i.pb"), "", i);
    const bg::NamedTensor ib = bg::readTensorProtoFile(path("i.pb"));
    QCOMPARE(ib.name, std::string());
    QCOMPARE(ib.tensor.toInt64Vector(), i.toInt64Vector());
    QCOMPARE(ib.tensor.elemType(), 7);

    const bg::Tensor scalar = bg::Tensor::scalar(4.0f);
    bg::writeTensorProtoFile(path("s.pb"), "s", scalar);
    QCOMPARE(bg::readTensorProtoFile(path("s.pb")).tensor.shape(), bg::Shape{});

    // Written through a temporary file and a rename: nothing else is left in the folder.
    QCOMPARE(QDir(tmp_.path()).entryList(QDir::Files | QDir::Hidden).size(), 3);
}

void TestTensorFile::protoIntegerTypesKeepTheirType()
{
    bg::Tensor t(bg::Shape{3}, std::vector<int64_t>{-128, 0, 127});
    t.setElemType(onnx::TensorProto::INT8);
    bg::writeTensorProtoFile(path("i8.pb"), "q", t);
    onnx::TensorProto proto;
    QVERIFY(proto.ParseFromString(readBytes(path("i8.pb"))));
    QCOMPARE(proto.data_type(), int32_t{onnx::TensorProto::INT8});
    QCOMPARE(proto.raw_data().size(), size_t{3});  // one byte per element
    const bg::NamedTensor back = bg::readTensorProtoFile(path("i8.pb"));
    QCOMPARE(back.tensor.elemType(), 3);
    QCOMPARE(back.tensor.toInt64Vector(), (std::vector<int64_t>{-128, 0, 127}));

    bg::Tensor b(bg::Shape{2}, std::vector<int64_t>{1, 0});
    b.setElemType(onnx::TensorProto::BOOL);
    bg::writeTensorProtoFile(path("b.pb"), "mask", b);
    const bg::NamedTensor bb = bg::readTensorProtoFile(path("b.pb"));
    QCOMPARE(bb.tensor.elemType(), 9);
    QCOMPARE(bb.tensor.toInt64Vector(), (std::vector<int64_t>{1, 0}));

    // A float elemType on an int tensor is not an integer type: written as INT64.
    bg::Tensor odd(bg::Shape{1}, std::vector<int64_t>{5});
    odd.setElemType(onnx::TensorProto::FLOAT);
    bg::writeTensorProtoFile(path("odd.pb"), "", odd);
    QCOMPARE(bg::readTensorProtoFile(path("odd.pb")).tensor.elemType(), 7);
}

void TestTensorFile::protoReadsOnnxTestData()
{
    const std::string dir = bgtest::onnxTestData("node/test_abs/test_data_set_0/");
    if (!std::filesystem::exists(dir))
        QSKIP("libonnx-testdata is not installed");
    const bg::NamedTensor in = bg::readTensorProtoFile(dir + "input_0.pb");
    const bg::NamedTensor out = bg::readTensorProtoFile(dir + "output_0.pb");
    QCOMPARE(in.tensor.shape(), (bg::Shape{3, 4, 5}));
    QCOMPARE(in.name, std::string("x"));
    const auto x = in.tensor.toFloatVector();
    const auto y = out.tensor.toFloatVector();
    QCOMPARE(x.size(), y.size());
    bool anyNegative = false;
    for (size_t k = 0; k < x.size(); ++k) {
        QCOMPARE(y[k], std::fabs(x[k]));
        anyNegative = anyNegative || x[k] < 0;
    }
    QVERIFY(anyNegative);
}

void TestTensorFile::protoExternalDataBesideTheFile()
{
    writeBytes(path("data.bin"), bytesOf(std::vector<float>{2.0f, 4.0f}));
    onnx::TensorProto proto;
    proto.set_data_type(onnx::TensorProto::FLOAT);
    proto.add_dims(2);
    proto.set_data_location(onnx::TensorProto::EXTERNAL);
    auto* e = proto.add_external_data();
    e->set_key("location");
    e->set_value("data.bin");
    writeBytes(path("ext.pb"), proto.SerializeAsString());
    QCOMPARE(bg::readTensorProtoFile(path("ext.pb")).tensor.toFloatVector(), (std::vector<float>{2.0f, 4.0f}));
}

void TestTensorFile::protoMalformed_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing") << "missing" << int(bg::ErrorCode::FileNotFound) << "no such file";
    QTest::newRow("empty") << "empty" << int(bg::ErrorCode::NotOnnx) << "empty";
    QTest::newRow("invalid protobuf") << "invalid" << int(bg::ErrorCode::NotOnnx) << "TensorProto";
    QTest::newRow("no type, no shape") << "typeless" << int(bg::ErrorCode::NotOnnx) << "neither a type nor a shape";
    QTest::newRow("truncated") << "truncated" << int(bg::ErrorCode::NotOnnx) << "TensorProto";
    QTest::newRow("string tensor") << "string" << int(bg::ErrorCode::UnsupportedType) << "string";
    QTest::newRow("raw size mismatch") << "short_raw" << int(bg::ErrorCode::InvalidModel) << "holds 5 bytes";
    QTest::newRow("over the limit") << "big" << int(bg::ErrorCode::TensorTooLarge) << "over the limit";
}

void TestTensorFile::protoMalformed()
{
    QFETCH(QString, kind);
    QFETCH(int, code);
    QFETCH(QString, message);
    const std::string file = path(QString(kind).append(".pb").toStdString());
    onnx::TensorProto proto;
    proto.set_data_type(onnx::TensorProto::FLOAT);
    proto.add_dims(4);
    proto.set_raw_data(bytesOf(std::vector<float>{1, 2, 3, 4}));
    int64_t limit = int64_t{2} << 30;
    if (kind == "empty") {
        writeBytes(file, "");
    } else if (kind == "invalid") {
        writeBytes(file, std::string("\x0f\xff\xff", 3));  // wire type 7 does not exist
    } else if (kind == "typeless") {
        writeBytes(file, std::string("\x78\x01", 2));  // only an unknown varint field 15
    } else if (kind == "truncated") {
        writeBytes(file, proto.SerializeAsString().substr(0, 8));
    } else if (kind == "string") {
        onnx::TensorProto s;
        s.set_data_type(onnx::TensorProto::STRING);
        s.add_dims(1);
        s.mutable_string_data()->Add(std::string(1, 'x'));
        writeBytes(file, s.SerializeAsString());
    } else if (kind == "short_raw") {
        proto.set_raw_data(std::string(5, '\0'));
        writeBytes(file, proto.SerializeAsString());
    } else if (kind == "big") {
        limit = 8;
        writeBytes(file, proto.SerializeAsString());
    }
    try {
        bg::readTensorProtoFile(file, limit);
        QFAIL("no error");
    } catch (const bg::Error& e) {
        const QString what = e.what();
        QVERIFY2(int(e.code()) == code, qPrintable(QString(bg::errorCodeName(e.code())) + ": " + what));
        QVERIFY2(what.contains(kind), qPrintable(what));
        QVERIFY2(what.contains(message), qPrintable(what));
    }
}

void TestTensorFile::npyRoundTrip()
{
    const bg::Tensor f(bg::Shape{2, 3}, std::vector<float>{1, -2, 3.5f, 0, 1e-8f, 7});
    bg::writeNpyFile(path("f.npy"), f);
    const bg::Tensor fb = bg::readNpyFile(path("f.npy"));
    QCOMPARE(fb.shape(), f.shape());
    QCOMPARE(fb.toFloatVector(), f.toFloatVector());

    const bg::Tensor i(bg::Shape{4}, std::vector<int64_t>{1, -1, int64_t{1} << 50, 0});
    bg::writeNpyFile(path("i.npy"), i);
    const bg::Tensor ib = bg::readNpyFile(path("i.npy"));
    QCOMPARE(ib.shape(), i.shape());
    QCOMPARE(ib.toInt64Vector(), i.toInt64Vector());

    bg::writeNpyFile(path("s.npy"), bg::Tensor::scalar(2.5f));
    const bg::Tensor sb = bg::readNpyFile(path("s.npy"));
    QCOMPARE(sb.shape(), bg::Shape{});
    QCOMPARE(sb.toFloatVector(), std::vector<float>{2.5f});
}

void TestTensorFile::npyWrittenLikeNumpy()
{
    bg::writeNpyFile(path("a.npy"), bg::Tensor(bg::Shape{2, 3}, std::vector<float>(6, 1.0f)));
    bg::writeNpyFile(path("b.npy"), bg::Tensor(bg::Shape{4}, std::vector<int64_t>(4, 1)));
    const std::string a = readBytes(path("a.npy"));
    const std::string b = readBytes(path("b.npy"));
    QCOMPARE(a.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const size_t headerLen = static_cast<uint8_t>(a[8]) | (static_cast<size_t>(static_cast<uint8_t>(a[9])) << 8);
    QCOMPARE((10 + headerLen) % 64, size_t{0});  // data aligned as numpy does it
    QCOMPARE(a.size(), 10 + headerLen + 6 * 4);
    QCOMPARE(a[10 + headerLen - 1], '\n');
    QVERIFY(a.find("'descr': '<f4'") != std::string::npos);
    QVERIFY(a.find("'fortran_order': False") != std::string::npos);
    QVERIFY(a.find("'shape': (2, 3)") != std::string::npos);
    QVERIFY(b.find("'descr': '<i8'") != std::string::npos);
    QVERIFY(b.find("'shape': (4,)") != std::string::npos);
}

void TestTensorFile::npyReadsEveryDtype_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QList<double>>("expected");
    QTest::addColumn<QList<qlonglong>>("shape");
    QTest::addColumn<int>("elemType");
    auto add = [](const char* name, const std::string& f, QList<double> v, QList<qlonglong> s, int t) {
        QTest::newRow(name) << QByteArray(f.data(), qsizetype(f.size())) << v << s << t;
    };
    add("v1 <f4 (2,2)", npy(1, dict("<f4", "(2, 2)"), bytesOf(std::vector<float>{1, 2, 3, 4})), {1, 2, 3, 4}, {2, 2}, 1);
    add("v2 <f8 scalar", npy(2, dict("<f8", "()"), bytesOf(std::vector<double>{0.1})), {double(0.1f)}, {}, 11);
    add("v3 <f2", npy(3, dict("<f2", "(3,)"), bytesOf(std::vector<uint16_t>{0x3C00, 0xC000, 0x0001})),
        {1.0, -2.0, 5.9604644775390625e-08}, {3}, 10);
    add("|i1", npy(1, dict("|i1", "(3,)"), bytesOf(std::vector<int8_t>{-128, 0, 127})), {-128, 0, 127}, {3}, 3);
    add("<i2", npy(1, dict("<i2", "(2,)"), bytesOf(std::vector<int16_t>{-300, 300})), {-300, 300}, {2}, 5);
    add("<i4", npy(1, dict("<i4", "(1, 2)"), bytesOf(std::vector<int32_t>{-70000, 70000})), {-70000, 70000}, {1, 2}, 6);
    add("<i8", npy(1, dict("<i8", "(1,)"), bytesOf(std::vector<int64_t>{int64_t{1} << 40})), {1099511627776.0}, {1}, 7);
    add("|u1", npy(1, dict("|u1", "(3,)"), bytesOf(std::vector<uint8_t>{0, 128, 255})), {0, 128, 255}, {3}, 2);
    add("<u2", npy(1, dict("<u2", "(1,)"), bytesOf(std::vector<uint16_t>{65535})), {65535}, {1}, 4);
    add("<u4", npy(1, dict("<u4", "(1,)"), bytesOf(std::vector<uint32_t>{4000000000u})), {4000000000.0}, {1}, 12);
    add("|b1", npy(1, dict("|b1", "(2, 1)"), bytesOf(std::vector<uint8_t>{1, 0})), {1, 0}, {2, 1}, 9);
    // Python 2 numpy wrote long integers with an L suffix; key order is free.
    add("python2 long dims",
        npy(1, "{'shape': (2L, 1L), 'fortran_order': False, 'descr': '<f4', }", bytesOf(std::vector<float>{5, 6})),
        {5, 6}, {2, 1}, 1);
    add("empty array", npy(1, dict("<f4", "(0, 3)"), ""), {}, {0, 3}, 1);
}

void TestTensorFile::npyReadsEveryDtype()
{
    QFETCH(QByteArray, file);
    QFETCH(QList<double>, expected);
    QFETCH(QList<qlonglong>, shape);
    QFETCH(int, elemType);
    writeBytes(path("t.npy"), file.toStdString());
    const bg::Tensor t = bg::readNpyFile(path("t.npy"));
    QCOMPARE(t.elemType(), elemType);
    bg::Shape want(shape.begin(), shape.end());
    QCOMPARE(t.shape(), want);
    const std::vector<float> got = t.toFloatVector();
    QCOMPARE(got.size(), size_t(expected.size()));
    for (qsizetype k = 0; k < expected.size(); ++k)
        QCOMPARE(double(got[size_t(k)]), double(float(expected[k])));
}

void TestTensorFile::npyMalformed_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    auto add = [](const char* name, const std::string& f, bg::ErrorCode c, const char* msg) {
        QTest::newRow(name) << QByteArray(f.data(), qsizetype(f.size())) << int(c) << QString(msg);
    };
    const std::string four = bytesOf(std::vector<float>{1, 2, 3, 4});
    add("not npy", "PK\x03\x04 a zip file, really", bg::ErrorCode::NotOnnx, "magic");
    add("fortran order", npy(1, dict("<f4", "(2, 2)", "True"), four), bg::ErrorCode::UnsupportedType, "Fortran");
    add("big endian", npy(1, dict(">f4", "(4,)"), four), bg::ErrorCode::UnsupportedType, "big-endian");
    add("complex", npy(1, dict("<c8", "(2,)"), four), bg::ErrorCode::UnsupportedType, "'<c8'");
    add("object", npy(1, dict("|O", "(2,)"), four), bg::ErrorCode::UnsupportedType, "'|O'");
    add("short data", npy(1, dict("<f4", "(2, 3)"), four), bg::ErrorCode::Truncated, "only 16 bytes");
    add("trailing data", npy(1, dict("<f4", "(3,)"), four), bg::ErrorCode::ShapeMismatch, "12 bytes");
    add("header cut", npy(1, dict("<f4", "(4,)"), four).substr(0, 30), bg::ErrorCode::Truncated, "header");
    add("version 9", npy(9, dict("<f4", "(4,)"), four), bg::ErrorCode::UnsupportedType, "version 9");
    add("no shape", npy(1, "{'descr': '<f4', 'fortran_order': False}", four), bg::ErrorCode::NotOnnx, "'shape'");
    add("bad shape", npy(1, dict("<f4", "(a, b)"), four), bg::ErrorCode::NotOnnx, "not a tuple");
    add("overflowing shape", npy(1, dict("<f4", "(4294967296, 4294967296, 4294967296)"), four),
        bg::ErrorCode::TensorTooLarge, "too large");
    add("over the limit", npy(1, dict("<f4", "(1000000000,)"), four), bg::ErrorCode::TensorTooLarge, "over the limit");
}

void TestTensorFile::npyMalformed()
{
    QFETCH(QByteArray, file);
    QFETCH(int, code);
    QFETCH(QString, message);
    writeBytes(path("bad.npy"), file.toStdString());
    try {
        bg::readNpyFile(path("bad.npy"), int64_t{1} << 20);
        QFAIL("no error");
    } catch (const bg::Error& e) {
        const QString what = e.what();
        QVERIFY2(int(e.code()) == code, qPrintable(QString(bg::errorCodeName(e.code())) + ": " + what));
        QVERIFY2(what.contains("bad.npy"), qPrintable(what));
        QVERIFY2(what.contains(message), qPrintable(what));
    }
}

QTEST_APPLESS_MAIN(TestTensorFile)
#include "tst_tensor_file.moc"
