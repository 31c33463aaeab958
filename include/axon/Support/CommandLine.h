//===- CommandLine.h - Axon's tools show their own options ------*- C++ -*-===//
//
// Axon's tools link all of LLVM and MLIR, whose static options (back-end
// tuning, PGO, debugging) would fill --help with hundreds of lines. The
// tools keep their own options in --help and move the rest behind
// --help-hidden, where they still work.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_SUPPORT_COMMANDLINE_H
#define AXON_SUPPORT_COMMANDLINE_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"

namespace axon {

/// Hides every registered option outside `ours` (except the help and
/// version flags). Options registered later stay visible.
/// (cl::HideUnrelatedOptions would hide them from --help-hidden too.)
inline void hideForeignOptions(llvm::ArrayRef<const llvm::cl::OptionCategory *> ours) {
  for (auto &entry : llvm::cl::getRegisteredOptions()) {
    llvm::cl::Option *option = entry.second;
    llvm::StringRef name = entry.first;
    if (name == "help" || name == "help-list" || name == "help-hidden" ||
        name == "help-list-hidden" || name == "version")
      continue;
    if (llvm::none_of(option->Categories, [&](const llvm::cl::OptionCategory *c) {
          return llvm::is_contained(ours, c);
        }))
      option->setHiddenFlag(llvm::cl::Hidden);
  }
}

/// Moves a registered LLVM option to another name (still behind
/// --help-hidden), so that a tool can give the name to an option of its own
/// (LLVM registers an unrelated `--threads`). Call before the tool's options
/// are constructed.
inline void renameForeignOption(llvm::StringRef name, llvm::StringRef newName) {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find(name);
  if (it != options.end())
    it->second->setArgStr(newName);
}

} // namespace axon

#endif // AXON_SUPPORT_COMMANDLINE_H
