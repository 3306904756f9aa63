// `nncc explain`'s analysis: the linalg stage before and after fusion, kernels numbered before
// fusion, the fused ops' annotations, and fusionBlocker's reasons for each unfused neighbour.
#include "compiler/Driver/Explain.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Driver/FusionSummary.h"
#include "frontend/Trace.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <set>

using namespace mlir;

namespace nncc {
namespace {

/// The kernels of `module`: top-level linalg ops of its functions, zero fills left out.
SmallVector<linalg::LinalgOp> kernelsOf(ModuleOp module) {
  SmallVector<linalg::LinalgOp> kernels;
  for (auto func : module.getOps<func::FuncOp>())
    if (!func.isExternal())
      for (Operation &op : func.getBody().front())
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op); linalgOp && !isa<linalg::FillOp>(op))
          kernels.push_back(linalgOp);
  return kernels;
}

int64_t bytesOf(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return shaped && shaped.hasStaticShape()
             ? shaped.getNumElements() * shaped.getElementTypeBitWidth() / 8
             : 0;
}

/// What a kernel reads and writes: its inputs and its results.
int64_t trafficOf(linalg::LinalgOp op) {
  int64_t bytes = 0;
  for (Value v : op.getDpsInputs())
    bytes += bytesOf(v.getType());
  for (Value v : op->getResults())
    bytes += bytesOf(v.getType());
  return bytes;
}

/// "linalg.generic {addf, maximumf}" or the named op.
std::string describeOp(linalg::LinalgOp op) {
  std::string text = op->getName().getStringRef().str();
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation())) {
    std::string body;
    for (Operation &inner : generic.getBody()->without_terminator())
      body += (body.empty() ? "" : ", ") + inner.getName().stripDialect().str();
    text += " {" + body + "}";
  }
  return text;
}

std::string dims(ArrayRef<int64_t> sizes) {
  std::string s = "[";
  for (size_t i = 0; i < sizes.size(); ++i)
    s += (i ? ", " : "") + std::to_string(sizes[i]);
  return s + "]";
}

std::string loopsOf(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> parallel, reduction;
  for (auto [range, type] : llvm::zip(ranges, op.getIteratorTypesArray()))
    (type == utils::IteratorType::parallel ? parallel : reduction).push_back(range);
  std::string s = "parallel " + dims(parallel);
  if (!reduction.empty())
    s += " x reduction " + dims(reduction);
  return s;
}

/// The rules a location records: FusedLoc metadata, as nncc-fold-batch-norm writes.
void locationRules(Location loc, std::vector<std::string> &rules) {
  loc->walk([&](Location l) {
    if (auto fused = dyn_cast<FusedLoc>(l))
      if (auto name = dyn_cast_or_null<StringAttr>(fused.getMetadata()))
        if (!llvm::is_contained(rules, name.str()))
          rules.push_back(name.str());
    return WalkResult::advance();
  });
}

std::string moduleLabel(const std::string &path, const std::map<std::string, std::string> &classes) {
  std::string shown = path == "<root>" ? "<root>" : path;
  auto cls = classes.find(path == "<root>" ? "" : path);
  return cls == classes.end() ? shown : shown + " (" + cls->second + ")";
}

std::string pathsOf(Operation *op) {
  std::string s;
  for (const std::string &p : modulePaths(op->getLoc()))
    s += (s.empty() ? "" : ", ") + p;
  return s;
}

/// Runs the CPU pipeline on a copy of `nn` up to `stop` under `rules`.
OwningOpRef<ModuleOp> lowered(ModuleOp nn, CpuStage stop, const FusionRules &rules, bool annotate) {
  OwningOpRef<ModuleOp> copy = nn.clone();
  CpuPipelineOptions options;
  options.startAfter = CpuStage::Autodiff;
  options.stopAfter = stop;
  options.fusion = rules;
  options.annotateFusion = annotate;
  runCpuPipeline(*copy, options);
  return copy;
}

/// The kernel that produced `v`, looking through reshapes and hook points.
Operation *producingKernel(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (isa<linalg::LinalgOp>(def) && !isa<linalg::FillOp>(def))
      return def;
    if (def->getNumOperands() == 0)
      return nullptr;
    v = def->getOperand(0);
  }
  return nullptr;
}

} // namespace

