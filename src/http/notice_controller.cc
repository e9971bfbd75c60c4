// Public notices (公示, issue 6; DOMAIN.md §5):
//   GET /api/v1/notices?division=                        villages in scope with households in a notice
//   GET /api/v1/notices/{village_code}?stage=identification|elimination      printable HTML page
//   GET /api/v1/notices/{village_code}.pdf?stage=…       the same page printed by headless Chromium
// Both documents are audited as exports. The page shows no ID, phone, bank
// or health detail (http/notice.h); cases come from the case store, names
// and sizes from the registry, proposed types and risks of identification
// notices from the screening lead when the county has not yet decided.
#include <fmt/format.h>

#include <map>

#include "domain/lead.h"
#include "http/case_support.h"
#include "http/dto.h"
#include "http/envelope.h"
#include "http/notice.h"
#include "http/router.h"
#include "storage/lead_store.h"

namespace zx::http {
namespace {

constexpr int kPdfTimeoutSeconds = 60;

Result<LeadStore*> Leads(RequestContext& ctx) {
  return ctx.PerThread<LeadStore>([](const ServerEnv& env) -> Result<std::unique_ptr<LeadStore>> {
    return OpenLeadStore(env.db_location);
  });
}

Result<NoticeKind> StageParam(RequestContext& ctx) {
  std::string_view stage = ctx.Query("stage");
  if (stage.empty() || stage == "identification") return NoticeKind::kIdentification;
  if (stage == "elimination") return NoticeKind::kElimination;
  return InvalidArgument(fmt::format("参数 stage：应为 identification 或 elimination，收到“{}”", stage));
}

Result<NoticeDocument> BuildNotice(RequestContext& ctx, const Division& village, NoticeKind kind) {
  const Policy& policy = *ctx.env().policy;
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  ASSIGN_OR_RETURN(Store * store, ctx.store());
  ASSIGN_OR_RETURN(LeadStore * leads, Leads(ctx));
  CaseQuery query;
  query.stages = {kind == NoticeKind::kIdentification ? CaseStage::kNotice : CaseStage::kEliminationNotice};
  query.open_only = true;
  query.limit = 1000;
  ASSIGN_OR_RETURN(CasePage page, workflow->cases->ListCases(
                                      DivisionScope::Of(village.code, DivisionLevel::kVillage), query));
  NoticeDocument doc;
  doc.kind = kind;
  doc.village_name = village.name;
  doc.township_name = AncestorNameOf(ctx.divisions(), village.code, DivisionLevel::kTownship);
  doc.county_name = AncestorNameOf(ctx.divisions(), village.code, DivisionLevel::kCounty);
  doc.contact = ctx.env().notice_contact;
  doc.issued_on = BeijingDate(ctx.Now());
  for (const Case& c : page.rows) {
    ASSIGN_OR_RETURN(auto household, store->GetHousehold(ctx.scope(), c.household_number));
    NoticeRow row;
    row.household_number = c.household_number;
    if (household) {
      for (const Person& person : household->members) {
        if (person.relation == Relation::kHead && !person.deceased) {
          row.head_name = person.name;
          break;
        }
      }
      row.size = household->LivingSize();
    }
    std::string type = c.monitoring_type;
    std::vector<std::string> risks = c.risk_codes;
    if (type.empty()) {
      // Not yet decided: the type and risks the screening proposed.
      int years_read = 0;
      for (auto year = policy.years.rbegin(); year != policy.years.rend() && years_read < 2;
           ++year, ++years_read) {
        ASSIGN_OR_RETURN(std::optional<Lead> lead,
                         leads->GetLead(ctx.scope(), year->first, c.household_number));
        if (lead) {
          type = lead->monitoring_type;
          risks = lead->risk_codes;
          break;
        }
      }
    }
    if (!type.empty()) row.monitoring_type = std::string(policy.monitoring_types.NameOf(type));
    for (const std::string& code : risks) row.risk_labels.emplace_back(policy.risk_types.NameOf(code));
    if (c.elimination_kind != EliminationKind::kNone) {
      row.elimination_kind = std::string(EliminationKindLabel(c.elimination_kind));
    }
    row.notice_start = c.notice_started_at != 0 ? BeijingDate(c.notice_started_at) : Date{};
    row.notice_end = c.notice_ends_at != 0 ? BeijingDate(c.notice_ends_at) : Date{};
    doc.rows.push_back(std::move(row));
  }
  return doc;
}

Result<Response> ListNoticeVillages(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Division* division, DivisionParam(ctx));
  ASSIGN_OR_RETURN(WorkflowThread * workflow, ThreadWorkflow(ctx));
  CaseQuery query;
  query.stages = {CaseStage::kNotice, CaseStage::kEliminationNotice};
  query.open_only = true;
  query.limit = 1000;
  std::map<DivisionCode, std::pair<std::int64_t, std::int64_t>> counts;
  const DivisionScope scope = DivisionScope::Of(division->code, division->level);
  for (std::int64_t offset = 0;; offset += query.limit) {
    query.offset = offset;
    ASSIGN_OR_RETURN(CasePage page, workflow->cases->ListCases(scope, query));
    for (const Case& c : page.rows) {
      auto& [identification, elimination] = counts[c.village_code];
      (c.stage == CaseStage::kNotice ? identification : elimination) += 1;
    }
    if (page.rows.size() < static_cast<size_t>(query.limit)) break;
  }
  Json rows = Json::array();
  for (const auto& [code, count] : counts) {
    const Division* village = ctx.divisions().Find(code);
    rows.push_back({{"village_code", DivisionCodeText(code)},
                    {"village_name", village != nullptr ? village->name : ""},
                    {"township_name", AncestorNameOf(ctx.divisions(), code, DivisionLevel::kTownship)},
                    {"county_name", AncestorNameOf(ctx.divisions(), code, DivisionLevel::kCounty)},
                    {"identification", count.first},
                    {"elimination", count.second}});
  }
  return JsonOk(std::move(rows));
}

Result<Response> GetNotice(RequestContext& ctx) {
  std::string_view param = ctx.Param("village_code");
  const bool pdf = param.ends_with(".pdf");
  if (pdf) param.remove_suffix(4);
  Result<DivisionCode> code = ParseDivisionCode(param, "village_code");
  if (!code.ok()) return NotFound(fmt::format("村 {} 不存在", param));
  const Division* village = ctx.divisions().Find(*code);
  if (village == nullptr || !ctx.scope().Contains(*code)) return NotFound(fmt::format("村 {} 不存在", param));
  if (village->level != DivisionLevel::kVillage) {
    return InvalidArgument(fmt::format("{}（{}）不是村级单位：公示按村生成", village->name, param));
  }
  ASSIGN_OR_RETURN(NoticeKind kind, StageParam(ctx));
  ASSIGN_OR_RETURN(NoticeDocument doc, BuildNotice(ctx, *village, kind));
  const std::string html = RenderNoticeHtml(doc);
  const char* stage = kind == NoticeKind::kIdentification ? "identification" : "elimination";
  Response response;
  if (pdf) {
    ASSIGN_OR_RETURN(std::string bytes,
                     PrintPdfWithChromium(ctx.env().chromium, html, ctx.env().temp_dir, kPdfTimeoutSeconds));
    response.content_type = "application/pdf";
    response.body = std::move(bytes);
    response.headers.emplace_back(
        "Content-Disposition",
        fmt::format(
            "attachment; filename=\"notice-{0}-{1}.pdf\"; filename*=UTF-8''%E5%85%AC%E7%A4%BA-{0}-{1}.pdf",
            DivisionCodeText(village->code), stage));
  } else {
    response.content_type = "text/html; charset=utf-8";
    response.body = html;
    // A document, not an app page: nothing may run or load in it.
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'");
  }
  response.headers.emplace_back("Cache-Control", "no-store");
  RETURN_IF_ERROR(ctx.RecordAudit(AuditAction::kExport, fmt::format("notice {} {}", stage, param),
                                  village->code,
                                  fmt::format("{} households, {}", doc.rows.size(), pdf ? "pdf" : "html")));
  return response;
}

void RegisterNoticeRoutes(Router& router) {
  router.Add("GET", "/api/v1/notices", ListNoticeVillages, RouteOptions::Permission("workflow:case:list"));
  router.Add("GET", "/api/v1/notices/{village_code}", GetNotice,
             RouteOptions::Permission("workflow:notice:export"));
}
ZX_REGISTER_CONTROLLER(RegisterNoticeRoutes);

}  // namespace
}  // namespace zx::http
