#include "storage/sqlite/sqlite_db.h"

#include <fmt/format.h>

namespace zx::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const int primary = rc & 0xff;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(
          fmt::format("{}失败：数据库正被其他程序占用，请稍后重试（SQLite：{}）", what, detail));
    case SQLITE_FULL:
      return Unavailable(fmt::format("{}失败：磁盘空间已满（SQLite：{}）", what, detail));
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return Unavailable(fmt::format("{}失败：无法读写数据库文件（SQLite：{}）", what, detail));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLoss(fmt::format("{}失败：数据库文件已损坏或不是振兴数据库（SQLite：{}）", what, detail));
    case SQLITE_CONSTRAINT:
      return InvalidArgument(fmt::format("{}失败：数据违反约束（SQLite：{}）", what, detail));
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
      return ResourceExhausted(fmt::format("{}失败：内存不足或数据过大（SQLite：{}）", what, detail));
    default:
      return Internal(fmt::format("{}失败：数据库内部错误（SQLite：{}）", what, detail));
  }
}

Result<bool> Statement::Step(std::string_view what) {
  if (bind_rc_ != SQLITE_OK) {
    last_rc_ = bind_rc_;
    return SqliteError(db_, bind_rc_, what);
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  last_rc_ = sqlite3_extended_errcode(db_);
  return SqliteError(db_, rc, what);
}

Status Statement::Run(std::string_view what) {
  auto stepped = Step(what);
  if (!stepped.ok()) return stepped.status();
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
  last_rc_ = SQLITE_OK;
}

StatementLease::~StatementLease() {
  if (statement_ == nullptr) return;
  statement_->Reset();
  statement_->in_use_ = false;
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path) {
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(handle, rc, fmt::format("打开数据库 {} ", path));
    sqlite3_close_v2(handle);
    return status;
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<SqliteDb>(new SqliteDb(handle, path));
}

SqliteDb::~SqliteDb() {
  cache_.clear();  // finalise statements before closing
  sqlite3_close_v2(db_);
}

Status SqliteDb::Exec(const char* sql, std::string_view what) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, what);
  return Status::Ok();
}

Result<std::unique_ptr<Statement>> SqliteDb::PrepareUncached(const char* sql, bool persistent) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(db_, rc, "准备数据库语句");
  }
  return std::make_unique<Statement>(db_, stmt);
}

Result<StatementLease> SqliteDb::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    ASSIGN_OR_RETURN(auto statement, PrepareUncached(sql, /*persistent=*/true));
    it = cache_.emplace(sql, std::move(statement)).first;
  }
  Statement* cached = it->second.get();
  if (cached->in_use_) {
    // Re-entrant use (e.g. a read from inside a scan callback): a private copy.
    ASSIGN_OR_RETURN(auto statement, PrepareUncached(sql, /*persistent=*/false));
    return StatementLease(nullptr, std::move(statement));
  }
  cached->in_use_ = true;
  return StatementLease(cached, nullptr);
}

Result<Transaction> Transaction::Begin(SqliteDb* db, Mode mode) {
  if (db->InTransaction()) {
    if (mode == Mode::kWrite) {
      return FailedPrecondition("不能在读取（遍历农户）的过程中写入数据库，请在遍历结束后再写入");
    }
    return Transaction(db, /*owns=*/false);
  }
  RETURN_IF_ERROR(db->Exec(mode == Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", "开始数据库事务"));
  return Transaction(db, /*owns=*/true);
}

Transaction::~Transaction() {
  if (!owns_) return;
  // Nothing useful can be done if the rollback itself fails; SQLite then
  // rolls back when the connection closes.
  sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::Commit() {
  if (!owns_) return Status::Ok();
  Status status = db_->Exec("COMMIT", "提交数据库事务");
  if (status.ok()) owns_ = false;
  return status;
}

}  // namespace zx::sqlite
