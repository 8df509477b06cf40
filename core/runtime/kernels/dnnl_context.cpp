#include "runtime/kernels/dnnl_context.h"

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

void dnnlExecute(const dnnl::primitive& prim, const std::unordered_map<int, dnnl::memory>& args)
{
    prim.execute(dnnlStream(), args);
    dnnlStream().wait();
}

dnnl::memory dnnlToLayout(const dnnl::memory& user, const dnnl::memory::desc& want)
{
    if (user.get_desc() == want)
        return user;
    dnnl::memory src = user;  // a handle copy: execute() takes non-const references
    dnnl::memory out(want, dnnlEngine());
    dnnl::reorder(src, out).execute(dnnlStream(), src, out);
    dnnlStream().wait();
    return out;
}

} // namespace bg
