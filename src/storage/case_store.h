// Storage of monitoring cases (domain/case.h) and of their append-only,
// hash-chained event log.
//
// Contract (checked by case_store_test.cc through this interface):
//   * CreateCase and UpdateCase each run in ONE transaction that writes the
//     case (with its measures, visits and objections) AND appends the event,
//     chained to the newest event of the log (seq = last + 1, prev_hash =
//     last hash, hash = CaseEventHash). Nothing is half-written;
//   * CreateCase fails with kAlreadyExists when the household already has an
//     open case, kNotFound when the household is not in the registry, and
//     kPermissionDenied when its village is outside the scope;
//   * UpdateCase succeeds only when the stored version equals
//     `expected_version`; the stored version becomes expected_version + 1.
//     Otherwise kConflict with a Chinese message naming both versions, and
//     nothing changes. Two writers racing on one case: exactly one wins;
//   * ids of new measures / visits / objections (id == 0) are assigned by the
//     store; existing ones keep their ids;
//   * every read and write is restricted to a DivisionScope;
//   * events are never updated or deleted through this interface.
//     VerifyEventChain recomputes the whole chain and reports every edited,
//     inserted or deleted event and a truncated tail (the store keeps the
//     newest seq and hash in a separate head record written in the same
//     transaction).
// Thread-safety: a CaseStore object is used by one thread at a time (open one
// per thread; SQLite WAL readers do not block, writers serialise).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/case.h"
#include "domain/division.h"

namespace zx {

struct CaseQuery {
  std::vector<CaseStage> stages;  // empty = any stage
  bool open_only = false;
  std::int64_t due_before = 0;   // > 0: only identification cases (stage before
                                 // kMonitored) with due_at < due_before
  std::string household_number;  // exact; "" = any
  std::int64_t offset = 0;
  std::int64_t limit = 50;  // at most 1000
};

struct CasePage {
  std::vector<Case> rows;  // ordered by id; measures/visits/objections filled
  std::int64_t total = 0;
};

/// Open cases of one stage in one county.
struct CaseStageCount {
  DivisionCode county_code = 0;  // 12-digit code of the county
  CaseStage stage = CaseStage::kVerification;
  std::int64_t count = 0;
};

enum class ChainProblemKind : std::uint8_t {
  kEdited = 1,      // an event's content no longer matches its hash
  kInserted = 2,    // an event that does not chain to its predecessor was added
  kDeleted = 3,     // events are missing between two that remain
  kTruncated = 4,   // the newest events are missing (head record is ahead)
  kHeadEdited = 5,  // the head record disagrees with the newest event
};

struct ChainProblem {
  ChainProblemKind kind = ChainProblemKind::kEdited;
  std::int64_t seq = 0;  // the event at which the problem shows
  std::string message;   // Chinese, says which event and what
};

struct ChainReport {
  std::int64_t events = 0;  // events read
  std::string head_hash;    // hash of the newest event read ("" when empty)
  std::vector<ChainProblem> problems;
  bool ok() const { return problems.empty(); }
};

/// The head record: the newest event's seq and hash as the store wrote them
/// (seq 0 and "" for an empty log). Publishing it (`zhenxing audit head`)
/// gives an anchor that a rewrite of the whole chain cannot match.
struct ChainHead {
  std::int64_t seq = 0;
  std::string hash;
};

/// Progress of a chain walk: events read so far and the expected total.
using ChainProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  /// Stores a new case (id, version = 1 assigned) and its kOpen event.
  /// `event.case_id`, `seq`, `case_version`, hashes are filled by the store.
  virtual Result<Case> CreateCase(const DivisionScope& scope, const Case& draft, const CaseEvent& event) = 0;

  virtual Result<std::optional<Case>> GetCase(const DivisionScope& scope, std::int64_t id) = 0;

  /// The household's open case, if any.
  virtual Result<std::optional<Case>> GetOpenCase(const DivisionScope& scope,
                                                  const std::string& household_number) = 0;

  /// Every case of the household (closed ones too), oldest first.
  virtual Result<std::vector<Case>> HouseholdCases(const DivisionScope& scope,
                                                   const std::string& household_number) = 0;

  virtual Result<CasePage> ListCases(const DivisionScope& scope, const CaseQuery& query) = 0;

  /// Visits every case in scope ordered by id (for KPIs, quality checks).
  virtual Status ScanCases(const DivisionScope& scope, const std::function<Status(const Case&)>& visit) = 0;

  /// Replaces the stored case `updated.id` by `updated` if its version is
  /// `expected_version`, and appends `event`. Returns the stored case (new
  /// version, ids assigned).
  virtual Result<Case> UpdateCase(const DivisionScope& scope, const Case& updated,
                                  std::int64_t expected_version, const CaseEvent& event) = 0;

  /// The events of one case, oldest first.
  virtual Result<std::vector<CaseEvent>> ListEvents(const DivisionScope& scope, std::int64_t case_id) = 0;

  /// Open cases per county and stage in scope (dashboard, overdue list).
  virtual Result<std::vector<CaseStageCount>> CountOpenByStage(const DivisionScope& scope) = 0;

  /// Recomputes the whole event chain (not scoped: an administrator's check).
  virtual Result<ChainReport> VerifyEventChain() = 0;

  /// VerifyEventChain reporting progress every few thousand events (CLI
  /// progress bar). The default ignores `progress`.
  virtual Result<ChainReport> VerifyEventChainWithProgress(const ChainProgressFn& progress) {
    (void)progress;
    return VerifyEventChain();
  }

  /// The head record (cheap; does not walk the chain). The default reports
  /// FailedPrecondition: a backend without a head record cannot anchor.
  virtual Result<ChainHead> EventHead() { return FailedPrecondition("此数据库后端不提供审计日志头记录"); }

  /// The event with `seq` (not scoped: an administrator's check of a
  /// published anchor), nullopt when there is none. The default reports
  /// FailedPrecondition.
  virtual Result<std::optional<CaseEvent>> EventAt(std::int64_t seq) {
    (void)seq;
    return FailedPrecondition("此数据库后端不支持按序号读取审计日志事件");
  }
};

/// Opens the case store of the database at `location` (ParseStoreLocation),
/// applying pending migrations.
Result<std::unique_ptr<CaseStore>> OpenCaseStore(const std::string& location);

}  // namespace zx
