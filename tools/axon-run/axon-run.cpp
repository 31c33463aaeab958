//===- axon-run.cpp - Compile and run axon programs -----------------------===//
//
// axon-run model.mlir [--input 0=x.npy | --random-inputs=SEED] [--entry=f]
//   compiles the entry function with the axon-to-llvm-cpu pipeline, JIT-runs
//   it, prints a summary of each result and optionally writes .npy files or
//   compares the results with reference .npy files.
//
//===----------------------------------------------------------------------===//

#include "axon/Pipelines/Pipelines.h"
#include "axon/Registration/Registration.h"
#include "axon/Runner/CompileCache.h"
#include "axon/Runner/CompiledProgram.h"
#include "axon/Runner/CpuExecutable.h"
#include "axon/Runner/CudaExecutable.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "axon/Runner/Npy.h"
#include "axon/Runner/Profile.h"
#include "axon/Support/CommandLine.h"
#include "axon/Support/InputGuards.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#ifdef AXON_HAS_ONNX
#include "axon/Frontend/ONNX/Importer.h"
#include "axon/Frontend/ONNX/TensorProto.h"
#endif

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <cmath>

using namespace mlir;
using namespace axon;
namespace cl = llvm::cl;

namespace {
/// The command line. Options live in this struct, created by the tool's
/// main, so that tools linked into one binary (the device bundle) do not
/// register each other's options.
struct RunOptions {
  // Axon's own options, grouped for --help; LLVM's stay behind --help-hidden.
  cl::OptionCategory inputsCategory{"Inputs"};
  cl::OptionCategory outputsCategory{"Results and checks"};
  cl::OptionCategory targetCategory{"Target"};
  cl::OptionCategory timingCategory{"Timing"};
  cl::OptionCategory compileCategory{"Compilation"};

  cl::opt<std::string> inputFile{cl::Positional, cl::desc("<program.mlir | model.onnx>"),
                                        cl::Required, cl::cat(inputsCategory)};
  cl::opt<std::string> entryName{"entry", cl::desc("Entry function (default: the only public function, else main)"), cl::cat(inputsCategory)};
  cl::list<std::string> inputSpecs{"input", cl::desc("index_or_name=file.npy (or an ONNX TensorProto .pb)"), cl::cat(inputsCategory)};
  cl::list<std::string> onnxShapes{"onnx-input-shape", cl::desc("name=d0,d1,...: fix an ONNX graph input's shape at import"), cl::cat(inputsCategory)};
  cl::opt<int64_t> randomSeed{"random-inputs", cl::init(-1),
                                     cl::desc("Generate inputs not given with --input from this seed"), cl::cat(inputsCategory)};
  cl::list<std::string> shapeSpecs{"input-shape", cl::desc("index_or_name=2x3: sizes for dynamic dims of generated inputs"), cl::cat(inputsCategory)};
  cl::opt<std::string> outputDir{"output-dir", cl::desc("Write result<i>.npy files here"), cl::cat(outputsCategory)};
  cl::list<std::string> expectSpecs{"expect", cl::desc("index=file.npy: compare result with a reference"), cl::cat(outputsCategory)};
  cl::opt<double> relTol{"rtol", cl::init(1e-5), cl::desc("Relative tolerance for --expect"), cl::cat(outputsCategory)};
  cl::opt<double> absTol{"atol", cl::init(1e-6), cl::desc("Absolute tolerance for --expect"), cl::cat(outputsCategory)};
  cl::opt<unsigned> printLimit{"print-limit", cl::init(8), cl::desc("Values printed per result"), cl::cat(outputsCategory)};
  cl::opt<std::string> target{"target", cl::init("auto"), cl::desc("cpu, cuda or auto"), cl::cat(targetCategory)};
  cl::opt<bool> printPipeline{"print-pipeline", cl::desc("Print the pass pipeline and continue"), cl::cat(compileCategory)};
  cl::opt<bool> dumpIR{"dump-ir-after-all", cl::desc("Print the IR after every pass (stderr)"), cl::cat(compileCategory)};
  cl::opt<std::string> cacheDir{"cache-dir", cl::desc("Keep compiled programs here (default $XDG_CACHE_HOME/axon, else ~/.cache/axon)"), cl::cat(compileCategory)};
  cl::opt<bool> noCache{"no-cache", cl::desc("Compile without reading or writing the compile cache"), cl::cat(compileCategory)};
  cl::opt<bool> showTime{"time", cl::desc("Report compile and run times"), cl::cat(timingCategory)};
  cl::opt<unsigned> repeat{"repeat", cl::init(1), cl::desc("Run the entry this many times (timing)"), cl::cat(timingCategory)};
  cl::opt<unsigned> optLevel{"O", cl::init(3), cl::desc("LLVM optimization level of the JIT'd host code (0-3; default 3 on the CPU, 0 for --target=cuda, where the host code only launches kernels)"), cl::cat(compileCategory)};
  cl::opt<bool> fuse{"fuse", cl::init(true), cl::desc("Run axon-fuse (--fuse=false compiles the ops as written)"), cl::cat(compileCategory)};
  cl::opt<bool> fastMath{"fast-math", cl::desc("Allow rewrites that may change results"), cl::cat(compileCategory)};
  cl::opt<bool> quiet{"quiet", cl::desc("Do not print results"), cl::cat(outputsCategory)};
  cl::opt<bool> poison{"poison", cl::desc("Fill every device buffer with NaN bytes when it is allocated, so an element no kernel writes fails --expect (--target=cuda)"), cl::cat(targetCategory)};
  cl::opt<bool> dumpPtx{"dump-ptx", cl::desc("Print the PTX of every kernel (--target=cuda)"), cl::cat(targetCategory)};
  cl::opt<unsigned> threads{"threads", cl::init(0),
                            cl::desc("CPU threads for matmul-like ops (0, the default: one per "
                                     "hardware thread; 1: no threads)"),
                            cl::cat(targetCategory)};
  cl::opt<std::string> cpu{"cpu", cl::init("host"),
                           cl::desc("CPU to compile for (an LLVM CPU name such as "
                                    "x86-64-v3; default: this machine's)"),
                           cl::cat(targetCategory)};
  cl::opt<bool> vectorize{"vectorize", cl::init(true),
                          cl::desc("Tile and vectorize matmul-like ops on the CPU "
                                   "(--vectorize=false: scalar loops)"),
                          cl::cat(compileCategory)};
  cl::opt<std::string> gpuChip{"gpu-chip", cl::init("sm_90a"),
                                      cl::desc("GPU architecture for --target=cuda"), cl::cat(targetCategory)};
  cl::opt<bool> reportFallbacks{
      "report-fallbacks",
      cl::desc("Name every op that no GPU kernel strategy handles (it runs as a "
               "generic loops kernel), with the reasons (--target=cuda)"), cl::cat(targetCategory)};
  cl::opt<bool> allowTf32{
      "allow-tf32",
      cl::desc("Run f32 matmuls on the TF32 tensor cores (--target=cuda, sm_80 "
               "and later); off (the default) keeps them exact"), cl::cat(targetCategory)};
  cl::opt<std::string> tuningCache{
      "tuning-cache",
      cl::desc("Kernel configs measured by axon-tune (a tuning cache file): they replace "
               "the heuristic's for the problems it lists (--target=cuda)"),
      cl::cat(compileCategory)};
  cl::opt<bool> cudaGraph{
      "cuda-graph", cl::init(true),
      cl::desc("Capture the entry's kernel launches as a CUDA graph on the third call and "
               "replay it on later calls with the same input shapes (--target=cuda; "
               "needs --plan-memory)"), cl::cat(targetCategory)};
  cl::opt<bool> planMemory{
      "plan-memory", cl::init(true),
      cl::desc("Serve the entry's device buffers from one arena planned by liveness "
               "after the first call (--target=cuda)"), cl::cat(targetCategory)};
  cl::opt<bool> profile{
      "profile",
      cl::desc("Per kernel: time, strategy and config, bytes and FLOPs, achieved GB/s and "
               "TFLOP/s and the fraction of the roofline, sorted by time (on the CPU: "
               "each linalg op's work against the entry's time)"), cl::cat(timingCategory)};
  cl::opt<std::string> profileJson{"profile-json",
                                   cl::desc("Write the GPU profile as JSON to this file"),
                                   cl::cat(timingCategory)};
  cl::opt<double> peakGbs{"peak-gbs", cl::init(0),
                          cl::desc("Memory ceiling of the profile in GB/s (default: the "
                                   "device's copy bandwidth, measured)"),
                          cl::cat(timingCategory)};
  cl::opt<double> peakTflops{"peak-tflops", cl::init(0),
                             cl::desc("Tensor-core ceiling of the profile in TFLOP/s (default: "
                                      "the chip's published dense f16 rate, if known)"),
                             cl::cat(timingCategory)};
  cl::opt<double> peakFmaTflops{"peak-fma-tflops", cl::init(0),
                                cl::desc("FMA (f32) ceiling of the profile in TFLOP/s "
                                         "(default: the chip's published rate, if known)"),
                                cl::cat(timingCategory)};
};
RunOptions *runOptions = nullptr;
RunOptions &opts() { return *runOptions; }

} // namespace

