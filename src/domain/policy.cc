#include "domain/policy.h"

// toml++ is used header-only and without exceptions: a parse error comes back
// as a value, never as a throw. Only this file includes it.
#define TOML_EXCEPTIONS 0
#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

namespace zx {
namespace {

constexpr int kFormatVersion = 1;
constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;
constexpr double kWeightTolerance = 1e-9;
constexpr std::size_t kMaxCodeLength = 32;

std::string_view TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "表";
    case toml::node_type::array:
      return "数组";
    case toml::node_type::string:
      return "字符串";
    case toml::node_type::integer:
      return "整数";
    case toml::node_type::floating_point:
      return "小数";
    case toml::node_type::boolean:
      return "布尔值";
    case toml::node_type::date:
      return "日期";
    case toml::node_type::time:
      return "时间";
    case toml::node_type::date_time:
      return "日期时间";
    case toml::node_type::none:
      break;
  }
  return "空值";
}

std::string JoinKeys(std::initializer_list<std::string_view> keys) {
  std::string out;
  for (std::string_view key : keys) {
    if (!out.empty()) out += "、";
    out += key;
  }
  return out;
}

// Validates one parsed document into a Policy. Each method returns the first
// error found, located by the node it concerns.
class PolicyReader {
 public:
  explicit PolicyReader(const std::string& path) : path_(path) {}

  Status ErrorAt(const toml::source_region& where, std::string_view what) const {
    return InvalidArgument(
        fmt::format("策略文件 {} 第 {} 行第 {} 列：{}", path_, where.begin.line, where.begin.column, what));
  }

  // Every key of `table` must be in `allowed`.
  Status CheckKeys(const toml::table& table, std::string_view table_name,
                   std::initializer_list<std::string_view> allowed) const {
    for (auto&& [key, node] : table) {
      bool known = false;
      for (std::string_view name : allowed) known = known || key.str() == name;
      if (!known) {
        return ErrorAt(key.source(), fmt::format("{} 中有未知的键“{}”，允许的键为：{}", table_name, key.str(),
                                                 JoinKeys(allowed)));
      }
    }
    return Status::Ok();
  }

