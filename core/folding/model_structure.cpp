#include "folding/model_structure.h"

#include "folding/fold_pair_finder.h"
#include "io/error.h"
#include "model/model_loader.h"

namespace bg {

std::shared_ptr<const ModelStructure> makeModelStructure(Graph graph)
{
    auto s = std::make_shared<ModelStructure>();
    s->graph = std::move(graph);
    withFile(s->graph.path, [&] {
        s->pairs = findFoldPairs(s->graph);
        s->groups = findFusionGroups(s->graph, s->pairs);
    });
    return s;
}

std::shared_ptr<const ModelStructure> loadModelStructure(const std::string& path)
{
    return makeModelStructure(loadModel(path));
}

std::shared_ptr<const Graph> sharedGraph(const std::shared_ptr<const ModelStructure>& structure)
{
    return {structure, &structure->graph};
}

} // namespace bg
