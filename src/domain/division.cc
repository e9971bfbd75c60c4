#include "domain/division.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_set>
#include <utility>

#include "domain/code_tables.h"

namespace zx {

namespace {

constexpr DivisionCode kMaxCode = 999999999999;

// ---------------------------------------------------------------------------
// A small CSV reader for our own data files: UTF-8 (optional BOM), comma
// separated, optional double quotes, one record per line. Records remember
// their line number so every error can say where it is.
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

std::string FileContext(const std::string& path, int line) {
  return "文件 " + path + " 第 " + std::to_string(line) + " 行：";
}

Result<std::vector<CsvRecord>> ReadCsvFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("无法打开文件 " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (in.bad()) return Unavailable("读取文件 " + path + " 失败");
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);

  std::vector<CsvRecord> records;
  size_t pos = 0;
  int line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view raw(text.data() + pos, end - pos);
    pos = end + 1;
    ++line;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.empty()) continue;

    CsvRecord record;
    record.line = line;
    std::string field;
    bool quoted = false;
    bool was_quoted = false;
    for (size_t char_idx = 0; char_idx < raw.size(); ++char_idx) {
      char ch = raw[char_idx];
      if (quoted) {
        if (ch == '"' && char_idx + 1 < raw.size() && raw[char_idx + 1] == '"') {
          field += '"';
          ++char_idx;
        } else if (ch == '"') {
          quoted = false;
        } else {
          field += ch;
        }
      } else if (ch == '"' && field.empty() && !was_quoted) {
        quoted = true;
        was_quoted = true;
      } else if (ch == ',') {
        record.fields.push_back(std::move(field));
        field.clear();
        was_quoted = false;
      } else {
        field += ch;
      }
    }
    if (quoted) return InvalidArgument(FileContext(path, line) + "引号没有闭合");
    record.fields.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  if (records.empty()) return InvalidArgument("文件 " + path + " 为空，缺少表头");
  return records;
}

