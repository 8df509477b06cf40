#include "runtime/kernels/dnnl_weight_cache.h"

#include "runtime/kernels/dnnl_context.h"
#include "runtime/kernels/dnnl_threads.h"

#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace bg {

namespace {

struct Entry {
    const void* userPtr = nullptr;
    dnnl::memory::desc userDesc;
    dnnl::memory::desc want;
    std::vector<char> userCopy;  // the bytes the reorder was made from (exact-match check)
    dnnl::memory reordered;      // owns its buffer; handle copies share it
};

// Bounded so that a long session over many models cannot grow without limit: oldest entries go
// first. 512 MiB of (copy + reordered) weights covers every model this tool targets.
constexpr size_t kMaxBytes = size_t(512) << 20;

struct Cache {
    std::mutex mutex;
    std::deque<std::shared_ptr<const Entry>> entries;
    size_t bytes = 0;
};

Cache& cache()
{
    static Cache c;
    return c;
}

size_t entryBytes(const Entry& e) { return e.userCopy.size() + e.want.get_size(); }

} // namespace

dnnl::memory dnnlCachedWeights(const dnnl::memory& user, const dnnl::memory::desc& want)
{
    const dnnl::memory::desc userDesc = user.get_desc();
    if (userDesc == want)
        return user;
    const void* ptr = user.get_data_handle();
    const size_t size = userDesc.get_size();
    Cache& c = cache();
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        for (auto it = c.entries.begin(); it != c.entries.end(); ++it) {
            const Entry& e = **it;
            if (e.userPtr != ptr || !(e.userDesc == userDesc) || !(e.want == want))
                continue;
            if (e.userCopy.size() == size && std::memcmp(e.userCopy.data(), ptr, size) == 0)
                return e.reordered;
            c.bytes -= entryBytes(e);  // same address, new contents: drop the stale entry
            c.entries.erase(it);
            break;
        }
    }
    // Reorder outside the lock; weights are small, so one thread (see dnnl_threads.h).
    auto entry = std::make_shared<Entry>();
    entry->userPtr = ptr;
    entry->userDesc = userDesc;
    entry->want = want;
    entry->userCopy.assign(static_cast<const char*>(ptr), static_cast<const char*>(ptr) + size);
    {
        const DnnlThreadScope single(0);
        entry->reordered = dnnlToLayout(user, want);
    }
    const size_t bytes = entryBytes(*entry);
    if (bytes > kMaxBytes / 4)
        return entry->reordered;  // too big to be worth keeping
    std::lock_guard<std::mutex> lock(c.mutex);
    while (!c.entries.empty() && c.bytes + bytes > kMaxBytes) {
        c.bytes -= entryBytes(*c.entries.front());
        c.entries.pop_front();
    }
    c.entries.push_back(entry);
    c.bytes += bytes;
    return entry->reordered;
}

} // namespace bg
