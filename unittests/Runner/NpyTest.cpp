//===- NpyTest.cpp - .npy reading and writing -----------------------------===//

#include "axon/Runner/Npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace axon;

namespace {

/// An .npy v1.0 file as numpy writes it, built by hand from the format spec.
std::string npyBytes(const std::string &dict, const std::string &payload,
                     char major = 1) {
  std::string header = dict;
  size_t prefix = major == 1 ? 10 : 12;
  header.append((64 - (prefix + header.size() + 1) % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY";
  out.push_back(major);
  out.push_back(0);
  out.push_back(static_cast<char>(header.size() & 0xff));
  out.push_back(static_cast<char>(header.size() >> 8));
  if (major != 1)
    out.append(2, '\0');
  return out + header + payload;
}

template <typename T> std::string raw(std::initializer_list<T> values) {
  std::string s(values.size() * sizeof(T), '\0');
  std::memcpy(s.data(), values.begin(), s.size());
  return s;
}

std::string errorOf(llvm::Expected<HostTensor> result) {
  EXPECT_FALSE(static_cast<bool>(result));
  return result ? "" : llvm::toString(result.takeError());
}

TEST(NpyTest, ReadsEveryDtype) {
  struct Case {
    const char *descr;
    DType dtype;
    std::string payload;
    double first;
  } cases[] = {
      {"<f4", DType::F32, raw<float>({1.5f, -2.0f}), 1.5},
      {"<f8", DType::F64, raw<double>({0.25, 3.0}), 0.25},
      {"<f2", DType::F16, raw<uint16_t>({0x3c00, 0xc000}), 1.0}, // 1.0, -2.0
      {"<i4", DType::I32, raw<int32_t>({-7, 9}), -7},
      {"<i8", DType::I64, raw<int64_t>({1ll << 40, 2}), double(1ll << 40)},
      {"|i1", DType::I8, raw<int8_t>({-3, 4}), -3},
      {"|b1", DType::Bool, raw<uint8_t>({1, 0}), 1},
  };
  for (const Case &c : cases) {
    std::string dict = std::string("{'descr': '") + c.descr +
                       "', 'fortran_order': False, 'shape': (2,), }";
    llvm::Expected<HostTensor> t = parseNpy(npyBytes(dict, c.payload));
    ASSERT_TRUE(static_cast<bool>(t)) << c.descr << ": " << llvm::toString(t.takeError());
    EXPECT_EQ(t->dtype, c.dtype) << c.descr;
    EXPECT_EQ(t->shape, (llvm::SmallVector<int64_t>{2}));
    EXPECT_EQ(t->elementAsDouble(0), c.first) << c.descr;
  }
}

TEST(NpyTest, ShapesIncludingScalarsAndVersion2) {
  auto t = parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                             raw<float>({7.0f})));
  ASSERT_TRUE(static_cast<bool>(t));
  EXPECT_TRUE(t->shape.empty());
  EXPECT_EQ(t->elementAsDouble(0), 7.0);
  auto t2 = parseNpy(npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 1, 2), }",
                              raw<int32_t>({1, 2, 3, 4}), /*major=*/2));
  ASSERT_TRUE(static_cast<bool>(t2));
  EXPECT_EQ(t2->shape, (llvm::SmallVector<int64_t>{2, 1, 2}));
  EXPECT_EQ(t2->elementAsDouble(3), 4.0);
}

TEST(NpyTest, RoundTripsThroughSerialize) {
  HostTensor t = HostTensor::zeros(DType::I64, {2, 3});
  for (int64_t i = 0; i < 6; ++i)
    std::memcpy(t.data.data() + 8 * i, &i, 8);
  std::string bytes = serializeNpy(t);
  EXPECT_EQ((bytes.size() - 6 * 8) % 64, 0u); // Data is 64-byte aligned.
  auto back = parseNpy(bytes);
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->shape, t.shape);
  EXPECT_EQ(back->data, t.data);
  EXPECT_NE(bytes.find("'shape': (2, 3)"), std::string::npos);

  HostTensor vec = HostTensor::zeros(DType::Bool, {1});
  EXPECT_NE(serializeNpy(vec).find("'shape': (1,)"), std::string::npos);
}

