//===- ONNXImporterTest.cpp - TensorProto decoding and external data ------===//

#include "axon/Frontend/ONNX/ExternalData.h"
#include "axon/Frontend/ONNX/Importer.h"
#include "axon/Frontend/ONNX/TensorProto.h"
#include "axon/Registration/Registration.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "onnx/onnx_pb.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace axon;

namespace {

/// A model y = Identity(w) whose initializer w (4 floats) lives in the
/// external file `location`.
std::string externalDataModel(const std::string &location) {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.add_opset_import()->set_version(17);
  onnx::GraphProto *graph = model.mutable_graph();
  graph->set_name("g");
  onnx::TensorProto *w = graph->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(4);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto *entry = w->add_external_data();
  entry->set_key("location");
  entry->set_value(location);
  onnx::NodeProto *node = graph->add_node();
  node->set_op_type("Identity");
  node->add_input("w");
  node->add_output("y");
  onnx::ValueInfoProto *out = graph->add_output();
  out->set_name("y");
  out->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  out->mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(4);
  return model.SerializeAsString();
}

class ONNXImporterTest : public ::testing::Test {
protected:
  ONNXImporterTest() {
    mlir::DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
  }
  mlir::MLIRContext context;
};

TEST_F(ONNXImporterTest, MissingExternalDataIsAnError) {
  std::string message;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    message = d.str();
    return mlir::success();
  });
  auto module = onnx_frontend::importModel(externalDataModel("weights.bin"), false,
                                           "m.onnx", "/nonexistent", &context, {});
  EXPECT_FALSE(module);
  // The location is resolved (and confined) before ONNX's checker runs.
  EXPECT_NE(message.find("'m.onnx': initializer 'w': external data location "
                         "'weights.bin' cannot be resolved: model directory "
                         "'/nonexistent': No such file or directory"),
            std::string::npos)
      << message;
}

TEST_F(ONNXImporterTest, ExternalDataIsRead) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("axon-onnx", dir));
  llvm::SmallString<128> file(dir);
  llvm::sys::path::append(file, "weights.bin");
  float values[] = {1.5f, -2.0f, 0.25f, 8.0f};
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    ASSERT_FALSE(ec);
    os.write(reinterpret_cast<const char *>(values), sizeof(values));
  }
  auto module = onnx_frontend::importModel(externalDataModel("weights.bin"), false,
                                           "m.onnx", dir, &context, {});
  ASSERT_TRUE(module);
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  EXPECT_NE(text.find("dense<[1.500000e+00, -2.000000e+00, 2.500000e-01, 8.000000e+00]>"),
            std::string::npos)
      << text;
  llvm::sys::fs::remove_directories(dir);
}

TEST_F(ONNXImporterTest, ShortExternalDataIsAnError) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("axon-onnx", dir));
  llvm::SmallString<128> file(dir);
  llvm::sys::path::append(file, "weights.bin");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    os << "abc"; // 3 bytes, not 16
  }
  std::string message;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    message = d.str();
    return mlir::success();
  });
  EXPECT_FALSE(onnx_frontend::importModel(externalDataModel("weights.bin"), false,
                                          "m.onnx", dir, &context, {}));
  EXPECT_NE(message.find("holds 3 bytes of data, expected 16"), std::string::npos)
      << message;
  llvm::sys::fs::remove_directories(dir);
}

/// A fresh directory holding `model/` with `weights.bin` (16 bytes) inside
/// and `secret.bin` beside it, removed at the end of the test.
class ExternalDataTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("axon-external", root));
    model = root;
    llvm::sys::path::append(model, "model");
    ASSERT_FALSE(llvm::sys::fs::create_directory(model));
    write(model, "weights.bin", "0123456789abcdef");
    write(root, "secret.bin", "SECRET-SECRET-SECRET");
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root); }
  static void write(llvm::StringRef dir, llvm::StringRef name, llvm::StringRef bytes) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << bytes;
  }
  std::string read(const onnx_frontend::ExternalDataSpec &spec) {
    error.clear();
    auto buffer = onnx_frontend::readExternalData(model, spec, error);
    return buffer ? buffer->getBuffer().str() : "<error>";
  }
  llvm::SmallString<128> root, model;
  std::string error;
};

TEST_F(ExternalDataTest, ReadsSlicesInsideTheDirectory) {
  EXPECT_EQ(read({"weights.bin"}), "0123456789abcdef");
  EXPECT_EQ(read({"weights.bin", 4, 3}), "456");
  EXPECT_EQ(read({"./weights.bin", 10}), "abcdef");
  EXPECT_EQ(read({"weights.bin", 16, 0}), "");
}

