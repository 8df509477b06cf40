#pragma once
// An IntegerRuntime with the values it reads (the model's structure and its fold analysis) kept
// alive beside it, as the CLI and the GUI keep them: for tests that start from a Graph.
#include "analysis/fold_analysis.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "integer/integer_runtime.h"

#include <memory>

namespace bgtest {

struct PreparedRuntime {
    std::shared_ptr<const bg::ModelStructure> model;
    bg::FoldAnalysis analysis;
    bg::IntegerRuntime rt;  // declared last: it reads the two above

    PreparedRuntime(const bg::Graph& graph, const bg::RangeTable& ranges, const bg::QuantSettings& settings,
                    const bg::FixPlan& plan)
        : model(bg::makeModelStructure(graph)),
          analysis(bg::analyzeFolds(model->graph, model->pairs, settings, ranges)),
          rt(*model, ranges, analysis, plan)
    {
    }
};

} // namespace bgtest
