// The compiler driver: model loading, the pipeline run, and the artifact (object, header, weights).
#include "compiler/Driver/Driver.h"
#include "compiler/Driver/FusionSummary.h"
#include "compiler/Driver/Jit.h"
#include "compiler/Location.h"
#include "compiler/Passes.h"
#include "compiler/Registration.h"
#include "compiler/Target/CPU/HeaderWriter.h"
#include "compiler/Target/CUDA/CudaCompile.h"
#include "runtime/CudaDriver.h"
#include "runtime/CudaModel.h"
#include "runtime/Monitor.h"
#include "dialects/nn/NNOps.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"
#include "frontend/ModelFile.h"
#include "frontend/ModelFile.pb.h"
#include "frontend/Trace.h"
#include "runtime/FileIO.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_os_ostream.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace nncc {
namespace {

/// Collects the first error diagnostic as "location: message" on one line.
class FirstError {
public:
  explicit FirstError(mlir::MLIRContext *ctx)
      : handler_(ctx, [this](mlir::Diagnostic &d) {
          if (d.getSeverity() == mlir::DiagnosticSeverity::Error && message_.empty())
            message_ = formatLocation(d.getLocation()) + ": " + d.str();
          return mlir::success();
        }) {}
  const std::string &message() const { return message_; }

private:
  std::string message_;
  mlir::ScopedDiagnosticHandler handler_;
};

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

} // namespace

void writeFile(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw Error(path + ": cannot write: " + std::strerror(errno));
}

namespace {

/// Adds `bytes` to `module` as the 64-byte aligned constant `<symbol>`, with
/// its length in `<symbol>_size`.
void embedBytes(llvm::Module &module, const std::string &symbol, const std::string &bytes) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *data = llvm::ConstantDataArray::getRaw(bytes, bytes.size(), llvm::Type::getInt8Ty(ctx));
  auto *global = new llvm::GlobalVariable(module, data->getType(), /*isConstant=*/true,
                                          llvm::GlobalValue::ExternalLinkage, data, symbol);
  global->setAlignment(llvm::Align(64));
  auto *size = llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx), bytes.size());
  new llvm::GlobalVariable(module, size->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, size, symbol + "_size");
}

} // namespace

std::string readFile(const std::string &path) {
  std::vector<uint8_t> bytes;
  if (rt::Status s = rt::io::readFile(path, &bytes); !s.ok())
    throw Error(s.message());
  return std::string(bytes.begin(), bytes.end());
}

namespace {

mlir::OwningOpRef<mlir::ModuleOp> parseNN(const std::string &text, const std::string &path,
                                          mlir::MLIRContext *ctx) {
  FirstError error(ctx);
  llvm::SourceMgr sources;
  sources.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, path), llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceFile<mlir::ModuleOp>(sources, ctx);
  if (!module)
    throw Error(error.message().empty() ? path + ": cannot parse nn IR" : error.message());
  return module;
}

} // namespace

std::unique_ptr<mlir::MLIRContext> makeCompilerContext() {
  mlir::DialectRegistry registry;
  registerDialects(registry);
  auto ctx = std::make_unique<mlir::MLIRContext>(registry);
  ctx->loadAllAvailableDialects();
  return ctx;
}

LoadedModel loadModel(const std::string &path, const std::string &weightsPath) {
  LoadedModel model;
  model.source = path;
  model.context = makeCompilerContext();
  if (endsWith(path, ".mlir")) {
    model.module = parseNN(readFile(path), path, model.context.get());
    model.name = symbolName(std::filesystem::path(path).stem().string());
  } else {
    proto::Model file = readModelFile(path);
    model.module = parseNN(file.nn_ir(), path + ":nn_ir", model.context.get());
    model.name = file.name();
    model.weights = weightsOf(file);
    std::function<void(const proto::ModuleNode &)> addClasses = [&](const proto::ModuleNode &node) {
      model.classes[node.path()] = node.class_name();
      for (const proto::ModuleNode &child : node.children())
        addClasses(child);
    };
    addClasses(file.root());
  }
  if (!weightsPath.empty())
    for (auto &[key, tensor] : load_safetensors(weightsPath))
      model.weights.insert(key, tensor);
  return model;
}

void checkWeights(mlir::ModuleOp module, const StateDict &weights, const std::string &source) {
  auto check = [&](llvm::StringRef key, mlir::Type type) {
    const Tensor *t = weights.find(key.str());
    if (!t)
      throw Error(source + ": no weights for '" + key.str() + "' (give them with --weights)");
    auto shape = mlir::cast<mlir::RankedTensorType>(type).getShape();
    Shape expected(shape.begin(), shape.end());
    if (t->shape() != expected)
      throw Error(source + ": weight '" + key.str() + "' has shape " + ir::formatDims(t->shape()) +
                  ", the IR declares " + ir::formatDims(expected));
  };
  for (auto p : module.getOps<ir::ParameterOp>())
    check(p.getSymName(), p.getType());
  for (auto b : module.getOps<ir::BufferOp>())
    check(b.getSymName(), b.getType());
}

