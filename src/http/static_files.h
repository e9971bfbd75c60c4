// Serving the built web app (web/dist) from --web-root.
//
// Resolution: "/" → index.html; a safe relative path naming a regular file
// under the root → that file; a missing path outside /assets/ → index.html
// (the SPA's own router handles it); anything with "..", "." or empty
// segments, backslashes or NUL, or resolving outside the root through a
// symlink → not found. Cache headers: /assets/* (content-hashed names)
// "public, max-age=31536000, immutable"; everything else "no-cache" with an
// ETag, so index.html is always revalidated. Text types are gzip-compressed
// when the client accepts gzip; compressed bodies are cached in memory and
// refreshed when the file's size or mtime changes.
//
// Thread-safety: Serve is safe from any thread (the cache has a mutex).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "http/router.h"

namespace zx::http {

/// Which file a request path names, or nullopt (404).
struct StaticTarget {
  std::filesystem::path file;
  std::string relative;  // path below the root, '/'-separated
};
std::optional<StaticTarget> ResolveStaticPath(const std::filesystem::path& root, std::string_view url_path);

/// Content type by extension ("text/html; charset=utf-8", …).
std::string_view ContentTypeFor(std::string_view relative_path);
/// gzip-compresses `data` (zlib, level 6).
Result<std::string> Gzip(std::string_view data);

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  /// The response for GET/HEAD `url_path` (200, 304 or a 404 envelope).
  Response Serve(const Request& request) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  struct Entry {
    std::string body;
    std::string gzipped;  // empty when not compressible or not smaller
    std::string etag;
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
  };
  std::shared_ptr<const Entry> Load(const StaticTarget& target) const;

  std::filesystem::path root_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const Entry>> cache_;
};

}  // namespace zx::http
