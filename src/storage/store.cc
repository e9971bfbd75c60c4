// OpenStore: picks the backend from the location string. Only this file and
// src/storage/sqlite know that SQLite exists.
#include "storage/store.h"

#include <fmt/format.h>

#include "storage/sqlite/sqlite_store.h"

namespace zx {

Result<StoreLocation> ParseStoreLocation(const std::string& location) {
  constexpr std::string_view kSqlitePrefix = "sqlite:";
  StoreLocation parsed;
  if (location.starts_with(kSqlitePrefix)) {
    parsed.target = location.substr(kSqlitePrefix.size());
  } else if (location.starts_with("postgres:") || location.starts_with("postgresql:")) {
    parsed.backend = StoreLocation::Backend::kPostgres;
    parsed.target = location;
    return parsed;
  } else {
    parsed.target = location;
  }
  if (parsed.target.empty()) return InvalidArgument("数据库文件路径为空，请用 --db 指定一个文件");
  return parsed;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, const DivisionTable& divisions) {
  ASSIGN_OR_RETURN(StoreLocation parsed, ParseStoreLocation(location));
  if (parsed.backend == StoreLocation::Backend::kPostgres) {
    return FailedPrecondition(
        fmt::format("数据库地址 {}：PostgreSQL 后端尚未提供，目前只支持 SQLite 数据库文件", location));
  }
  ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::Open(parsed.target, divisions));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace zx
