#include "analytics/registry_view.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace zx::analytics {
namespace {

constexpr int kRiskSlots = 8;

int IndexOf(const std::vector<std::string>& codes, std::string_view code) {
  for (size_t code_idx = 0; code_idx < codes.size(); ++code_idx) {
    if (codes[code_idx] == code) return static_cast<int>(code_idx);
  }
  return -1;
}

}  // namespace

const std::vector<Fen>& RegistryView::HistogramEdges() {
  static const std::vector<Fen> edges = {INT64_MIN,   Yuan(4000),  Yuan(6000),  Yuan(8000),
                                         Yuan(10000), Yuan(15000), Yuan(20000), Yuan(30000)};
  return edges;
}

Result<std::shared_ptr<const RegistryView>> RegistryView::Build(Store& store, LeadStore& leads,
                                                                const Policy& policy) {
  std::shared_ptr<RegistryView> view(new RegistryView());
  for (const auto& [unused_year, year] : policy.years) {
    view->years_.push_back(year.year);
    view->lines_.push_back(year.monitoring_line);
    view->line_is_example_.push_back(!year.official);
  }
  for (const CodeEntry& entry : policy.monitoring_types.entries) view->type_codes_.push_back(entry.code);
  for (const CodeEntry& entry : policy.risk_types.entries) view->risk_codes_.push_back(entry.code);
  if (view->risk_codes_.size() > 254 || view->type_codes_.size() > 254) {
    return Internal("风险类型或监测类型代码过多，无法建立查询视图");
  }
  const size_t year_count = view->years_.size();
  view->per_capita_.resize(year_count);
  view->type_.resize(year_count);
  view->risk_slots_.resize(year_count);

  RETURN_IF_ERROR(store.ScanHouseholds(DivisionScope::All(), [&](const HouseholdRecord& record) {
    view->household_number_.push_back(record.household.household_number);
    view->village_code_.push_back(record.household.village_code);
    view->ex_poor_.push_back(record.household.ex_poor ? 1 : 0);
    const int living = record.LivingSize();
    view->living_size_.push_back(static_cast<std::uint8_t>(std::min(living, 255)));
    const Person* head = nullptr;
    for (const Person& member : record.members) {
      if (member.relation == Relation::kHead) {
        head = &member;
        break;
      }
    }
    if (head == nullptr && !record.members.empty()) head = &record.members.front();
    view->head_name_.push_back(head != nullptr ? head->name : std::string());
    view->head_id_.push_back(head != nullptr ? head->id_number : std::string());
    for (size_t year_idx = 0; year_idx < year_count; ++year_idx) {
      Fen per_capita = 0;
      view->per_capita_[year_idx].push_back(
          record.PerCapitaNetIncome(view->years_[year_idx], &per_capita) ? per_capita : kNoIncome);
    }
    return Status::Ok();
  }));

  // Rows in (village_code, household_number) order; the scan gives
  // household_number order.
  const size_t rows = view->household_number_.size();
  std::vector<std::uint32_t> order(rows);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return view->village_code_[a] < view->village_code_[b];
  });
  auto permute = [&order](auto& column) {
    std::remove_reference_t<decltype(column)> sorted;
    sorted.reserve(column.size());
    for (std::uint32_t row : order) sorted.push_back(std::move(column[row]));
    column = std::move(sorted);
  };
  permute(view->household_number_);
  permute(view->village_code_);
  permute(view->ex_poor_);
  permute(view->living_size_);
  permute(view->head_name_);
  permute(view->head_id_);
  for (auto& column : view->per_capita_) permute(column);

  std::unordered_map<std::string, std::uint32_t> row_of;
  row_of.reserve(rows);
  for (std::uint32_t row = 0; row < rows; ++row) row_of.emplace(view->household_number_[row], row);
  for (size_t year_idx = 0; year_idx < year_count; ++year_idx) {
    view->type_[year_idx].assign(rows, 0);
    view->risk_slots_[year_idx].assign(rows, 0);
    RETURN_IF_ERROR(leads.ScanLeads(DivisionScope::All(), view->years_[year_idx], [&](const Lead& lead) {
      auto found = row_of.find(lead.household_number);
      if (found == row_of.end()) return Status::Ok();  // written after our scan; next rebuild sees it
      const int type_idx = IndexOf(view->type_codes_, lead.monitoring_type);
      view->type_[year_idx][found->second] = static_cast<std::uint8_t>(type_idx + 1);
      std::uint64_t slots = 0;
      int slot = 0;
      for (const std::string& code : lead.risk_codes) {
        const int risk_idx = IndexOf(view->risk_codes_, code);
        if (risk_idx < 0 || slot >= kRiskSlots) continue;
        slots |= static_cast<std::uint64_t>(risk_idx + 1) << (8 * slot++);
      }
      view->risk_slots_[year_idx][found->second] = slots;
      return Status::Ok();
    }));
    std::vector<std::uint32_t> by_income(rows);
    std::iota(by_income.begin(), by_income.end(), 0u);
    const std::vector<Fen>& income = view->per_capita_[year_idx];
    std::stable_sort(by_income.begin(), by_income.end(),
                     [&income](std::uint32_t a, std::uint32_t b) { return income[a] < income[b]; });
    view->by_income_.push_back(std::move(by_income));
  }
  return std::shared_ptr<const RegistryView>(std::move(view));
}