void runCpuPipeline(mlir::ModuleOp module, const CpuPipelineOptions &options) {
  mlir::MLIRContext *ctx = module.getContext();
  FirstError error(ctx);
  mlir::PassManager pm(ctx);
  (void)mlir::applyPassManagerCLOptions(pm);
  buildCpuPipeline(pm, options);
  if (mlir::failed(mlir::verify(module)) || mlir::failed(pm.run(module)))
    throw Error(error.message().empty() ? "the CPU pipeline failed" : error.message());
}

namespace {

/// The pipeline options every target shares, from the command's options.
CpuPipelineOptions pipelineFor(const LoadedModel &model, const CompileOptions &options) {
  CpuPipelineOptions pipeline;
  pipeline.modelName = model.name;
  pipeline.train = options.train;
  pipeline.hookPoints = options.hookPoints;
  pipeline.stripHooks = options.stripHooks;
  pipeline.fusion = options.fusion;
  pipeline.cpuLayouts = options.target == Target::Cpu;
  return pipeline;
}

/// --target=cuda past the target-independent stages: the CUDA C, or the artifact's files.
void compileCudaModel(LoadedModel &model, const CompileOptions &options, const std::string &dir,
                      std::ostream &text) {
  if (options.emit == Emit::Loops || options.emit == Emit::LLVMIR)
    throw Error("--emit=" + std::string(options.emit == Emit::Loops ? "loops" : "llvm") +
                " is a CPU stage; --target=cuda emits --emit=cuda or an artifact");
  CudaArtifact artifact = compileCuda(*model.module, pipelineFor(model, options));
  if (options.emit == Emit::Cuda) {
    text << artifact.program.source;
    return;
  }
  checkWeights(*model.module, model.weights, model.source);
  std::error_code created;
  std::filesystem::create_directories(dir, created);
  if (created)
    throw Error(dir + ": cannot create the output directory: " + created.message());
  std::string base = (std::filesystem::path(dir) / model.name).string();
  nlohmann::json description = artifact.description();
  description["weights"] = model.name + ".safetensors";
  description["images"] = nlohmann::json::object();
  writeFile(base + ".cu", artifact.program.source);
  HeaderOptions header;
  header.cuda = true;
  header.embeddedWeights = options.embedWeights;
  // The object a program links: the description, the images and the weights, as constants.
  std::string error;
  auto tm = createTargetMachine(options.codegen, error);
  if (!tm)
    throw Error(error);
  llvm::LLVMContext llvmContext;
  std::string prefix = "nncc_" + model.name + "_cuda";
  llvm::Module object(prefix, llvmContext);
  object.setTargetTriple(tm->getTargetTriple().str());
  object.setDataLayout(tm->createDataLayout());
  for (const auto &[arch, image] : compileImages(artifact.program.source)) {
    std::string file = model.name + imageSuffix(arch);
    writeFile((std::filesystem::path(dir) / file).string(), image);
    description["images"][arch] = file;
    embedBytes(object, prefix + "_image_" + arch, image);
    header.cudaImages.push_back(arch);
  }
  writeFile(base + ".cuda.json", description.dump(2) + "\n");
  embedBytes(object, prefix + "_description", description.dump() + std::string(1, '\0'));
  save_safetensors(model.weights, base + ".safetensors");
  if (options.embedWeights)
    embedBytes(object, prefix + "_weights", readFile(base + ".safetensors"));
  std::string bytes;
  if (!emitObject(object, *tm, bytes, error))
    throw Error(error);
  writeFile(base + ".o", bytes);
  writeFile(base + ".h", writeHeader(artifact.manifest, header));
}

} // namespace

