#include "http/router.h"

#include <cassert>
#include <chrono>

#include "http/clock.h"

namespace zx::http {
namespace {

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path = path.substr(slash + 1);
  }
  return segments;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Number of literal segments: the more, the more specific.
int Specificity(const Route& route) {
  int literal = 0;
  for (const std::string& segment : route.segments) literal += IsParam(segment) ? 0 : 1;
  return literal;
}

bool MatchSegments(const Route& route, const std::vector<std::string>& segments,
                   std::vector<std::pair<std::string, std::string>>* params) {
  if (route.segments.size() != segments.size()) return false;
  params->clear();
  for (size_t segment_idx = 0; segment_idx < segments.size(); ++segment_idx) {
    const std::string& pattern = route.segments[segment_idx];
    if (IsParam(pattern)) {
      if (segments[segment_idx].empty()) return false;
      params->emplace_back(pattern.substr(1, pattern.size() - 2), segments[segment_idx]);
    } else if (pattern != segments[segment_idx]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view Request::Query(std::string_view name) const {
  auto found = query.find(std::string(name));
  return found == query.end() ? std::string_view() : std::string_view(found->second);
}

bool Request::HasQuery(std::string_view name) const { return query.contains(std::string(name)); }

std::string_view Request::Header(std::string_view lower_name) const {
  auto found = headers.find(std::string(lower_name));
  return found == headers.end() ? std::string_view() : std::string_view(found->second);
}

Result<Store*> ThreadResources::store() {
  if (!store_) {
    ASSIGN_OR_RETURN(store_, OpenStore(env_.db_location, *env_.divisions));
  }
  return store_.get();
}

Result<AccountStore*> ThreadResources::accounts() {
  if (!accounts_) {
    ASSIGN_OR_RETURN(accounts_, OpenAccountStore(env_.db_location));
  }
  return accounts_.get();
}

std::string_view RequestContext::Param(std::string_view name) const {
  for (const auto& [key, value] : params_) {
    if (key == name) return value;
  }
  return {};
}

void RequestContext::SetUserForServer(User user, Session session) {
  scope_ = user.scope();
  user_ = std::move(user);
  session_ = std::move(session);
}

void RequestContext::ClearUserForServer() {
  user_.reset();
  session_.reset();
  scope_ = DivisionScope{1, 0};
}

void Router::Add(std::string method, std::string pattern, Handler handler, RouteOptions options) {
  assert(!pattern.empty() && pattern.front() == '/');
  auto route = std::make_unique<Route>();
  route->method = std::move(method);
  route->segments = SplitPath(pattern);
  route->pattern = std::move(pattern);
  route->handler = std::move(handler);
  route->options = std::move(options);
  for ([[maybe_unused]] const auto& existing : routes_) {
    assert(!(existing->method == route->method && existing->pattern == route->pattern) && "duplicate route");
  }
  routes_.push_back(std::move(route));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch best;
  const std::vector<std::string> segments = SplitPath(path);
  int best_specificity = -1;
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& route : routes_) {
    if (!MatchSegments(*route, segments, &params)) continue;
    best.path_matched = true;
    // HEAD is served by GET routes.
    const bool method_ok = route->method == method || (method == "HEAD" && route->method == "GET");
    if (!method_ok) continue;
    const int specificity = Specificity(*route);
    if (specificity > best_specificity) {
      best_specificity = specificity;
      best.route = route.get();
      best.params = params;
    }
  }
  return best;
}

std::vector<ControllerRegistrar>& ControllerRegistrars() {
  static std::vector<ControllerRegistrar> registrars;
  return registrars;
}

std::unique_ptr<Router> BuildRouter() {
  auto router = std::make_unique<Router>();
  for (ControllerRegistrar registrar : ControllerRegistrars()) registrar(*router);
  return router;
}

std::int64_t RequestContext::Now() const {
  const auto& clock = resources_.env().clock;
  return clock ? clock() : SystemClockSeconds();
}

Status RequestContext::RecordAudit(AuditAction action, std::string target, DivisionCode target_division,
                                   std::string detail) {
  if (user_ == std::nullopt) return Internal("记录审计事件时没有登录用户");
  ASSIGN_OR_RETURN(AccountStore * accounts, resources_.accounts());
  AuditEvent event;
  event.at = Now();
  event.actor = user_->username;
  event.actor_division = user_->division_code;
  event.action = action;
  event.target = std::move(target);
  event.target_division = target_division;
  event.detail = std::move(detail);
  event.remote_address = request_.remote_address;
  return accounts->AppendAudit(event);
}

}  // namespace zx::http
