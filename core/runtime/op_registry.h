#pragma once
// The operator table. Each operator lives in its own file under runtime/ops/ and registers a
// plain reference kernel (the test oracle: straightforward loops, no tricks) and optionally a fast
// kernel (oneDNN for the heavy ops). The fast kernel may hand unusual configurations back to the
// reference one and says so through KernelContext::tookFastPath (FloatKernelPaths); tests compare
// the two with fixed seeds and check that the fast path really ran.
//
// Registration is explicit, not through static initialisers: CMake generates ops_registration.cpp
// that calls bg_register_<file stem>(OpRegistry&) for every runtime/ops/<stem>.cpp, so adding an
// operator is adding a file, and nothing can be dropped by the linker.
#include "runtime/kernel_context.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace bg {

using Kernel = std::function<std::vector<Tensor>(const KernelContext&)>;

struct OpDef {
    std::string opType;
    Kernel reference;
    Kernel fast;  // empty: the reference kernel is the only one
};

enum class KernelChoice { Reference, Fast };

class OpRegistry {
public:
    static const OpRegistry& instance();

    void add(OpDef def);
    const OpDef* find(const std::string& opType) const;
    bool supports(const std::string& opType) const { return find(opType) != nullptr; }
    std::vector<std::string> opTypes() const;

private:
    std::map<std::string, OpDef> ops_;
};

void registerAllOps(OpRegistry& registry);  // generated

} // namespace bg
