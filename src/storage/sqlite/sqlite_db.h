// A thin RAII layer over the SQLite C API for the SQLite Store backend: one
// connection, a cache of prepared statements, and translation of SQLite
// result codes into Status with a Chinese message (SQLite's English detail
// kept in parentheses for logs).
//
// Values always travel through Bind*(); SQL text is fixed at compile time.
// A StatementLease resets its statement when it goes out of scope, so no
// statement keeps a read transaction open by accident (which would stall WAL
// checkpoints). If a cached statement is already leased (re-entrant use from
// a scan callback), the cache hands out a fresh, uncached one.
//
// Thread-safety: a SqliteDb and its statements belong to one thread at a time.
// Only src/storage/sqlite includes this header.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace zx::sqlite {

/// Maps a SQLite result code to a Status. `what` says, in Chinese, what was
/// being done ("写入农户").
Status SqliteError(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameter indices are 1-based, as in SQLite. A failed bind is reported
  // by the next Step().
  void BindInt(int index, std::int64_t value) { Check(sqlite3_bind_int64(stmt_, index, value)); }
  void BindBool(int index, bool value) { BindInt(index, value ? 1 : 0); }
  void BindText(int index, std::string_view value) {
    Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  /// Binds without copying: `value` must stay unchanged until the statement
  /// has been stepped and reset (or rebound).
  void BindBlob(int index, std::string_view value) {
    Check(sqlite3_bind_blob64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT));
  }
  void BindTextStatic(int index, std::string_view value) {
    Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8));
  }

  /// Runs one step: true when a row is available, false when done. On
  /// failure the Status is returned and extended_error_code() tells which
  /// constraint failed.
  Result<bool> Step(std::string_view what);
  /// Steps a statement that returns no rows (INSERT/UPDATE/DELETE/DDL).
  Status Run(std::string_view what);

  std::int64_t ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }
  bool ColumnBool(int index) const { return sqlite3_column_int64(stmt_, index) != 0; }
  bool ColumnIsNull(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }
  std::string_view ColumnBlob(int index) const {
    const void* blob = sqlite3_column_blob(stmt_, index);
    int size = sqlite3_column_bytes(stmt_, index);
    return blob == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(blob), size);
  }
  std::string_view ColumnText(int index) const {
    const unsigned char* text = sqlite3_column_text(stmt_, index);
    int size = sqlite3_column_bytes(stmt_, index);
    return text == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(text), size);
  }

  /// Resets the statement and clears bindings.
  void Reset();
  int extended_error_code() const { return last_rc_; }
  const char* sql() const { return sqlite3_sql(stmt_); }

 private:
  friend class SqliteDb;
  friend class StatementLease;

  void Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
  int last_rc_ = SQLITE_OK;
  bool in_use_ = false;  // leased from the SqliteDb cache
};

/// A statement borrowed from the cache, reset and returned on destruction.
class StatementLease {
 public:
  StatementLease(Statement* cached, std::unique_ptr<Statement> owned)
      : statement_(cached != nullptr ? cached : owned.get()), owned_(std::move(owned)) {}
  ~StatementLease();
  StatementLease(StatementLease&& other) noexcept
      : statement_(other.statement_), owned_(std::move(other.owned_)) {
    other.statement_ = nullptr;
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease& operator=(StatementLease&&) = delete;

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
  std::unique_ptr<Statement> owned_;
};

class SqliteDb {
 public:
  /// Opens or creates the database file (read-write). Fails in Chinese when
  /// the file cannot be opened or is not a SQLite database.
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  /// Runs fixed SQL (no values) such as PRAGMAs, DDL and BEGIN/COMMIT.
  Status Exec(const char* sql, std::string_view what);

  /// A prepared statement for `sql` (a string literal: the cache keys on the
  /// pointer's text), prepared once and reused.
  Result<StatementLease> Prepare(const char* sql);

  /// Whether an explicit transaction is open.
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  std::int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Result<std::unique_ptr<Statement>> PrepareUncached(const char* sql, bool persistent);

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

/// An explicit transaction that rolls back unless committed. Construct with
/// Begin(); a nested Begin() inside an open transaction joins it (reads only).
class Transaction {
 public:
  enum class Mode { kRead, kWrite };
  /// kWrite requires that no transaction is open (FailedPrecondition
  /// otherwise) and takes the write lock at once (BEGIN IMMEDIATE).
  static Result<Transaction> Begin(SqliteDb* db, Mode mode);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(other.db_), owns_(other.owns_) { other.owns_ = false; }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;

  Status Commit();

 private:
  Transaction(SqliteDb* db, bool owns) : db_(db), owns_(owns) {}
  SqliteDb* db_;
  bool owns_;  // false when joined to an outer transaction or finished
};

}  // namespace zx::sqlite