namespace {

/// Reads an input or reference tensor: .npy, or an ONNX TensorProto (.pb).
llvm::Expected<HostTensor> readTensorFile(llvm::StringRef path) {
#ifdef AXON_HAS_ONNX
  if (path.ends_with(".pb"))
    return onnx_frontend::readTensorProtoFile(path);
#endif
  return readNpy(path);
}

bool isOnnxModel(llvm::StringRef path) {
  return path.ends_with(".onnx") || path.ends_with(".onnxtxt");
}

int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "axon-run") << message << "\n";
  return 1;
}

using Clock = std::chrono::steady_clock;
double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// One line on stderr saying which compile phase runs, rewritten in place;
/// only when stderr is a terminal (scripts and tests see nothing).
class CompileProgress {
public:
  CompileProgress() : enabled(llvm::sys::Process::StandardErrIsDisplayed()) {}
  ~CompileProgress() { clear(); }
  void show(const std::string &phase) {
    if (!enabled)
      return;
    llvm::errs() << "\r\x1b[Kaxon-run: " << phase << "...";
    llvm::errs().flush();
    shown = true;
  }
  void clear() {
    if (shown)
      llvm::errs() << "\r\x1b[K";
    shown = false;
  }

private:
  bool enabled, shown = false;
};

/// Resolves "2" or "name" to an input index.
std::optional<size_t> inputIndex(const EntrySignature &sig, llvm::StringRef key) {
  size_t index;
  if (!key.getAsInteger(10, index))
    return index < sig.inputs.size() ? std::optional(index) : std::nullopt;
  for (auto [i, name] : llvm::enumerate(sig.inputNames))
    if (!name.empty() && name == key)
      return i;
  return std::nullopt;
}

std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

