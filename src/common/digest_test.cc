#include "common/digest.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace zx {
namespace {

TEST(DigestTest, KnownVectors) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, FileMatchesBytesAndMissingFileIsReported) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("zx_digest_" + std::to_string(::getpid()))).string();
  std::string content(3 << 20, 'x');  // spans several read chunks
  content += "青海";
  std::ofstream(path, std::ios::binary) << content;
  auto digest = Sha256File(path);
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, Sha256Hex(content));
  std::filesystem::remove(path);
  auto missing = Sha256File(path);
  EXPECT_EQ(missing.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
}

}  // namespace
}  // namespace zx
