// LLVM code generation for the CPU target: LLVM dialect → optimized LLVM IR → object file.
#pragma once

#include "mlir/IR/BuiltinOps.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>

namespace nncc {

struct CodegenOptions {
  /// Target CPU ("host" resolves to this machine's CPU and features).
  std::string cpu = "host";
  unsigned optLevel = 3;
};

/// A TargetMachine for the host triple and `options.cpu`; null with `error`.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const CodegenOptions &options,
                                                         std::string &error);

/// The width in bits of the widest vector registers `tm` may use: 512 with AVX-512F, 256 with
/// AVX2, else 128.
int64_t vectorBitsOf(const llvm::TargetMachine &tm);

/// The features among rt::knownIsaFeatures() that `tm` enables, comma-separated: what a CPU
/// must have to run the code (the runtime checks them at load time).
std::string isaOf(const llvm::TargetMachine &tm);

/// Translates an LLVM-dialect module to LLVM IR and runs the -O pipeline.
std::unique_ptr<llvm::Module> translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &ctx,
                                                   llvm::TargetMachine &tm, unsigned optLevel,
                                                   std::string &error);

/// Emits `module` as an ELF relocatable object into `object`.
bool emitObject(llvm::Module &module, llvm::TargetMachine &tm, std::string &object,
                std::string &error);

} // namespace nncc
