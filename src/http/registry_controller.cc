// Registry pages: GET /api/v1/dashboard, /households, /households/{number},
// POST /households/{number}/unmask, GET /exports/households (api.md).
//
// Lists and dashboards are answered from an in-memory RegistryView
// (analytics/registry_view.h) shared by all worker threads. The view is
// rebuilt when the registry generation or the newest screening run changes;
// the check costs two indexed reads and runs at most once a second, and a
// rebuild happens on one thread while the others keep answering from the
// previous view. Dashboards are cached per (division, year) for the life of
// a view. Details and unmasking read the row store directly.
#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "analytics/registry_view.h"
#include "common/csv.h"
#include "common/date.h"
#include "common/xlsx.h"
#include "domain/code_tables.h"
#include "http/auth.h"
#include "http/dto.h"
#include "http/envelope.h"
#include "http/router.h"
#include "storage/lead_store.h"

namespace zx::http {
namespace {

namespace fs = std::filesystem;
using analytics::RegistryView;

// ---------------------------------------------------------------------------
// The shared view

class ViewHolder {
 public:
  Result<std::shared_ptr<const RegistryView>> Current(RequestContext& ctx) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (view_ != nullptr && now - checked_ < std::chrono::seconds(1)) return view_;
    }
    ASSIGN_OR_RETURN(Store * store, ctx.store());
    ASSIGN_OR_RETURN(LeadStore * leads, Leads(ctx));
    ASSIGN_OR_RETURN(std::int64_t generation, store->RegistryGeneration());
    ASSIGN_OR_RETURN(auto runs, leads->ListRuns(DivisionScope::All(), 1));
    const std::int64_t run_id = runs.empty() ? 0 : runs.front().id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      checked_ = now;
      if (view_ != nullptr && generation == generation_ && run_id == run_id_) return view_;
    }
    // Rebuild on one thread; others answer from the previous view if any.
    std::unique_lock<std::mutex> building(build_mu_, std::try_to_lock);
    if (!building.owns_lock()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (view_ != nullptr) return view_;
      }
      building.lock();  // no view yet: wait for the first build
      std::lock_guard<std::mutex> lock(mu_);
      if (view_ != nullptr) return view_;
    }
    ASSIGN_OR_RETURN(auto view, RegistryView::Build(*store, *leads, *ctx.env().policy));
    std::lock_guard<std::mutex> lock(mu_);
    view_ = std::move(view);
    generation_ = generation;
    run_id_ = run_id;
    dashboards_.clear();
    return view_;
  }

  /// Cached dashboard JSON of a view, or null.
  std::optional<Json> CachedDashboard(const RegistryView* view, DivisionCode code, int year) {
    std::lock_guard<std::mutex> lock(mu_);
    if (view != view_.get()) return std::nullopt;
    auto found = dashboards_.find({code, year});
    if (found == dashboards_.end()) return std::nullopt;
    return found->second;
  }
  void CacheDashboard(const RegistryView* view, DivisionCode code, int year, const Json& json) {
    std::lock_guard<std::mutex> lock(mu_);
    if (view == view_.get()) dashboards_[{code, year}] = json;
  }

  static Result<LeadStore*> Leads(RequestContext& ctx) {
    return ctx.PerThread<LeadStore>([](const ServerEnv& env) -> Result<std::unique_ptr<LeadStore>> {
      return OpenLeadStore(env.db_location);
    });
  }

 private:
  std::mutex mu_;
  std::mutex build_mu_;
  std::shared_ptr<const RegistryView> view_;
  std::int64_t generation_ = -1;
  std::int64_t run_id_ = -1;
  std::chrono::steady_clock::time_point checked_;
  std::map<std::pair<DivisionCode, int>, Json> dashboards_;
};

ViewHolder& Views() {
  static ViewHolder* holder = new ViewHolder();
  return *holder;
}

// ---------------------------------------------------------------------------
// Parameters

std::string YuanText(Fen fen) { return FormatYuan(fen); }

Result<int> ParseYear(RequestContext& ctx) {
  const Policy& policy = *ctx.env().policy;
  std::string_view text = ctx.Query("year");
  if (text.empty()) return policy.years.rbegin()->first;
  int year = 0;
  for (char digit : text) {
    if (digit < '0' || digit > '9' || year > 10000)
      return InvalidArgument(fmt::format("参数 year：“{}”不是年度", text));
    year = year * 10 + (digit - '0');
  }
  if (!policy.Year(year).ok()) return InvalidArgument(fmt::format("参数 year：政策文件中没有 {} 年", year));
  return year;
}

