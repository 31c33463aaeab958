//===- MemRefABI.h - Passing tensors to code lowered by MLIR ----*- C++ -*-===//
//
// Compiled entry points take and return strided memref descriptors
// {allocated, aligned, offset, sizes[rank], strides[rank]}, all 8-byte words.
// The packed calling convention (ExecutionEngine's _mlir_<name> wrappers)
// takes one pointer per word of every argument, then one pointer to the
// storage of the returned struct.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_RUNNER_MEMREFABI_H
#define AXON_RUNNER_MEMREFABI_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace axon {

/// Words in the descriptor of a rank-`rank` memref.
inline int64_t descriptorWords(int64_t rank) { return 3 + 2 * rank; }

/// Appends the descriptor of a contiguous row-major buffer to `words`.
void appendDescriptor(llvm::SmallVectorImpl<int64_t> &words, void *data,
                      llvm::ArrayRef<int64_t> shape);

/// A descriptor read back from returned words.
struct MemRefView {
  void *allocated = nullptr;
  void *aligned = nullptr;
  int64_t offset = 0;
  llvm::SmallVector<int64_t> sizes, strides;

  /// Whether the view is contiguous row-major (so it can be copied flat).
  bool isContiguous() const;
};

/// Reads `ranks.size()` consecutive descriptors from `words`.
llvm::SmallVector<MemRefView> readDescriptors(llvm::ArrayRef<int64_t> words,
                                              llvm::ArrayRef<int64_t> ranks);

/// The packed-call argument array: a pointer to each word of `argWords`, then
/// `result` (storage for the returned struct) when non-null.
llvm::SmallVector<void *> packArguments(llvm::MutableArrayRef<int64_t> argWords,
                                        void *result);

} // namespace axon

#endif // AXON_RUNNER_MEMREFABI_H
