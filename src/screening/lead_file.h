// Writing screening leads as a table (.csv UTF-8 with BOM, or .xlsx), columns
// per docs/formats/screening.md (LeadHeader / LeadRow in screening.h).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "domain/policy.h"
#include "screening/screening.h"

namespace zx::screening {

/// Writes `leads` to `path`; the format follows the extension (.csv or
/// .xlsx, case-insensitive). The file is written to PATH.tmp and renamed, so
/// a failed write never leaves a partial file under `path`.
/// InvalidArgument for another extension; Unavailable when it cannot write.
Status WriteLeadsFile(const std::string& path, const std::vector<Lead>& leads, const Policy& policy);

}  // namespace zx::screening