std::vector<Tensor> runCudaForward(LoadedModel &model, const CompileOptions &options,
                                   std::unique_ptr<rt::CudaDriver> driver, const std::vector<Tensor> &inputs,
                                   rt::Monitor *monitor) {
  checkWeights(*model.module, model.weights, model.source);
  CudaArtifact artifact = compileCuda(*model.module, pipelineFor(model, options));
  std::unique_ptr<rt::CudaDevice> device;
  if (rt::Status s = rt::CudaDriver::open(std::move(driver), compileImages(artifact.program.source), &device);
      !s.ok())
    throw Error(s.message());
  std::unique_ptr<rt::CudaModel> onGpu;
  if (rt::Status s = rt::CudaModel::create(artifact.description().dump(), weightViewsOf(model.weights),
                                           std::move(device), &onGpu);
      !s.ok())
    throw Error(s.message());
  std::vector<std::vector<int64_t>> indices;
  std::vector<const void *> in = bindInputs(onGpu->name(), "forward", onGpu->inputs(), inputs, indices);
  std::vector<Tensor> outputs;
  std::vector<float *> out;
  for (const rt::TensorInfo &o : onGpu->outputs())
    outputs.push_back(Tensor::empty(o.shape));
  for (Tensor &t : outputs)
    out.push_back(t.data());
  if (monitor)
    monitor->attach(onGpu->hooks());
  rt::Status s = onGpu->forward(in.data(), out.data());
  if (monitor)
    monitor->detach();
  if (!s.ok())
    throw Error(s.message());
  return outputs;
}

void compileModel(LoadedModel &model, const CompileOptions &options, const std::string &dir,
                  std::ostream &text) {
  mlir::ModuleOp module = *model.module;
  if (options.emit == Emit::Cuda && options.target != Target::Cuda)
    throw Error("--emit=cuda needs --target=cuda");
  if (options.emit == Emit::NN) {
    FirstError error(module.getContext());
    if (mlir::failed(mlir::verify(module)))
      throw Error(error.message());
    text << printIR(module) << "\n";
    return;
  }
  if (options.target == Target::Cuda && options.emit != Emit::Autodiff &&
      options.emit != Emit::Linalg && options.emit != Emit::Fused && options.emit != Emit::Memref)
    return compileCudaModel(model, options, dir, text);
  if (options.emit == Emit::Obj)
    checkWeights(module, model.weights, model.source);

  CpuPipelineOptions pipeline = pipelineFor(model, options);
  if (options.emit == Emit::Autodiff && !options.train)
    throw Error(model.source + ": --emit=nn-autodiff shows the generated backward; it needs --mode=train");
  if (options.train && !module.lookupSymbol("train_forward"))
    llvm::errs() << "nncc: note: " << model.source
                 << " was recorded without a loss: compiling forward and backward, no train_step\n";
  pipeline.stopAfter = CpuStage::Autodiff;
  runCpuPipeline(module, pipeline);
  if (options.emit == Emit::Autodiff) {
    text << printIR(module) << "\n";
    return;
  }
  mlir::OwningOpRef<mlir::ModuleOp> nnModule = module.clone();
  pipeline.startAfter = CpuStage::Autodiff;
  pipeline.stopAfter = options.emit == Emit::Linalg ? CpuStage::Linalg : CpuStage::Fused;
  runCpuPipeline(module, pipeline);
  if (options.emit == Emit::Linalg || options.emit == Emit::Fused) {
    text << printIR(module) << "\n";
    return;
  }
  std::string fusion = summarizeFusion(*nnModule, module, options.fusion);
  std::string error;
  auto tm = createTargetMachine(options.codegen, error);
  if (!tm)
    throw Error(error);
  pipeline.vectorBits = vectorBitsOf(*tm);
  pipeline.isa = isaOf(*tm);
  pipeline.startAfter = CpuStage::Fused;
  pipeline.stopAfter = options.emit == Emit::Memref  ? CpuStage::Memref
                       : options.emit == Emit::Loops ? CpuStage::Loops
                                                     : CpuStage::LLVM;
  runCpuPipeline(module, pipeline);
  if (options.emit == Emit::Memref || options.emit == Emit::Loops) {
    text << printIR(module) << "\n";
    return;
  }
  auto manifestAttr = module->getAttrOfType<mlir::StringAttr>(kManifestAttr);
  std::string manifest = manifestAttr.str();
  llvm::LLVMContext llvmContext;
  auto llvmModule = translateAndOptimize(module, llvmContext, *tm, options.codegen.optLevel, error);
  if (!llvmModule)
    throw Error(error);
  if (options.emit == Emit::LLVMIR) {
    llvm::raw_os_ostream os(text);
    llvmModule->print(os, nullptr);
    return;
  }

  std::error_code created;
  std::filesystem::create_directories(dir, created);
  if (created)
    throw Error(dir + ": cannot create the output directory: " + created.message());
  std::string base = (std::filesystem::path(dir) / model.name).string();
  save_safetensors(model.weights, base + ".safetensors");
  if (options.embedWeights)
    embedBytes(*llvmModule, "nncc_" + model.name + "_weights", readFile(base + ".safetensors"));
  std::string object;
  if (!emitObject(*llvmModule, *tm, object, error))
    throw Error(error);
  writeFile(base + ".o", object);
  HeaderOptions header;
  header.embeddedWeights = options.embedWeights;
  header.fusionSummary = fusion;
  writeFile(base + ".h", writeHeader(manifest, header));
}

} // namespace nncc
