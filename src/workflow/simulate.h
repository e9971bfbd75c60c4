// A year of the workflow on a demo province (`zhenxing workflow simulate`):
// synthetic village, township and county actors take cases from the first
// clue to approval, assistance and risk elimination, every step through
// WorkflowService (so every rule is enforced and every event is chained).
//
// What happens (docs/workflow.md, "Simulation"):
//   * clues: the leads of the newest screened year ≤ the simulated year (rule
//     alerts, opened by the county), self-applications and cadre visits
//     (village) and a few department alerts (county), spread over the year;
//   * identification: steps a few days apart (most cases decided within the
//     15 days, a few percent overdue), ~10 % rejected at some step, some sent
//     back and resubmitted, objections to some notices (most dismissed, a few
//     upheld), now and then a notice someone tries to close too early
//     (refused and retried);
//   * assistance: 1–3 measures from the policy's measure table with amounts,
//     monthly-ish visits with incomes from the registry income plus growth and
//     the measures' effect;
//   * elimination: assisted once the preconditions hold (≥ 6 months), natural
//     for a few, refused for all-no-labour households (kept under safety-net
//     tracking); a few households re-enter after their case closed.
// Time runs from Jan 1 of the year to `until` (inclusive, Beijing dates);
// events that would fall later are not played, so a shorter run is a prefix
// of a longer one with the same seed. Deterministic for a seed and database.
//
// Thread-safety: one call at a time per set of stores.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "domain/case.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "storage/case_store.h"
#include "storage/lead_store.h"
#include "storage/store.h"

namespace zx::workflow {

struct SimulationOptions {
  int year = 0;
  Date until;  // last simulated day (inclusive); must be in `year`
  /// When > 0: stop at this Unix time instead of the end of `until` (the CLI
  /// passes "now" when simulating up to today, so no event lies in the future).
  std::int64_t stop_at = 0;
  std::uint64_t seed = 1;
  DivisionScope scope = DivisionScope::All();
  bool progress = true;  // a progress bar on stderr (when it is a terminal)
};

struct SimulationSummary {
  int lead_year = 0;  // screened year whose leads were used; 0 = none found
  std::int64_t households = 0;
  std::int64_t leads = 0;
  std::int64_t opened = 0;             // cases opened (including re-entries)
  std::int64_t reentries = 0;          // of those, households whose earlier case had closed
  std::int64_t skipped = 0;            // clues for households that already had an open case
  std::int64_t events = 0;             // events stored (opens and actions)
  std::int64_t refused = 0;            // actions the workflow refused, as intended by the script
  std::int64_t refused_no_labour = 0;  // of those: elimination of all-no-labour households
  std::int64_t measures = 0;
  std::int64_t visits = 0;
  std::int64_t objections = 0;
  std::int64_t decided = 0;                    // identification decisions (approved or rejected)
  std::int64_t decided_within_limit = 0;       // of those, within 15 days of the clue
  std::map<CaseStage, std::int64_t> by_stage;  // every case in scope at the end
  std::int64_t overdue = 0;                    // open identification cases past due at the end
  std::int64_t end_time = 0;                   // Unix seconds of the end of `until`
  double seconds = 0;
};

/// Runs the simulation. Errors: InvalidArgument for a bad year/until, the
/// stores' errors, and Internal when the workflow refuses a step the script
/// expected to succeed (a bug, with the case and the message).
Result<SimulationSummary> Simulate(Store& registry, CaseStore& cases, LeadStore& leads, const Policy& policy,
                                   const SimulationOptions& options);

}  // namespace zx::workflow
