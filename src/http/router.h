// The router of the HTTP server and the contract of every handler.
//
// A controller is one .cc file in src/http that adds its routes from a
// registrar function and registers that function with
// ZX_REGISTER_CONTROLLER (the zx_http library is linked whole-archive, so
// a file nothing else references is still linked):
//
//   // src/http/registry_controller.cc
//   #include "http/router.h"
//   namespace zx::http {
//   namespace {
//   Result<Response> GetHousehold(RequestContext& ctx) {
//     ASSIGN_OR_RETURN(Store* store, ctx.store());           // this thread's Store
//     ASSIGN_OR_RETURN(auto found, store->GetHousehold(ctx.scope(), std::string(ctx.Param("number"))));
//     if (!found) return NotFound("农户 " + std::string(ctx.Param("number")) + " 不存在");
//     return JsonOk(ToJson(*found));                         // envelope.h
//   }
//   void RegisterRegistryRoutes(Router& router) {
//     router.Add("GET", "/api/v1/households/{number}", GetHousehold,
//                RouteOptions::Permission("registry:household:query"));
//   }
//   ZX_REGISTER_CONTROLLER(RegisterRegistryRoutes);
//   }  // namespace
//   }  // namespace zx::http
//
// Handler contract:
//   * A handler is `Result<Response>(RequestContext&)`. It returns a
//     Response (usually built with the envelope.h helpers) or a non-OK
//     Status, which the server turns into the error envelope with the HTTP
//     status from HttpStatusFor (status_mapping.h) — handlers never pick
//     status codes for errors themselves.
//   * Before the handler runs, the server has: matched the route; enforced
//     the body limit; resolved the session cookie into ctx.user() (routes
//     with Access::kPublic get nullptr); checked X-CSRF-Token on every
//     method other than GET/HEAD; refused users who must change their
//     password (except on Access::kAllowPasswordChange routes); checked
//     `permission` against the user's role. So a kSession handler can rely
//     on ctx.user() != nullptr and on ctx.scope() being the user's subtree.
//   * Every storage call passes ctx.scope(): an out-of-scope object must
//     answer NotFound exactly like a missing one (no existence leak).
//   * ctx.store() / ctx.accounts() / ctx.PerThread<T>() are this worker
//     thread's own connections, opened lazily on first use and reused by
//     later requests on the same thread. Never keep them beyond the call.
//   * Handlers must not throw on user input; a stray exception is caught
//     by the server (500 + log line), but that is a bug.
//   * Handlers run on a fixed pool of worker threads; they may block (SQLite)
//     but should not sleep.
//
// Thread-safety: routes are added before the server starts; afterwards the
// Router is immutable and Match is safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/division.h"
#include "domain/policy.h"
#include "storage/account_store.h"
#include "storage/store.h"

namespace zx::http {

/// A parsed request as handlers see it (no Beast types).
struct Request {
  std::string method;                             // upper case: "GET", "POST", …
  std::string target;                             // raw target, path and query
  std::string path;                               // percent-decoded path without the query
  std::multimap<std::string, std::string> query;  // percent-decoded
  std::map<std::string, std::string> headers;     // names lower-cased
  std::string body;
  std::string remote_address;

  /// First value of query parameter `name`, or "" (use HasQuery to tell
  /// an absent parameter from an empty one).
  std::string_view Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
  /// Header by lower-case name, or "".
  std::string_view Header(std::string_view lower_name) const;
};

/// What a handler returns. JSON responses come from envelope.h.
struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  /// Extra headers (Set-Cookie, Content-Disposition, Cache-Control, ETag…).
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Configuration shared by every thread (immutable while serving).
struct ServerEnv {
  std::string db_location;  // --db, as given to Open*Store
  const DivisionTable* divisions = nullptr;
  std::shared_ptr<const Policy> policy;  // the loaded provincial policy
  std::string web_root;                  // "" when no web app is served
  std::string temp_dir;                  // import reports etc., owned by the server
  /// The server's clock, Unix seconds (sessions, audit times, workflow
  /// deadlines). Empty: the system clock. `zhenxing serve --test-clock-file`
  /// installs an offset clock (http/clock.h) for tests only.
  std::function<std::int64_t()> clock;
  /// Who to contact about a public notice (the township's office and
  /// phone), printed on notice documents (`serve --notice-contact`).
  std::string notice_contact;
  /// Headless Chromium used to print notices to PDF ("" → /usr/bin/chromium).
  std::string chromium;
};

/// Per-worker-thread resources: connections opened lazily, one per thread.
class ThreadResources {
 public:
  explicit ThreadResources(const ServerEnv& env) : env_(env) {}

  /// This thread's registry Store (OpenStore on first use).
  Result<Store*> store();
  /// This thread's AccountStore (OpenAccountStore on first use).
  Result<AccountStore*> accounts();

  /// Any other per-thread object (e.g. the lead store): created by `open`
  /// on first use on this thread and cached by type T.
  template <typename T>
  Result<T*> PerThread(const std::function<Result<std::unique_ptr<T>>(const ServerEnv&)>& open) {
    auto found = others_.find(std::type_index(typeid(T)));
    if (found != others_.end()) return static_cast<T*>(found->second.get());
    ASSIGN_OR_RETURN(std::unique_ptr<T> made, open(env_));
    T* raw = made.get();
    others_.emplace(std::type_index(typeid(T)), std::shared_ptr<void>(std::move(made)));
    return raw;
  }