int RegistryView::YearIndex(int year) const {
  for (size_t year_idx = 0; year_idx < years_.size(); ++year_idx) {
    if (years_[year_idx] == year) return static_cast<int>(year_idx);
  }
  return -1;
}

Fen RegistryView::per_capita(std::uint32_t row, int year) const {
  const int year_idx = YearIndex(year);
  return year_idx < 0 ? kNoIncome : per_capita_[year_idx][row];
}

std::string RegistryView::monitoring_type(std::uint32_t row, int year) const {
  const int year_idx = YearIndex(year);
  if (year_idx < 0 || type_[year_idx][row] == 0) return {};
  return type_codes_[type_[year_idx][row] - 1];
}

std::vector<std::string> RegistryView::risk_codes(std::uint32_t row, int year) const {
  std::vector<std::string> codes;
  const int year_idx = YearIndex(year);
  if (year_idx < 0) return codes;
  std::uint64_t slots = risk_slots_[year_idx][row];
  for (; slots != 0; slots >>= 8) {
    const int value = static_cast<int>(slots & 0xff);
    if (value != 0) codes.push_back(risk_codes_[value - 1]);
  }
  return codes;
}

std::pair<std::uint32_t, std::uint32_t> RegistryView::Range(const DivisionScope& scope) const {
  auto begin = std::lower_bound(village_code_.begin(), village_code_.end(), scope.lo);
  auto end = std::upper_bound(begin, village_code_.end(), scope.hi);
  return {static_cast<std::uint32_t>(begin - village_code_.begin()),
          static_cast<std::uint32_t>(end - village_code_.begin())};
}

namespace {
// Translates the filter's codes once: type code (-1 any, 0 none, else index
// + 1; -2 an unknown code, matching nothing) and risk slot value.
struct Compiled {
  int year_idx = -1;
  int type_code = -1;
  int risk_slot = 0;
  bool nothing = false;
};
}  // namespace