TEST_F(ExternalDataTest, RejectsEscapes) {
  EXPECT_EQ(read({"../secret.bin"}), "<error>");
  EXPECT_NE(error.find("'../secret.bin' leaves the model's directory"), std::string::npos)
      << error;
  EXPECT_EQ(read({"sub/../../secret.bin"}), "<error>");
  EXPECT_NE(error.find("leaves the model's directory"), std::string::npos) << error;
  llvm::SmallString<128> absolute(root);
  llvm::sys::path::append(absolute, "secret.bin");
  EXPECT_EQ(read({std::string(absolute)}), "<error>");
  EXPECT_NE(error.find("is an absolute path"), std::string::npos) << error;
  EXPECT_EQ(read({"/etc/passwd"}), "<error>");
  EXPECT_EQ(read({""}), "<error>");
  EXPECT_NE(error.find("is empty"), std::string::npos) << error;
  // A link inside the directory that points outside it.
  llvm::SmallString<128> link(model);
  llvm::sys::path::append(link, "link.bin");
  ASSERT_FALSE(llvm::sys::fs::create_link(absolute, link));
  EXPECT_EQ(read({"link.bin"}), "<error>");
  EXPECT_NE(error.find("outside the model's directory"), std::string::npos) << error;
  // A directory is not data.
  ASSERT_FALSE(llvm::sys::fs::create_directory(model + "/dir"));
  EXPECT_EQ(read({"dir"}), "<error>");
  EXPECT_NE(error.find("is not a regular file"), std::string::npos) << error;
}

TEST_F(ExternalDataTest, RejectsSlicesOutsideTheFile) {
  EXPECT_EQ(read({"weights.bin", 17}), "<error>");
  EXPECT_NE(error.find("offset 17 is past the end"), std::string::npos) << error;
  EXPECT_EQ(read({"weights.bin", 8, 9}), "<error>");
  EXPECT_NE(error.find("9 bytes at offset 8 runs past the end"), std::string::npos) << error;
  // Near 2^64: offset + length must not wrap around.
  EXPECT_EQ(read({"weights.bin", 8, UINT64_MAX - 4}), "<error>");
}

TEST(ExternalDataNumberTest, OnlyPlainDecimals) {
  std::string error;
  EXPECT_EQ(onnx_frontend::parseExternalDataNumber("offset", "4096", error), 4096u);
  for (const char *bad : {"", "abc", "-1", "0x10", "+5", "1e3", " 7",
                          "9223372036854775808", "99999999999999999999999"}) {
    EXPECT_FALSE(onnx_frontend::parseExternalDataNumber("offset", bad, error)) << bad;
    EXPECT_NE(error.find("is not a decimal number below 2^63"), std::string::npos) << error;
  }
}

/// Writes a TensorProto to a temporary .pb file and reads it back.
llvm::Expected<HostTensor> roundTrip(const onnx::TensorProto &proto) {
  llvm::SmallString<128> path;
  int fd;
  llvm::sys::fs::createTemporaryFile("axon-tensor", "pb", fd, path);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << proto.SerializeAsString();
  }
  auto result = onnx_frontend::readTensorProtoFile(path);
  llvm::sys::fs::remove(path);
  return result;
}

TEST(TensorProtoTest, TypedFieldsAndRawData) {
  onnx::TensorProto ints;
  ints.set_data_type(onnx::TensorProto::INT64);
  ints.add_dims(3);
  for (int64_t v : {int64_t(7), int64_t(-1), int64_t(1) << 40})
    ints.add_int64_data(v);
  auto t = roundTrip(ints);
  ASSERT_TRUE(static_cast<bool>(t)) << llvm::toString(t.takeError());
  EXPECT_EQ(t->dtype, DType::I64);
  EXPECT_EQ(t->elementAsDouble(2), double(1ll << 40));

  onnx::TensorProto halves; // f16 bits travel in int32_data.
  halves.set_data_type(onnx::TensorProto::FLOAT16);
  halves.add_dims(2);
  halves.add_int32_data(0x3c00);
  halves.add_int32_data(0xc000);
  auto h = roundTrip(halves);
  ASSERT_TRUE(static_cast<bool>(h));
  EXPECT_EQ(h->elementAsDouble(1), -2.0);

  onnx::TensorProto raw;
  raw.set_data_type(onnx::TensorProto::FLOAT);
  raw.add_dims(2);
  raw.add_dims(1);
  float values[] = {0.5f, 3.0f};
  raw.set_raw_data(std::string(reinterpret_cast<char *>(values), sizeof(values)));
  auto r = roundTrip(raw);
  ASSERT_TRUE(static_cast<bool>(r));
  EXPECT_EQ(r->shape, (llvm::SmallVector<int64_t>{2, 1}));
  EXPECT_EQ(r->elementAsDouble(1), 3.0);
}

TEST(TensorProtoTest, BadTensorsAreErrors) {
  onnx::TensorProto shortRaw;
  shortRaw.set_data_type(onnx::TensorProto::FLOAT);
  shortRaw.add_dims(4);
  shortRaw.set_raw_data("abc");
  auto a = roundTrip(shortRaw);
  ASSERT_FALSE(static_cast<bool>(a));
  EXPECT_NE(llvm::toString(a.takeError()).find("holds 3 bytes of data, expected 16"),
            std::string::npos);

  onnx::TensorProto strings;
  strings.set_data_type(onnx::TensorProto::STRING);
  strings.add_dims(1);
  strings.add_string_data("x");
  auto s = roundTrip(strings);
  ASSERT_FALSE(static_cast<bool>(s));
  EXPECT_NE(llvm::toString(s.takeError()).find("unsupported ONNX element type STRING"),
            std::string::npos);

  auto missing = onnx_frontend::readTensorProtoFile("/nonexistent/x.pb");
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_EQ(llvm::toString(missing.takeError()),
            "cannot open '/nonexistent/x.pb': No such file or directory");
}

} // namespace