  const ServerEnv& env() const { return env_; }

 private:
  const ServerEnv& env_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<AccountStore> accounts_;
  std::map<std::type_index, std::shared_ptr<void>> others_;
};

/// Everything a handler may use.
class RequestContext {
 public:
  RequestContext(const Request& request, ThreadResources& resources)
      : request_(request), resources_(resources) {}

  const Request& request() const { return request_; }
  /// Path parameter `{name}` of the matched route ("" if absent).
  std::string_view Param(std::string_view name) const;
  std::string_view Query(std::string_view name) const { return request_.Query(name); }

  /// The logged-in user; nullptr only on Access::kPublic routes.
  const User* user() const { return user_.has_value() ? &*user_ : nullptr; }
  /// The current session (csrf token etc.); nullptr when not logged in.
  const Session* session() const { return session_.has_value() ? &*session_ : nullptr; }
  /// The user's subtree; the empty range (admits nothing) when not logged in.
  const DivisionScope& scope() const { return scope_; }

  Result<Store*> store() { return resources_.store(); }
  Result<AccountStore*> accounts() { return resources_.accounts(); }
  template <typename T>
  Result<T*> PerThread(const std::function<Result<std::unique_ptr<T>>(const ServerEnv&)>& open) {
    return resources_.PerThread<T>(open);
  }
  const ServerEnv& env() const { return resources_.env(); }
  const DivisionTable& divisions() const { return *resources_.env().divisions; }
  /// The server's clock (ServerEnv::clock), Unix seconds. Every handler
  /// that needs "now" asks here, so the test clock moves all of them.
  std::int64_t Now() const;

  /// Appends an access-audit event by the logged-in user (now, from this
  /// request's address) through this thread's AccountStore.
  Status RecordAudit(AuditAction action, std::string target, DivisionCode target_division,
                     std::string detail);

  /// Name of the acting user for the access log ("-" when anonymous).
  std::string LogUser() const { return user_ ? user_->username : "-"; }

  // Set by the server before the handler runs.
  void SetParamsForServer(std::vector<std::pair<std::string, std::string>> params) {
    params_ = std::move(params);
  }
  void SetUserForServer(User user, Session session);
  void ClearUserForServer();

 private:
  const Request& request_;
  ThreadResources& resources_;
  std::vector<std::pair<std::string, std::string>> params_;
  std::optional<User> user_;
  std::optional<Session> session_;
  DivisionScope scope_{1, 0};  // empty until a user is set
};

using Handler = std::function<Result<Response>(RequestContext&)>;

/// Who may call a route.
enum class Access {
  kSession,              // a logged-in user who has no pending password change (default)
  kAllowPasswordChange,  // a logged-in user, even one who must change the password (/auth/*)
  kPublic,               // anyone (login, health, openapi)
};

struct RouteOptions {
  Access access = Access::kSession;
  /// Required permission ("registry:household:list"); empty: any user.
  /// Permissions per role: RolePermissions() in http/auth.h.
  std::string permission;
  /// Body limit in bytes; 0 means the server default (1 MiB).
  std::size_t max_body_bytes = 0;

  // Named constructors (g++ 12 warns on partial designated initialisers).
  static RouteOptions Public() { return WithAccess(Access::kPublic); }
  static RouteOptions AllowPasswordChange() { return WithAccess(Access::kAllowPasswordChange); }
  static RouteOptions Permission(std::string permission) {
    RouteOptions options;
    options.permission = std::move(permission);
    return options;
  }
  static RouteOptions WithAccess(Access access) {
    RouteOptions options;
    options.access = access;
    return options;
  }
  RouteOptions& MaxBody(std::size_t bytes) {
    max_body_bytes = bytes;
    return *this;
  }
};

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/users/{username}"
  std::vector<std::string> segments;
  Handler handler;
  RouteOptions options;
};

/// Result of Match.
struct RouteMatch {
  const Route* route = nullptr;  // nullptr: no route for this path/method
  bool path_matched = false;     // a route has this path but another method (→ 405)
  std::vector<std::pair<std::string, std::string>> params;
};

class Router {
 public:
  /// Adds a route. `pattern` is an absolute path whose segments are literal
  /// or `{name}` (matches one non-empty segment). Literal segments win over
  /// parameters when both match. Duplicate method+pattern is a programmer
  /// error (assert).
  void Add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  /// Finds the route for `method` and a percent-decoded `path`.
  RouteMatch Match(std::string_view method, std::string_view path) const;
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  std::vector<std::unique_ptr<Route>> routes_;
};

/// Controllers register here (see the header comment).
using ControllerRegistrar = void (*)(Router&);
std::vector<ControllerRegistrar>& ControllerRegistrars();
struct RegisterController {
  explicit RegisterController(ControllerRegistrar registrar) { ControllerRegistrars().push_back(registrar); }
};
/// A Router with every registered controller's routes.
std::unique_ptr<Router> BuildRouter();

}  // namespace zx::http

#define ZX_REGISTER_CONTROLLER(fn) \
  static ::zx::http::RegisterController ZX_CONCAT(zx_register_controller_, __LINE__)(fn)
