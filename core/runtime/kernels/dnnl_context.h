#pragma once
// The process-wide oneDNN CPU engine and a per-thread stream, shared by the float fast kernels
// and the integer backend. Kept tiny on purpose: primitives are created per call and oneDNN's own
// primitive cache makes repeated shapes cheap.
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace bg {

dnnl::engine& dnnlEngine();
// One stream per calling thread (streams are not meant to be shared between threads).
dnnl::stream& dnnlStream();

// Dense row-major memory descriptor for `dims` (float32 unless told otherwise).
dnnl::memory::desc dnnlPlainDesc(const std::vector<int64_t>& dims,
                                 dnnl::memory::data_type type = dnnl::memory::data_type::f32);

// Runs `prim` with `args` on the thread's stream and waits for it.
void dnnlExecute(const dnnl::primitive& prim, const std::unordered_map<int, dnnl::memory>& args);

// Copies `from` into `to` (same dims, any two layouts) with a reorder primitive made once per
// pair of layouts and thread count: dnnl::reorder's constructor creates a primitive descriptor
// on every call (oneDNN's primitive cache saves only the primitive), a tenth of the classifier's
// single-thread run. A copy: the same bytes as a reorder made afresh. The primitive uses the
// calling thread's scratchpad (dnnlExecute), so any thread may run it.
void dnnlReorder(const dnnl::memory& from, const dnnl::memory& to);

// Memory for `want` holding the data of `user`: `user` itself when the layouts match, else a
// reordered copy (executed immediately).
dnnl::memory dnnlToLayout(const dnnl::memory& user, const dnnl::memory::desc& want);

} // namespace bg
