// JSON shapes shared by several controllers (docs/formats/api.md).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "domain/division.h"
#include "storage/account_store.h"

namespace zx::http {

/// `user` = {username, display_name, role, role_name, division_code (string),
/// division_name, must_change_password, disabled, locked, permissions}.
nlohmann::json UserJson(const User& user, const DivisionTable& divisions, std::int64_t now);

/// A 12-digit division code as sent in JSON (a string, so JavaScript never rounds it).
std::string DivisionCodeText(DivisionCode code);
/// Parses a division code from a query or body value; InvalidArgument in Chinese.
Result<DivisionCode> ParseDivisionCode(std::string_view text, std::string_view field);

}  // namespace zx::http
