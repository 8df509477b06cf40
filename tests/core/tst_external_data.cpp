// External data is the one place a model file names other files, so it is where a hostile model
// tries to read what it should not (CVE-2024-27318, CVE-2024-5187: paths leaving the model's
// folder): every escape and every out-of-file offset or length is refused with the model's name,
// and the forms the ONNX spec allows still load.
#include "io/error.h"
#include "model/model_loader.h"

#include <onnx/onnx_pb.h>

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string floatBytes(const std::vector<float>& v)
{
    std::string s(v.size() * 4, '\0');
    std::memcpy(s.data(), v.data(), s.size());
    return s;
}

// x[1,4] + w -> y, w = 4 floats stored externally at `location` with the given entries.
onnx::ModelProto modelWithExternal(const std::string& location, const std::vector<std::pair<std::string, std::string>>& extra)
{
    onnx::ModelProto m;
    m.set_ir_version(7);
    auto* op = m.add_opset_import();
    op->set_domain("");
    op->set_version(13);
    auto* g = m.mutable_graph();
    g->set_name("g");
    auto* in = g->add_input();
    in->set_name("x");
    auto* tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    tt->mutable_shape()->add_dim()->set_dim_value(1);
    tt->mutable_shape()->add_dim()->set_dim_value(4);
    g->add_output()->set_name("y");
    auto* w = g->add_initializer();
    w->set_name("w");
    w->set_data_type(onnx::TensorProto::FLOAT);
    w->add_dims(4);
    w->set_data_location(onnx::TensorProto::EXTERNAL);
    auto* e = w->add_external_data();
    e->set_key("location");
    e->set_value(location);
    for (const auto& [k, v] : extra) {
        auto* x = w->add_external_data();
        x->set_key(k);
        x->set_value(v);
    }
    auto* n = g->add_node();
    n->set_op_type("Add");
    n->set_name("add");
    n->add_input("x");
    n->add_input("w");
    n->add_output("y");
    return m;
}

} // namespace

class TestExternalData : public QObject {
    Q_OBJECT

private slots:
    void hostileLocations_data();
    void hostileLocations();
};

void TestExternalData::hostileLocations_data()
{
    // Layout of every case: ROOT/outside.bin (16 bytes), ROOT/secret/ (a folder beside the model's),
    // ROOT/model/ holding the model, w.bin (16 bytes: 1 2 3 4), sub/w.bin, short.bin (8 bytes).
    QTest::addColumn<QString>("location");
    QTest::addColumn<QString>("offset");   // "" = no entry
    QTest::addColumn<QString>("length");
    QTest::addColumn<QString>("setup");    // extra file-system state
    QTest::addColumn<QString>("error");    // "" = loads and w == 1 2 3 4
    auto row = [](const char* name, const char* loc, const char* off, const char* len, const char* setup,
                  const char* err) {
        QTest::newRow(name) << QString(loc) << QString(off) << QString(len) << QString(setup) << QString(err);
    };
    row("plain", "w.bin", "", "", "", "");
    row("in_subfolder", "sub/w.bin", "", "", "", "");
    row("dot_prefix", "./w.bin", "", "", "", "");
    row("offset_and_length", "padded.bin", "8", "16", "", "");
    row("symlink_inside", "link_inside.bin", "", "", "link_inside", "");
    row("absolute_path", "@ROOT@/outside.bin", "", "", "", "is an absolute path");
    row("dotdot", "../outside.bin", "", "", "", "uses '..'");
    row("dotdot_after_subfolder", "sub/../../outside.bin", "", "", "", "uses '..'");
    row("dotdot_back_inside", "sub/../w.bin", "", "", "", "uses '..'");
    row("symlink_file_escape", "link.bin", "", "", "link_file", "outside the model's folder");
    row("symlink_folder_escape", "linkdir/outside.bin", "", "", "link_dir", "outside the model's folder");
    row("nul_byte", "w.bin\\0../../outside.bin", "", "", "", "NUL");
    row("empty_location", "", "", "", "", "names no location");
    row("folder", "sub", "", "", "", "not a regular file");
    row("fifo", "pipe.bin", "", "", "fifo", "not a regular file");
    row("missing", "nothere.bin", "", "", "", "does not exist");
    row("offset_past_end", "w.bin", "17", "", "", "beyond the end");
    row("offset_at_end_with_length", "w.bin", "16", "16", "", "too short");
    row("length_past_end", "short.bin", "0", "16", "", "too short");
    row("offset_plus_length_past_end", "w.bin", "4", "16", "", "too short");
    row("length_int64_max", "w.bin", "4", "9223372036854775807", "", "too short");
    row("offset_int64_max", "w.bin", "9223372036854775807", "16", "", "beyond the end");
    row("negative_offset", "w.bin", "-4", "", "", "not a non-negative integer");
    row("negative_length", "w.bin", "0", "-16", "", "not a non-negative integer");
    row("overflowing_offset", "w.bin", "99999999999999999999", "", "", "not a non-negative integer");
    row("overflowing_length", "w.bin", "0", "18446744073709551632", "", "not a non-negative integer");
    row("offset_not_a_number", "w.bin", "8 bytes", "", "", "not a non-negative integer");
    row("offset_hex", "w.bin", "0x10", "", "", "not a non-negative integer");
    row("length_not_the_shape", "padded.bin", "0", "24", "", "the tensor's shape and type need 16");
    row("whole_file_not_the_shape", "padded.bin", "", "", "", "the tensor's shape and type need 16");
}

