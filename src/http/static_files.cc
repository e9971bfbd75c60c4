#include "http/static_files.h"

#include <fmt/format.h>
#include <openssl/sha.h>
#include <zlib.h>

#include <fstream>
#include <sstream>

#include "http/auth.h"
#include "http/envelope.h"
#include "http/http_util.h"

namespace zx::http {
namespace {

namespace fs = std::filesystem;

bool IsRegularFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

bool Inside(const fs::path& root, const fs::path& file) {
  std::error_code error;
  const fs::path canonical_root = fs::weakly_canonical(root, error);
  if (error) return false;
  const fs::path canonical_file = fs::weakly_canonical(file, error);
  if (error) return false;
  auto root_it = canonical_root.begin();
  auto file_it = canonical_file.begin();
  for (; root_it != canonical_root.end(); ++root_it, ++file_it) {
    if (file_it == canonical_file.end() || *root_it != *file_it) return false;
  }
  return true;
}

bool IsText(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/javascript") ||
         content_type.starts_with("application/json") || content_type.starts_with("image/svg+xml");
}

bool AcceptsGzip(std::string_view accept_encoding) {
  // Good enough for browsers: "gzip, deflate, br"; refuse "gzip;q=0".
  const size_t pos = accept_encoding.find("gzip");
  if (pos == std::string_view::npos) return false;
  std::string_view rest = accept_encoding.substr(pos + 4);
  const size_t comma = rest.find(',');
  rest = rest.substr(0, comma);
  return rest.find("q=0") == std::string_view::npos || rest.find("q=0.") != std::string_view::npos;
}

}  // namespace

std::optional<StaticTarget> ResolveStaticPath(const fs::path& root, std::string_view url_path) {
  if (url_path.empty() || url_path.front() != '/') return std::nullopt;
  std::string_view relative = url_path.substr(1);
  if (relative.empty()) relative = "index.html";
  const bool is_asset = relative.starts_with("assets/");
  if (IsSafeRelativePath(relative)) {
    fs::path file = root / fs::path(std::string(relative));
    if (IsRegularFile(file) && Inside(root, file)) return StaticTarget{file, std::string(relative)};
  } else {
    return std::nullopt;  // "..", ".", empty segments: never fall back to the app
  }
  if (is_asset) return std::nullopt;
  fs::path index = root / "index.html";
  if (IsRegularFile(index)) return StaticTarget{index, "index.html"};
  return std::nullopt;
}

std::string_view ContentTypeFor(std::string_view path) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".mjs", "application/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".geojson", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".csv", "text/csv; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (path.ends_with(extension)) return type;
  }
  return "application/octet-stream";
}

Result<std::string> Gzip(std::string_view data) {
  z_stream stream{};
  if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Internal("gzip 压缩初始化失败");
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&stream, Z_FINISH);
  const size_t produced = stream.total_out;
  deflateEnd(&stream);
  if (rc != Z_STREAM_END) return Internal("gzip 压缩失败");
  out.resize(produced);
  return out;
}

std::shared_ptr<const StaticFiles::Entry> StaticFiles::Load(const StaticTarget& target) const {
  std::error_code error;
  const auto size = fs::file_size(target.file, error);
  if (error) return nullptr;
  const auto mtime = fs::last_write_time(target.file, error);
  if (error) return nullptr;
  {
    std::lock_guard lock(mutex_);
    auto found = cache_.find(target.relative);
    if (found != cache_.end() && found->second->size == size && found->second->mtime == mtime)
      return found->second;
  }
  std::ifstream in(target.file, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream content;
  content << in.rdbuf();
  auto entry = std::make_shared<Entry>();
  entry->body = std::move(content).str();
  entry->size = size;
  entry->mtime = mtime;
  entry->etag = "\"" + Sha256Hex(entry->body).substr(0, 32) + "\"";
  if (IsText(ContentTypeFor(target.relative)) && entry->body.size() > 256) {
    Result<std::string> gzipped = Gzip(entry->body);
    if (gzipped.ok() && gzipped->size() < entry->body.size()) entry->gzipped = std::move(gzipped).value();
  }
  std::lock_guard lock(mutex_);
  cache_[target.relative] = entry;
  return entry;
}

Response StaticFiles::Serve(const Request& request) const {
  std::optional<StaticTarget> target = ResolveStaticPath(root_, request.path);
  if (!target) return ErrorResponse(404, "页面不存在：" + request.path);
  std::shared_ptr<const Entry> entry = Load(*target);
  if (!entry) return ErrorResponse(404, "页面不存在：" + request.path);

  Response response;
  response.content_type = std::string(ContentTypeFor(target->relative));
  const bool immutable = target->relative.starts_with("assets/");
  response.headers.emplace_back("Cache-Control",
                                immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.headers.emplace_back("ETag", entry->etag);
  response.headers.emplace_back("Vary", "Accept-Encoding");
  if (request.Header("if-none-match") == entry->etag) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  if (!entry->gzipped.empty() && AcceptsGzip(request.Header("accept-encoding"))) {
    response.headers.emplace_back("Content-Encoding", "gzip");
    response.body = entry->gzipped;
  } else {
    response.body = entry->body;
  }
  return response;
}

}  // namespace zx::http
