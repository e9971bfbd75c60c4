#include "screening/lead_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>

#include "common/csv.h"
#include "common/xlsx.h"

namespace zx::screening {

namespace {

constexpr std::size_t kMaxXlsxDataRows = 1048575;

std::string LowerExtension(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

Status WriteCsv(const std::string& path, const std::vector<Lead>& leads, const Policy& policy) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvWriter> writer, CsvWriter::Create(path, /*with_bom=*/true));
  RETURN_IF_ERROR(writer->WriteRow(LeadHeader()));
  for (const Lead& lead : leads) RETURN_IF_ERROR(writer->WriteRow(LeadRow(lead, policy)));
  return writer->Close();
}

Status WriteXlsx(const std::string& path, const std::vector<Lead>& leads, const Policy& policy) {
  if (leads.size() > kMaxXlsxDataRows) {
    return ResourceExhausted(
        fmt::format("监测线索 {} 条，超过 .xlsx 单个工作表的上限 {} 行，请改用 .csv 或按 --division 分开输出",
                    leads.size(), kMaxXlsxDataRows));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<XlsxWriter> writer, XlsxWriter::Create(path));
  RETURN_IF_ERROR(writer->AddSheet("监测线索", LeadHeader()));
  const double widths[] = {20, 14, 12, 14, 16, 18, 100};
  for (int column = 0; column < 7; ++column) RETURN_IF_ERROR(writer->SetColumnWidth(column, widths[column]));
  for (const Lead& lead : leads) RETURN_IF_ERROR(writer->AppendRow(LeadRow(lead, policy)).status());
  return writer->Close();
}

}  // namespace

Status WriteLeadsFile(const std::string& path, const std::vector<Lead>& leads, const Policy& policy) {
  const std::string extension = LowerExtension(path);
  if (extension != ".csv" && extension != ".xlsx") {
    return InvalidArgument(fmt::format("输出文件 {}：只支持 .csv 或 .xlsx 扩展名", path));
  }
  // The temporary keeps the extension so writers that look at it behave the same.
  const std::string temp = path + ".tmp" + extension;
  Status status = extension == ".csv" ? WriteCsv(temp, leads, policy) : WriteXlsx(temp, leads, policy);
  std::error_code error;
  if (!status.ok()) {
    std::filesystem::remove(temp, error);
    return status.WithContext(fmt::format("输出文件 {}：", path));
  }
  std::filesystem::rename(temp, path, error);
  if (error) {
    std::filesystem::remove(temp, error);
    return Unavailable(fmt::format("输出文件 {}：无法写入（{}）", path, error.message()));
  }
  return Status::Ok();
}

}  // namespace zx::screening
