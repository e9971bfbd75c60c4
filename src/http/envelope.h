// The API envelope (RuoYi convention, docs/formats/api.md):
//   {"code": 0, "msg": "成功", "data": …}             single objects
//   {"code": 0, "msg": "成功", "rows": […], "total": N} pages
//   {"code": <http status>, "msg": "<Chinese>", "data": null} failures
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "http/router.h"

namespace zx::http {

using Json = nlohmann::json;

/// 200 {"code":0,"msg":"成功","data":data}.
Response JsonOk(Json data = nullptr);
/// 200 {"code":0,"msg":"成功","rows":rows,"total":total}.
Response JsonPage(Json rows, std::int64_t total);
/// A failure envelope with an explicit HTTP status (server-level refusals
/// such as 401, 405, 413 that are not a Status from a handler).
Response ErrorResponse(int http_status, const std::string& message);
/// A failure envelope for a non-OK Status: HTTP status from HttpStatusFor.
Response ErrorFromStatus(const Status& status);

/// Parses a JSON request body (an object). InvalidArgument in Chinese when
/// it is not valid JSON or not an object.
Result<Json> ParseJsonBody(const Request& request);
/// Reads an optional string member; InvalidArgument when it is not a string.
Result<std::optional<std::string>> OptionalString(const Json& body, const char* field);
/// Reads a required, non-empty string member.
Result<std::string> RequiredString(const Json& body, const char* field);
Result<std::optional<bool>> OptionalBool(const Json& body, const char* field);

/// Paging per api.md: page (1-based, default 1), page_size (default 20, max 200).
struct Paging {
  std::int64_t page = 1;
  std::int64_t page_size = 20;
  std::int64_t offset() const { return (page - 1) * page_size; }
};
Result<Paging> ParsePaging(const Request& request);

}  // namespace zx::http
