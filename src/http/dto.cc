#include "http/dto.h"

#include <charconv>

#include "http/auth.h"

namespace zx::http {

std::string DivisionCodeText(DivisionCode code) { return std::to_string(code); }

Result<DivisionCode> ParseDivisionCode(std::string_view text, std::string_view field) {
  DivisionCode code = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || code <= 0) {
    return InvalidArgument(std::string(field) + " 须为行政区划代码（12 位数字），收到“" + std::string(text) +
                           "”");
  }
  // Accept 6-digit county-style codes too: pad to 12 digits.
  if (text.size() == 6) code *= 1'000'000;
  return code;
}

nlohmann::json UserJson(const User& user, const DivisionTable& divisions, std::int64_t now) {
  const Division* division = divisions.Find(user.division_code);
  return nlohmann::json{
      {"username", user.username},
      {"display_name", user.display_name},
      {"role", std::string(RoleCode(user.role))},
      {"role_name", std::string(RoleLabel(user.role))},
      {"division_code", DivisionCodeText(user.division_code)},
      {"division_name", division != nullptr ? divisions.FullName(user.division_code) : std::string()},
      {"must_change_password", user.must_change_password},
      {"disabled", user.disabled},
      {"locked", user.IsLocked(now)},
      {"permissions", RolePermissions(user.role)},
  };
}

}  // namespace zx::http
