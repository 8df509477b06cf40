#pragma once
// Process-wide cache of weights already reordered into the blocked layout a oneDNN primitive wants.
// Conv weights are graph constants that stay the same run after run, yet the reorder into oneDNN's
// blocked layout used to run on every call (a full pass over the weights plus a parallel region).
// An entry is found by the user buffer's address and the two layouts, and only reused when the
// user's bytes still hash to what they hashed to at insertion (64 bits over every byte), so that a
// freed-and-reused address or a non-constant weight input does not hit a stale entry. A hash, not a
// private copy of the bytes as before: the copy was a fourth image of every weight, 4.7 MB of the
// detector's peak, and hashing costs about what comparing did. Safe to use from several threads.
//
// A caller that owns its weights as immutable constants passes an owner token instead
// (FloatRuntime): its entries are found by token, address and layouts, with no hash (hashing every
// weight on every call was 5 % of the classifier's run), and dnnlForgetWeights drops them when the
// owner goes, so that a later owner's weights at a recycled address never meet them.
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>

namespace bg {

// Memory in layout `want` holding the data of `user` (plain, dense), reordered now or taken from the
// cache. The returned memory stays valid while the caller holds it, even if the entry is evicted.
// `owner` nonzero: a token never reused, whose weights stay alive and unchanged until
// dnnlForgetWeights(owner).
dnnl::memory dnnlCachedWeights(const dnnl::memory& user, const dnnl::memory::desc& want, uint64_t owner = 0);

// Drops the entries of `owner` (its weights are about to be freed).
void dnnlForgetWeights(uint64_t owner);

} // namespace bg
