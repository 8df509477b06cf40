#include "runtime/kernels/dnnl_weight_cache.h"

#include "runtime/kernels/dnnl_context.h"
#include "runtime/kernels/dnnl_threads.h"

#include <functional>
#include <string_view>
#include <deque>
#include <memory>
#include <mutex>

namespace bg {

namespace {

struct Entry {
    const void* userPtr = nullptr;
    dnnl::memory::desc userDesc;
    dnnl::memory::desc want;
    size_t userBytes = 0;
    size_t userHash = 0;         // of the bytes the reorder was made from (owner 0 only)
    uint64_t owner = 0;          // dnnlCachedWeights' token; 0: validated by userHash
    dnnl::memory reordered;      // owns its buffer; handle copies share it
};

// Bounded so that a long session over many models cannot grow without limit: oldest entries go
// first. 512 MiB of reordered weights covers every model this tool targets.
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

size_t entryBytes(const Entry& e) { return e.want.get_size(); }

size_t hashBytes(const void* p, size_t n) { return std::hash<std::string_view>{}({static_cast<const char*>(p), n}); }

} // namespace

dnnl::memory dnnlCachedWeights(const dnnl::memory& user, const dnnl::memory::desc& want, uint64_t owner)
{
    const dnnl::memory::desc userDesc = user.get_desc();
    if (userDesc == want)
        return user;
    const void* ptr = user.get_data_handle();
    const size_t size = userDesc.get_size();
    const size_t hash = owner ? 0 : hashBytes(ptr, size);
    Cache& c = cache();
    {
        std::lock_guard<std::mutex> lock(c.mutex);
        for (auto it = c.entries.begin(); it != c.entries.end(); ++it) {
            const Entry& e = **it;
            if (e.owner != owner || e.userPtr != ptr || !(e.userDesc == userDesc) || !(e.want == want))
                continue;
            if (e.userBytes == size && e.userHash == hash)
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
    entry->userBytes = size;
    entry->userHash = hash;
    entry->owner = owner;
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

void dnnlForgetWeights(uint64_t owner)
{
    if (owner == 0)
        return;
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto it = c.entries.begin(); it != c.entries.end();) {
        if ((*it)->owner == owner) {
            c.bytes -= entryBytes(**it);
            it = c.entries.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace bg
