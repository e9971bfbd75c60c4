// Output of an MPI result (format in docs/formats/mpi.md): a JSON object, a
// CSV file with three sections, or an .xlsx workbook with three sheets
// (总体, 分组, 指标), and the Chinese summary printed by `zhenxing mpi`.
//
// Thread-safety: stateless functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analytics/mpi.h"
#include "common/status.h"

namespace zx {

/// Where the result came from, shown in every output.
struct MpiReportContext {
  std::string database;
  DivisionCode scope_code = 0;  // 0: the whole database
  std::string scope_name;       // "全部" for the whole database
};

/// The JSON document described in docs/formats/mpi.md.
nlohmann::ordered_json MpiResultToJson(const MpiResult& result, const MpiReportContext& context);

/// Writes `path` as .json, .csv or .xlsx by its extension (case-insensitive).
/// InvalidArgument for any other extension; Unavailable when it cannot be written.
Status WriteMpiResult(const MpiResult& result, const MpiReportContext& context, const std::string& path);

/// A few lines of Chinese for the terminal.
std::string FormatMpiSummary(const MpiResult& result, const MpiReportContext& context);

/// "prefecture" / "county" / "none".
std::string_view MpiGroupingName(MpiGrouping by);

}  // namespace zx
