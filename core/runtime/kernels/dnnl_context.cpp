#include "runtime/kernels/dnnl_context.h"

#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <new>
#include <string>

namespace bg {

dnnl::engine& dnnlEngine()
{
    static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

dnnl::stream& dnnlStream()
{
    thread_local dnnl::stream stream(dnnlEngine());
    return stream;
}

dnnl::memory::desc dnnlPlainDesc(const std::vector<int64_t>& dims, dnnl::memory::data_type type)
{
    dnnl::memory::dims d(dims.begin(), dims.end());
    dnnl::memory::dims strides(d.size(), 1);
    for (size_t i = d.size(); i-- > 1;)
        strides[i - 1] = strides[i] * d[i];
    return dnnl::memory::desc(d, type, strides);
}

namespace {

// The calling thread's scratchpad for primitives made with scratchpad_mode::user, grown to the
// largest one asked for. Aligned for the vector loads oneDNN's kernels make.
void* threadScratchpad(size_t bytes)
{
    struct Free {
        void operator()(void* p) const { std::free(p); }
    };
    thread_local std::unique_ptr<void, Free> buffer;
    thread_local size_t capacity = 0;
    if (bytes > capacity) {
        const size_t rounded = (bytes + 4095) / 4096 * 4096;
        buffer.reset(std::aligned_alloc(4096, rounded));
        if (!buffer)
            throw std::bad_alloc();
        capacity = rounded;
    }
    return buffer.get();
}

} // namespace

void dnnlExecute(const dnnl::primitive& prim, const std::unordered_map<int, dnnl::memory>& args)
{
    const_dnnl_primitive_desc_t pd = prim.get_primitive_desc();
    const dnnl_memory_desc_t* scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
    dnnl_scratchpad_mode_t mode = dnnl_scratchpad_mode_library;
    const_dnnl_primitive_attr_t attr = nullptr;
    if (dnnl_primitive_desc_get_attr(pd, &attr) == dnnl_success)
        dnnl_primitive_attr_get_scratchpad_mode(attr, &mode);
    if (mode == dnnl_scratchpad_mode_user && scratch && dnnl_memory_desc_get_size(scratch) > 0) {
        const dnnl::memory::desc md(*scratch);
        std::unordered_map<int, dnnl::memory> withScratch = args;
        withScratch.emplace(DNNL_ARG_SCRATCHPAD, dnnl::memory(md, dnnlEngine(), threadScratchpad(md.get_size())));
        prim.execute(dnnlStream(), withScratch);
    } else {
        prim.execute(dnnlStream(), args);
    }
    dnnlStream().wait();
}

void dnnlReorder(const dnnl::memory& from, const dnnl::memory& to)
{
    // The key: both descriptors' bytes (value-initialised C structs, padding included: a key that
    // differs only there costs a second primitive, never a wrong one) and the thread count the
    // primitive is made for (its jit kernel is balanced for it).
    const dnnl::memory::desc a = from.get_desc(), b = to.get_desc();
    const int threads = omp_get_max_threads();
    std::string key(sizeof a.data + sizeof b.data + sizeof threads, '\0');
    std::memcpy(key.data(), &a.data, sizeof a.data);
    std::memcpy(key.data() + sizeof a.data, &b.data, sizeof b.data);
    std::memcpy(key.data() + sizeof a.data + sizeof b.data, &threads, sizeof threads);
    static std::mutex mutex;
    static std::unordered_map<std::string, std::shared_ptr<const dnnl::reorder>> cache;
    std::shared_ptr<const dnnl::reorder> prim;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (auto it = cache.find(key); it != cache.end())
            prim = it->second;
    }
    if (!prim) {
        dnnl::primitive_attr attr;
        attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
        prim = std::make_shared<const dnnl::reorder>(dnnl::reorder::primitive_desc(dnnlEngine(), a, dnnlEngine(), b, attr));
        std::lock_guard<std::mutex> lock(mutex);
        constexpr size_t kMaxEntries = 4096;  // a long session over many models and input sizes
        if (cache.size() >= kMaxEntries)
            cache.clear();
        cache.emplace(key, prim);
    }
    dnnlExecute(*prim, {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}});
}

dnnl::memory dnnlToLayout(const dnnl::memory& user, const dnnl::memory::desc& want)
{
    if (user.get_desc() == want)
        return user;
    dnnl::memory out(want, dnnlEngine());
    dnnlReorder(user, out);
    return out;
}

} // namespace bg
