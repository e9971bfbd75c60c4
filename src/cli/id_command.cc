// `zhenxing id check ID...`: validates resident ID numbers (DOMAIN.md §11).
//
// Text output, one line per argument, tab-separated:
//   valid:   <input> TAB 有效 TAB <18-digit ID> TAB <YYYY-MM-DD> TAB <男|女> TAB <地区> TAB <备注>
//   invalid: <input> TAB 无效 TAB <reason>
// 地区 is the address code's division ("-" when unknown); 备注 is
// "由15位号码升级" for legacy 15-digit input, otherwise "-".
// --json prints one JSON array instead. Exit status 1 if any ID is invalid.
#include <ctime>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.h"
#include "domain/code_tables.h"
#include "domain/division.h"
#include "domain/resident_id.h"

namespace zx::cli {

namespace {

std::string_view ErrorKindName(ResidentIdError error) {
  switch (error) {
    case ResidentIdError::kNone:
      return "none";
    case ResidentIdError::kEmpty:
      return "empty";
    case ResidentIdError::kBadLength:
      return "bad_length";
    case ResidentIdError::kBadCharacter:
      return "bad_character";
    case ResidentIdError::kBadDate:
      return "bad_date";
    case ResidentIdError::kBadChecksum:
      return "bad_checksum";
    case ResidentIdError::kUnknownAddress:
      return "unknown_address";
    case ResidentIdError::kBadProvince:
      return "bad_province";
  }
  return "unknown";
}

// Province-level names, for IDs from outside Qinghai (whose counties the
// division table does not list).
std::string_view ProvinceName(int code) {
  switch (code) {
    case 11:
      return "北京市";
    case 12:
      return "天津市";
    case 13:
      return "河北省";
    case 14:
      return "山西省";
    case 15:
      return "内蒙古自治区";
    case 21:
      return "辽宁省";
    case 22:
      return "吉林省";
    case 23:
      return "黑龙江省";
    case 31:
      return "上海市";
    case 32:
      return "江苏省";
    case 33:
      return "浙江省";
    case 34:
      return "安徽省";
    case 35:
      return "福建省";
    case 36:
      return "江西省";
    case 37:
      return "山东省";
    case 41:
      return "河南省";
    case 42:
      return "湖北省";
    case 43:
      return "湖南省";
    case 44:
      return "广东省";
    case 45:
      return "广西壮族自治区";
    case 46:
      return "海南省";
    case 50:
      return "重庆市";
    case 51:
      return "四川省";
    case 52:
      return "贵州省";
    case 53:
      return "云南省";
    case 54:
      return "西藏自治区";
    case 61:
      return "陕西省";
    case 62:
      return "甘肃省";
    case 63:
      return "青海省";
    case 64:
      return "宁夏回族自治区";
    case 65:
      return "新疆维吾尔自治区";
    case 71:
      return "台湾省";
    case 81:
      return "香港特别行政区";
    case 82:
      return "澳门特别行政区";
  }
  return "";
}

// Qinghai codes: the division table's name ("平安县（现 平安区）" for a
// historical code); elsewhere: the province only.
std::string DivisionNameOf(const DivisionTable& table, int address_code) {
  if (address_code / 10000 == 63) {
    std::string name = table.AddressCodeName(address_code);
    if (name.empty()) return "";
    if (address_code % 10000 == 0) return name;            // 青海省
    if (address_code % 100 == 0) return "青海省 " + name;  // a prefecture
    const Division* prefecture = table.Find(static_cast<DivisionCode>(address_code / 100 * 100) * 1000000);
    const bool current = table.Find(static_cast<DivisionCode>(address_code) * 1000000) != nullptr;
    if (current && prefecture != nullptr && prefecture->level == DivisionLevel::kPrefecture) {
      return "青海省 " + prefecture->name + " " + name;
    }
    return "青海省 " + name;
  }
  std::string_view province = ProvinceName(address_code / 10000);
  if (province.empty()) return "";
  return std::string(province) + "（区县未核对）";
}

Date Today() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Date{local.tm_year + 1900, local.tm_mon + 1, local.tm_mday};
}

void RunCheck(const std::vector<std::string>& ids, bool json) {
  Result<DivisionTable> table = DivisionTable::LoadDefault();
  if (!table.ok()) {
    std::cerr << "错误：无法加载行政区划数据：" << table.status().message() << "\n";
    SetExitCode(2);
    return;
  }
  const Date today = Today();
  nlohmann::json results = nlohmann::json::array();
  bool any_invalid = false;
  for (const std::string& input : ids) {
    ResidentIdError error = ResidentIdError::kNone;
    Result<ResidentIdInfo> info = ParseResidentId(input, &table.value(), &error, today);
    if (!info.ok()) {
      any_invalid = true;
      if (json) {
        results.push_back({{"input", input},
                           {"valid", false},
                           {"error", ErrorKindName(error)},
                           {"message", info.status().message()}});
      } else {
        std::cout << input << "\t无效\t" << info.status().message() << "\n";
      }
      continue;
    }
    const std::string division = DivisionNameOf(*table, info->address_code);
    if (json) {
      results.push_back({{"input", input},
                         {"valid", true},
                         {"normalized", info->normalized},
                         {"birth_date", info->birth_date.ToIso()},
                         {"sex", Label(info->sex)},
                         {"address_code", info->normalized.substr(0, 6)},
                         {"division", division},
                         {"upgraded", info->upgraded}});
    } else {
      std::cout << input << "\t有效\t" << info->normalized << "\t" << info->birth_date.ToIso() << "\t"
                << Label(info->sex) << "\t" << (division.empty() ? "-" : division) << "\t"
                << (info->upgraded ? "由15位号码升级" : "-") << "\n";
    }
  }
  if (json) std::cout << results.dump(2) << "\n";
  SetExitCode(any_invalid ? 1 : 0);
}

void RegisterIdCommand(CLI::App& app) {
  CLI::App* id = app.add_subcommand("id", "居民身份证号码工具");
  id->require_subcommand(1);

  struct Options {
    std::vector<std::string> ids;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* check = id->add_subcommand("check", "校验身份证号码（GB 11643-1999）");
  check->add_option("ID", options->ids, "要校验的身份证号码，可多个；全角数字、小写x、空格和连字符会先规范化")
      ->required();
  check->add_flag("--json", options->json, "以 JSON 数组输出（每个号码一个对象）");
  check->footer(
      "输出：每个号码一行，各列以制表符分隔。\n"
      "  有效：输入  有效  18位号码  出生日期(YYYY-MM-DD)  性别(男/女)  地区  备注\n"
      "  无效：输入  无效  原因\n"
      "地区：青海省的现行或历史地址码给出区划名称（历史代码显示为「平安县（现 平安区）」），\n"
      "省外号码只给出省份，未知时为「-」。备注：旧版15位号码显示「由15位号码升级」，否则为「-」。\n"
      "--json 输出字段：input, valid, error, message（无效时）；normalized, birth_date, sex,\n"
      "address_code, division, upgraded（有效时）。\n"
      "退出码：全部有效为 0，有无效号码为 1，无法加载区划数据为 2。");
  check->callback([options] { RunCheck(options->ids, options->json); });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterIdCommand);

}  // namespace zx::cli
