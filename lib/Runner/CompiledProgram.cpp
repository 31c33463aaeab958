//===- CompiledProgram.cpp - A lowered program, ready to link -------------===//

#include "axon/Runner/CompiledProgram.h"
#include "ExternalConstants.h"
#include "HostObject.h"

namespace axon {

size_t CompiledProgram::constantBytes() const {
  size_t bytes = 0;
  for (const ProgramConstant &c : constants)
    bytes += c.size;
  return bytes;
}

llvm::Expected<CompiledProgram> compileProgram(mlir::ModuleOp module,
                                               unsigned optLevel,
                                               const HostTarget *target) {
  CompiledProgram program;
  externalizeConstants(module, program);
  if (llvm::Error err = compileHostObject(module, optLevel, target, program))
    return std::move(err);
  return program;
}

} // namespace axon