Explanation explainFusion(ModuleOp nn, const std::string &model, const FusionRules &rules,
                          const std::vector<std::string> &disabledRules,
                          const std::map<std::string, std::string> &classes) {
  Explanation e;
  e.model = model;
  e.disabledRules = disabledRules;
  e.classes = classes;
  e.nnIR = printIR(nn);
  nn.walk([&](ir::BatchNormOp bn) {
    std::string reason = rules.bnFold ? bnFoldBlocker(bn) : "rule 'bn-fold' is disabled";
    if (!reason.empty())
      e.notes.push_back("batch_norm at " + pathsOf(bn) + " is not folded: " + reason);
  });

  FusionRules none;
  none.bnFold = none.elementwise = none.multiOutput = false;
  OwningOpRef<ModuleOp> unfused = lowered(nn, CpuStage::Linalg, none, false);
  for (linalg::LinalgOp k : kernelsOf(*unfused)) {
    ++e.kernelsBefore;
    e.bytesBefore += trafficOf(k);
  }

  // Before fusion (eval-mode folding done): number the kernels, then fuse with annotations.
  OwningOpRef<ModuleOp> work = lowered(nn, CpuStage::Linalg, rules, false);
  e.linalgIR = printIR(*work);
  Builder b(work->getContext());
  llvm::DenseMap<Operation *, int> nodeOf;
  for (linalg::LinalgOp k : kernelsOf(*work)) {
    int id = static_cast<int>(e.nodes.size()) + 1;
    nodeOf[k] = id;
    k->setAttr(kKernelAttr, b.getI64IntegerAttr(id));
    k->setAttr(kMembersAttr, b.getArrayAttr({b.getI64IntegerAttr(id)}));
    e.nodes.push_back({id, describeOp(k) + "\n" + pathsOf(k), 0});
  }
  // Inputs and initial values (a convolution accumulates onto its broadcast bias).
  for (auto [op, id] : nodeOf)
    for (Value operand : op->getOperands())
      if (Operation *from = producingKernel(operand); from && nodeOf.count(from))
        e.edges.push_back({nodeOf[from], id});
  llvm::sort(e.edges);

  CpuPipelineOptions fuse;
  fuse.startAfter = CpuStage::Linalg;
  fuse.stopAfter = CpuStage::Fused;
  fuse.fusion = rules;
  fuse.annotateFusion = true;
  runCpuPipeline(*work, fuse);
  e.fusedIR = printIR(*work);

  llvm::DenseMap<Operation *, int> kernelOf;
  SmallVector<linalg::LinalgOp> kernels = kernelsOf(*work);
  for (linalg::LinalgOp k : kernels)
    kernelOf[k] = static_cast<int>(kernelOf.size()) + 1;
  for (linalg::LinalgOp k : kernels) {
    ExplainedKernel ek;
    ek.id = kernelOf[k];
    ek.function = k->getParentOfType<func::FuncOp>().getSymName().str();
    ek.op = describeOp(k);
    for (const std::string &path : modulePaths(k->getLoc()))
      ek.modules.push_back(moduleLabel(path, classes));
    locationRules(k->getLoc(), ek.rules);
    if (auto fusedRules = k->getAttrOfType<ArrayAttr>(kRulesAttr))
      for (Attribute r : fusedRules)
        if (!llvm::is_contained(ek.rules, cast<StringAttr>(r).str()))
          ek.rules.push_back(cast<StringAttr>(r).str());
    if (auto avoided = k->getAttrOfType<IntegerAttr>(kAvoidedBytesAttr))
      ek.avoidedBytes += avoided.getInt();
    if (auto members = k->getAttrOfType<ArrayAttr>(kMembersAttr))
      for (Attribute m : members) {
        int node = static_cast<int>(cast<IntegerAttr>(m).getInt());
        ek.members.push_back(node);
        e.nodes[node - 1].group = ek.id;
      }
    ek.loops = loopsOf(k);
    int64_t epilogueSaving = 0;
    for (OpOperand *operand : k.getDpsInputOperands()) {
      Operation *def = operand->get().getDefiningOp();
      if (!def || isa<linalg::FillOp, mlir::tensor::EmptyOp>(def) ||
          def->hasTrait<OpTrait::ConstantLike>())
        continue;
      if (def && kernelOf.count(def) && epilogueBlocker(*operand, rules).empty()) {
        ek.epilogueOf = kernelOf[def];
        ek.rules.push_back("epilogue");
        // The kernel no longer writes its output, nor this op reads it.
        epilogueSaving = 2 * bytesOf(operand->get().getType());
        ek.avoidedBytes += epilogueSaving;
        continue;
      }
      Neighbour n;
      n.reason = fusionBlocker(*operand, rules);
      if (Operation *from = producingKernel(operand->get()); from && kernelOf.count(from)) {
        n.kernel = kernelOf[from];
        n.what = "kernel " + std::to_string(n.kernel) + " (" +
                 from->getName().getStringRef().str() + " at " + pathsOf(from) + ")";
      } else {
        n.what = def->getName().getStringRef().str() + " at " + pathsOf(def);
      }
      if (!n.reason.empty())
        ek.notFused.push_back(std::move(n));
    }
    e.bytesAfter += trafficOf(k) - epilogueSaving;
    e.kernels.push_back(std::move(ek));
  }
  // An epilogue's loop nest is its kernel's: that kernel holds its modules and members.
  e.kernelsAfter = static_cast<int>(e.kernels.size());
  for (ExplainedKernel &k : e.kernels)
    if (k.epilogueOf) {
      ExplainedKernel &host = e.kernels[k.epilogueOf - 1];
      host.epilogue = k.id;
      for (const std::string &m : k.modules)
        if (!llvm::is_contained(host.modules, m))
          host.modules.push_back(m);
      for (int member : k.members)
        e.nodes[member - 1].group = host.id;
      --e.kernelsAfter;
    }
  return e;
}

} // namespace nncc
