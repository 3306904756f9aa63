// LLVM code generation: target machine set-up, translation, optimization and object emission.
#include "compiler/Target/CPU/Codegen.h"
#include "runtime/Isa.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

namespace nncc {

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const CodegenOptions &options,
                                                         std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpu = options.cpu;
  std::string features;
  if (cpu == "host") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> hostFeatures = llvm::sys::getHostCPUFeatures();
    // Sorted, so equal hosts give equal feature strings and equal objects.
    std::vector<std::string> enabled;
    for (auto &f : hostFeatures)
      enabled.push_back((f.second ? "+" : "-") + f.first().str());
    llvm::sort(enabled);
    features = llvm::join(enabled, ",");
  }
  llvm::TargetOptions targetOptions;
  auto level = options.optLevel >= 3   ? llvm::CodeGenOptLevel::Aggressive
               : options.optLevel == 0 ? llvm::CodeGenOptLevel::None
                                       : llvm::CodeGenOptLevel::Default;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_, std::nullopt, level));
  if (!tm)
    error = "cannot create a target machine for " + triple + " cpu " + cpu;
  return tm;
}

int64_t vectorBitsOf(const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo *info = tm.getMCSubtargetInfo();
  if (info->checkFeatures("+avx512f"))
    return 512;
  return info->checkFeatures("+avx2") ? 256 : 128;
}

std::string isaOf(const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo *info = tm.getMCSubtargetInfo();
  std::vector<std::string> used;
  for (const char *feature : rt::knownIsaFeatures())
    if (info->checkFeatures(std::string("+") + feature))
      used.push_back(feature);
  return llvm::join(used, ",");
}

std::unique_ptr<llvm::Module> translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &ctx,
                                                   llvm::TargetMachine &tm, unsigned optLevel,
                                                   std::string &error) {
  std::unique_ptr<llvm::Module> llvmModule = mlir::translateModuleToLLVMIR(module, ctx, "nncc");
  if (!llvmModule) {
    error = "translation of the LLVM dialect to LLVM IR failed";
    return nullptr;
  }
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple().str());
  auto optimize = mlir::makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &tm);
  if (llvm::Error err = optimize(llvmModule.get())) {
    error = llvm::toString(std::move(err));
    return nullptr;
  }
  return llvmModule;
}

bool emitObject(llvm::Module &module, llvm::TargetMachine &tm, std::string &object,
                std::string &error) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return false;
  }
  pm.run(module);
  object.assign(buffer.begin(), buffer.end());
  return true;
}

} // namespace nncc