/// The division asked for (default: the user's own), which must lie in the
/// user's subtree; a code outside it answers NotFound like a missing one.
Result<const Division*> ParseDivision(RequestContext& ctx) {
  DivisionCode code = ctx.user()->division_code;
  if (ctx.request().HasQuery("division") && !ctx.Query("division").empty()) {
    ASSIGN_OR_RETURN(code, ParseDivisionCode(ctx.Query("division"), "division"));
  }
  const Division* division = ctx.divisions().Find(code);
  if (division == nullptr || !ctx.scope().Contains(code)) {
    return NotFound(fmt::format("行政区划 {} 不存在", DivisionCodeText(code)));
  }
  return division;
}

Result<std::optional<Fen>> ParseMoneyParam(RequestContext& ctx, std::string_view name) {
  std::string_view text = ctx.Query(name);
  if (text.empty()) return std::optional<Fen>();
  auto parsed = ParseYuan(text);
  if (!parsed.ok()) return InvalidArgument(fmt::format("参数 {}：“{}”不是金额（元）", name, text));
  return std::optional<Fen>(*parsed);
}

Result<analytics::ViewFilter> ParseFilter(RequestContext& ctx) {
  analytics::ViewFilter filter;
  ASSIGN_OR_RETURN(const Division* division, ParseDivision(ctx));
  filter.scope = DivisionScope::Of(division->code, division->level);
  ASSIGN_OR_RETURN(filter.year, ParseYear(ctx));
  filter.monitoring_type = std::string(ctx.Query("monitoring_type"));
  filter.risk = std::string(ctx.Query("risk"));
  ASSIGN_OR_RETURN(filter.income_min, ParseMoneyParam(ctx, "income_min_yuan"));
  ASSIGN_OR_RETURN(filter.income_max, ParseMoneyParam(ctx, "income_max_yuan"));
  std::string_view ex_poor = ctx.Query("ex_poor");
  if (ex_poor == "true") {
    filter.ex_poor = true;
  } else if (ex_poor == "false") {
    filter.ex_poor = false;
  } else if (!ex_poor.empty()) {
    return InvalidArgument(fmt::format("参数 ex_poor：应为 true 或 false，收到“{}”", ex_poor));
  }
  filter.keyword = std::string(ctx.Query("keyword"));
  if (filter.keyword.size() > 64) return InvalidArgument("参数 keyword：过长（最多 64 字节）");
  return filter;
}

std::string NameOf(const DivisionTable& divisions, DivisionCode code) {
  const Division* division = divisions.Find(code);
  return division != nullptr ? division->name : std::string();
}

std::string AncestorName(const DivisionTable& divisions, DivisionCode village, DivisionLevel level) {
  for (const Division* division = divisions.Find(village); division != nullptr;
       division = divisions.Find(division->parent_code)) {
    if (division->level == level) return division->name;
    if (division->parent_code == 0) break;
  }
  return {};
}

Json RowJson(const RegistryView& view, std::uint32_t row, int year, const DivisionTable& divisions) {
  const Fen income = view.per_capita(row, year);
  const DivisionCode village = view.village_code(row);
  return Json{
      {"household_number", view.household_number(row)},
      {"village_code", DivisionCodeText(village)},
      {"village_name", NameOf(divisions, village)},
      {"township_name", AncestorName(divisions, village, DivisionLevel::kTownship)},
      {"county_name", AncestorName(divisions, village, DivisionLevel::kCounty)},
      {"head_name", view.head_name(row)},
      {"head_id_number", MaskIdNumber(view.head_id_number(row))},
      {"size", view.living_size(row)},
      {"ex_poor", view.ex_poor(row)},
      {"per_capita_net_income_yuan", income == analytics::kNoIncome ? Json(nullptr) : Json(YuanText(income))},
      {"monitoring_type", view.monitoring_type(row, year)},
      {"risk_codes", view.risk_codes(row, year)}};
}

// ---------------------------------------------------------------------------
// Handlers

