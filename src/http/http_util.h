// Small HTTP text helpers with no Beast types: percent-decoding, query
// strings, cookies, tokens in headers. Used by the server and by tests.
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace zx::http {

/// Decodes %XX escapes (and '+' as space when `plus_as_space`). nullopt for
/// a malformed escape or a decoded NUL byte.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

/// Splits "a=1&b=%E4%B8%AD" into decoded pairs; malformed pairs are skipped.
std::multimap<std::string, std::string> ParseQuery(std::string_view query);

/// The value of cookie `name` in a Cookie header ("a=1; zx_session=…"), or nullopt.
std::optional<std::string> CookieValue(std::string_view cookie_header, std::string_view name);

/// Constant-time comparison of two secrets (time depends only on the lengths).
bool SecretsEqual(std::string_view a, std::string_view b);

/// Whether `path` is a safe relative path below a web root: no "..", no
/// empty or "." segments, no backslash or NUL. `path` starts after the
/// leading '/'.
bool IsSafeRelativePath(std::string_view path);

}  // namespace zx::http
