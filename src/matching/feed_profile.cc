#include "matching/feed_profile.h"

// toml++ header-only without exceptions, as in domain/policy.cc.
#define TOML_EXCEPTIONS 0
#include <fmt/format.h>
#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "common/text.h"

namespace zx::matching {
namespace {

constexpr std::array<std::string_view, kFeedFieldCount> kFieldIds = {
    "name",       "id_number", "sex",        "birth_date", "area_code",
    "event_date", "amount",    "total_cost", "category",   "detail"};
constexpr std::array<std::string_view, kFeedFieldCount> kFieldLabels = {
    "姓名", "身份证号码", "性别", "出生日期", "区划代码", "业务日期", "金额", "总费用", "类别", "说明"};

struct SignalName {
  std::string_view id;
  SignalKind kind;
};
constexpr SignalName kSignals[] = {
    {"medical_out_of_pocket", SignalKind::kMedicalOutOfPocket}, {"per_row_alert", SignalKind::kPerRowAlert},
    {"dangerous_house", SignalKind::kDangerousHouse},           {"death", SignalKind::kDeath},
    {"eligibility_review", SignalKind::kEligibilityReview},
};

std::string Where(const std::string& path, const toml::source_region& source) {
  return fmt::format("{} 第 {} 行第 {} 列", path, source.begin.line, source.begin.column);
}

Result<std::string> RequiredString(const toml::table& table, std::string_view key, const std::string& path) {
  const toml::node* node = table.get(key);
  if (node == nullptr || !node->is_string() || node->as_string()->get().empty()) {
    return InvalidArgument(fmt::format("{}：缺少字符串项 {}", Where(path, table.source()), key));
  }
  return node->as_string()->get();
}

Result<std::vector<std::string>> StringList(const toml::table& table, std::string_view key,
                                            const std::string& path, bool required) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) return InvalidArgument(fmt::format("{}：缺少数组项 {}", Where(path, table.source()), key));
    return out;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr)
    return InvalidArgument(fmt::format("{}：{} 应为字符串数组", Where(path, node->source()), key));
  for (const toml::node& item : *array) {
    if (!item.is_string() || item.as_string()->get().empty()) {
      return InvalidArgument(fmt::format("{}：{} 的元素应为非空字符串", Where(path, item.source()), key));
    }
    out.push_back(item.as_string()->get());
  }
  if (required && out.empty()) {
    return InvalidArgument(fmt::format("{}：{} 不能为空", Where(path, node->source()), key));
  }
  return out;
}

Result<FeedProfile> ParseProfile(const toml::table& table, const std::string& path) {
  FeedProfile profile;
  ASSIGN_OR_RETURN(profile.kind, RequiredString(table, "kind", path));
  ASSIGN_OR_RETURN(profile.name, RequiredString(table, "name", path));
  ASSIGN_OR_RETURN(profile.department, RequiredString(table, "department", path));
  ASSIGN_OR_RETURN(profile.alert_kind, RequiredString(table, "alert_kind", path));
  ASSIGN_OR_RETURN(std::string signal, RequiredString(table, "signal", path));
  bool known = false;
  for (const SignalName& entry : kSignals) {
    if (entry.id == signal) {
      profile.signal = entry.kind;
      known = true;
    }
  }
  if (!known) {
    return InvalidArgument(
        fmt::format("{}：未知的信号类型 {}（可用：medical_out_of_pocket、per_row_alert、"
                    "dangerous_house、death、eligibility_review）",
                    Where(path, table.source()), signal));
  }
  ASSIGN_OR_RETURN(profile.alert_categories, StringList(table, "alert_categories", path, false));
  const toml::array* columns = table.get_as<toml::array>("columns");
  if (columns == nullptr) {
    return InvalidArgument(
        fmt::format("{}：数据格式 {} 缺少 columns 数组", Where(path, table.source()), profile.kind));
  }
  std::set<std::string> seen_headers;
  std::set<int> seen_fields;
  for (const toml::node& node : *columns) {
    const toml::table* column_table = node.as_table();
    if (column_table == nullptr)
      return InvalidArgument(fmt::format("{}：columns 的元素应为表", Where(path, node.source())));
    FeedColumn column;
    ASSIGN_OR_RETURN(std::string field, RequiredString(*column_table, "field", path));
    int field_idx = -1;
    for (int idx = 0; idx < kFeedFieldCount; ++idx) {
      if (kFieldIds[idx] == field) field_idx = idx;
    }
    if (field_idx < 0) {
      return InvalidArgument(fmt::format("{}：未知的字段 {}", Where(path, column_table->source()), field));
    }
    if (!seen_fields.insert(field_idx).second) {
      return InvalidArgument(fmt::format("{}：字段 {} 重复", Where(path, column_table->source()), field));
    }
    column.field = static_cast<FeedField>(field_idx);
    column.required =
        column_table->get("required") != nullptr && column_table->get("required")->value_or(false);
    ASSIGN_OR_RETURN(column.headers, StringList(*column_table, "headers", path, true));
    for (const std::string& header : column.headers) {
      if (!seen_headers.insert(NormalizeHeader(header)).second) {
        return InvalidArgument(fmt::format("{}：表头 {} 在数据格式 {} 中出现两次",
                                           Where(path, column_table->source()), header, profile.kind));
      }
    }
    profile.columns.push_back(std::move(column));
  }
  for (FeedField needed : {FeedField::kName, FeedField::kIdNumber, FeedField::kEventDate}) {
    const FeedColumn* column = profile.Column(needed);
    if (column == nullptr || !column->required) {
      return InvalidArgument(fmt::format("{}：数据格式 {} 必须含有必填字段 {}", Where(path, table.source()),
                                         profile.kind, FeedFieldId(needed)));
    }
  }
  return profile;
}

}  // namespace