Result<Response> GetDashboard(RequestContext& ctx) {
  ASSIGN_OR_RETURN(const Division* division, ParseDivision(ctx));
  ASSIGN_OR_RETURN(int year, ParseYear(ctx));
  ASSIGN_OR_RETURN(auto view, Views().Current(ctx));
  if (auto cached = Views().CachedDashboard(view.get(), division->code, year)) return JsonOk(*cached);

  const Policy& policy = *ctx.env().policy;
  std::vector<std::pair<DivisionCode, DivisionScope>> children;
  for (const Division* child : ctx.divisions().Children(division->code)) {
    children.emplace_back(child->code, DivisionScope::Of(child->code, child->level));
  }
  const analytics::DashboardFigures figures =
      view->Dashboard(DivisionScope::Of(division->code, division->level), year, children);
  ASSIGN_OR_RETURN(const YearPolicy* year_policy, policy.Year(year));
  Json by_type = Json::array();
  for (const CodeEntry& type : policy.monitoring_types.entries) {
    auto found = figures.by_type.find(type.code);
    by_type.push_back({{"code", type.code},
                       {"name", type.name},
                       {"households", found == figures.by_type.end() ? 0 : found->second}});
  }
  Json by_risk = Json::array();
  for (const CodeEntry& risk : policy.risk_types.entries) {
    auto found = figures.by_risk.find(risk.code);
    by_risk.push_back({{"code", risk.code},
                       {"name", risk.name},
                       {"households", found == figures.by_risk.end() ? 0 : found->second}});
  }
  Json histogram = Json::array();
  const auto& edges = RegistryView::HistogramEdges();
  for (size_t bin = 0; bin < edges.size(); ++bin) {
    histogram.push_back({{"from_yuan", bin == 0 ? Json(nullptr) : Json(YuanText(edges[bin]))},
                         {"to_yuan", bin + 1 < edges.size() ? Json(YuanText(edges[bin + 1])) : Json(nullptr)},
                         {"households", figures.income_histogram[bin]}});
  }
  Json trend = Json::array();
  for (const auto& point : figures.trend) {
    trend.push_back({{"year", point.year},
                     {"line_yuan", YuanText(point.line)},
                     {"line_is_example", point.line_is_example},
                     {"below_line_households", point.below_line_households},
                     {"monitored_households", point.monitored_households},
                     {"mean_per_capita_yuan", YuanText(point.mean_per_capita)}});
  }
  Json children_json = Json::array();
  for (const auto& child : figures.children) {
    children_json.push_back({{"code", DivisionCodeText(child.code)},
                             {"name", NameOf(ctx.divisions(), child.code)},
                             {"households", child.households},
                             {"monitored_households", child.monitored_households},
                             {"below_line_households", child.below_line_households}});
  }
  Json data = {{"division",
                {{"code", DivisionCodeText(division->code)},
                 {"name", division->name},
                 {"level", static_cast<int>(division->level)}}},
               {"year", year},
               {"line_yuan", YuanText(year_policy->monitoring_line)},
               {"line_is_example", !year_policy->official},
               {"households", figures.households},
               {"persons", figures.persons},
               {"ex_poor_households", figures.ex_poor_households},
               {"ex_poor_persons", figures.ex_poor_persons},
               {"monitored_households", figures.monitored_households},
               {"by_type", std::move(by_type)},
               {"by_risk", std::move(by_risk)},
               {"income_histogram", std::move(histogram)},
               {"trend", std::move(trend)},
               {"children", std::move(children_json)}};
  Views().CacheDashboard(view.get(), division->code, year, data);
  return JsonOk(std::move(data));
}