TEST(NpyTest, Bfloat16IsWrittenAsFloat32) {
  HostTensor t = HostTensor::zeros(DType::BF16, {1});
  uint16_t bits = floatToBfloat16(2.5f);
  std::memcpy(t.data.data(), &bits, 2);
  auto back = parseNpy(serializeNpy(t));
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->dtype, DType::F32);
  EXPECT_EQ(back->elementAsDouble(0), 2.5);
}

TEST(NpyTest, RejectsBadFiles) {
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  EXPECT_EQ(errorOf(parseNpy("PK\x03\x04 a zip file")), "not an .npy file (bad magic bytes)");
  EXPECT_EQ(errorOf(parseNpy("\x93NUMPY\x01")), "truncated .npy header");
  std::string full = npyBytes(dict, raw<float>({1, 2, 3}));
  EXPECT_EQ(errorOf(parseNpy(full.substr(0, 40))), "truncated .npy header");
  EXPECT_EQ(errorOf(parseNpy(full.substr(0, full.size() - 1))),
            "truncated .npy data: expected 12 bytes for float32[3], found 11");
  EXPECT_EQ(errorOf(parseNpy(npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                                      raw<float>({1})))),
            "unsupported .npy dtype '>f4' (supported: <f4 <f8 <f2 <i4 <i8 |i1 |b1)");
  EXPECT_EQ(errorOf(parseNpy(npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                                      raw<float>({1, 2})))),
            "unsupported .npy dtype '<c8' (supported: <f4 <f8 <f2 <i4 <i8 |i1 |b1)");
  EXPECT_EQ(errorOf(parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }",
                                      raw<float>({1})))),
            "Fortran-ordered .npy arrays are not supported");
  EXPECT_EQ(errorOf(parseNpy(npyBytes("{'descr': '<f4', 'shape': (1,), }", raw<float>({1})))),
            "malformed .npy header: {'descr': '<f4', 'shape': (1,), }");
  EXPECT_EQ(errorOf(parseNpy(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }",
                                      raw<float>({1})))),
            "malformed .npy shape '(x,)'");
  std::string v9 = full;
  v9[6] = 9;
  EXPECT_EQ(errorOf(parseNpy(v9)), "unsupported .npy version 9");
  EXPECT_EQ(errorOf(readNpy("/nonexistent/x.npy")),
            "cannot open '/nonexistent/x.npy': No such file or directory");
}

TEST(HostTensorTest, HalfAndBfloat16Conversions) {
  // Bit patterns from the IEEE 754 binary16 and bfloat16 definitions.
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);  // Largest finite half.
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);  // Rounds to infinity.
  EXPECT_EQ(floatToHalf(5.960464477539063e-08f), 0x0001); // Smallest subnormal.
  EXPECT_EQ(floatToHalf(1.0f + 1.0f / 2048), 0x3c00);     // Ties to even.
  EXPECT_EQ(floatToHalf(1.0f + 3.0f / 2048), 0x3c02);
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(halfToFloat(0x0001), 5.960464477539063e-08f);
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_EQ(floatToBfloat16(1.0f), 0x3f80);
  EXPECT_EQ(floatToBfloat16(3.140625f), 0x4049);
  EXPECT_EQ(bfloat16ToFloat(0xc000), -2.0f);
}

TEST(HostTensorTest, RandomTensorsAreDeterministic) {
  HostTensor a = randomTensor(DType::F32, {16}, 3), b = randomTensor(DType::F32, {16}, 3);
  HostTensor c = randomTensor(DType::F32, {16}, 4);
  EXPECT_EQ(a.data, b.data);
  EXPECT_NE(a.data, c.data);
  for (int64_t i = 0; i < 16; ++i) {
    EXPECT_GE(a.elementAsDouble(i), -1.0);
    EXPECT_LT(a.elementAsDouble(i), 1.0);
  }
  HostTensor ints = randomTensor(DType::I32, {64}, 1);
  for (int64_t i = 0; i < 64; ++i) {
    EXPECT_GE(ints.elementAsDouble(i), -4);
    EXPECT_LE(ints.elementAsDouble(i), 4);
  }
}

} // namespace
