//===- InputGuards.h - Reject inputs that crash upstream parsers -*- C++ -*-===//
//
// MLIR's parser recurses once per nesting level (a few thousand levels
// overflow the stack) and trusts the alignment word of a dialect resource
// blob (0 makes it allocate without bound). Axon's tools scan their textual
// input for both before parsing; the limits are far beyond real programs.
//
//===----------------------------------------------------------------------===//

#ifndef AXON_SUPPORT_INPUTGUARDS_H
#define AXON_SUPPORT_INPUTGUARDS_H

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace axon {

/// The deepest bracket nesting ((), [], {}) accepted in textual IR.
constexpr unsigned kMaxIRNestingDepth = 1000;

/// An error message if `text` (textual MLIR) nests deeper than
/// kMaxIRNestingDepth or holds a resource blob whose alignment is not a
/// non-zero power of two; std::nullopt otherwise. Strings and comments are
/// skipped.
inline std::optional<std::string> findTextualIRHazard(llvm::StringRef text) {
  unsigned depth = 0, line = 1;
  // Resource blobs live in the file metadata section, after "{-#".
  size_t metadata = text.find("{-#");
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '"') {
      // A resource blob: "0x" then the little-endian 32-bit alignment.
      if (i > metadata && text.substr(i + 1, 2) == "0x" && text.size() > i + 11) {
        uint64_t align = 0;
        std::string bytes;
        if (llvm::tryGetFromHex(text.substr(i + 3, 8), bytes)) {
          for (int b = 3; b >= 0; --b)
            align = (align << 8) | static_cast<unsigned char>(bytes[b]);
          if (align == 0 || (align & (align - 1)) != 0)
            return "line " + std::to_string(line) +
                   ": a hex blob begins with alignment " + std::to_string(align) +
                   ", which is not a power of two";
        }
      }
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\')
          ++i;
        else if (text[i] == '\n')
          ++line;
      }
    } else if (c == '/' && text.substr(i, 2) == "//") {
      i = text.find('\n', i);
      if (i == llvm::StringRef::npos)
        break;
      ++line;
    } else if (c == '(' || c == '[' || c == '{') {
      if (++depth > kMaxIRNestingDepth)
        return "line " + std::to_string(line) + ": brackets nest more than " +
               std::to_string(kMaxIRNestingDepth) + " levels deep";
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

} // namespace axon

#endif // AXON_SUPPORT_INPUTGUARDS_H
