// Shared by the workflow controllers (cases_controller.cc,
// notice_controller.cc, kpi_controller.cc): this thread's CaseStore and
// WorkflowService, the acting user as a workflow Actor, the JSON shape of a
// case and its events (docs/formats/api.md "Cases"), Beijing-time dates.
//
// Thread-safety: the per-thread objects belong to the calling worker thread
// (RequestContext::PerThread); the JSON helpers are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/date.h"
#include "common/status.h"
#include "domain/case.h"
#include "http/envelope.h"
#include "http/router.h"
#include "storage/case_store.h"
#include "workflow/workflow.h"

namespace zx::http {

/// This thread's case store and a WorkflowService over it and this
/// thread's registry Store (both opened on first use, reused afterwards).
struct WorkflowThread {
  std::unique_ptr<CaseStore> cases;
  std::unique_ptr<WorkflowService> service;
};
Result<WorkflowThread*> ThreadWorkflow(RequestContext& ctx);

/// The logged-in user as the workflow sees it.
Actor ActorOf(const User& user);

/// Beijing (UTC+8) calendar date of Unix time `t`; "" for 0.
Date BeijingDate(std::int64_t t);
std::string BeijingDateText(std::int64_t t);
/// "2025-03-02 14:05" Beijing time; "" for 0.
std::string BeijingTimeText(std::int64_t t);

/// The case as JSON (every field; money as yuan strings, dates ISO, times
/// Unix seconds, plus stage/source labels and the village's names).
Json CaseJson(const Case& c, const DivisionTable& divisions);
/// One audit event as JSON (detail parsed back into an object).
Json EventJson(const CaseEvent& event);

/// Name of the division of `level` above (or at) `code`; "" when none.
std::string AncestorNameOf(const DivisionTable& divisions, DivisionCode code, DivisionLevel level);

/// The division in `?division=` (default: the user's own), which must lie in
/// the user's scope (NotFound otherwise, like a missing code).
Result<const Division*> DivisionParam(RequestContext& ctx);

}  // namespace zx::http
