//===- CompileCacheTest.cpp - Compile cache entries round-trip ------------===//

#include "axon/Runner/CompileCache.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstring>
#include <fstream>

using namespace axon;
using namespace mlir;

namespace {

class CompileCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> path;
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("axon-cache-test", path));
    dir = path.str().str();
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string file(llvm::StringRef name) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    return path.str().str();
  }
  static void write(const std::string &path, llvm::StringRef text) {
    std::ofstream(path, std::ios::binary) << text.str();
  }

  /// An entry with every field set; its constants are 100 bytes (alignment
  /// 16) and 3 bytes (alignment 128) of known contents.
  CacheEntry makeEntry(MLIRContext &context) {
    Builder b(&context);
    CacheEntry entry;
    entry.program.object =
        llvm::MemoryBuffer::getMemBufferCopy("\x7f"
                                             "ELF not really");
    entry.program.constructors = {"ctor_a", "ctor\tb"};
    entry.program.destructors = {"dtor"};
    for (int i = 0; i < 100; ++i)
      first[i] = char(i * 7);
    entry.program.constants = {{"w0", first, 100, 16},
                               {"w\n1", second, 3, 128}};
    entry.signature.name = "main";
    entry.signature.inputs = {
        RankedTensorType::get({2, ShapedType::kDynamic}, b.getF32Type())};
    entry.signature.inputNames = {"x y"};
    entry.signature.results = {RankedTensorType::get({4}, b.getBF16Type())};
    entry.kernelTable = b.getDictionaryAttr({b.getNamedAttr(
        "k0", b.getDictionaryAttr({b.getNamedAttr(
                  "strategy", b.getStringAttr("matmul_tiled"))}))});
    entry.kernelModules = 3;
    entry.graphInputs = {"x y", "shape"};
    entry.foldedInputs = {"shape"};
    write(file("dep.bin"), "dependency v1");
    entry.dependencies = {
        {file("dep.bin"), *CompileCache::hashFile(file("dep.bin"))}};
    return entry;
  }

  std::string dir;
  char first[100];
  char second[3] = {'a', 'b', 'c'};
};

TEST_F(CompileCacheTest, RoundTripsEveryField) {
  MLIRContext context;
  CompileCache cache(dir);
  ASSERT_FALSE(bool(cache.store("k", makeEntry(context))));
  CacheLookup outcome;
  std::string why;
  std::optional<CacheEntry> loaded = cache.load("k", &context, outcome, why);
  ASSERT_TRUE(loaded) << why;
  EXPECT_EQ(outcome, CacheLookup::Hit);
  EXPECT_EQ(loaded->program.object->getBuffer(), "\x7f"
                                                 "ELF not really");
  EXPECT_EQ(loaded->program.constructors,
            (std::vector<std::string>{"ctor_a", "ctor\tb"}));
  EXPECT_EQ(loaded->program.destructors, std::vector<std::string>{"dtor"});
  ASSERT_EQ(loaded->program.constants.size(), 2u);
  const ProgramConstant &w0 = loaded->program.constants[0],
                        &w1 = loaded->program.constants[1];
  EXPECT_EQ(w0.symbol, "w0");
  EXPECT_EQ(w0.size, 100u);
  EXPECT_EQ(std::memcmp(w0.data, first, 100), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(w0.data) % 64, 0u);
  EXPECT_EQ(w1.symbol, "w\n1");
  EXPECT_EQ(std::memcmp(w1.data, "abc", 3), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(w1.data) % 128, 0u);
  EXPECT_EQ(loaded->signature.name, "main");
  ASSERT_EQ(loaded->signature.inputs.size(), 1u);
  EXPECT_EQ(loaded->signature.inputs[0],
            makeEntry(context).signature.inputs[0]);
  EXPECT_EQ(loaded->signature.inputNames,
            llvm::SmallVector<std::string>{"x y"});
  EXPECT_EQ(loaded->signature.results[0],
            makeEntry(context).signature.results[0]);
  EXPECT_EQ(loaded->kernelTable, makeEntry(context).kernelTable);
  EXPECT_EQ(loaded->kernelModules, 3u);
  EXPECT_EQ(loaded->graphInputs, (std::vector<std::string>{"x y", "shape"}));
  EXPECT_EQ(loaded->foldedInputs, std::vector<std::string>{"shape"});
}

TEST_F(CompileCacheTest, MissingKeyIsAMiss) {
  MLIRContext context;
  CompileCache cache(dir);
  CacheLookup outcome;
  std::string why;
  EXPECT_FALSE(cache.load("absent", &context, outcome, why));
  EXPECT_EQ(outcome, CacheLookup::Miss);
}

TEST_F(CompileCacheTest, ChangedDependencyMakesTheEntryStale) {
  MLIRContext context;
  CompileCache cache(dir);
  ASSERT_FALSE(bool(cache.store("k", makeEntry(context))));
  write(file("dep.bin"), "dependency v2");
  CacheLookup outcome;
  std::string why;
  EXPECT_FALSE(cache.load("k", &context, outcome, why));
  EXPECT_EQ(outcome, CacheLookup::Invalid);
  EXPECT_NE(why.find("dep.bin' has changed since it was compiled"),
            std::string::npos)
      << why;
  // Removed, so the next lookup misses (and the caller rebuilds).
  EXPECT_FALSE(llvm::sys::fs::exists(cache.entryPath("k")));
}

TEST_F(CompileCacheTest, EveryCorruptedPayloadByteIsDetected) {
  MLIRContext context;
  CompileCache cache(dir);
  ASSERT_FALSE(bool(cache.store("k", makeEntry(context))));
  std::string path = cache.entryPath("k");
  auto original = llvm::MemoryBuffer::getFile(path);
  ASSERT_TRUE(bool(original));
  std::string bytes = (*original)->getBuffer().str();
  ASSERT_GT(bytes.size(), 4096u);
  // The header's fields and a sample of the payload (metadata, object,
  // constants): each flipped byte is rejected, never loaded.
  for (size_t at : {size_t(3), size_t(10), bytes.size() / 2, size_t(4096),
                    size_t(4100), size_t(4200), bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[at] ^= 0x20;
    write(path, damaged);
    CacheLookup outcome;
    std::string why;
    EXPECT_FALSE(cache.load("k", &context, outcome, why)) << "byte " << at;
    EXPECT_EQ(outcome, CacheLookup::Invalid) << "byte " << at;
  }
}

TEST_F(CompileCacheTest, KeysSeparateTheirParts) {
  EXPECT_NE(CompileCache::computeKey({"ab", "c"}),
            CompileCache::computeKey({"a", "bc"}));
  EXPECT_NE(CompileCache::computeKey({"a"}),
            CompileCache::computeKey({"a", ""}));
  EXPECT_EQ(CompileCache::computeKey({"a", "b"}),
            CompileCache::computeKey({"a", "b"}));
}

} // namespace