Result<Response> ListHouseholds(RequestContext& ctx) {
  ASSIGN_OR_RETURN(analytics::ViewFilter filter, ParseFilter(ctx));
  ASSIGN_OR_RETURN(Paging paging, ParsePaging(ctx.request()));
  analytics::ViewSort sort = analytics::ViewSort::kHouseholdNumber;
  std::string_view sort_text = ctx.Query("sort");
  if (sort_text == "per_capita_net_income") {
    sort = analytics::ViewSort::kPerCapita;
  } else if (sort_text == "size") {
    sort = analytics::ViewSort::kSize;
  } else if (!sort_text.empty() && sort_text != "household_number") {
    return InvalidArgument(fmt::format("参数 sort：不支持按“{}”排序", sort_text));
  }
  std::string_view order = ctx.Query("order");
  if (!order.empty() && order != "asc" && order != "desc") {
    return InvalidArgument(fmt::format("参数 order：应为 asc 或 desc，收到“{}”", order));
  }
  ASSIGN_OR_RETURN(auto view, Views().Current(ctx));
  analytics::ViewPage page = view->List(filter, sort, order == "desc", paging.offset(), paging.page_size);
  Json rows = Json::array();
  for (std::uint32_t row : page.rows) rows.push_back(RowJson(*view, row, filter.year, ctx.divisions()));
  return JsonPage(std::move(rows), page.total);
}

Result<HouseholdRecord> FindHousehold(RequestContext& ctx) {
  const std::string number(ctx.Param("number"));
  ASSIGN_OR_RETURN(Store * store, ctx.store());
  ASSIGN_OR_RETURN(auto found, store->GetHousehold(ctx.scope(), number));
  if (!found.has_value()) return NotFound(fmt::format("户编号 {} 不存在", number));
  return std::move(*found);
}

Result<Response> GetHouseholdDetail(RequestContext& ctx) {
  ASSIGN_OR_RETURN(HouseholdRecord record, FindHousehold(ctx));
  ASSIGN_OR_RETURN(int year, ParseYear(ctx));
  const Policy& policy = *ctx.env().policy;
  ASSIGN_OR_RETURN(const YearPolicy* year_policy, policy.Year(year));
  ASSIGN_OR_RETURN(Store * store, ctx.store());
  ASSIGN_OR_RETURN(auto row_version, store->GetRowVersion(ctx.scope(), record.household.household_number));
  ASSIGN_OR_RETURN(LeadStore * leads, ViewHolder::Leads(ctx));
  ASSIGN_OR_RETURN(auto lead, leads->GetLead(ctx.scope(), year, record.household.household_number));

  const Household& household = record.household;
  const Person* head = nullptr;
  Json members = Json::array();
  for (size_t member_idx = 0; member_idx < record.members.size(); ++member_idx) {
    const Person& person = record.members[member_idx];
    if (head == nullptr && person.relation == Relation::kHead) head = &person;
    members.push_back({{"ordinal", member_idx + 1},
                       {"name", person.name},
                       {"id_number", MaskIdNumber(person.id_number)},
                       {"sex", Label(person.sex)},
                       {"birth_date", person.birth_date.ToIso()},
                       {"age", AgeOn(person.birth_date, year_policy->reference_date)},
                       {"relation", Label(person.relation)},
                       {"ethnicity", Label(person.ethnicity)},
                       {"education", Label(person.education)},
                       {"schooling", Label(person.schooling)},
                       {"health", Label(person.health)},
                       {"disability_grade", person.disability_grade},
                       {"labour_skill", Label(person.labour_skill)},
                       {"migrant_work_months", person.migrant_work_months},
                       {"medical_insurance", person.medical_insurance},
                       {"minimum_living_allowance", person.minimum_living_allowance},
                       {"extreme_hardship", person.extreme_hardship},
                       {"deceased", person.deceased}});
  }
  if (head == nullptr && !record.members.empty()) head = &record.members.front();
  Json years = Json::array();
  for (const HouseholdYear& income : record.years) {
    Fen per_capita = 0;
    const bool has = record.PerCapitaNetIncome(income.year, &per_capita);
    auto line = policy.Year(income.year);
    years.push_back({{"year", income.year},
                     {"wage_yuan", YuanText(income.wage_income)},
                     {"business_yuan", YuanText(income.business_income)},
                     {"property_yuan", YuanText(income.property_income)},
                     {"transfer_yuan", YuanText(income.transfer_income)},
                     {"production_cost_yuan", YuanText(income.production_cost)},
                     {"compliant_oop_yuan", YuanText(income.compliant_out_of_pocket)},
                     {"net_income_yuan", YuanText(income.NetIncome())},
                     {"per_capita_net_income_yuan", has ? Json(YuanText(per_capita)) : Json(nullptr)},
                     {"line_yuan", line.ok() ? Json(YuanText((*line)->monitoring_line)) : Json(nullptr)}});
  }
  Fen per_capita = 0;
  const bool has_income = record.PerCapitaNetIncome(year, &per_capita);
  Json screening = nullptr;
  if (lead.has_value()) {
    screening = {{"year", year},
                 {"monitoring_type", lead->monitoring_type},
                 {"monitoring_type_name", policy.monitoring_types.NameOf(lead->monitoring_type)},
                 {"risk_codes", lead->risk_codes},
                 {"deprivations", lead->deprivations},
                 {"explanations", lead->explanations}};
  }
  const DivisionCode village = household.village_code;
  Json data = {{"household_number", household.household_number},
               {"village_code", DivisionCodeText(village)},
               {"village_name", NameOf(ctx.divisions(), village)},
               {"township_name", AncestorName(ctx.divisions(), village, DivisionLevel::kTownship)},
               {"county_name", AncestorName(ctx.divisions(), village, DivisionLevel::kCounty)},
               {"head_name", head != nullptr ? head->name : ""},
               {"head_id_number", head != nullptr ? MaskIdNumber(head->id_number) : ""},
               {"size", record.LivingSize()},
               {"ex_poor", household.ex_poor},
               {"poverty_exit_year", household.poverty_exit_year},
               {"per_capita_net_income_yuan", has_income ? Json(YuanText(per_capita)) : Json(nullptr)},
               {"monitoring_type", lead.has_value() ? lead->monitoring_type : ""},
               {"risk_codes", lead.has_value() ? lead->risk_codes : std::vector<std::string>()},
               {"row_version", row_version.value_or(0)},
               {"phone", MaskPhone(household.phone)},
               {"safety_net", household.safety_net},
               {"relocated", household.relocated},
               {"housing", Label(household.housing)},
               {"food_clothing_secure", household.food_clothing_secure},
               {"water",
                {{"quantity_ok", household.water_quantity_ok},
                 {"quality_ok", household.water_quality_ok},
                 {"convenience_ok", household.water_convenience_ok},
                 {"reliability_ok", household.water_reliability_ok}}},
               {"members", std::move(members)},
               {"years", std::move(years)},
               {"screening", std::move(screening)},
               {"line_yuan", YuanText(year_policy->monitoring_line)}};
  return JsonOk(std::move(data));
}