void TestExternalData::hostileLocations()
{
    QFETCH(QString, location);
    QFETCH(QString, offset);
    QFETCH(QString, length);
    QFETCH(QString, setup);
    QFETCH(QString, error);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const std::string root = tmp.path().toStdString();
    const std::string dir = root + "/model";
    fs::create_directories(dir + "/sub");
    fs::create_directories(root + "/secret");
    const std::string data = floatBytes({1, 2, 3, 4});
    writeBytes(root + "/outside.bin", data);
    writeBytes(root + "/secret/outside.bin", data);
    writeBytes(dir + "/w.bin", data);
    writeBytes(dir + "/sub/w.bin", data);
    writeBytes(dir + "/short.bin", data.substr(0, 8));
    writeBytes(dir + "/padded.bin", std::string(8, '\x7f') + data + std::string(8, '\x7f'));
    if (setup == "link_inside")
        fs::create_symlink("sub/w.bin", dir + "/link_inside.bin");
    else if (setup == "link_file")
        fs::create_symlink(root + "/outside.bin", dir + "/link.bin");
    else if (setup == "link_dir")
        fs::create_directory_symlink(root + "/secret", dir + "/linkdir");
    else if (setup == "fifo")
        QCOMPARE(::mkfifo((dir + "/pipe.bin").c_str(), 0600), 0);

    std::string loc = location.toStdString();
    if (const auto at = loc.find("@ROOT@"); at != std::string::npos)
        loc.replace(at, 6, root);
    if (const auto nul = loc.find("\\0"); nul != std::string::npos)
        loc.replace(nul, 2, std::string(1, '\0'));
    std::vector<std::pair<std::string, std::string>> extra;
    if (!offset.isEmpty())
        extra.emplace_back("offset", offset.toStdString());
    if (!length.isEmpty())
        extra.emplace_back("length", length.toStdString());
    const std::string modelPath = dir + "/hostile_external.onnx";
    writeBytes(modelPath, modelWithExternal(loc, extra).SerializeAsString());

    try {
        const bg::Graph g = bg::loadModel(modelPath);
        QVERIFY2(error.isEmpty(), qPrintable("loaded, expected: " + error));
        const auto w = g.constant("w")->floats();
        QCOMPARE(std::vector<float>(w.begin(), w.end()), (std::vector<float>{1, 2, 3, 4}));
    } catch (const bg::Error& e) {
        const QString what = QString::fromStdString(e.what());
        QVERIFY2(!error.isEmpty(), qPrintable(what));
        QCOMPARE(bg::errorCodeName(e.code()), bg::errorCodeName(bg::ErrorCode::ExternalData));
        QVERIFY2(what.contains("hostile_external.onnx"), qPrintable(what));
        QVERIFY2(what.contains(error), qPrintable(what));
    }
}

QTEST_GUILESS_MAIN(TestExternalData)
#include "tst_external_data.moc"
