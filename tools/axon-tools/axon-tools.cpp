//===- axon-tools.cpp - The Axon tools in one binary ----------------------===//
//
// The statically linked tools share almost all of their code (MLIR, LLVM);
// one binary that dispatches on its name (or on its first argument) keeps the
// GPU machine's bundle within its size limit. Each tool registers its own
// options only when it runs.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

int axonOptMain(int argc, char **argv);
int axonTranslateMain(int argc, char **argv);
int axonRunMain(int argc, char **argv);
int axonTuneMain(int argc, char **argv);

namespace {
using ToolMain = int (*)(int, char **);

ToolMain findTool(llvm::StringRef name) {
  if (name == "axon-opt")
    return axonOptMain;
  if (name == "axon-translate")
    return axonTranslateMain;
  if (name == "axon-run")
    return axonRunMain;
  if (name == "axon-tune")
    return axonTuneMain;
  return nullptr;
}
} // namespace

int main(int argc, char **argv) {
  // Called through a link named after a tool: axon-opt -> axonOptMain.
  if (ToolMain tool = findTool(llvm::sys::path::filename(argv[0])))
    return tool(argc, argv);
  // Or as `axon-tools <tool> args...`.
  if (argc > 1)
    if (ToolMain tool = findTool(argv[1]))
      return tool(argc - 1, argv + 1);
  llvm::errs() << "usage: axon-tools {axon-opt|axon-translate|axon-run|axon-tune} [args...] "
                  "(or call it through a link with the tool's name)\n";
  return 2;
}
