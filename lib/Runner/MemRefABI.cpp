//===- MemRefABI.cpp - Passing tensors to code lowered by MLIR ------------===//

#include "axon/Runner/MemRefABI.h"

#include <cstring>

namespace axon {

void appendDescriptor(llvm::SmallVectorImpl<int64_t> &words, void *data,
                      llvm::ArrayRef<int64_t> shape) {
  int64_t ptr;
  std::memcpy(&ptr, &data, sizeof(ptr));
  words.append({ptr, ptr, 0});
  words.append(shape.begin(), shape.end());
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  words.append(strides.begin(), strides.end());
}

bool MemRefView::isContiguous() const {
  int64_t expected = 1;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected)
      return false;
    expected *= sizes[d];
  }
  return true;
}

llvm::SmallVector<MemRefView> readDescriptors(llvm::ArrayRef<int64_t> words,
                                              llvm::ArrayRef<int64_t> ranks) {
  llvm::SmallVector<MemRefView> views;
  size_t at = 0;
  for (int64_t rank : ranks) {
    MemRefView view;
    std::memcpy(&view.allocated, &words[at], sizeof(void *));
    std::memcpy(&view.aligned, &words[at + 1], sizeof(void *));
    view.offset = words[at + 2];
    view.sizes.assign(words.begin() + at + 3, words.begin() + at + 3 + rank);
    view.strides.assign(words.begin() + at + 3 + rank,
                        words.begin() + at + 3 + 2 * rank);
    views.push_back(std::move(view));
    at += descriptorWords(rank);
  }
  return views;
}

llvm::SmallVector<void *> packArguments(llvm::MutableArrayRef<int64_t> argWords,
                                        void *result) {
  llvm::SmallVector<void *> packed;
  for (int64_t &word : argWords)
    packed.push_back(&word);
  if (result)
    packed.push_back(result);
  return packed;
}

} // namespace axon