/// Whether `tensor` fits `type` (element type and every static dim).
bool matchesShape(llvm::ArrayRef<int64_t> shape, RankedTensorType type) {
  if (static_cast<int64_t>(shape.size()) != type.getRank())
    return false;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!type.isDynamicDim(d) && type.getDimSize(d) != shape[d])
      return false;
  return true;
}

bool matches(const HostTensor &tensor, RankedTensorType type) {
  return dtypeFromType(type.getElementType()) == tensor.dtype &&
         matchesShape(tensor.shape, type);
}

/// ONNX graph inputs that the importer folded into constants.
std::set<std::string> foldedInputs;

llvm::Expected<SmallVector<HostTensor>> loadInputs(const EntrySignature &sig) {
  SmallVector<std::optional<HostTensor>> inputs(sig.inputs.size());
  auto error = [](const llvm::Twine &m) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), m);
  };
  auto split = [&](llvm::StringRef spec, llvm::StringRef flag)
      -> llvm::Expected<std::pair<size_t, llvm::StringRef>> {
    auto [key, value] = spec.split('=');
    if (value.empty())
      return error("--" + flag + " expects index_or_name=value, got '" + spec + "'");
    std::optional<size_t> index = inputIndex(sig, key);
    if (!index)
      return error("--" + flag + " names no input of @" + sig.name + ": '" + key +
                   "' (it has " + llvm::Twine(sig.inputs.size()) + " inputs)");
    return std::make_pair(*index, value);
  };
  for (const std::string &spec : opts().inputSpecs) {
    // An ONNX input folded into the program (see ImportOptions) is no argument.
    if (foldedInputs.count(llvm::StringRef(spec).split('=').first.str()))
      continue;
    auto parsed = split(spec, "input");
    if (!parsed)
      return parsed.takeError();
    llvm::Expected<HostTensor> tensor = readTensorFile(parsed->second);
    if (!tensor)
      return tensor.takeError();
    inputs[parsed->first] = std::move(*tensor);
  }
  SmallVector<SmallVector<int64_t>> shapes(sig.inputs.size());
  for (const std::string &spec : opts().shapeSpecs) {
    auto parsed = split(spec, "input-shape");
    if (!parsed)
      return parsed.takeError();
    SmallVector<llvm::StringRef> parts;
    parsed->second.split(parts, 'x');
    for (llvm::StringRef part : parts) {
      int64_t size;
      if (part.getAsInteger(10, size) || size < 0)
        return error("--input-shape: bad size '" + part + "' in '" + spec + "'");
      shapes[parsed->first].push_back(size);
    }
  }
  SmallVector<HostTensor> result;
  for (auto [i, type] : llvm::enumerate(sig.inputs)) {
    if (!inputs[i]) {
      if (opts().randomSeed < 0)
        return error("input " + llvm::Twine(i) + " of @" + sig.name + " (" +
                     typeString(type) + ") is missing: give --input " +
                     llvm::Twine(i) + "=file.npy or --random-inputs=SEED");
      SmallVector<int64_t> shape(type.getShape());
      if (!shapes[i].empty()) {
        shape = shapes[i];
        if (!matchesShape(shape, type))
          return error("--input-shape " + llvm::Twine(i) + "=" +
                       llvm::join(llvm::map_range(shape, [](int64_t d) {
                                    return std::to_string(d);
                                  }), "x") +
                       " does not fit input " + llvm::Twine(i) + " of @" +
                       sig.name + " (" + typeString(type) + ")");
      }
      else if (!type.hasStaticShape())
        return error("input " + llvm::Twine(i) + " of @" + sig.name + " (" +
                     typeString(type) + ") has dynamic dimensions: give its "
                     "shape with --input-shape " + llvm::Twine(i) + "=AxB...");
      DType dtype = *dtypeFromType(type.getElementType());
      if (llvm::Expected<uint64_t> bytes = checkedTensorBytes(dtype, shape); !bytes)
        return error("input " + llvm::Twine(i) + " of @" + sig.name + ": " +
                     llvm::toString(bytes.takeError()));
      inputs[i] = randomTensor(dtype, shape, static_cast<uint64_t>(opts().randomSeed) + i);
    }
    // bf16 data arrives as float32 .npy (numpy has no bfloat16).
    if (type.getElementType().isBF16() && inputs[i]->dtype == DType::F32 &&
        matchesShape(inputs[i]->shape, type)) {
      llvm::Expected<HostTensor> converted = asBfloat16Exactly(*inputs[i]);
      if (!converted)
        return error("input " + llvm::Twine(i) + " of @" + sig.name + " (" + typeString(type) +
                     "): " + llvm::toString(converted.takeError()));
      inputs[i] = std::move(*converted);
    }
    if (!matches(*inputs[i], type))
      return error("input " + llvm::Twine(i) + " of @" + sig.name + " expects " +
                   typeString(type) + " but got " + inputs[i]->describe());
    result.push_back(std::move(*inputs[i]));
  }
  return result;
}

void printResult(size_t index, const HostTensor &tensor) {
  llvm::outs() << "result " << index << ": " << tensor.describe();
  int64_t n = tensor.numElements();
  llvm::outs() << " = [";
  for (int64_t i = 0; i < n && i < opts().printLimit; ++i) {
    llvm::outs() << (i ? ", " : "");
    // Integers print exactly (%g would round 2147483647 to 2.14748e+09).
    if (std::optional<int64_t> v = tensor.elementAsInt(i))
      llvm::outs() << *v;
    else
      llvm::outs() << llvm::format("%.6g", tensor.elementAsDouble(i));
  }
  if (n > opts().printLimit)
    llvm::outs() << ", ... (" << n << " values)";
  llvm::outs() << "]\n";
}

