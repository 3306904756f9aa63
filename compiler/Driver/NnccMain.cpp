// nncc compile | run | inspect: option parsing and the three commands over the driver.
#include "compiler/Driver/NnccMain.h"
#include "compiler/Driver/Driver.h"
#include "compiler/Driver/Explain.h"
#include "compiler/Driver/Inspect.h"
#include "compiler/Driver/Jit.h"
#include "compiler/Interpreter/Interpreter.h"
#include "compiler/Registration.h"
#include "compiler/Transforms/HookPoints.h"
#include "dialects/nn/ShapeRules.h"
#include "frontend/Error.h"
#include "frontend/ModelFile.h"
#include "frontend/ModelFile.pb.h"
#include "runtime/CudaDriver.h"
#include "runtime/Monitor.h"
#include "runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/InitLLVM.h"

#include <cstring>
#include <iostream>

namespace cl = llvm::cl;

namespace nncc {
namespace {

cl::OptionCategory compileCategory("nncc compile options");
cl::OptionCategory runCategory("nncc run options");
cl::OptionCategory explainCategory("nncc explain options");
cl::OptionCategory commonCategory("nncc options for every command");

cl::opt<std::string> modelPath(cl::Positional, cl::desc("MODEL (.nnmodel protobuf or .mlir nn text)"),
                               cl::cat(commonCategory));
cl::opt<std::string> weightsPath("weights", cl::desc("safetensors file with the model's weights"),
                                 cl::value_desc("file"), cl::cat(commonCategory));

cl::opt<std::string> hookPoints(
    "hook-points",
    cl::desc("hook points only at the modules and parameters whose path matches GLOB: recorded "
             "ones elsewhere are dropped, forward ones are added on module outputs"),
    cl::value_desc("GLOB"), cl::cat(commonCategory));
cl::opt<bool> stripHooks("strip-hooks", cl::desc("compile without any hook point"),
                         cl::cat(commonCategory));
cl::list<std::string> disableFusion("disable-fusion",
                                    cl::desc("turn a fusion rule off: bn-fold, elementwise, "
                                             "multi-output, epilogue (repeat or comma-separate)"),
                                    cl::value_desc("RULE"), cl::CommaSeparated,
                                    cl::cat(commonCategory));

cl::opt<std::string> outputDir("o", cl::desc("output directory for --emit=obj (default .)"),
                               cl::value_desc("dir"), cl::init("."), cl::cat(compileCategory));
cl::opt<Emit> emit("emit", cl::desc("what to produce"), cl::init(Emit::Obj),
                   cl::values(clEnumValN(Emit::NN, "nn", "the verified nn dialect"),
                              clEnumValN(Emit::Autodiff, "nn-autodiff",
                                         "nn with the generated backward and train step (--mode=train)"),
                              clEnumValN(Emit::Linalg, "linalg",
                                         "linalg on tensors, before fusion"),
                              clEnumValN(Emit::Fused, "fused",
                                         "linalg after fusion: one op per fused group"),
                              clEnumValN(Emit::Memref, "memref", "bufferized, memory-planned IR"),
                              clEnumValN(Emit::Loops, "loops",
                                         "vector kernels and scf loops, before LLVM"),
                              clEnumValN(Emit::LLVMIR, "llvm", "optimized LLVM IR"),
                              clEnumValN(Emit::Cuda, "cuda",
                                         "the CUDA C of --target=cuda, one kernel per loop nest"),
                              clEnumValN(Emit::Obj, "obj", "object file, header and weights")),
                   cl::cat(compileCategory));
cl::opt<Target> target("target", cl::desc("what the artifact runs on"), cl::init(Target::Cpu),
                       cl::values(clEnumValN(Target::Cpu, "cpu", "this CPU (or --mcpu), via LLVM"),
                                  clEnumValN(Target::Cuda, "cuda",
                                             "NVIDIA GPUs: CUDA C, PTX from NVRTC where the "
                                             "toolkit was found at build time")),
                       cl::cat(compileCategory));
cl::opt<std::string> mcpu("mcpu", cl::desc("target CPU (default: host)"), cl::init("host"),
                          cl::cat(compileCategory));
enum class Mode { Infer, Train };
cl::opt<Mode> mode("mode", cl::desc("which entry points to compile"), cl::init(Mode::Infer),
                   cl::values(clEnumValN(Mode::Infer, "infer", "forward only"),
                              clEnumValN(Mode::Train, "train",
                                         "forward, backward and (with a recorded loss) train_step")),
                   cl::cat(compileCategory));
cl::opt<unsigned> optLevel("O", cl::desc("LLVM optimization level, 0 to 3 (default 3)"), cl::Prefix,
                           cl::init(3), cl::cat(compileCategory));
cl::opt<bool> noEmbed("no-embed-weights", cl::desc("keep the weights out of the object file"),
                      cl::cat(compileCategory));

cl::opt<bool> diffFlag("diff",
                       cl::desc("show what --disable-fusion changes: the kernels, then the fused IR, "
                                "against every rule on"),
                       cl::cat(explainCategory));
cl::opt<std::string> dotPath("dot", cl::desc("write the fused groups as a Graphviz graph"),
                             cl::value_desc("file"), cl::cat(explainCategory));
cl::opt<std::string> htmlPath("html",
                              cl::desc("write a self-contained HTML report (with an SVG of the "
                                       "graph when Graphviz's dot is installed)"),
                              cl::value_desc("file"), cl::cat(explainCategory));

cl::list<std::string> inputs("input", cl::desc("input tensor (.npy, f32), one per model input"),
                             cl::value_desc("file"), cl::cat(runCategory));
cl::list<std::string> outputs("output", cl::desc("where to write each output (.npy)"),
                              cl::value_desc("file"), cl::cat(runCategory));
cl::opt<std::string> device("device", cl::desc("where to run: cpu (default), or cuda[:N]"),
                           cl::value_desc("device"), cl::init("cpu"), cl::cat(runCategory));
cl::opt<bool> monitorFlag("monitor",
                          cl::desc("print activation statistics of every module (adds forward hook "
                                   "points where the model has none) and any warnings"),
                          cl::cat(runCategory));
cl::opt<std::string> monitorCsv("monitor-csv", cl::desc("also write the monitor's records as CSV"),
                                cl::value_desc("file"), cl::cat(runCategory));
cl::opt<bool> interpretFlag("interpret",
                            cl::desc("run the reference interpreter instead of compiled code"),
                            cl::cat(runCategory));

void rejectOptionsOf(const cl::OptionCategory &category, const std::string &command) {
  for (auto &[name, option] : cl::getRegisteredOptions())
    for (const cl::OptionCategory *c : option->Categories)
      if (c == &category && option->getNumOccurrences())
        throw Error("option --" + name.str() + " does not apply to 'nncc " + command + "'");
}

Tensor readInput(const std::string &path, const std::vector<int64_t> &expected,
                 const std::string &dtype, const std::string &name) {
  rt::NpyArray array;
  if (rt::Status s = rt::readNpy(path, &array); !s.ok())
    throw Error(s.message());
  if (array.shape != expected)
    throw Error(path + ": shape " + ir::formatDims(array.shape) + " does not match input '" + name +
                "' " + ir::formatDims(expected));
  if (array.dtype != dtype)
    throw Error(path + ": dtype " + array.dtype + " does not match input '" + name + "' (" + dtype +
                ")");
  return Tensor::fromVector(array.shape, array.data);
}

/// Applies --hook-points and --strip-hooks to a loaded model's IR; returns the glob of hook
/// points to keep.
std::string chooseHookPoints(LoadedModel &model, bool monitor) {
  if (stripHooks && (hookPoints.getNumOccurrences() || monitor))
    throw Error("--strip-hooks removes the hook points that --hook-points and --monitor use");
  std::string glob = hookPoints.getNumOccurrences() ? hookPoints.getValue() : monitor ? "*" : "";
  if (!glob.empty())
    insertHookPoints(*model.module, glob, model.classes);
  return glob.empty() ? "*" : glob;
}

FusionRules fusionRules() {
  FusionRules rules;
  for (const std::string &rule : disableFusion)
    rules.disable(rule);
  return rules;
}

int compileCommand() {
  LoadedModel model = loadModel(modelPath, weightsPath);
  CompileOptions options;
  options.hookPoints = chooseHookPoints(model, false);
  options.stripHooks = stripHooks;
  options.fusion = fusionRules();
  options.target = target;
  options.emit = emit;
  options.codegen.cpu = mcpu;
  if (optLevel > 3)
    throw Error("-O" + std::to_string(optLevel) + ": the optimization level is 0 to 3");
  options.codegen.optLevel = optLevel;
  options.embedWeights = !noEmbed;
  options.train = mode == Mode::Train;
  compileModel(model, options, outputDir, std::cout);
  return 0;
}

/// "1 input", "2 inputs".
std::string count(size_t n, const std::string &noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

/// --device=cuda[:N]: the driver and the device, opened before anything else so that a machine
/// without them says so first.
std::unique_ptr<rt::CudaDriver> openCudaDevice() {
  std::string rest = device.getValue().substr(4);
  int index = 0;
  if (!rest.empty()) {
    if (rest[0] != ':' || rest.size() == 1 || rest.find_first_not_of("0123456789", 1) != std::string::npos)
      throw Error("--device=" + device + ": expected cpu, cuda or cuda:N");
    index = std::stoi(rest.substr(1));
  }
  std::unique_ptr<rt::CudaDriver> driver;
  if (rt::Status s = rt::CudaDriver::load(index, &driver); !s.ok())
    throw Error(s.message());
  if (rt::Status s = driver->checkArchitecture(); !s.ok())
    throw Error(s.message());
  return driver;
}

int runCommand() {
  std::unique_ptr<rt::CudaDriver> gpu;
  if (device != "cpu") {
    if (device.getValue().rfind("cuda", 0) != 0)
      throw Error("--device=" + device + ": expected cpu, cuda or cuda:N");
    gpu = openCudaDevice();
  }
  LoadedModel model = loadModel(modelPath, weightsPath);
  checkWeights(*model.module, model.weights, modelPath);
  mlir::func::FuncOp func = model.module->lookupSymbol<mlir::func::FuncOp>("forward");
  if (!func)
    throw Error(modelPath + ": the model has no forward function");
  if (inputs.size() != func.getNumArguments())
    throw Error(modelPath + ": the model takes " + count(func.getNumArguments(), "input") + ", " +
                std::to_string(inputs.size()) + " --input given");
  if (outputs.size() != func.getNumResults())
    throw Error(modelPath + ": the model has " + count(func.getNumResults(), "output") + ", " +
                std::to_string(outputs.size()) + " --output given");
  std::vector<Tensor> in;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    auto type = mlir::cast<mlir::RankedTensorType>(func.getArgument(i).getType());
    auto name = func.getArgAttrOfType<mlir::StringAttr>(i, "nn.name");
    in.push_back(readInput(inputs[i], std::vector<int64_t>(type.getShape().begin(), type.getShape().end()),
                           type.getElementType().isInteger(64) ? "i64" : "f32",
                           name ? name.str() : "input" + std::to_string(i)));
  }
  bool monitoring = monitorFlag || monitorCsv.getNumOccurrences();
  JitOptions jit{chooseHookPoints(model, monitoring), stripHooks, fusionRules()};
  rt::Monitor monitor;
  std::vector<Tensor> out;
  if (gpu) {
    if (interpretFlag)
      throw Error("--interpret runs the reference interpreter on the CPU: drop --device=" + device.getValue());
    CompileOptions cuda;
    cuda.target = Target::Cuda;
    cuda.hookPoints = jit.hookPoints;
    cuda.stripHooks = stripHooks;
    cuda.fusion = fusionRules();
    out = runCudaForward(model, cuda, std::move(gpu), in, monitoring ? &monitor : nullptr);
  } else if (interpretFlag) {
    rt::Hooks hooks;
    if (monitoring)
      monitor.attach(hooks);
    out = interpret(*model.module, "forward", in, model.weights, &hooks);
    monitor.detach();
  } else {
    auto compiled = compileJit(*model.module, model.weights, model.name, false, jit);
    if (monitoring)
      monitor.attach(compiled->runtime().hooks());
    out = compiled->forward(in);
    monitor.detach();
  }
  if (monitorFlag) {
    std::cout << monitor.table();
    for (const std::string &warning : monitor.warnings())
      std::cerr << "nncc: warning: " << warning << "\n";
  }
  if (monitorCsv.getNumOccurrences())
    if (rt::Status s = monitor.write_csv(monitorCsv); !s.ok())
      throw Error(s.message());
  for (size_t i = 0; i < out.size(); ++i)
    if (rt::Status s = rt::writeNpy(outputs[i], out[i].shape(), out[i].data()); !s.ok())
      throw Error(s.message());
  return 0;
}

int inspectCommand() {
  if (modelPath.size() > 5 && modelPath.compare(modelPath.size() - 5, 5, ".mlir") == 0)
    throw Error(modelPath + ": inspect reads model files (from save_model); for nn text use "
                            "nncc compile --emit=nn");
  std::cout << inspectModel(readModelFile(modelPath));
  LoadedModel model = loadModel(modelPath);
  CpuPipelineOptions pipeline;
  pipeline.modelName = model.name;
  pipeline.stopAfter = CpuStage::Memref;
  runCpuPipeline(*model.module, pipeline);
  std::cout << describeMemoryPlan(*model.module);
  return 0;
}

/// The SVG Graphviz's dot draws of `graph`, without its XML prolog; empty without dot.
std::string drawSvg(const std::string &graph) {
  auto dot = llvm::sys::findProgramByName("dot");
  if (!dot)
    return "";
  llvm::SmallString<128> in, out;
  if (llvm::sys::fs::createTemporaryFile("nncc-explain", "dot", in) ||
      llvm::sys::fs::createTemporaryFile("nncc-explain", "svg", out))
    return "";
  std::string svg;
  writeFile(in.str().str(), graph);
  if (llvm::sys::ExecuteAndWait(*dot, {*dot, "-Tsvg", in.str(), "-o", out.str()}) == 0)
    svg = readFile(out.str().str());
  llvm::sys::fs::remove(in);
  llvm::sys::fs::remove(out);
  size_t start = svg.find("<svg");
  return start == std::string::npos ? "" : svg.substr(start);
}

int explainCommand() {
  LoadedModel model = loadModel(modelPath, weightsPath);
  CpuPipelineOptions stage;
  stage.hookPoints = chooseHookPoints(model, false);
  stage.stripHooks = stripHooks;
  stage.stopAfter = CpuStage::Autodiff;
  runCpuPipeline(*model.module, stage);
  std::vector<std::string> disabled(disableFusion.begin(), disableFusion.end());
  Explanation e = explainFusion(*model.module, model.name, fusionRules(), disabled, model.classes);
  if (diffFlag) {
    if (disabled.empty())
      throw Error("--diff shows what --disable-fusion changes; name a rule to turn off");
    Explanation all = explainFusion(*model.module, model.name, FusionRules(), {}, model.classes);
    std::string label = "without " + llvm::join(disabled, ", ");
    std::cout << diffLines(formatExplanation(all), formatExplanation(e), "every rule", label)
              << "\n"
              << diffLines(all.fusedIR, e.fusedIR, "fused IR, every rule", "fused IR, " + label);
  } else {
    std::cout << formatExplanation(e);
  }
  if (!dotPath.empty())
    writeFile(dotPath, explanationDot(e));
  if (!htmlPath.empty())
    writeFile(htmlPath, explanationHtml(e, drawSvg(explanationDot(e))));
  return 0;
}

const char *kUsage = "usage: nncc <compile|run|inspect|explain> MODEL [options]; nncc <command> --help";

} // namespace

int nnccMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  if (argc < 2 || argv[1][0] == '-') {
    if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
      std::cout << kUsage << "\n";
      return 0;
    }
    std::cerr << "nncc: error: no command given; " << kUsage << "\n";
    return 2;
  }
  std::string command = argv[1];
  mlir::registerPassManagerCLOptions();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  std::string program = std::string("nncc ") + command;
  std::vector<char *> args{program.data()};
  args.insert(args.end(), argv + 2, argv + argc);
  cl::HideUnrelatedOptions({&compileCategory, &runCategory, &explainCategory, &commonCategory});
  if (!cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(), "nncc\n",
                                   &llvm::errs()))
    return 2;
  try {
    if (command != "compile" && command != "run" && command != "inspect" && command != "explain")
      throw Error("unknown command '" + command + "'; " + kUsage);
    if (command != "compile")
      rejectOptionsOf(compileCategory, command);
    if (command != "run")
      rejectOptionsOf(runCategory, command);
    if (command != "explain")
      rejectOptionsOf(explainCategory, command);
    if (modelPath.empty())
      throw Error("no MODEL given; " + std::string(kUsage));
    if (command == "compile")
      return compileCommand();
    if (command == "run")
      return runCommand();
    if (command == "explain")
      return explainCommand();
    return inspectCommand();
  } catch (const std::exception &e) {
    std::cerr << "nncc: error: " << e.what() << "\n";
    return 1;
  }
}

} // namespace nncc