// Checks the header and returns, for each expected column, its index.
Result<std::vector<size_t>> MapHeader(const std::string& path, const CsvRecord& header,
                                      const std::vector<std::string_view>& expected) {
  std::vector<size_t> indexes;
  for (std::string_view column : expected) {
    auto found = std::find(header.fields.begin(), header.fields.end(), column);
    if (found == header.fields.end()) {
      return InvalidArgument(FileContext(path, header.line) + "表头缺少列「" + std::string(column) + "」");
    }
    indexes.push_back(static_cast<size_t>(found - header.fields.begin()));
  }
  return indexes;
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ParseInt64(std::string_view text, std::int64_t* out) {
  if (!AllDigits(text) || text.size() > 18) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

// ---------------------------------------------------------------------------
// Scopes and levels.

int SignificantDigits(DivisionLevel level) {
  switch (level) {
    case DivisionLevel::kProvince:
      return 2;
    case DivisionLevel::kPrefecture:
      return 4;
    case DivisionLevel::kCounty:
      return 6;
    case DivisionLevel::kTownship:
      return 9;
    case DivisionLevel::kVillage:
      return 12;
  }
  return 12;
}

DivisionScope DivisionScope::Of(DivisionCode code, DivisionLevel level) {
  DivisionCode factor = 1;
  for (int digit_idx = SignificantDigits(level); digit_idx < 12; ++digit_idx) factor *= 10;
  DivisionScope scope;
  scope.lo = code / factor * factor;
  scope.hi = scope.lo + factor - 1;
  return scope;
}

// ---------------------------------------------------------------------------
// Construction.

Result<DivisionTable> DivisionTable::FromDivisions(std::vector<Division> divisions,
                                                   std::vector<HistoricalCountyCode> historical) {
  std::sort(divisions.begin(), divisions.end(),
            [](const Division& a, const Division& b) { return a.code < b.code; });
  DivisionTable table;
  table.index_.reserve(divisions.size());
  for (size_t division_idx = 0; division_idx < divisions.size(); ++division_idx) {
    const Division& division = divisions[division_idx];
    if (division.code <= 0 || division.code > kMaxCode) {
      return InvalidArgument("行政区划代码 " + std::to_string(division.code) + " 不是12位代码");
    }
    if (!table.index_.emplace(division.code, division_idx).second) {
      return InvalidArgument("行政区划代码 " + std::to_string(division.code) + " 重复");
    }
  }
  for (size_t division_idx = 0; division_idx < divisions.size(); ++division_idx) {
    const Division& division = divisions[division_idx];
    if (division.parent_code == 0) continue;
    auto parent = table.index_.find(division.parent_code);
    if (parent == table.index_.end()) {
      return InvalidArgument("行政区划 " + std::to_string(division.code) + "（" + division.name +
                             "）的上级 " + std::to_string(division.parent_code) + " 不存在");
    }
    const Division& parent_division = divisions[parent->second];
    if (static_cast<int>(parent_division.level) >= static_cast<int>(division.level)) {
      return InvalidArgument("行政区划 " + std::to_string(division.code) + "（" + division.name +
                             "）的级别（" + std::string(Label(division.level)) + "）不低于其上级 " +
                             std::to_string(division.parent_code) + "（" +
                             std::string(Label(parent_division.level)) + "）");
    }
    // Children lists come out sorted by code because `divisions` is sorted.
    table.children_[division.parent_code].push_back(division_idx);
  }
  for (const HistoricalCountyCode& old : historical) {
    if (old.old_code < 100000 || old.old_code > 999999 || old.current_code < 100000 ||
        old.current_code > 999999) {
      return InvalidArgument("历史地址码 " + std::to_string(old.old_code) + " 或其现行代码 " +
                             std::to_string(old.current_code) + " 不是6位代码");
    }
  }
  std::sort(
      historical.begin(), historical.end(),
      [](const HistoricalCountyCode& a, const HistoricalCountyCode& b) { return a.old_code < b.old_code; });
  table.divisions_ = std::move(divisions);
  table.historical_ = std::move(historical);
  return table;
}

Result<DivisionTable> DivisionTable::Load(const std::string& data_dir) {
  const std::string dir = data_dir + "/divisions/";

  // qinghai_divisions.csv: code,name,level,parent_code,rural
  const std::string divisions_path = dir + "qinghai_divisions.csv";
  ASSIGN_OR_RETURN(std::vector<CsvRecord> division_rows, ReadCsvFile(divisions_path));
  ASSIGN_OR_RETURN(
      std::vector<size_t> division_cols,
      MapHeader(divisions_path, division_rows[0], {"code", "name", "level", "parent_code", "rural"}));
  std::vector<Division> divisions;
  std::unordered_map<DivisionCode, int> line_of;  // code → line, for later errors
  divisions.reserve(division_rows.size());
  for (size_t row_idx = 1; row_idx < division_rows.size(); ++row_idx) {
    const CsvRecord& row = division_rows[row_idx];
    const std::string where = FileContext(divisions_path, row.line);
    if (row.fields.size() != division_rows[0].fields.size()) {
      return InvalidArgument(where + "应有 " + std::to_string(division_rows[0].fields.size()) + " 列，实际 " +
                             std::to_string(row.fields.size()) + " 列");
    }
    const std::string& code_text = row.fields[division_cols[0]];
    const std::string& name = row.fields[division_cols[1]];
    const std::string& level_text = row.fields[division_cols[2]];
    const std::string& parent_text = row.fields[division_cols[3]];
    const std::string& rural_text = row.fields[division_cols[4]];
    Division division;
    if (code_text.size() != 12 || !ParseInt64(code_text, &division.code)) {
      return InvalidArgument(where + "代码「" + code_text + "」不是12位数字");
    }
    if (name.empty()) return InvalidArgument(where + "名称为空");
    division.name = name;
    if (level_text.size() != 1 || level_text[0] < '1' || level_text[0] > '5') {
      return InvalidArgument(where + "级别「" + level_text + "」应为 1 到 5");
    }
    division.level = static_cast<DivisionLevel>(level_text[0] - '0');
    if (parent_text == "0") {
      division.parent_code = 0;
    } else if (parent_text.size() != 12 || !ParseInt64(parent_text, &division.parent_code)) {
      return InvalidArgument(where + "上级代码「" + parent_text + "」不是12位数字或 0");
    }
    if (division.parent_code == 0 && division.level != DivisionLevel::kProvince) {
      return InvalidArgument(where + "只有省级区划可以没有上级");
    }
    if (rural_text != "0" && rural_text != "1") {
      return InvalidArgument(where + "rural 列「" + rural_text + "」应为 0 或 1");
    }
    division.rural = rural_text == "1";
    if (!line_of.emplace(division.code, row.line).second) {
      return InvalidArgument(where + "代码 " + code_text + " 与第 " + std::to_string(line_of[division.code]) +
                             " 行重复");
    }
    divisions.push_back(std::move(division));
  }
  // Parent checks with line numbers (FromDivisions repeats them without).
  std::unordered_map<DivisionCode, size_t> position;
  for (size_t division_idx = 0; division_idx < divisions.size(); ++division_idx) {
    position.emplace(divisions[division_idx].code, division_idx);
  }
  for (const Division& division : divisions) {
    if (division.parent_code == 0) continue;
    auto parent = position.find(division.parent_code);
    const std::string where = FileContext(divisions_path, line_of[division.code]);
    if (parent == position.end()) {
      return InvalidArgument(where + "上级代码 " + std::to_string(division.parent_code) + " 不存在");
    }
    const Division& parent_division = divisions[parent->second];
    if (static_cast<int>(parent_division.level) != static_cast<int>(division.level) - 1) {
      return InvalidArgument(where + "级别为" + std::string(Label(division.level)) + "，但上级 " +
                             std::to_string(division.parent_code) + " 的级别为" +
                             std::string(Label(parent_division.level)));
    }
  }

  // counties.csv: county_code,name,pastoral,key_assistance
  const std::string counties_path = dir + "counties.csv";
  ASSIGN_OR_RETURN(std::vector<CsvRecord> county_rows, ReadCsvFile(counties_path));
  ASSIGN_OR_RETURN(
      std::vector<size_t> county_cols,
      MapHeader(counties_path, county_rows[0], {"county_code", "name", "pastoral", "key_assistance"}));
  struct CountyFlags {
    bool pastoral = false;
    KeyAssistance key_assistance = KeyAssistance::kNone;
  };
  std::unordered_map<DivisionCode, CountyFlags> county_flags;
  for (size_t row_idx = 1; row_idx < county_rows.size(); ++row_idx) {
    const CsvRecord& row = county_rows[row_idx];
    const std::string where = FileContext(counties_path, row.line);
    if (row.fields.size() != county_rows[0].fields.size()) {
      return InvalidArgument(where + "应有 " + std::to_string(county_rows[0].fields.size()) + " 列，实际 " +
                             std::to_string(row.fields.size()) + " 列");
    }
    const std::string& code_text = row.fields[county_cols[0]];
    const std::string& pastoral_text = row.fields[county_cols[2]];
    const std::string& key_text = row.fields[county_cols[3]];
    std::int64_t six = 0;
    if (code_text.size() != 6 || !ParseInt64(code_text, &six)) {
      return InvalidArgument(where + "县级代码「" + code_text + "」不是6位数字");
    }
    const DivisionCode code = six * 1000000;
    auto found = position.find(code);
    if (found == position.end() || divisions[found->second].level != DivisionLevel::kCounty) {
      return InvalidArgument(where + "县级代码 " + code_text + " 不是 qinghai_divisions.csv 中的县级区划");
    }
    CountyFlags flags;
    if (pastoral_text != "0" && pastoral_text != "1") {
      return InvalidArgument(where + "pastoral 列「" + pastoral_text + "」应为 0 或 1");
    }
    flags.pastoral = pastoral_text == "1";
    if (key_text == "national") {
      flags.key_assistance = KeyAssistance::kNational;
    } else if (key_text == "provincial") {
      flags.key_assistance = KeyAssistance::kProvincial;
    } else if (key_text == "none" || key_text.empty()) {
      flags.key_assistance = KeyAssistance::kNone;
    } else {
      return InvalidArgument(where + "key_assistance 列「" + key_text +
                             "」应为 national、provincial 或 none");
    }
    if (!county_flags.emplace(code, flags).second) {
      return InvalidArgument(where + "县级代码 " + code_text + " 重复");
    }
  }
  // Attach the county's flags to the county and everything below it.
  for (Division& division : divisions) {
    const Division* cursor = &division;
    while (cursor != nullptr && static_cast<int>(cursor->level) > static_cast<int>(DivisionLevel::kCounty)) {
      auto parent = position.find(cursor->parent_code);
      cursor = parent == position.end() ? nullptr : &divisions[parent->second];
    }
    if (cursor == nullptr || cursor->level != DivisionLevel::kCounty) continue;
    auto flags = county_flags.find(cursor->code);
    if (flags == county_flags.end()) continue;
    division.pastoral = flags->second.pastoral;
    division.key_assistance = flags->second.key_assistance;
  }

  // historical_codes.csv: old_code,old_name,current_code,valid_from_year,valid_until_year
  const std::string historical_path = dir + "historical_codes.csv";
  ASSIGN_OR_RETURN(std::vector<CsvRecord> historical_rows, ReadCsvFile(historical_path));
  ASSIGN_OR_RETURN(std::vector<size_t> historical_cols, MapHeader(historical_path, historical_rows[0],
                                                                  {"old_code", "old_name", "current_code",
                                                                   "valid_from_year", "valid_until_year"}));
  std::vector<HistoricalCountyCode> historical;
  std::unordered_set<int> seen_old;
  for (size_t row_idx = 1; row_idx < historical_rows.size(); ++row_idx) {
    const CsvRecord& row = historical_rows[row_idx];
    const std::string where = FileContext(historical_path, row.line);
    if (row.fields.size() != historical_rows[0].fields.size()) {
      return InvalidArgument(where + "应有 " + std::to_string(historical_rows[0].fields.size()) +
                             " 列，实际 " + std::to_string(row.fields.size()) + " 列");
    }
    HistoricalCountyCode old;
    std::int64_t number = 0;
    const std::string& old_text = row.fields[historical_cols[0]];
    if (old_text.size() != 6 || !ParseInt64(old_text, &number)) {
      return InvalidArgument(where + "旧代码「" + old_text + "」不是6位数字");
    }
    old.old_code = static_cast<int>(number);
    old.old_name = row.fields[historical_cols[1]];
    if (old.old_name.empty()) return InvalidArgument(where + "旧名称为空");
    const std::string& current_text = row.fields[historical_cols[2]];
    if (current_text.size() != 6 || !ParseInt64(current_text, &number)) {
      return InvalidArgument(where + "现行代码「" + current_text + "」不是6位数字");
    }
    old.current_code = static_cast<int>(number);
    auto current = position.find(number * 1000000);
    if (current == position.end() ||
        static_cast<int>(divisions[current->second].level) > static_cast<int>(DivisionLevel::kCounty)) {
      return InvalidArgument(where + "现行代码 " + current_text + " 不是现行的省、市州或县级区划");
    }
    if (position.count(static_cast<DivisionCode>(old.old_code) * 1000000) != 0) {
      return InvalidArgument(where + "旧代码 " + old_text + " 仍是现行代码");
    }
    const std::string& from_text = row.fields[historical_cols[3]];
    const std::string& until_text = row.fields[historical_cols[4]];
    std::int64_t from = 0;
    std::int64_t until = 0;
    if (!ParseInt64(from_text, &from) || (from != 0 && (from < 1949 || from > 2999))) {
      return InvalidArgument(where + "起始年份「" + from_text + "」应为 0 或四位年份");
    }
    if (!ParseInt64(until_text, &until) || until < 1949 || until > 2999 || (from != 0 && until < from)) {
      return InvalidArgument(where + "终止年份「" + until_text + "」应为不早于起始年份的四位年份");
    }
    old.valid_from_year = static_cast<int>(from);
    old.valid_until_year = static_cast<int>(until);
    if (!seen_old.insert(old.old_code).second) {
      return InvalidArgument(where + "旧代码 " + old_text + " 重复");
    }
    historical.push_back(std::move(old));
  }

  return FromDivisions(std::move(divisions), std::move(historical));
}

Result<DivisionTable> DivisionTable::LoadDefault() { return Load(ZX_DATA_DIR); }

// ---------------------------------------------------------------------------
// Queries.

const Division* DivisionTable::Find(DivisionCode code) const {
  auto found = index_.find(code);
  return found == index_.end() ? nullptr : &divisions_[found->second];
}

std::vector<const Division*> DivisionTable::Children(DivisionCode code) const {
  std::vector<const Division*> children;
  auto found = children_.find(code);
  if (found == children_.end()) return children;
  children.reserve(found->second.size());
  for (size_t division_idx : found->second) children.push_back(&divisions_[division_idx]);
  return children;
}

std::vector<const Division*> DivisionTable::AtLevel(DivisionLevel level) const {
  std::vector<const Division*> result;
  for (const Division& division : divisions_) {
    if (division.level == level) result.push_back(&division);
  }
  return result;
}

std::string DivisionTable::FullName(DivisionCode code) const {
  std::vector<const Division*> chain;
  for (const Division* cursor = Find(code); cursor != nullptr && chain.size() < 8;
       cursor = cursor->parent_code == 0 ? nullptr : Find(cursor->parent_code)) {
    chain.push_back(cursor);
  }
  std::string name;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if (!name.empty()) name += ' ';
    name += (*it)->name;
  }
  return name;
}

const Division* DivisionTable::CountyOf(DivisionCode code) const {
  const Division* cursor = Find(code);
  if (cursor == nullptr) {
    // A code not in the table (e.g. a village created later): fall back on
    // the county part of the code.
    cursor = Find(code / 1000000 * 1000000);
    return cursor != nullptr && cursor->level == DivisionLevel::kCounty ? cursor : nullptr;
  }
  while (cursor != nullptr && static_cast<int>(cursor->level) > static_cast<int>(DivisionLevel::kCounty)) {
    cursor = Find(cursor->parent_code);
  }
  return cursor != nullptr && cursor->level == DivisionLevel::kCounty ? cursor : nullptr;
}

std::string DivisionTable::AddressCodeName(int six_digit_code) const {
  if (six_digit_code < 100000 || six_digit_code > 999999) return "";
  const DivisionCode code = static_cast<DivisionCode>(six_digit_code) * 1000000;
  if (const Division* division = Find(code);
      division != nullptr && static_cast<int>(division->level) <= static_cast<int>(DivisionLevel::kCounty)) {
    return division->name;
  }
  // "xxxx01": the 市辖区 (urban districts as a whole) of a prefecture-level city.
  if (six_digit_code % 100 == 1) {
    const Division* prefecture = Find(code - 1000000);
    if (prefecture != nullptr && prefecture->level == DivisionLevel::kPrefecture &&
        EndsWith(prefecture->name, "市")) {
      return prefecture->name + "市辖区";
    }
  }
  auto old =
      std::lower_bound(historical_.begin(), historical_.end(), six_digit_code,
                       [](const HistoricalCountyCode& entry, int value) { return entry.old_code < value; });
  if (old != historical_.end() && old->old_code == six_digit_code) {
    const Division* current = Find(static_cast<DivisionCode>(old->current_code) * 1000000);
    if (current == nullptr) return old->old_name;
    return old->old_name + "（现 " + current->name + "）";
  }
  return "";
}

bool DivisionTable::IsKnownAddressCode(int six_digit_code) const {
  return six_digit_code / 10000 == 63 && !AddressCodeName(six_digit_code).empty();
}

}  // namespace zx