Result<Response> UnmaskHousehold(RequestContext& ctx) {
  if (!CanUnmask(ctx.user()->role)) return PermissionDenied("当前角色无权查看完整的身份证号和电话号码");
  ASSIGN_OR_RETURN(Json body, ParseJsonBody(ctx.request()));
  ASSIGN_OR_RETURN(std::string field, RequiredString(body, "field"));
  ASSIGN_OR_RETURN(HouseholdRecord record, FindHousehold(ctx));
  std::string value;
  std::string detail;
  if (field == "phone") {
    value = record.household.phone;
    detail = "phone";
  } else if (field == "id_number") {
    if (!body.contains("ordinal") || !body["ordinal"].is_number_integer()) {
      return InvalidArgument("字段 ordinal：查看身份证号时须指明成员序号（从 1 开始的整数）");
    }
    const std::int64_t ordinal = body["ordinal"].get<std::int64_t>();
    if (ordinal < 1 || ordinal > static_cast<std::int64_t>(record.members.size())) {
      return NotFound(fmt::format("户编号 {} 没有第 {} 位成员", record.household.household_number, ordinal));
    }
    value = record.members[ordinal - 1].id_number;
    detail = fmt::format("id_number of member {}", ordinal);
  } else {
    return InvalidArgument(fmt::format("字段 field：只能是 id_number 或 phone，收到“{}”", field));
  }
  // No audit record, no value.
  RETURN_IF_ERROR(ctx.RecordAudit(AuditAction::kUnmask, record.household.household_number,
                                  record.household.village_code, detail));
  return JsonOk(Json{{"value", value}});
}

