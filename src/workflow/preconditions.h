// Risk-elimination preconditions (DOMAIN.md §6) and the calendar helpers the
// workflow uses for them and for deadlines.
//
// Assisted elimination (帮扶消除) needs every one of:
//   monitored_6_months        approved as monitored at least 6 calendar months ago;
//   has_measure               at least one assistance measure recorded;
//   income_above_line         follow-up visits cover at least the last 6 months
//                             (one visit on or before today − 6 months) and every
//                             visit since then reports a per-capita income at or
//                             above the monitoring line of the visit's year;
//   visit_confirms_guarantees the latest visit is at most 90 days old and
//                             confirms the three guarantees and safe water;
//   guarantees_secured        the registry household: food and clothing secure,
//                             housing rated A or B, all four water flags, every
//                             living child aged 6–15 in school (or exempt for
//                             health reasons), every living member insured;
//   has_labour                not an all-no-labour household (整户无劳动力): such a
//                             household stays under safety-net tracking.
// Natural elimination (自然消除: all members deceased, moved away …) skips the
// income test and all other conditions; it needs only a reason (checked by
// the workflow) and still passes appraisal, notice, review and approval.
//
// The monitoring line of a year is the policy's line for that year, or, for a
// year the province has not published yet, the newest earlier line.
//
// Dates are Beijing calendar dates (UTC+8) of Unix-second times.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "common/date.h"
#include "common/status.h"
#include "domain/case.h"
#include "domain/policy.h"
#include "domain/registry.h"
#include "workflow/workflow.h"

namespace zx::workflow {

/// Beijing (UTC+8) calendar date of Unix seconds `at`.
Date DateOfTime(std::int64_t at);
/// Unix seconds of 00:00 Beijing time on `date`.
std::int64_t StartOfDate(const Date& date);
/// `date` moved by `months` calendar months (the day clamped to the month's length).
Date AddMonths(const Date& date, int months);

/// The monitoring line in force in `year` (fen per person per year), and the
/// year it was set for. NotFound when the policy has no year ≤ `year`.
Result<const YearPolicy*> LineInForce(const Policy& policy, int year);

/// Precondition codes, in the order CheckEliminationPreconditions lists them.
inline constexpr char kMonitored6Months[] = "monitored_6_months";
inline constexpr char kHasMeasure[] = "has_measure";
inline constexpr char kIncomeAboveLine[] = "income_above_line";
inline constexpr char kVisitConfirmsGuarantees[] = "visit_confirms_guarantees";
inline constexpr char kGuaranteesSecured[] = "guarantees_secured";
inline constexpr char kHasLabour[] = "has_labour";

/// The checks for eliminating `c` (of `household`) on `today`. Natural
/// elimination: an empty list. kNone: InvalidArgument.
Result<std::vector<PreconditionCheck>> CheckEliminationPreconditions(const Case& c,
                                                                     const HouseholdRecord& household,
                                                                     const Policy& policy,
                                                                     EliminationKind kind, const Date& today);

/// True when every check is met.
bool AllMet(const std::vector<PreconditionCheck>& checks);

/// "未满足：监测满6个月（已监测 4 个月）；…" listing each unmet check.
std::string UnmetMessage(const std::vector<PreconditionCheck>& checks);

/// Whether every living member has no labour ability (丧失劳动力 or 无劳动力).
bool IsAllNoLabour(const HouseholdRecord& household);

}  // namespace zx::workflow