/// Compares with a reference; returns false (after reporting) on mismatch.
bool compare(size_t index, const HostTensor &got, const HostTensor &want,
             llvm::StringRef path) {
  if (got.shape != want.shape) {
    fail("result " + llvm::Twine(index) + " is " + got.describe() + " but '" +
         path + "' holds " + want.describe());
    return false;
  }
  double maxAbs = 0;
  for (int64_t i = 0, e = got.numElements(); i < e; ++i) {
    // Integers compare exactly (in double, 2^62 + 1 would equal 2^62):
    // tolerances apply to them only when given on the command line, and then
    // in long double, which holds every int64.
    std::optional<int64_t> ia = got.elementAsInt(i), ib = want.elementAsInt(i);
    if (ia && ib) {
      long double diff = std::fabs(static_cast<long double>(*ia) - static_cast<long double>(*ib));
      maxAbs = std::max(maxAbs, static_cast<double>(diff));
      long double atol = opts().absTol.getNumOccurrences() ? opts().absTol : 0;
      long double rtol = opts().relTol.getNumOccurrences() ? opts().relTol : 0;
      if (*ia == *ib || diff <= atol + rtol * std::fabs(static_cast<long double>(*ib)))
        continue;
      fail("result " + llvm::Twine(index) + " differs from '" + path + "' at element " +
           llvm::Twine(i) + ": got " + llvm::Twine(*ia) + ", expected " + llvm::Twine(*ib));
      return false;
    }
    double a = got.elementAsDouble(i), b = want.elementAsDouble(i);
    if (std::isnan(a) && std::isnan(b))
      continue;
    double diff = std::fabs(a - b);
    if (a == b)
      diff = 0; // Equal infinities.
    maxAbs = std::max(maxAbs, diff);
    if (!(diff <= opts().absTol + opts().relTol * std::fabs(b))) {
      std::string message;
      llvm::raw_string_ostream os(message);
      os << "result " << index << " differs from '" << path << "' at element "
         << i << llvm::format(": got %.9g, expected %.9g (rtol %g, atol %g)", a,
                              b, opts().relTol.getValue(), opts().absTol.getValue());
      fail(message);
      return false;
    }
  }
  llvm::outs() << "result " << index << ": matches '" << path
               << "' (max abs error " << llvm::format("%.3g", maxAbs) << ")\n";
  return true;
}

} // namespace