  Result<const toml::node*> Require(const toml::table& table, std::string_view table_name,
                                    std::string_view key) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) return ErrorAt(table.source(), fmt::format("{} 缺少必填的键“{}”", table_name, key));
    return node;
  }

  Status WrongType(const toml::node& node, std::string_view key, std::string_view expected) const {
    return ErrorAt(node.source(),
                   fmt::format("键“{}”应为{}，实际为{}", key, expected, TypeName(node.type())));
  }

  Result<std::string> String(const toml::table& table, std::string_view table_name,
                             std::string_view key) const {
    ASSIGN_OR_RETURN(const toml::node* node, Require(table, table_name, key));
    const auto* value = node->as_string();
    if (value == nullptr) return WrongType(*node, key, "字符串");
    std::string text = value->get();
    if (text.find_first_not_of(" \t") == std::string::npos) {
      return ErrorAt(node->source(), fmt::format("键“{}”不能为空", key));
    }
    return text;
  }

  Result<std::int64_t> Integer(const toml::table& table, std::string_view table_name, std::string_view key,
                               std::int64_t min, std::int64_t max) const {
    ASSIGN_OR_RETURN(const toml::node* node, Require(table, table_name, key));
    const auto* value = node->as_integer();
    if (value == nullptr) return WrongType(*node, key, "整数");
    if (value->get() < min || value->get() > max) {
      return ErrorAt(node->source(),
                     fmt::format("键“{}”的值 {} 超出范围，应在 {} 至 {} 之间", key, value->get(), min, max));
    }
    return value->get();
  }

  // A positive amount in yuan (integer, or a decimal with at most two places) → fen.
  Result<Fen> PositiveYuan(const toml::table& table, std::string_view table_name,
                           std::string_view key) const {
    ASSIGN_OR_RETURN(const toml::node* node, Require(table, table_name, key));
    constexpr double kMaxYuan = 1e12;
    Fen fen = 0;
    if (const auto* integer = node->as_integer()) {
      if (integer->get() <= 0)
        return ErrorAt(node->source(), fmt::format("键“{}”的金额必须大于零（单位：元）", key));
      if (integer->get() > static_cast<std::int64_t>(kMaxYuan)) {
        return ErrorAt(node->source(), fmt::format("键“{}”的金额过大", key));
      }
      fen = Yuan(integer->get());
    } else if (const auto* decimal = node->as_floating_point()) {
      const double cents = decimal->get() * kFenPerYuan;
      if (!std::isfinite(cents) || decimal->get() > kMaxYuan) {
        return ErrorAt(node->source(), fmt::format("键“{}”的金额无效", key));
      }
      if (std::fabs(cents - std::round(cents)) > 1e-6) {
        return ErrorAt(node->source(), fmt::format("键“{}”的金额最多两位小数（单位：元）", key));
      }
      fen = static_cast<Fen>(std::llround(cents));
      if (fen <= 0) return ErrorAt(node->source(), fmt::format("键“{}”的金额必须大于零（单位：元）", key));
    } else {
      return WrongType(*node, key, "以元为单位的金额（整数或最多两位小数）");
    }
    return fen;
  }

  // `status = "official" | "example"` → true when official.
  Result<bool> OfficialStatus(const toml::table& table, std::string_view table_name) const {
    ASSIGN_OR_RETURN(std::string status, String(table, table_name, "status"));
    if (status == "official") return true;
    if (status == "example") return false;
    return ErrorAt(table.get("status")->source(),
                   fmt::format("键“status”的值“{}”无效，应为 official（正式）或 example（示例）", status));
  }

  // A weight or k: a fraction string "1/6", a decimal string "0.25", or a TOML number.
  Result<std::pair<double, std::string>> Fraction(const toml::table& table, std::string_view table_name,
                                                  std::string_view key) const {
    ASSIGN_OR_RETURN(const toml::node* node, Require(table, table_name, key));
    if (const auto* integer = node->as_integer()) {
      return std::pair{static_cast<double>(integer->get()), std::to_string(integer->get())};
    }
    if (const auto* decimal = node->as_floating_point()) {
      std::ostringstream text;
      text << decimal->get();
      return std::pair{decimal->get(), text.str()};
    }
    const auto* string = node->as_string();
    if (string == nullptr) return WrongType(*node, key, "分数字符串（如 \"1/6\"）或小数");
    const std::string& text = string->get();
    const Status bad = ErrorAt(
        node->source(), fmt::format("键“{}”的值“{}”不是有效的分数或小数（如 \"1/6\"、\"0.25\"）", key, text));
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos) {
      double value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return bad;
      return std::pair{value, text};
    }
    std::int64_t numerator = 0;
    std::int64_t denominator = 0;
    const char* begin = text.data();
    const char* middle = text.data() + slash;
    const char* end = text.data() + text.size();
    auto [num_end, num_ec] = std::from_chars(begin, middle, numerator);
    if (num_ec != std::errc() || num_end != middle) return bad;
    auto [den_end, den_ec] = std::from_chars(middle + 1, end, denominator);
    if (den_ec != std::errc() || den_end != end) return bad;
    if (denominator <= 0) return ErrorAt(node->source(), fmt::format("键“{}”的分母必须大于零", key));
    return std::pair{static_cast<double>(numerator) / static_cast<double>(denominator), text};
  }

  Result<const toml::table*> Table(const toml::table& parent, std::string_view parent_name,
                                   std::string_view key) const {
    ASSIGN_OR_RETURN(const toml::node* node, Require(parent, parent_name, key));
    const toml::table* table = node->as_table();
    if (table == nullptr) return WrongType(*node, key, "表");
    return table;
  }

  Result<const toml::array*> Array(const toml::table& parent, std::string_view parent_name,
                                   std::string_view key) const {
    ASSIGN_OR_RETURN(const toml::node* node, Require(parent, parent_name, key));
    const toml::array* array = node->as_array();
    if (array == nullptr) return WrongType(*node, key, "数组");
    if (array->empty()) return ErrorAt(node->source(), fmt::format("数组“{}”不能为空", key));
    return array;
  }

  Status ReadYear(const toml::table& table, Policy& policy, std::map<int, const toml::table*>& tables) const {
    constexpr std::string_view kName = "[[years]]";
    RETURN_IF_ERROR(CheckKeys(table, kName,
                              {"year", "monitoring_line_yuan", "status", "source", "reference_date",
                               "previous_year_rural_income", "line_decrease_confirmed"}));
    YearPolicy year;
    year.file_line = static_cast<int>(table.source().begin.line);
    ASSIGN_OR_RETURN(std::int64_t year_number, Integer(table, kName, "year", kMinYear, kMaxYear));
    year.year = static_cast<int>(year_number);
    if (auto first = tables.find(year.year); first != tables.end()) {
      return ErrorAt(table.get("year")->source(), fmt::format("{} 年重复出现（第一次在第 {} 行）", year.year,
                                                              first->second->source().begin.line));
    }
    ASSIGN_OR_RETURN(year.monitoring_line, PositiveYuan(table, kName, "monitoring_line_yuan"));
    ASSIGN_OR_RETURN(year.official, OfficialStatus(table, kName));
    ASSIGN_OR_RETURN(year.source, String(table, kName, "source"));

    ASSIGN_OR_RETURN(const toml::node* date_node, Require(table, kName, "reference_date"));
    const auto* date = date_node->as_date();
    if (date == nullptr) return WrongType(*date_node, "reference_date", "日期（如 2022-12-31，不加引号）");
    year.reference_date = Date{date->get().year, date->get().month, date->get().day};
    if (!IsValidDate(year.reference_date.year, year.reference_date.month, year.reference_date.day)) {
      return ErrorAt(date_node->source(), "reference_date 不是有效日期");
    }
    if (year.reference_date.year != year.year) {
      return ErrorAt(date_node->source(),
                     fmt::format("reference_date {} 应在 {} 年内", year.reference_date.ToIso(), year.year));
    }

    if (const toml::node* income_node = table.get("previous_year_rural_income")) {
      const toml::table* income = income_node->as_table();
      if (income == nullptr)
        return WrongType(*income_node, "previous_year_rural_income",
                         "表（如 { yuan = 14456, status = \"official\", source = \"…\" }）");
      constexpr std::string_view kIncomeName = "previous_year_rural_income";
      RETURN_IF_ERROR(CheckKeys(*income, kIncomeName, {"yuan", "status", "source"}));
      ASSIGN_OR_RETURN(Fen amount, PositiveYuan(*income, kIncomeName, "yuan"));
      year.previous_year_rural_income = amount;
      ASSIGN_OR_RETURN(year.previous_year_rural_income_official, OfficialStatus(*income, kIncomeName));
      ASSIGN_OR_RETURN(year.previous_year_rural_income_source, String(*income, kIncomeName, "source"));
    }
    if (const toml::node* confirmed = table.get("line_decrease_confirmed")) {
      if (!confirmed->is_boolean())
        return WrongType(*confirmed, "line_decrease_confirmed", "布尔值（true 或 false）");
    }
    tables.emplace(year.year, &table);
    policy.years.emplace(year.year, std::move(year));
    return Status::Ok();
  }

  // The monitoring line may not fall from one year in the file to the next
  // unless the later year says `line_decrease_confirmed = true`.
  Status CheckLinesDoNotDecrease(const Policy& policy,
                                 const std::map<int, const toml::table*>& tables) const {
    const YearPolicy* previous = nullptr;
    for (const auto& [year_number, year] : policy.years) {
      const toml::table& table = *tables.at(year_number);
      if (previous != nullptr && year.monitoring_line < previous->monitoring_line) {
        const toml::node* confirmed = table.get("line_decrease_confirmed");
        if (confirmed == nullptr || !confirmed->value_or(false)) {
          return ErrorAt(table.get("monitoring_line_yuan")->source(),
                         fmt::format("{} 年监测范围 {} 元低于 {} 年的 {} 元；如确属下调，请在该年度表中加上 "
                                     "line_decrease_confirmed = true",
                                     year.year, FormatYuanGrouped(year.monitoring_line), previous->year,
                                     FormatYuanGrouped(previous->monitoring_line)));
        }
      }
      previous = &year;
    }
    return Status::Ok();
  }

  Status ReadCodeTable(const toml::table& codes, std::string_view key, CodeTable& out) const {
    ASSIGN_OR_RETURN(const toml::table* table, Table(codes, "[codes]", key));
    const std::string name = fmt::format("[codes.{}]", key);
    RETURN_IF_ERROR(CheckKeys(*table, name, {"source", "entries"}));
    ASSIGN_OR_RETURN(out.source, String(*table, name, "source"));
    ASSIGN_OR_RETURN(const toml::array* entries, Array(*table, name, "entries"));
    std::map<std::string, int> seen;  // code → line
    for (const toml::node& node : *entries) {
      const toml::table* entry = node.as_table();
      if (entry == nullptr)
        return WrongType(node, "entries", "表（如 { code = \"01\", name = \"因病\" }）的数组，其中一项");
      RETURN_IF_ERROR(CheckKeys(*entry, name + " 的条目", {"code", "name"}));
      CodeEntry code_entry;
      ASSIGN_OR_RETURN(code_entry.code, String(*entry, name + " 的条目", "code"));
      ASSIGN_OR_RETURN(code_entry.name, String(*entry, name + " 的条目", "name"));
      const toml::node& code_node = *entry->get("code");
      bool well_formed = code_entry.code.size() <= kMaxCodeLength;
      for (char c : code_entry.code) {
        well_formed =
            well_formed && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
      }
      if (!well_formed) {
        return ErrorAt(code_node.source(), fmt::format("编码“{}”无效，应为不超过 {} 位的字母或数字",
                                                       code_entry.code, kMaxCodeLength));
      }
      auto [first, inserted] = seen.emplace(code_entry.code, static_cast<int>(code_node.source().begin.line));
      if (!inserted) {
        return ErrorAt(code_node.source(), fmt::format("{} 中编码“{}”重复（第一次在第 {} 行）", name,
                                                       code_entry.code, first->second));
      }
      out.entries.push_back(std::move(code_entry));
    }
    return Status::Ok();
  }

  Status ReadSignals(const toml::table& root, SignalThresholds& out) const {
    ASSIGN_OR_RETURN(const toml::table* table, Table(root, "文件顶层", "signals"));
    constexpr std::string_view kName = "[signals]";
    RETURN_IF_ERROR(CheckKeys(*table, kName,
                              {"status", "source", "medical_out_of_pocket_percent_monitored",
                               "medical_out_of_pocket_percent_others", "hospital_stay_cost_monitored_yuan",
                               "hospital_stay_cost_others_yuan", "non_compulsory_schooling_cost_yuan"}));
    ASSIGN_OR_RETURN(out.official, OfficialStatus(*table, kName));
    ASSIGN_OR_RETURN(out.source, String(*table, kName, "source"));
    ASSIGN_OR_RETURN(std::int64_t monitored,
                     Integer(*table, kName, "medical_out_of_pocket_percent_monitored", 1, 1000));
    ASSIGN_OR_RETURN(std::int64_t others,
                     Integer(*table, kName, "medical_out_of_pocket_percent_others", 1, 1000));
    out.medical_out_of_pocket_percent_monitored = static_cast<int>(monitored);
    out.medical_out_of_pocket_percent_others = static_cast<int>(others);
    ASSIGN_OR_RETURN(out.hospital_stay_cost_monitored,
                     PositiveYuan(*table, kName, "hospital_stay_cost_monitored_yuan"));
    ASSIGN_OR_RETURN(out.hospital_stay_cost_others,
                     PositiveYuan(*table, kName, "hospital_stay_cost_others_yuan"));
    ASSIGN_OR_RETURN(out.non_compulsory_schooling_cost,
                     PositiveYuan(*table, kName, "non_compulsory_schooling_cost_yuan"));
    return Status::Ok();
  }

  Status ReadMpi(const toml::table& root, MpiConfig& out) const {
    ASSIGN_OR_RETURN(const toml::table* table, Table(root, "文件顶层", "mpi"));
    constexpr std::string_view kName = "[mpi]";
    RETURN_IF_ERROR(CheckKeys(*table, kName, {"k", "indicators"}));
    ASSIGN_OR_RETURN(auto k, Fraction(*table, kName, "k"));
    if (!(k.first > 0 && k.first <= 1)) {
      return ErrorAt(table->get("k")->source(),
                     fmt::format("k = {} 超出范围，应大于 0 且不大于 1", k.second));
    }
    out.k = k.first;
    out.k_text = k.second;
    ASSIGN_OR_RETURN(const toml::array* indicators, Array(*table, kName, "indicators"));
    std::map<std::string, int> seen;
    double sum = 0;
    for (const toml::node& node : *indicators) {
      const toml::table* entry = node.as_table();
      if (entry == nullptr)
        return WrongType(node, "indicators",
                         "表（如 { id = \"income\", name = \"收入\", weight = \"1/6\" }）的数组，其中一项");
      constexpr std::string_view kEntryName = "[mpi] 的指标";
      RETURN_IF_ERROR(CheckKeys(*entry, kEntryName, {"id", "name", "weight"}));
      MpiIndicator indicator;
      ASSIGN_OR_RETURN(indicator.id, String(*entry, kEntryName, "id"));
      ASSIGN_OR_RETURN(indicator.name, String(*entry, kEntryName, "name"));
      const toml::node& id_node = *entry->get("id");
      bool known = false;
      std::string known_list;
      for (const std::string& id : KnownMpiIndicatorIds()) {
        known = known || id == indicator.id;
        known_list += (known_list.empty() ? "" : "、") + id;
      }
      if (!known) {
        return ErrorAt(id_node.source(),
                       fmt::format("未知的多维贫困指标“{}”，应为：{}", indicator.id, known_list));
      }
      auto [first, inserted] = seen.emplace(indicator.id, static_cast<int>(id_node.source().begin.line));
      if (!inserted) {
        return ErrorAt(id_node.source(),
                       fmt::format("多维贫困指标“{}”重复（第一次在第 {} 行）", indicator.id, first->second));
      }
      ASSIGN_OR_RETURN(auto weight, Fraction(*entry, kEntryName, "weight"));
      if (!(weight.first > 0 && weight.first <= 1)) {
        return ErrorAt(
            entry->get("weight")->source(),
            fmt::format("指标“{}”的权重 {} 超出范围，应大于 0 且不大于 1", indicator.id, weight.second));
      }
      indicator.weight = weight.first;
      indicator.weight_text = weight.second;
      sum += weight.first;
      out.indicators.push_back(std::move(indicator));
    }
    if (std::fabs(sum - 1.0) > kWeightTolerance) {
      std::string weights;
      for (const MpiIndicator& indicator : out.indicators) {
        weights += (weights.empty() ? "" : " + ") + indicator.weight_text;
      }
      return ErrorAt(table->get("indicators")->source(),
                     fmt::format("多维贫困指标权重之和应为 1，实际为 {} = {:.12g}", weights, sum));
    }
    return Status::Ok();
  }

  Result<Policy> Read(const toml::table& root) const {
    Policy policy;
    policy.path = path_;
    RETURN_IF_ERROR(
        CheckKeys(root, "文件顶层", {"format_version", "province", "years", "codes", "signals", "mpi"}));
    ASSIGN_OR_RETURN(std::int64_t version,
                     Integer(root, "文件顶层", "format_version", kFormatVersion, kFormatVersion));
    (void)version;
    ASSIGN_OR_RETURN(policy.province, String(root, "文件顶层", "province"));

    ASSIGN_OR_RETURN(const toml::array* years, Array(root, "文件顶层", "years"));
    std::map<int, const toml::table*> year_tables;
    for (const toml::node& node : *years) {
      const toml::table* table = node.as_table();
      if (table == nullptr) return WrongType(node, "years", "表（[[years]]）");
      RETURN_IF_ERROR(ReadYear(*table, policy, year_tables));
    }
    RETURN_IF_ERROR(CheckLinesDoNotDecrease(policy, year_tables));

    ASSIGN_OR_RETURN(const toml::table* codes, Table(root, "文件顶层", "codes"));
    RETURN_IF_ERROR(CheckKeys(*codes, "[codes]", {"monitoring_types", "risk_types", "measures"}));
    RETURN_IF_ERROR(ReadCodeTable(*codes, "monitoring_types", policy.monitoring_types));
    RETURN_IF_ERROR(ReadCodeTable(*codes, "risk_types", policy.risk_types));
    RETURN_IF_ERROR(ReadCodeTable(*codes, "measures", policy.measures));
    RETURN_IF_ERROR(ReadSignals(root, policy.signals));
    RETURN_IF_ERROR(ReadMpi(root, policy.mpi));
    return policy;
  }

 private:
  const std::string& path_;
};

}  // namespace

