// /api/v1/health and /api/v1/openapi.json (the committed src/http/openapi.json,
// embedded at build time by src/http/CMakeLists.txt).
#include <chrono>

#include "http/envelope.h"
#include "http/openapi_document.h"
#include "http/router.h"

namespace zx::http {
namespace {

Result<Response> Health(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Store * store, ctx.store());
  ASSIGN_OR_RETURN(std::optional<std::string> seed, store->GetMeta("synth.seed"));
  (void)seed;  // the query proves the database answers
  return JsonOk(Json{{"status", "ok"}, {"database", "ok"}});
}

Result<Response> OpenApi(RequestContext&) {
  Response response;
  response.body = std::string(OpenApiDocument());
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

void RegisterSystemRoutes(Router& router) {
  router.Add("GET", "/api/v1/health", Health, RouteOptions::Public());
  router.Add("GET", "/api/v1/openapi.json", OpenApi, RouteOptions::Public());
}

ZX_REGISTER_CONTROLLER(RegisterSystemRoutes);

}  // namespace
}  // namespace zx::http
