// The inspect report: tree, layer table and parameter totals from a model file.
#include "compiler/Driver/Inspect.h"
#include "compiler/Passes.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/ModelFile.pb.h"

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace nncc {
namespace {

/// "1,234,567", as torchsummary prints counts.
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return out;
}

struct Table {
  std::map<std::string, const proto::Tensor *> tensors;
  std::ostringstream rows;
  int index = 0;
};

void addRows(const proto::ModuleNode &node, Table &table) {
  if (!node.path().empty() && node.called()) {
    int64_t params = 0;
    for (const std::string &p : node.parameters()) {
      auto it = table.tensors.find(node.path() + "." + p);
      if (it == table.tensors.end())
        continue;
      int64_t numel = 1;
      for (int64_t d : it->second->shape())
        numel *= d;
      params += numel;
    }
    std::string layer = node.class_name() + "-" + std::to_string(++table.index) + " (" + node.path() + ")";
    std::string shape = ir::formatDims(ir::Dims(node.output_shape().begin(), node.output_shape().end()));
    char line[512];
    std::snprintf(line, sizeof line, "%-36s %-20s %15s\n", layer.c_str(), shape.c_str(),
                  grouped(params).c_str());
    table.rows << line;
  }
  for (const proto::ModuleNode &child : node.children())
    addRows(child, table);
}

} // namespace

std::string describeMemoryPlan(mlir::ModuleOp module) {
  std::ostringstream out;
  out << "Memory plan (intermediates, in one arena):\n";
  for (auto func : module.getOps<mlir::func::FuncOp>()) {
    auto arena = func->getAttrOfType<mlir::IntegerAttr>(kArenaBytesAttr);
    auto unplanned = func->getAttrOfType<mlir::IntegerAttr>(kUnplannedBytesAttr);
    if (!arena || !unplanned)
      continue;
    int64_t a = arena.getInt(), u = unplanned.getInt();
    out << "  " << func.getSymName().str() << ": " << grouped(a) << " bytes; without reuse "
        << grouped(u) << " bytes";
    if (u > 0)
      out << " (" << (100 * a + u / 2) / u << "%)";
    out << "\n";
  }
  return out.str();
}

std::string inspectModel(const proto::Model &model) {
  Table table;
  int64_t total = 0, trainable = 0;
  for (const proto::Tensor &t : model.tensors()) {
    table.tensors[t.name()] = &t;
    if (t.kind() != proto::Tensor::PARAMETER)
      continue;
    int64_t numel = 1;
    for (int64_t d : t.shape())
      numel *= d;
    total += numel;
    if (t.requires_grad())
      trainable += numel;
  }
  addRows(model.root(), table);
  std::ostringstream out;
  std::string rule(73, '-');
  char header[256];
  std::snprintf(header, sizeof header, "%-36s %-20s %15s\n", "Layer (type)", "Output Shape", "Param #");
  out << "model '" << model.name() << "' (" << model.root().class_name() << ", "
      << (model.root().training() ? "train" : "eval") << " mode), inputs:";
  for (const proto::Input &in : model.inputs())
    out << " " << in.name() << " " << ir::formatDims(ir::Dims(in.shape().begin(), in.shape().end()));
  out << "\n\n" << model.repr() << "\n\n"
      << rule << "\n" << header << std::string(73, '=') << "\n"
      << table.rows.str() << std::string(73, '=') << "\n"
      << "Total params: " << grouped(total) << "\n"
      << "Trainable params: " << grouped(trainable) << "\n"
      << "Non-trainable params: " << grouped(total - trainable) << "\n"
      << rule << "\n";
  return out.str();
}

} // namespace nncc