std::string_view FeedFieldId(FeedField field) { return kFieldIds[static_cast<int>(field)]; }
std::string_view FeedFieldLabel(FeedField field) { return kFieldLabels[static_cast<int>(field)]; }

const FeedColumn* FeedProfile::Column(FeedField field) const {
  for (const FeedColumn& column : columns) {
    if (column.field == field) return &column;
  }
  return nullptr;
}

bool FeedProfile::CategoryRaisesSignal(std::string_view category) const {
  if (alert_categories.empty()) return true;
  for (const std::string& wanted : alert_categories) {
    if (category.find(wanted) != std::string_view::npos) return true;
  }
  return false;
}

Result<const FeedProfile*> FeedProfiles::Find(std::string_view kind) const {
  std::string known;
  for (const FeedProfile& profile : feeds) {
    if (profile.kind == kind) return &profile;
    known += fmt::format("{}{}（{}）", known.empty() ? "" : "、", profile.kind, profile.name);
  }
  return NotFound(fmt::format("未知的部门数据类型 {}；可用：{}", kind, known));
}

std::string NormalizeHeader(std::string_view header) {
  std::string text = NormalizeField(header);
  // A BOM that survived (a file re-saved twice) is not part of the header.
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == ' ' || c == '*' || c == '\t') continue;
    out.push_back(c);
  }
  // Drop a trailing unit such as "(元)" (full-width parentheses became ASCII above).
  if (!out.empty() && out.back() == ')') {
    const size_t open = out.rfind('(');
    if (open != std::string::npos && open > 0) out.erase(open);
  }
  return out;
}

Result<FeedProfiles> ParseFeedProfiles(std::string_view text, const std::string& path) {
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return InvalidArgument(
        fmt::format("{}：格式错误（{}）", Where(path, error.source()), error.description()));
  }
  const toml::table& root = parsed.table();
  if (root["format_version"].value_or(0) != 1) {
    return InvalidArgument(fmt::format("{}：format_version 必须为 1", path));
  }
  const toml::array* feeds = root.get_as<toml::array>("feeds");
  if (feeds == nullptr || feeds->empty())
    return InvalidArgument(fmt::format("{}：没有 [[feeds]] 数据格式", path));
  FeedProfiles profiles;
  profiles.path = path;
  std::set<std::string> kinds;
  for (const toml::node& node : *feeds) {
    const toml::table* table = node.as_table();
    if (table == nullptr)
      return InvalidArgument(fmt::format("{}：feeds 的元素应为表", Where(path, node.source())));
    ASSIGN_OR_RETURN(FeedProfile profile, ParseProfile(*table, path));
    if (!kinds.insert(profile.kind).second) {
      return InvalidArgument(fmt::format("{}：数据类型 {} 重复", Where(path, table->source()), profile.kind));
    }
    profiles.feeds.push_back(std::move(profile));
  }
  return profiles;
}

Result<FeedProfiles> LoadFeedProfiles(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable(fmt::format("无法读取部门数据格式文件：{}", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseFeedProfiles(buffer.str(), path);
}

std::string DefaultFeedProfilesPath() { return std::string(ZX_DATA_DIR) + "/feeds/profiles.toml"; }

Result<FeedProfiles> LoadDefaultFeedProfiles() { return LoadFeedProfiles(DefaultFeedProfilesPath()); }

}  // namespace zx::matching
