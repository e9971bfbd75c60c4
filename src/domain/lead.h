// A monitoring lead (监测线索): a household the screening proposes for
// monitoring in one year, with the reasons. Produced by src/screening, kept
// by the storage layer (storage/lead_store.h) for the identification
// workflow, shown by the web app.
//
// Thread-safety: a plain value type.
#pragma once

#include <string>
#include <vector>

#include "common/money.h"
#include "domain/division.h"

namespace zx {

struct Lead {
  std::string household_number;
  DivisionCode village_code = 0;
  std::string monitoring_type;            // 100A03001 / 100A03002 / 100A03003
  std::vector<std::string> risk_codes;    // 1..5, most severe first
  std::vector<std::string> deprivations;  // ids of the deprivation rules that fired
  Fen per_capita_net_income = 0;
  /// "名称：说明" for the classification rule, each attached risk rule and
  /// each deprivation, in that order.
  std::vector<std::string> explanations;

  bool operator==(const Lead&) const = default;
};

}  // namespace zx