const std::vector<std::string>& KnownMpiIndicatorIds() {
  static const std::vector<std::string> kIds = {"income",  "food_clothing", "education", "medical_insurance",
                                                "housing", "water"};
  return kIds;
}

const CodeEntry* CodeTable::Find(std::string_view code) const {
  for (const CodeEntry& entry : entries) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

std::string_view CodeTable::NameOf(std::string_view code) const {
  const CodeEntry* entry = Find(code);
  return entry == nullptr ? std::string_view() : std::string_view(entry->name);
}

const YearPolicy* Policy::FindYear(int year) const {
  auto found = years.find(year);
  return found == years.end() ? nullptr : &found->second;
}

Result<const YearPolicy*> Policy::Year(int year) const {
  if (const YearPolicy* found = FindYear(year)) return found;
  std::string known;
  for (const auto& [year_number, unused] : years)
    known += (known.empty() ? "" : "、") + std::to_string(year_number);
  return NotFound(fmt::format("策略文件 {} 中没有 {} 年的政策参数（已有年度：{}），请由管理员添加该年度",
                              path, year, known));
}

Result<Fen> Policy::MedicalOutOfPocketThreshold(int year, bool monitored) const {
  ASSIGN_OR_RETURN(const YearPolicy* found, Year(year));
  if (!found->previous_year_rural_income) {
    return NotFound(fmt::format(
        "策略文件 {} 中 {} 年缺少上年全省农村居民人均可支配收入（previous_year_rural_income）", path, year));
  }
  const int percent = monitored ? signals.medical_out_of_pocket_percent_monitored
                                : signals.medical_out_of_pocket_percent_others;
  return *found->previous_year_rural_income * percent / 100;
}

Result<Policy> ParsePolicy(std::string_view text, const std::string& path) {
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return InvalidArgument(fmt::format("策略文件 {} 第 {} 行第 {} 列：TOML 语法错误（{}）", path,
                                       error.source().begin.line, error.source().begin.column,
                                       error.description()));
  }
  return PolicyReader(path).Read(parsed.table());
}

Result<Policy> LoadPolicy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Unavailable(fmt::format("无法打开策略文件 {}", path));
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return Unavailable(fmt::format("读取策略文件 {} 失败", path));
  return ParsePolicy(content.str(), path);
}

std::string DefaultPolicyPath() { return std::string(ZX_DATA_DIR) + "/policy/qinghai.toml"; }

Result<Policy> LoadDefaultPolicy() { return LoadPolicy(DefaultPolicyPath()); }

std::shared_ptr<const Policy> PolicyHolder::Get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

Status PolicyHolder::Reload(const std::string& path) {
  // Load outside the lock: readers are never blocked by file I/O.
  auto loaded = LoadPolicy(path);
  if (!loaded.ok()) {
    return loaded.status().WithContext("新的策略文件未生效，继续使用原有政策参数：");
  }
  auto fresh = std::make_shared<const Policy>(std::move(loaded).value());
  std::shared_ptr<const Policy> old;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    old = std::move(current_);
    current_ = std::move(fresh);
    ++generation_;
  }
  return Status::Ok();  // `old` is released here, outside the lock
}

std::uint64_t PolicyHolder::generation() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return generation_;
}

}  // namespace zx