int axonRunMain(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  renameForeignOption("threads", "llvm-threads");
  RunOptions options;
  runOptions = &options;
  hideForeignOptions({&options.inputsCategory, &options.outputsCategory,
                      &options.targetCategory, &options.timingCategory,
                      &options.compileCategory});
  cl::ParseCommandLineOptions(argc, argv, "Axon JIT runner\n");

  if (opts().target != "cpu" && opts().target != "cuda" && opts().target != "auto")
    return fail("--target must be cpu, cuda or auto, not '" + opts().target + "'");
  if (opts().target != "cpu" && !isValidGpuChip(opts().gpuChip))
    return fail("--gpu-chip='" + opts().gpuChip +
                "' is not a GPU architecture (expected e.g. sm_90a, sm_80)");
  // auto: the GPU when a driver and a device are there, else the CPU.
  bool onGpu = opts().target == "cuda" || (opts().target == "auto" && cudaDeviceAvailable());
  if (!onGpu && !opts().profileJson.empty())
    return fail("--profile-json is for the GPU (on the CPU, --profile prints the op table)");
  // The CPU the JIT compiles for and the threads its programs use.
  HostTarget hostTarget;
  unsigned cpuThreads = 1;
  if (!onGpu) {
    auto resolved = HostTarget::resolve(opts().cpu);
    if (!resolved)
      return fail("--cpu: " + llvm::toString(resolved.takeError()));
    hostTarget = std::move(*resolved);
    cpuThreads = setCpuThreads(haveOpenMP() ? opts().threads : 1);
  }
  std::string deviceName;
  if (onGpu)
    if (llvm::Error err = openCudaDevice(deviceName))
      return fail("--target=cuda: " + llvm::toString(std::move(err)));

  auto start = Clock::now();
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module;
  // Diagnostics of .mlir input point into its source for the whole run.
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  bool onnx = isOnnxModel(opts().inputFile);

  // Two halves, timed apart: Axon's passes (fusion, kernel formation,
  // lowering to buffers), then code generation (kernels compiled, host code
  // to the LLVM dialect). Together they are the registered pipeline.
  PassManager front(&context), back(&context), whole(&context);
  if (onGpu) {
    AxonToNVVMOptions pipelineOptions;
    pipelineOptions.fuse = opts().fuse;
    pipelineOptions.fastMath = opts().fastMath;
    pipelineOptions.chip = opts().gpuChip;
    pipelineOptions.reportFallbacks = opts().reportFallbacks;
    pipelineOptions.allowTf32 = opts().allowTf32;
    pipelineOptions.tuningCache = opts().tuningCache;
    // Cubins load without the driver's PTX compiler; --dump-ptx wants PTX.
    pipelineOptions.format = opts().dumpPtx ? "isa" : "auto";
    buildAxonToGPUKernelsPipeline(front, pipelineOptions);
    buildGPUKernelsToNVVMPipeline(back, pipelineOptions);
    buildAxonToNVVMPipeline(whole, pipelineOptions);
  } else {
    AxonToLLVMCPUOptions pipelineOptions;
    pipelineOptions.fuse = opts().fuse;
    pipelineOptions.fastMath = opts().fastMath;
    pipelineOptions.vectorize = opts().vectorize;
    pipelineOptions.vectorBits = hostTarget.vectorBits;
    pipelineOptions.openmp = cpuThreads > 1;
    AxonToLinalgOptions linalgOptions;
    linalgOptions.fuse = opts().fuse;
    linalgOptions.fastMath = opts().fastMath;
    buildAxonToLinalgPipeline(front, linalgOptions);
    buildLinalgToLLVMCPUPipeline(back, pipelineOptions);
    buildAxonToLLVMCPUPipeline(whole, pipelineOptions);
  }
  if (opts().printPipeline) {
    whole.printAsTextualPipeline(llvm::outs());
    llvm::outs() << "\n";
  }
  if (opts().dumpIR) {
    context.disableMultithreading();
    for (PassManager *pm : {&front, &back})
      pm->enableIRPrinting(
          /*shouldPrintBeforePass=*/[](Pass *, Operation *) { return false; },
          /*shouldPrintAfterPass=*/[](Pass *, Operation *) { return true; });
  }
  // The GPU program's host side is a sequence of runtime calls: not worth
  // LLVM's optimizer and instruction selection (most of a model's host JIT
  // time at -O3).
  unsigned hostOptLevel =
      onGpu && !opts().optLevel.getNumOccurrences() ? 0 : unsigned(opts().optLevel);
  const HostTarget *programTarget = onGpu ? nullptr : &hostTarget;

  // The compile cache, keyed on the source before anything is parsed:
  // skipped where the compile itself is what is asked for (IR dumps, PTX,
  // fallback remarks) and for the CPU profile, which reads the linalg ops.
  std::optional<CompileCache> cache;
  std::optional<CacheEntry> cached;
  std::string cacheKey, cacheWhy;
  CacheLookup lookup = CacheLookup::Miss;
  double cacheLookupMs = 0;
  bool cacheStored = false;
  bool cpuProfile = !onGpu && opts().profile;
  if (!opts().noCache && !opts().dumpIR && !opts().dumpPtx && !opts().reportFallbacks &&
      !cpuProfile) {
    std::string dir =
        opts().cacheDir.empty() ? CompileCache::defaultDirectory() : opts().cacheDir.getValue();
    auto source = llvm::MemoryBuffer::getFile(opts().inputFile, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!dir.empty() && source) {
      auto lookupStart = Clock::now();
      cache.emplace(dir);
      std::string pipelineText, tuned, target, importOptions;
      llvm::raw_string_ostream(pipelineText) << [&] {
        std::string text;
        llvm::raw_string_ostream os(text);
        whole.printAsTextualPipeline(os);
        return text;
      }();
      // The configs a tuning cache gives are part of what was compiled.
      if (!opts().tuningCache.empty())
        if (auto file = llvm::MemoryBuffer::getFile(opts().tuningCache))
          tuned = (*file)->getBuffer().str();
      // The host object is machine code for this CPU (on the GPU too).
      auto host = onGpu ? HostTarget::resolve("host") : HostTarget(hostTarget);
      if (host)
        llvm::raw_string_ostream(target)
            << (onGpu ? "cuda " + deviceName : std::string("cpu")) << "\n"
            << host->triple << " " << host->cpu << " " << host->features << "\nO"
            << hostOptLevel;
      else
        llvm::consumeError(host.takeError());
      // What the ONNX importer is told: fixed shapes and the names of the
      // inputs whose values it may fold (their contents are dependencies).
      if (onnx) {
        llvm::raw_string_ostream os(importOptions);
        for (const std::string &spec : opts().onnxShapes)
          os << "shape " << spec << "\n";
        for (const std::string &spec : opts().inputSpecs)
          os << "known " << llvm::StringRef(spec).split('=').first << "\n";
      }
      cacheKey = CompileCache::computeKey({(*source)->getBuffer(), pipelineText, tuned, target,
                                           importOptions, opts().entryName});
      cached = cache->load(cacheKey, &context, lookup, cacheWhy);
      cacheLookupMs = msSince(lookupStart);
    }
  }

  // ONNX `--input <index>=` counts graph inputs: named here, since values
  // that parameterize ops are folded into the program and leave the
  // signature.
  auto nameOnnxInputs = [&](llvm::ArrayRef<std::string> graphInputs) {
    std::vector<std::string> named;
    for (const std::string &spec : opts().inputSpecs) {
      auto [key, path] = llvm::StringRef(spec).split('=');
      size_t index;
      std::string inputName = key.str();
      if (!key.getAsInteger(10, index) && index < graphInputs.size())
        inputName = graphInputs[index];
      named.push_back(inputName + "=" + path.str());
    }
    opts().inputSpecs.clear();
    for (const std::string &spec : named)
      opts().inputSpecs.push_back(spec);
  };

  EntrySignature sig;
  std::vector<std::string> graphInputs, externalDataFiles;
  if (cached) {
    sig = cached->signature;
    graphInputs = cached->graphInputs;
    if (onnx)
      nameOnnxInputs(graphInputs);
    foldedInputs.insert(cached->foldedInputs.begin(), cached->foldedInputs.end());
  } else if (onnx) {
#ifdef AXON_HAS_ONNX
    onnx_frontend::ImportOptions options;
    // Keyed as given (index or name): the importer names them.
    for (const std::string &spec : opts().inputSpecs) {
      auto [key, path] = llvm::StringRef(spec).split('=');
      auto tensor = readTensorFile(path);
      if (!tensor)
        return fail(llvm::toString(tensor.takeError()));
      options.knownInputs[key] = std::move(*tensor);
    }
    for (const std::string &spec : opts().onnxShapes) {
      std::string error;
      if (!onnx_frontend::parseInputShape(spec, options, error))
        return fail(error);
    }
    options.externalDataFiles = &externalDataFiles;
    options.graphInputs = &graphInputs;
    module = onnx_frontend::importModelFile(opts().inputFile, &context, options);
    if (!module)
      return fail("cannot import '" + opts().inputFile + "'");
    nameOnnxInputs(graphInputs);
#else
    return fail("this axon-run was built without the ONNX frontend");
#endif
  } else {
    std::string error;
    auto file = openInputFile(opts().inputFile, &error);
    if (!file)
      return fail(error);
    // Inputs that would crash MLIR's parser are refused before it sees them.
    if (auto hazard = findTextualIRHazard(file->getBuffer()))
      return fail("'" + opts().inputFile + "': " + *hazard);
    sourceMgr->AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return fail("cannot parse '" + opts().inputFile + "'");
  }
  if (!cached) {
    llvm::Expected<EntrySignature> found = findEntry(*module, opts().entryName);
    if (!found)
      return fail(llvm::toString(found.takeError()));
    sig = std::move(*found);
    if (onnx)
      for (const std::string &spec : opts().inputSpecs) {
        std::string inputName = llvm::StringRef(spec).split('=').first.str();
        if (!llvm::is_contained(sig.inputNames, inputName))
          foldedInputs.insert(inputName);
      }
  }
  llvm::Expected<SmallVector<HostTensor>> inputs = loadInputs(sig);
  if (!inputs)
    return fail(llvm::toString(inputs.takeError()));
  double importMs = cached ? 0 : msSince(start);

  CompileProgress progress;
  double axonPassesMs = 0, codegenMs = 0;
  unsigned kernels = 0;
  CpuOpCosts cpuCosts;
  CompiledProgram program;
  DictionaryAttr kernelTableAttr;
  LoadTimes loadTimes;
  // Compiles that say something (warnings, remarks) are not stored: a
  // cached run would not repeat it.
  unsigned diagnosticsEmitted = 0;
  if (cached) {
    program = std::move(cached->program);
    kernelTableAttr = cached->kernelTable;
    kernels = cached->kernelModules;
  } else {
    DiagnosticEngine::HandlerID counter =
        context.getDiagEngine().registerHandler([&](Diagnostic &) {
          ++diagnosticsEmitted;
          return failure();
        });
    auto phaseStart = Clock::now();
    progress.show("axon passes");
    if (failed(front.run(*module)))
      return fail("compiling '" + opts().inputFile + "' for the " + (onGpu ? "GPU" : "CPU") +
                  " failed");
    axonPassesMs = msSince(phaseStart);
    if (cpuProfile)
      cpuCosts = collectCpuOpCosts(*module);
    module->walk([&](gpu::LaunchOp) { ++kernels; });
    phaseStart = Clock::now();
    progress.show(onGpu ? "compiling " + std::to_string(kernels) + " kernels"
                        : std::string("code generation"));
    if (failed(back.run(*module)))
      return fail("compiling '" + opts().inputFile + "' for the " + (onGpu ? "GPU" : "CPU") +
                  " failed");
    codegenMs = msSince(phaseStart);
    context.getDiagEngine().eraseHandler(counter);
    if (opts().dumpPtx)
      module->walk([](gpu::BinaryOp binary) {
        for (Attribute attr : binary.getObjects())
          llvm::outs() << "// axon kernel module @" << binary.getName() << "\n"
                       << cast<gpu::ObjectAttr>(attr).getObject().getValue() << "\n";
      });
    kernels = 0;
    module->walk([&](gpu::BinaryOp) { ++kernels; });
    // What the profile divides kernel times by; not code, so not compiled.
    (void)takeKernelTable(*module, &kernelTableAttr);
    progress.show("host JIT");
    phaseStart = Clock::now();
    auto compiled = compileProgram(*module, hostOptLevel, programTarget);
    if (!compiled)
      return fail("compiling '" + opts().inputFile + "': JIT compilation failed: " +
                  llvm::toString(compiled.takeError()));
    program = std::move(*compiled);
    loadTimes.jitMs = msSince(phaseStart);
  }
  std::map<std::string, KernelInfo> kernelTable = readKernelTable(kernelTableAttr);

  // What the cache keeps of a fresh compile, stored once it has linked.
  std::optional<CacheEntry> toStore;
  if (cache && !cached && diagnosticsEmitted == 0) {
    toStore.emplace();
    toStore->program.object = llvm::MemoryBuffer::getMemBufferCopy(
        program.object->getBuffer(), program.object->getBufferIdentifier());
    toStore->program.constructors = program.constructors;
    toStore->program.destructors = program.destructors;
    toStore->program.constants = program.constants;
    toStore->signature = sig;
    toStore->kernelTable = kernelTableAttr;
    toStore->kernelModules = kernels;
    toStore->graphInputs = graphInputs;
    toStore->foldedInputs.assign(foldedInputs.begin(), foldedInputs.end());
    // The program was also made from the external data and folded inputs.
    std::vector<std::string> dependencies = externalDataFiles;
    for (const std::string &spec : opts().inputSpecs) {
      auto [inputName, path] = llvm::StringRef(spec).split('=');
      if (foldedInputs.count(inputName.str()))
        dependencies.push_back(path.str());
    }
    for (const std::string &path : dependencies) {
      std::optional<std::string> hash = CompileCache::hashFile(path);
      if (!hash) {
        toStore.reset();
        break;
      }
      toStore->dependencies.push_back({path, *hash});
    }
  }

  progress.show("loading");
  std::unique_ptr<CpuExecutable> cpuExe;
  std::unique_ptr<CudaExecutable> gpuExe;
  if (onGpu) {
    auto exe = CudaExecutable::create(std::move(program), sig, &loadTimes);
    if (!exe)
      return fail(llvm::toString(exe.takeError()));
    gpuExe = std::move(*exe);
    CudaExecutable::poisonAllocations(opts().poison);
  } else {
    auto exe = CpuExecutable::create(std::move(program), sig, &loadTimes);
    if (!exe)
      return fail(llvm::toString(exe.takeError()));
    cpuExe = std::move(*exe);
  }
  if (toStore) {
    if (llvm::Error err = cache->store(cacheKey, *toStore))
      llvm::WithColor::warning(llvm::errs(), "axon-run")
          << "compile cache: " << llvm::toString(std::move(err)) << "\n";
    else
      cacheStored = true;
  }
  progress.clear();
  double compileMs = msSince(start);

  // The first call also materializes the JIT code; later calls are the
  // steady state that --repeat measures. On the GPU the first call records
  // the memory plan, the second runs on it, the third captures the graph.
  SmallVector<HostTensor> results;
  SmallVector<double> runMs, entryMs, spanMs;
  SmallVector<GpuRunMode> modes;
  GpuRunTimes gpuTimes;
  GpuRunOptions gpuOptions;
  gpuOptions.planMemory = opts().planMemory;
  gpuOptions.cudaGraph = opts().cudaGraph;
  for (unsigned r = 0; r < std::max(1u, unsigned(opts().repeat)); ++r) {
    auto runStart = Clock::now();
    GpuRunTimes times;
    auto out = onGpu ? gpuExe->run(*inputs, &times, gpuOptions) : cpuExe->run(*inputs);
    runMs.push_back(msSince(runStart));
    if (!out)
      return fail(llvm::toString(out.takeError()));
    results = std::move(*out);
    entryMs.push_back(times.entryMs);
    spanMs.push_back(times.deviceSpanMs);
    modes.push_back(times.mode);
    gpuTimes = times;
  }
  // Kernel times come from calls of their own, launched one by one with
  // events around each kernel (a graph replay has none).
  std::map<std::string, std::pair<double, unsigned>> kernelTotals;
  unsigned profiledCalls = 0;
  if (onGpu && (opts().showTime || opts().profile || !opts().profileJson.empty())) {
    GpuRunOptions profiled = gpuOptions;
    profiled.profileKernels = true;
    profiledCalls = std::clamp(unsigned(opts().repeat), 1u, 20u);
    for (unsigned r = 0; r < profiledCalls; ++r) {
      GpuRunTimes times;
      auto out = gpuExe->run(*inputs, &times, profiled);
      if (!out)
        return fail(llvm::toString(out.takeError()));
      for (auto &[name, ms] : times.kernels) {
        kernelTotals[name].first += ms;
        kernelTotals[name].second += 1;
      }
    }
  }
  // The steady state: the calls after the first that ran as the last did.
  SmallVector<unsigned> steadyRuns;
  for (unsigned r = 1; r < runMs.size(); ++r)
    if (modes[r] == modes.back())
      steadyRuns.push_back(r);
  if (steadyRuns.empty())
    steadyRuns.push_back(runMs.size() - 1);

  bool ok = true;
  for (auto [i, result] : llvm::enumerate(results)) {
    if (!matches(result, sig.results[i]))
      return fail("result " + llvm::Twine(i) + " is " + result.describe() +
                  " but @" + sig.name + " declares " + typeString(sig.results[i]));
    if (!opts().quiet)
      printResult(i, result);
    if (!opts().outputDir.empty()) {
      llvm::sys::fs::create_directories(opts().outputDir);
      llvm::SmallString<128> path(opts().outputDir);
      llvm::sys::path::append(path, "result" + std::to_string(i) + ".npy");
      if (llvm::Error err = writeNpy(path, result))
        return fail(llvm::toString(std::move(err)));
    }
  }
  for (const std::string &spec : opts().expectSpecs) {
    auto [key, path] = llvm::StringRef(spec).split('=');
    size_t index;
    if (key.getAsInteger(10, index) || index >= results.size() || path.empty())
      return fail("--expect wants result_index=file.npy with an index below " +
                  llvm::Twine(results.size()) + ", got '" + spec + "'");
    llvm::Expected<HostTensor> want = readTensorFile(path);
    if (!want)
      return fail(llvm::toString(want.takeError()));
    ok &= compare(index, results[index], *want, path);
  }
  double steadyEntryMs = 0, steadySpanMs = 0, steadyRunMs = 0, bestMs = INFINITY;
  for (unsigned r : steadyRuns) {
    steadyEntryMs += entryMs[r] / steadyRuns.size();
    steadySpanMs += spanMs[r] / steadyRuns.size();
    steadyRunMs += runMs[r] / steadyRuns.size();
    bestMs = std::min(bestMs, runMs[r]);
  }
  double kernelMs = 0;
  for (auto &[name, total] : kernelTotals)
    kernelMs += total.first / profiledCalls;
  if (opts().showTime) {
    SmallVector<double> steadyTimes;
    for (unsigned r : steadyRuns)
      steadyTimes.push_back(runMs[r]);
    llvm::sort(steadyTimes);
    double medianMs = steadyTimes.empty() ? 0 : steadyTimes[steadyTimes.size() / 2];
    llvm::outs() << llvm::format("time: compile %.1f ms, first run %.3f ms, "
                                 "run %.3f ms (mean of %zu), best %.3f ms, median %.3f ms\n",
                                 compileMs, runMs.front(), steadyRunMs, steadyRuns.size(),
                                 bestMs, medianMs);
    llvm::outs() << llvm::format("compile: %s %.1f ms, axon passes %.1f ms, code "
                                 "generation %.1f ms",
                                 onnx ? "import" : "parse",
                                 importMs, axonPassesMs, codegenMs);
    if (onGpu)
      llvm::outs() << " (" << kernels << " kernels)";
    llvm::outs() << llvm::format(", host JIT %.1f ms, host link %.1f ms", loadTimes.jitMs,
                                 loadTimes.linkMs);
    if (onGpu)
      llvm::outs() << llvm::format(", module load %.1f ms", loadTimes.moduleLoadMs);
    llvm::outs() << "\n";
    if (!onGpu)
      llvm::outs() << "cpu: " << hostTarget.cpu << ", " << hostTarget.vectorBits
                   << "-bit vectors, " << cpuThreads << (cpuThreads == 1 ? " thread" : " threads")
                   << "\n";
    if (loadTimes.externalConstants)
      llvm::outs() << llvm::format("constants: %zu (%.2f MiB) passed to the JIT as data\n",
                                   loadTimes.externalConstants,
                                   loadTimes.externalConstantBytes / 1048576.0);
    if (cache) {
      std::string found = lookup == CacheLookup::Hit    ? "hit"
                          : lookup == CacheLookup::Miss ? "miss"
                                                        : "invalid entry (" + cacheWhy + ")";
      if (lookup != CacheLookup::Hit)
        found += cacheStored ? ", stored" : ", not stored";
      llvm::outs() << "cache: " << found
                   << llvm::format(" (lookup %.1f ms) ", cacheLookupMs)
                   << cache->entryPath(cacheKey) << "\n";
    }
    if (onGpu) {
      // The host's part of a call is the entry's time less the device's span
      // of it; for a graph replay the span is the kernels back to back.
      llvm::outs() << llvm::format(
          "gpu: %s; inputs to device %.3f ms, entry %.3f ms (%s, mean of %zu), device span "
          "%.3f ms, kernels %.3f ms (mean of %u profiled calls, timed one by one), results "
          "to host %.3f ms (last run)\n",
          deviceName.c_str(), gpuTimes.hostToDeviceMs, steadyEntryMs, describe(modes.back()),
          steadyRuns.size(), steadySpanMs, kernelMs, profiledCalls, gpuTimes.deviceToHostMs);
      GpuMemoryUse memory = gpuExe->memoryUse();
      constexpr double MiB = 1048576.0;
      llvm::outs() << llvm::format("memory: peak %.2f MiB on the device: inputs %.2f MiB, "
                                   "constants %.2f MiB, intermediates %.2f MiB",
                                   memory.total() / MiB, memory.inputs / MiB,
                                   memory.constants / MiB, memory.intermediates / MiB);
      if (memory.planned)
        llvm::outs() << llvm::format(" (arena for %zu buffers; at most %.2f MiB alive at once)",
                                     memory.plannedBuffers, memory.peakLive / MiB);
      llvm::outs() << "\n";
      if (!gpuExe->note().empty())
        llvm::outs() << "note: " << gpuExe->note() << "\n";
      for (auto &[name, total] : kernelTotals)
        llvm::outs() << llvm::format("kernel %s: %.4f ms (mean of %u)\n", name.c_str(),
                                     total.first / total.second, total.second);
    }
  }
  if (onGpu && (opts().profile || !opts().profileJson.empty())) {
    GpuProfile profile;
    profile.device = deviceName;
    profile.calls = profiledCalls;
    profile.table = std::move(kernelTable);
    profile.ceilings = Ceilings::forDevice(deviceName);
    if (opts().peakTflops > 0) {
      profile.ceilings.tensorTflops = opts().peakTflops;
      profile.ceilings.tflopsSource = "given";
    }
    if (opts().peakFmaTflops > 0) {
      profile.ceilings.fmaTflops = opts().peakFmaTflops;
      profile.ceilings.tflopsSource = "given";
    }
    if (opts().peakGbs > 0) {
      profile.ceilings.gbs = opts().peakGbs;
      profile.ceilings.gbsSource = "given";
    } else if (auto gbs = measureCopyBandwidth()) {
      profile.ceilings.gbs = *gbs;
      profile.ceilings.gbsSource = "measured device-to-device copy";
    } else {
      llvm::WithColor::warning(llvm::errs(), "axon-run")
          << llvm::toString(gbs.takeError()) << "\n";
    }
    for (auto &[name, total] : kernelTotals)
      profile.samples.push_back({name, total.first / total.second, total.second});
    if (opts().profile)
      printGpuProfile(llvm::outs(), profile);
    if (!opts().profileJson.empty()) {
      std::error_code ec;
      llvm::raw_fd_ostream json(opts().profileJson, ec);
      if (ec)
        return fail("cannot write '" + opts().profileJson + "': " + ec.message());
      writeGpuProfileJson(json, profile);
    }
  } else if (!onGpu && opts().profile) {
    printCpuProfile(llvm::outs(), cpuCosts, steadyRunMs);
  }
  return ok ? 0 : 1;
}

#ifndef AXON_MULTICALL
int main(int argc, char **argv) { return axonRunMain(argc, argv); }
#endif