ViewPage RegistryView::List(const ViewFilter& filter, ViewSort sort, bool descending, std::int64_t offset,
                            std::int64_t limit) const {
  ViewPage page;
  Compiled compiled;
  compiled.year_idx = YearIndex(filter.year);
  if (compiled.year_idx < 0) return page;
  if (filter.monitoring_type == "none") {
    compiled.type_code = 0;
  } else if (!filter.monitoring_type.empty()) {
    const int type_idx = IndexOf(type_codes_, filter.monitoring_type);
    if (type_idx < 0) return page;
    compiled.type_code = type_idx + 1;
  }
  if (!filter.risk.empty()) {
    const int risk_idx = IndexOf(risk_codes_, filter.risk);
    if (risk_idx < 0) return page;
    compiled.risk_slot = risk_idx + 1;
  }
  const auto [begin, end] = Range(filter.scope);
  const std::int64_t want_end = offset + limit;
  // Only the scope: the total is the range's size and the page is found
  // without looking at the other rows (the default list of every page).
  const bool unfiltered = compiled.type_code < 0 && compiled.risk_slot == 0 &&
                          !filter.income_min.has_value() && !filter.income_max.has_value() &&
                          !filter.ex_poor.has_value() && filter.keyword.empty();
  if (unfiltered && sort != ViewSort::kSize) {
    const std::int64_t size = end - begin;
    if (sort == ViewSort::kHouseholdNumber) {
      for (std::int64_t position = offset; position < std::min(want_end, size); ++position) {
        page.rows.push_back(descending ? static_cast<std::uint32_t>(end - 1 - position)
                                       : static_cast<std::uint32_t>(begin + position));
      }
    } else {
      const std::vector<std::uint32_t>& order = by_income_[compiled.year_idx];
      std::int64_t seen = 0;
      auto visit = [&](std::uint32_t row) {
        if (row < begin || row >= end) return true;
        if (seen >= offset) page.rows.push_back(row);
        ++seen;
        return seen < want_end;
      };
      if (!descending) {
        for (std::uint32_t row : order) {
          if (!visit(row)) break;
        }
      } else {
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
          if (!visit(*it)) break;
        }
      }
    }
    page.total = size;
    return page;
  }
  // Filtered: collect the matches with one sequential pass over the range
  // (raw columns, the cheapest and most selective tests first), then take
  // the page — ordering only as much as the page needs. Ties keep row order
  // (reversed when descending), as the unfiltered income order does.
  std::vector<std::uint32_t> all;
  {
    const int year_idx = compiled.year_idx;
    const std::uint64_t* slots = risk_slots_[year_idx].data();
    const std::uint8_t* types = type_[year_idx].data();
    const std::uint8_t* ex_poor = ex_poor_.data();
    const Fen* income = per_capita_[year_idx].data();
    // SWAR: a byte of `slots` equals the wanted slot value.
    const std::uint64_t pattern = 0x0101010101010101ull * static_cast<std::uint64_t>(compiled.risk_slot);
    const bool want_ex_poor = filter.ex_poor.value_or(false);
    const Fen income_min = filter.income_min.value_or(INT64_MIN + 1);
    const Fen income_max = filter.income_max.value_or(INT64_MAX);
    const bool income_filter = filter.income_min.has_value() || filter.income_max.has_value();
    for (std::uint32_t row = begin; row < end; ++row) {
      if (compiled.risk_slot > 0) {
        const std::uint64_t diff = slots[row] ^ pattern;
        if (((diff - 0x0101010101010101ull) & ~diff & 0x8080808080808080ull) == 0) continue;
      }
      if (compiled.type_code >= 0 && types[row] != compiled.type_code) continue;
      if (filter.ex_poor.has_value() && (ex_poor[row] != 0) != want_ex_poor) continue;
      if (income_filter &&
          (income[row] == kNoIncome || income[row] < income_min || income[row] > income_max)) {
        continue;
      }
      if (!filter.keyword.empty() && !household_number_[row].starts_with(filter.keyword) &&
          head_name_[row].find(filter.keyword) == std::string::npos) {
        continue;
      }
      all.push_back(row);
    }
  }
  page.total = static_cast<std::int64_t>(all.size());
  const auto first = static_cast<size_t>(std::min<std::int64_t>(offset, page.total));
  const auto last = static_cast<size_t>(std::min<std::int64_t>(want_end, page.total));
  if (sort == ViewSort::kHouseholdNumber) {
    if (descending) std::reverse(all.begin(), all.end());
    page.rows.assign(all.begin() + static_cast<std::ptrdiff_t>(first),
                     all.begin() + static_cast<std::ptrdiff_t>(last));
    return page;
  }
  if (sort == ViewSort::kPerCapita) {
    const std::vector<Fen>& income = per_capita_[compiled.year_idx];
    auto less = [&](std::uint32_t a, std::uint32_t b) {
      if (income[a] != income[b]) return descending ? income[a] > income[b] : income[a] < income[b];
      return descending ? a > b : a < b;
    };
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(last), all.end(), less);
    page.rows.assign(all.begin() + static_cast<std::ptrdiff_t>(first),
                     all.begin() + static_cast<std::ptrdiff_t>(last));
    return page;
  }
  // By size.
  auto less = [&](std::uint32_t a, std::uint32_t b) {
    if (living_size_[a] != living_size_[b]) {
      return descending ? living_size_[a] > living_size_[b] : living_size_[a] < living_size_[b];
    }
    return a < b;
  };
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(last), all.end(), less);
  page.rows.assign(all.begin() + static_cast<std::ptrdiff_t>(first),
                   all.begin() + static_cast<std::ptrdiff_t>(last));
  return page;
}

