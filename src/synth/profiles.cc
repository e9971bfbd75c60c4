#include "synth/profiles.h"

#include <charconv>
#include <fstream>

#include "common/text.h"

namespace zx::synth {
namespace {

// The profile files are ours and simple: '#' comment lines, a header line,
// comma-separated fields without quoting.
std::vector<std::string> SplitLine(std::string_view line) {
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    std::string_view field =
        line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    fields.emplace_back(TrimText(field));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

struct Table {
  std::vector<std::pair<int, std::vector<std::string>>> rows;  // (line number, fields)
};

Result<Table> ReadTable(const std::string& path, size_t columns) {
  std::ifstream in(path);
  if (!in) return Unavailable("无法读取合成数据参数文件 " + path);
  Table table;
  std::string line;
  int line_number = 0;
  bool header_seen = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = SplitLine(line);
    if (fields.size() != columns) {
      return InvalidArgument("文件 " + path + " 第 " + std::to_string(line_number) + " 行：应有 " +
                             std::to_string(columns) + " 列，实际 " + std::to_string(fields.size()) + " 列");
    }
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    table.rows.emplace_back(line_number, std::move(fields));
  }
  if (table.rows.empty()) return InvalidArgument("文件 " + path + " 没有数据行");
  return table;
}

Status BadField(const std::string& path, int line_number, std::string_view column, std::string_view value) {
  return InvalidArgument("文件 " + path + " 第 " + std::to_string(line_number) + " 行，列 " +
                         std::string(column) + "：无效的数值“" + std::string(value) + "”");
}

bool ParseInt(std::string_view text, int* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool ParseDouble(std::string_view text, double* out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size() && *out >= 0;
}

}  // namespace

Result<SynthProfiles> SynthProfiles::Load(const std::string& data_dir) {
  SynthProfiles profiles;
  {
    const std::string path = data_dir + "/synth/county_profiles.csv";
    ASSIGN_OR_RETURN(Table table, ReadTable(path, 11));
    for (const auto& [line, f] : table.rows) {
      CountyProfile county;
      if (!ParseInt(f[0], &county.county_code) || county.county_code < 630000 ||
          county.county_code > 639999) {
        return BadField(path, line, "county_code", f[0]);
      }
      county.name = f[1];
      if (!ParseDouble(f[2], &county.rural_households)) return BadField(path, line, "rural_households", f[2]);
      double sum = 0;
      for (size_t eth = 0; eth < kProfileEthnicities.size(); ++eth) {
        if (!ParseDouble(f[3 + eth], &county.ethnic_percent[eth]))
          return BadField(path, line, "民族构成", f[3 + eth]);
        sum += county.ethnic_percent[eth];
      }
      if (sum <= 0) return BadField(path, line, "民族构成", "全为 0");
      int poor = 0;
      if (!ParseInt(f[10], &poor) || (poor != 0 && poor != 1))
        return BadField(path, line, "former_poor_county", f[10]);
      county.former_poor_county = poor == 1;
      if (profiles.FindCounty(county.county_code) != nullptr) {
        return InvalidArgument("文件 " + path + " 第 " + std::to_string(line) + " 行：县级代码 " + f[0] +
                               " 重复");
      }
      profiles.counties.push_back(std::move(county));
    }
  }
  {
    const std::string path = data_dir + "/synth/prefecture_income.csv";
    ASSIGN_OR_RETURN(Table table, ReadTable(path, 4));
    for (const auto& [line, f] : table.rows) {
      PrefectureIncome prefecture;
      if (!ParseInt(f[0], &prefecture.prefecture_code)) return BadField(path, line, "prefecture_code", f[0]);
      prefecture.name = f[1];
      if (!ParseDouble(f[2], &prefecture.income_2022_yuan) || prefecture.income_2022_yuan <= 0) {
        return BadField(path, line, "income_2022_yuan", f[2]);
      }
      profiles.prefectures.push_back(std::move(prefecture));
    }
  }
  {
    const std::string path = data_dir + "/synth/income_index.csv";
    ASSIGN_OR_RETURN(Table table, ReadTable(path, 4));
    for (const auto& [line, f] : table.rows) {
      YearIndex year;
      int standard = 0;
      if (!ParseInt(f[0], &year.year)) return BadField(path, line, "year", f[0]);
      if (!ParseDouble(f[1], &year.rural) || year.rural <= 0) return BadField(path, line, "rural", f[1]);
      if (!ParseDouble(f[2], &year.ex_poor) || year.ex_poor <= 0)
        return BadField(path, line, "ex_poor", f[2]);
      if (!ParseInt(f[3], &standard) || standard < 0)
        return BadField(path, line, "minimum_living_standard_yuan", f[3]);
      year.minimum_living_standard = Yuan(standard);
      if (year.year != kFirstPanelYear + static_cast<int>(profiles.years.size())) {
        return InvalidArgument("文件 " + path + " 第 " + std::to_string(line) + " 行：年份应从 " +
                               std::to_string(kFirstPanelYear) + " 起逐年连续");
      }
      profiles.years.push_back(year);
    }
    if (profiles.years.size() != static_cast<size_t>(kLastPanelYear - kFirstPanelYear + 1)) {
      return InvalidArgument("文件 " + path + "：应包含 " + std::to_string(kFirstPanelYear) + "–" +
                             std::to_string(kLastPanelYear) + " 每一年");
    }
  }
  return profiles;
}

Result<SynthProfiles> SynthProfiles::LoadDefault() { return Load(ZX_DATA_DIR); }

const CountyProfile* SynthProfiles::FindCounty(int county_code) const {
  for (const CountyProfile& county : counties) {
    if (county.county_code == county_code) return &county;
  }
  return nullptr;
}

const PrefectureIncome* SynthProfiles::FindPrefecture(int prefecture_code) const {
  for (const PrefectureIncome& prefecture : prefectures) {
    if (prefecture.prefecture_code == prefecture_code) return &prefecture;
  }
  return nullptr;
}

}  // namespace zx::synth
