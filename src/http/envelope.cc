#include "http/envelope.h"

#include <charconv>

#include "http/status_mapping.h"

namespace zx::http {
namespace {

Response Make(int http_status, const Json& body) {
  Response response;
  response.status = http_status;
  response.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

Result<std::int64_t> ParsePositive(const Request& request, std::string_view name, std::int64_t fallback) {
  if (!request.HasQuery(name)) return fallback;
  std::string_view text = request.Query(name);
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1) {
    return InvalidArgument("查询参数 " + std::string(name) + " 须为正整数，收到“" + std::string(text) + "”");
  }
  return value;
}

}  // namespace

Response JsonOk(Json data) {
  return Make(200, Json{{"code", 0}, {"msg", "成功"}, {"data", std::move(data)}});
}

Response JsonPage(Json rows, std::int64_t total) {
  return Make(200, Json{{"code", 0}, {"msg", "成功"}, {"rows", std::move(rows)}, {"total", total}});
}

Response ErrorResponse(int http_status, const std::string& message) {
  return Make(http_status, Json{{"code", http_status}, {"msg", message}, {"data", nullptr}});
}

Response ErrorFromStatus(const Status& status) {
  const int http_status = HttpStatusFor(status.code());
  return ErrorResponse(http_status == 200 ? 500 : http_status, status.message());
}

Result<Json> ParseJsonBody(const Request& request) {
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return InvalidArgument("请求体不是有效的 JSON");
  if (!body.is_object()) return InvalidArgument("请求体须为 JSON 对象");
  return body;
}

Result<std::optional<std::string>> OptionalString(const Json& body, const char* field) {
  auto found = body.find(field);
  if (found == body.end() || found->is_null()) return std::optional<std::string>();
  if (!found->is_string()) return InvalidArgument(std::string("字段 ") + field + " 须为字符串");
  return std::optional<std::string>(found->get<std::string>());
}

Result<std::string> RequiredString(const Json& body, const char* field) {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(body, field));
  if (!value || value->empty()) return InvalidArgument(std::string("缺少字段 ") + field);
  return *value;
}

Result<std::optional<bool>> OptionalBool(const Json& body, const char* field) {
  auto found = body.find(field);
  if (found == body.end() || found->is_null()) return std::optional<bool>();
  if (!found->is_boolean()) return InvalidArgument(std::string("字段 ") + field + " 须为 true 或 false");
  return std::optional<bool>(found->get<bool>());
}

Result<Paging> ParsePaging(const Request& request) {
  Paging paging;
  ASSIGN_OR_RETURN(paging.page, ParsePositive(request, "page", 1));
  ASSIGN_OR_RETURN(paging.page_size, ParsePositive(request, "page_size", 20));
  if (paging.page_size > 200) return InvalidArgument("查询参数 page_size 最大为 200");
  if (paging.page > 1'000'000) return InvalidArgument("查询参数 page 过大");
  return paging;
}

}  // namespace zx::http