Result<Response> ExportHouseholds(RequestContext& ctx) {
  ASSIGN_OR_RETURN(analytics::ViewFilter filter, ParseFilter(ctx));
  std::string format(ctx.Query("format"));
  if (format.empty()) format = "xlsx";
  if (format != "xlsx" && format != "csv") {
    return InvalidArgument(fmt::format("参数 format：只能是 xlsx 或 csv，收到“{}”", format));
  }
  ASSIGN_OR_RETURN(auto view, Views().Current(ctx));
  const std::vector<std::uint32_t> rows = view->All(filter);
  if (format == "xlsx" && rows.size() >= 1048575) {
    return InvalidArgument(fmt::format("共 {} 户，超过 Excel 单表上限，请改用 CSV 或缩小范围", rows.size()));
  }
  const Policy& policy = *ctx.env().policy;
  const std::vector<std::string> header = {
      "户编号",   "县",           "乡镇",     "村",         "村代码",
      "户主姓名", "户主身份证号", "家庭人口", "是否脱贫户", "家庭人均纯收入（元）",
      "监测类型", "风险类型代码"};
  fs::create_directories(fs::path(ctx.env().temp_dir) / "exports");
  const fs::path path = fs::path(ctx.env().temp_dir) / "exports" /
                        fmt::format("export-{}-{}.{}", ctx.user()->username,
                                    std::chrono::steady_clock::now().time_since_epoch().count(), format);
  auto cells = [&](std::uint32_t row) {
    const Fen income = view->per_capita(row, filter.year);
    std::string risks;
    for (const std::string& code : view->risk_codes(row, filter.year))
      risks += (risks.empty() ? "" : ";") + code;
    const std::string type = view->monitoring_type(row, filter.year);
    const DivisionCode village = view->village_code(row);
    return std::vector<std::string>{view->household_number(row),
                                    AncestorName(ctx.divisions(), village, DivisionLevel::kCounty),
                                    AncestorName(ctx.divisions(), village, DivisionLevel::kTownship),
                                    NameOf(ctx.divisions(), village),
                                    DivisionCodeText(village),
                                    view->head_name(row),
                                    MaskIdNumber(view->head_id_number(row)),
                                    std::to_string(view->living_size(row)),
                                    view->ex_poor(row) ? "是" : "否",
                                    income == analytics::kNoIncome ? "" : YuanText(income),
                                    type.empty() ? "" : std::string(policy.monitoring_types.NameOf(type)),
                                    risks};
  };
  if (format == "csv") {
    ASSIGN_OR_RETURN(auto writer, CsvWriter::Create(path.string()));
    RETURN_IF_ERROR(writer->WriteRow(header));
    for (std::uint32_t row : rows) RETURN_IF_ERROR(writer->WriteRow(cells(row)));
    RETURN_IF_ERROR(writer->Close());
  } else {
    ASSIGN_OR_RETURN(auto writer, XlsxWriter::Create(path.string()));
    RETURN_IF_ERROR(writer->AddSheet("农户", header));
    for (std::uint32_t row : rows) RETURN_IF_ERROR(writer->AppendRow(cells(row)).status());
    RETURN_IF_ERROR(writer->Close());
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  std::error_code ignored;
  fs::remove(path, ignored);

  RETURN_IF_ERROR(ctx.RecordAudit(AuditAction::kExport, "households", filter.scope.lo,
                                  fmt::format("{} rows, {}", rows.size(), format)));

  Response response;
  response.content_type = format == "csv"
                              ? "text/csv; charset=utf-8"
                              : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(content).str();
  response.headers.emplace_back("Content-Disposition",
                                fmt::format("attachment; filename=\"households-{}.{}\"; "
                                            "filename*=UTF-8''%E5%86%9C%E6%88%B7%E5%90%8D%E5%8D%95-{}.{}",
                                            filter.year, format, filter.year, format));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

void RegisterRegistryRoutes(Router& router) {
  router.Add("GET", "/api/v1/dashboard", GetDashboard, RouteOptions::Permission("registry:dashboard:view"));
  router.Add("GET", "/api/v1/households", ListHouseholds,
             RouteOptions::Permission("registry:household:list"));
  router.Add("GET", "/api/v1/households/{number}", GetHouseholdDetail,
             RouteOptions::Permission("registry:household:query"));
  router.Add("POST", "/api/v1/households/{number}/unmask", UnmaskHousehold,
             RouteOptions::Permission("registry:household:unmask"));
  router.Add("GET", "/api/v1/exports/households", ExportHouseholds,
             RouteOptions::Permission("registry:household:export"));
}
ZX_REGISTER_CONTROLLER(RegisterRegistryRoutes);

}  // namespace
}  // namespace zx::http
