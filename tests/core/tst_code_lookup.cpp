// lookupCodes (integer/code_lookup.h): the AVX2 lookup gives the plain loop's bytes for every
// code through random tables, at lengths around its 32-code step, from unaligned starts, and in
// place.
#include "integer/code_lookup.h"

#include <QtTest>

#include <random>
#include <vector>

class TestCodeLookup : public QObject {
    Q_OBJECT
private slots:
    void lookupMatchesThePlainLoop_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("offset");
        for (int length : {0, 1, 31, 32, 33, 64, 255, 256, 1000})
            for (int offset : {0, 3})
                QTest::addRow("%d codes from byte %d", length, offset) << length << offset;
    }
    void lookupMatchesThePlainLoop()
    {
        QFETCH(int, length);
        QFETCH(int, offset);
        std::mt19937 rng(static_cast<unsigned>(length * 7 + offset));
        std::vector<uint8_t> table(256);
        for (auto& v : table)
            v = static_cast<uint8_t>(rng());
        std::vector<uint8_t> codes(static_cast<size_t>(length + offset));
        for (size_t i = 0; i < codes.size(); ++i)  // every code, then random ones
            codes[i] = static_cast<uint8_t>(i < 256 ? i : rng());
        std::vector<uint8_t> want(codes.size(), 0), got(codes.size(), 0);
        bg::lookupCodesPlain(codes.data() + offset, length, table.data(), want.data() + offset);
        bg::lookupCodes(codes.data() + offset, length, table.data(), got.data() + offset);
        QVERIFY(got == want);
        for (int i = 0; i < length; ++i)
            QCOMPARE(want[static_cast<size_t>(offset + i)], table[codes[static_cast<size_t>(offset + i)]]);
        bg::lookupCodes(codes.data() + offset, length, table.data(), codes.data() + offset);  // in place
        QVERIFY(std::equal(codes.begin() + offset, codes.end(), want.begin() + offset));
    }
};

QTEST_GUILESS_MAIN(TestCodeLookup)
#include "tst_code_lookup.moc"
