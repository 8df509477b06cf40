#pragma once
// The first collapse of issue 13: the first fusion group, in graph order, whose propagated output SQNR
// falls far (kCollapseDropDb or more) below the SQNR of its input — where the integer pipeline starts
// losing what the float model computes. Definitions in docs/SPEC_NOTES.md, "Activation-range diagnosis".
#include "folding/model_structure.h"

#include <optional>
#include <string>
#include <vector>

namespace bg {

// A drop of 10 dB: the layer adds nine times the noise power it was handed (an 8-bit layer that
// rounds well adds about as much as it gets: 3 dB; see docs/SPEC_NOTES.md for the choice).
inline constexpr double kCollapseDropDb = 10.0;

struct FirstCollapse {
    std::string layer;        // the group's display name
    std::string inputTensor;  // its input x
    double sqnrInDb = 0.0;
    double sqnrOutDb = 0.0;
};

// The SQNR of a group's input: its own when it is a group output, else the lowest of the nearest group
// outputs upstream through float operators; unknown (the group is no candidate) when only graph inputs
// and constants feed it. `groupOutputSqnrDb` is per model.groups.groups, the propagated output SQNR.
std::optional<FirstCollapse> findFirstCollapse(const ModelStructure& model, const std::vector<double>& groupOutputSqnrDb,
                                               double dropDb = kCollapseDropDb);

} // namespace bg
