#include "common/digest.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <vector>

namespace zx {
namespace {

struct DigestContext {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  DigestContext() { EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr); }
  void Update(const void* data, size_t size) { EVP_DigestUpdate(ctx.get(), data, size); }
  std::string FinalHex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &size);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(size * 2);
    for (unsigned int byte_idx = 0; byte_idx < size; ++byte_idx) {
      hex += kHex[digest[byte_idx] >> 4];
      hex += kHex[digest[byte_idx] & 0xf];
    }
    return hex;
  }
};

}  // namespace

std::string Sha256Hex(std::string_view data) {
  DigestContext context;
  context.Update(data.data(), data.size());
  return context.FinalHex();
}

Result<std::string> Sha256File(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable(fmt::format("无法读取文件 {}", path));
  DigestContext context;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) context.Update(buffer.data(), static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) return Unavailable(fmt::format("读取文件 {} 时出错", path));
  return context.FinalHex();
}

}  // namespace zx
