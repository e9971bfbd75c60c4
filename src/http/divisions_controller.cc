// /api/v1/divisions/children and /api/v1/code-tables.
#include <fmt/format.h>

#include "domain/code_tables.h"
#include "http/dto.h"
#include "http/envelope.h"
#include "http/router.h"

namespace zx::http {
namespace {

Result<Response> Children(RequestContext& ctx) {
  DivisionCode parent = ctx.user()->division_code;
  if (ctx.request().HasQuery("parent") && !ctx.Query("parent").empty()) {
    ASSIGN_OR_RETURN(parent, ParseDivisionCode(ctx.Query("parent"), "parent"));
  }
  const Division* division = ctx.divisions().Find(parent);
  // Outside the user's subtree answers exactly like a missing code.
  if (division == nullptr || !ctx.scope().Contains(parent)) {
    return NotFound(fmt::format("行政区划 {} 不存在", parent));
  }
  Json rows = Json::array();
  for (const Division* child : ctx.divisions().Children(parent)) {
    rows.push_back(Json{{"code", DivisionCodeText(child->code)},
                        {"name", child->name},
                        {"level", static_cast<int>(child->level)},
                        {"level_name", std::string(Label(child->level))},
                        {"rural", child->rural},
                        {"has_children", !ctx.divisions().Children(child->code).empty()}});
  }
  return JsonOk(std::move(rows));
}

Result<Response> CodeTables(RequestContext& ctx) {
  const Policy* policy = ctx.env().policy.get();
  if (policy == nullptr) return Unavailable("政策文件未加载");
  auto entries = [](const CodeTable& table) {
    Json rows = Json::array();
    for (const CodeEntry& entry : table.entries)
      rows.push_back(Json{{"code", entry.code}, {"name", entry.name}});
    return rows;
  };
  Json deprivations = Json::array();
  for (const MpiIndicator& indicator : policy->mpi.indicators) {
    deprivations.push_back(Json{{"id", indicator.id}, {"name", indicator.name}});
  }
  Json roles = Json::array();
  for (Role role : AllRoles()) {
    roles.push_back(Json{{"code", std::string(RoleCode(role))}, {"name", std::string(RoleLabel(role))}});
  }
  Json levels = Json::array();
  for (DivisionLevel level : AllValues<DivisionLevel>()) {
    levels.push_back(Json{{"code", static_cast<int>(level)}, {"name", std::string(Label(level))}});
  }
  Response response = JsonOk(Json{{"monitoring_types", entries(policy->monitoring_types)},
                                  {"risks", entries(policy->risk_types)},
                                  {"measures", entries(policy->measures)},
                                  {"deprivations", std::move(deprivations)},
                                  {"roles", std::move(roles)},
                                  {"division_levels", std::move(levels)}});
  response.headers.emplace_back("Cache-Control", "private, max-age=300");
  return response;
}

void RegisterDivisionRoutes(Router& router) {
  router.Add("GET", "/api/v1/divisions/children", Children);
  router.Add("GET", "/api/v1/code-tables", CodeTables);
}

ZX_REGISTER_CONTROLLER(RegisterDivisionRoutes);

}  // namespace
}  // namespace zx::http
