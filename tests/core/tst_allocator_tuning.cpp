// LargeTensorReuseScope (runtime/allocator_tuning.h): inside it a 20 MB tensor comes from the heap,
// outside it from its own mmap (glibc's mallinfo2().hblkhd counts those bytes); nested scopes keep
// the setting until the outermost ends.
#include "runtime/allocator_tuning.h"

#include <QtTest>

#include <malloc.h>

#include <cstdlib>

namespace {

constexpr size_t kBytes = size_t{20} << 20;  // between the 12 MiB threshold and the scope's 32 MiB

// Whether a fresh kBytes allocation is an mmap of its own (glibc's count of mmap'ed bytes grows).
bool allocationIsMmapped()
{
    const size_t before = mallinfo2().hblkhd;
    void* volatile block = std::malloc(kBytes);  // volatile: the pair is not optimised away
    const size_t during = mallinfo2().hblkhd;
    std::free(block);
    return during >= before + kBytes;
}

} // namespace

class TestAllocatorTuning : public QObject {
    Q_OBJECT
private slots:
    void largeTensorsReusedOnlyInsideTheScope()
    {
        bg::tuneAllocatorForTensors();
        QVERIFY(allocationIsMmapped());
        {
            const bg::LargeTensorReuseScope outer;
            QVERIFY(!allocationIsMmapped());
            {
                const bg::LargeTensorReuseScope inner;
                QVERIFY(!allocationIsMmapped());
            }
            QVERIFY2(!allocationIsMmapped(), "the inner scope's end restored the threshold under the outer one");
        }
        QVERIFY(allocationIsMmapped());
    }
};

QTEST_GUILESS_MAIN(TestAllocatorTuning)
#include "tst_allocator_tuning.moc"