std::vector<std::uint32_t> RegistryView::All(const ViewFilter& filter) const {
  ViewPage page = List(filter, ViewSort::kHouseholdNumber, false, 0, INT64_MAX / 2);
  return std::move(page.rows);
}

DashboardFigures RegistryView::Dashboard(
    const DivisionScope& scope, int year,
    const std::vector<std::pair<DivisionCode, DivisionScope>>& children) const {
  DashboardFigures figures;
  figures.income_histogram.assign(HistogramEdges().size(), 0);
  const auto [begin, end] = Range(scope);
  const int year_idx = YearIndex(year);
  for (std::uint32_t row = begin; row < end; ++row) {
    ++figures.households;
    figures.persons += living_size_[row];
    if (ex_poor_[row] != 0) {
      ++figures.ex_poor_households;
      figures.ex_poor_persons += living_size_[row];
    }
    if (year_idx < 0) continue;
    if (type_[year_idx][row] != 0) {
      ++figures.monitored_households;
      ++figures.by_type[type_codes_[type_[year_idx][row] - 1]];
      for (std::uint64_t slots = risk_slots_[year_idx][row]; slots != 0; slots >>= 8) {
        if ((slots & 0xff) != 0) ++figures.by_risk[risk_codes_[(slots & 0xff) - 1]];
      }
    }
    const Fen income = per_capita_[year_idx][row];
    if (income != kNoIncome) {
      const auto& edges = HistogramEdges();
      const size_t bin =
          static_cast<size_t>(std::upper_bound(edges.begin(), edges.end(), income) - edges.begin()) - 1;
      ++figures.income_histogram[bin];
    }
  }
  for (size_t trend_idx = 0; trend_idx < years_.size(); ++trend_idx) {
    DashboardFigures::Year figure;
    figure.year = years_[trend_idx];
    figure.line = lines_[trend_idx];
    figure.line_is_example = line_is_example_[trend_idx];
    std::int64_t with_income = 0;
    __int128 sum = 0;
    for (std::uint32_t row = begin; row < end; ++row) {
      const Fen income = per_capita_[trend_idx][row];
      if (type_[trend_idx][row] != 0) ++figure.monitored_households;
      if (income == kNoIncome) continue;
      ++with_income;
      sum += income;
      if (income < figure.line) ++figure.below_line_households;
    }
    figure.mean_per_capita = with_income == 0 ? 0 : static_cast<Fen>(sum / with_income);
    figures.trend.push_back(figure);
  }
  for (const auto& [code, child_scope] : children) {
    DashboardFigures::Child child;
    child.code = code;
    const auto [child_begin, child_end] = Range(child_scope);
    for (std::uint32_t row = child_begin; row < child_end; ++row) {
      ++child.households;
      if (year_idx < 0) continue;
      if (type_[year_idx][row] != 0) ++child.monitored_households;
      const Fen income = per_capita_[year_idx][row];
      if (income != kNoIncome && income < lines_[year_idx]) ++child.below_line_households;
    }
    figures.children.push_back(child);
  }
  return figures;
}

}  // namespace zx::analytics
