// Unit tests of the socket-free parts of src/http: router, envelope, status
// mapping, cookie/CSRF/query parsing, static file resolution, auth helpers.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "http/auth.h"
#include "http/dispatcher.h"
#include "http/envelope.h"
#include "http/http_util.h"
#include "http/openapi_document.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/status_mapping.h"

namespace zx::http {
namespace {

namespace fs = std::filesystem;

Result<Response> Named(const char* name, RequestContext& ctx) {
  Response response;
  response.body =
      std::string(name) + ":" + std::string(ctx.Param("id")) + ":" + std::string(ctx.Param("sub"));
  return response;
}

TEST(RouterTest, MatchesLiteralsAndParameters) {
  Router router;
  router.Add("GET", "/api/v1/users", [](RequestContext& ctx) { return Named("list", ctx); });
  router.Add("GET", "/api/v1/users/{id}", [](RequestContext& ctx) { return Named("get", ctx); });
  router.Add("POST", "/api/v1/users/{id}/unlock", [](RequestContext& ctx) { return Named("unlock", ctx); });
  router.Add("GET", "/api/v1/users/me", [](RequestContext& ctx) { return Named("me", ctx); });

  RouteMatch list = router.Match("GET", "/api/v1/users");
  ASSERT_NE(list.route, nullptr);
  EXPECT_EQ(list.route->pattern, "/api/v1/users");

  RouteMatch get = router.Match("GET", "/api/v1/users/alice");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->pattern, "/api/v1/users/{id}");
  ASSERT_EQ(get.params.size(), 1u);
  EXPECT_EQ(get.params[0], (std::pair<std::string, std::string>("id", "alice")));

  RouteMatch me = router.Match("GET", "/api/v1/users/me");  // literal beats parameter
  ASSERT_NE(me.route, nullptr);
  EXPECT_EQ(me.route->pattern, "/api/v1/users/me");

  RouteMatch wrong_method = router.Match("DELETE", "/api/v1/users/alice");
  EXPECT_EQ(wrong_method.route, nullptr);
  EXPECT_TRUE(wrong_method.path_matched);

  RouteMatch head = router.Match("HEAD", "/api/v1/users");
  ASSERT_NE(head.route, nullptr);

  for (const char* missing : {"/api/v1/users/alice/extra", "/api/v1/user", "/api/v1/users/", "/"}) {
    RouteMatch none = router.Match("GET", missing);
    EXPECT_EQ(none.route, nullptr) << missing;
  }
  EXPECT_FALSE(router.Match("GET", "/api/v1/users//unlock").path_matched);
}

TEST(RouterTest, RegisteredControllersCoverTheApi) {
  std::unique_ptr<Router> router = BuildRouter();
  const std::pair<const char*, const char*> expected[] = {
      {"POST", "/api/v1/auth/login"},
      {"POST", "/api/v1/auth/logout"},
      {"GET", "/api/v1/auth/me"},
      {"POST", "/api/v1/auth/password"},
      {"GET", "/api/v1/users"},
      {"POST", "/api/v1/users"},
      {"PUT", "/api/v1/users/x"},
      {"POST", "/api/v1/users/x/reset-password"},
      {"POST", "/api/v1/users/x/unlock"},
      {"GET", "/api/v1/divisions/children"},
      {"GET", "/api/v1/code-tables"},
      {"POST", "/api/v1/imports/households"},
      {"GET", "/api/v1/imports/abc/report"},
      {"GET", "/api/v1/health"},
      {"GET", "/api/v1/openapi.json"},
  };
  for (const auto& [method, path] : expected) {
    EXPECT_NE(router->Match(method, path).route, nullptr) << method << " " << path;
  }
  EXPECT_EQ(router->Match("POST", "/api/v1/auth/login").route->options.access, Access::kPublic);
  EXPECT_EQ(router->Match("GET", "/api/v1/users").route->options.permission, "system:user:list");
}

TEST(RouterTest, OpenApiDocumentListsEveryRoute) {
  nlohmann::json doc = nlohmann::json::parse(OpenApiDocument(), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::unique_ptr<Router> router = BuildRouter();
  for (const auto& route : router->routes()) {
    std::string path = route->pattern.substr(std::string("/api/v1").size());
    // Parameter names in the document may differ; compare the shapes.
    bool found = false;
    for (const auto& [doc_path, item] : doc["paths"].items()) {
      Router probe;
      probe.Add("GET", doc_path, [](RequestContext&) -> Result<Response> { return Response{}; });
      std::string concrete = path;
      for (size_t pos = concrete.find('{'); pos != std::string::npos; pos = concrete.find('{')) {
        concrete.replace(pos, concrete.find('}', pos) - pos + 1, "x");
      }
      if (probe.Match("GET", concrete).route != nullptr) {
        std::string method = route->method;
        for (char& c : method) c = static_cast<char>(std::tolower(c));
        found = item.contains(method);
        if (found) break;
      }
    }
    EXPECT_TRUE(found) << route->method << " " << route->pattern << " missing from openapi.json";
  }
}

TEST(StatusMappingTest, EveryCodeHasOneStatus) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

TEST(EnvelopeTest, ShapesFollowTheContract) {
  Response ok = JsonOk(nlohmann::json{{"a", 1}});
  EXPECT_EQ(ok.status, 200);
  auto body = nlohmann::json::parse(ok.body);
  EXPECT_EQ(body["code"], 0);
  EXPECT_EQ(body["msg"], "成功");
  EXPECT_EQ(body["data"]["a"], 1);

  Response page = JsonPage(nlohmann::json::array({1, 2}), 7);
  body = nlohmann::json::parse(page.body);
  EXPECT_EQ(body["rows"].size(), 2u);
  EXPECT_EQ(body["total"], 7);
  EXPECT_FALSE(body.contains("data"));

  Response error = ErrorFromStatus(NotFound("用户 x 不存在"));
  EXPECT_EQ(error.status, 404);
  body = nlohmann::json::parse(error.body);
  EXPECT_EQ(body["code"], 404);
  EXPECT_EQ(body["msg"], "用户 x 不存在");
  EXPECT_TRUE(body["data"].is_null());
}

TEST(EnvelopeTest, BodyAndPagingParsing) {
  Request request;
  request.body = "not json";
  EXPECT_EQ(ParseJsonBody(request).status().code(), StatusCode::kInvalidArgument);
  request.body = "[1]";
  EXPECT_EQ(ParseJsonBody(request).status().code(), StatusCode::kInvalidArgument);
  request.body = R"({"name": 5, "flag": true})";
  auto body = ParseJsonBody(request);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(RequiredString(*body, "name").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(RequiredString(*body, "missing").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OptionalBool(*body, "flag").value(), std::optional<bool>(true));

  request.query = ParseQuery("page=3&page_size=50");
  auto paging = ParsePaging(request);
  ASSERT_TRUE(paging.ok());
  EXPECT_EQ(paging->offset(), 100);
  request.query = ParseQuery("page_size=201");
  EXPECT_FALSE(ParsePaging(request).ok());
  request.query = ParseQuery("page=0");
  EXPECT_FALSE(ParsePaging(request).ok());
  request.query = ParseQuery("page=2x");
  EXPECT_FALSE(ParsePaging(request).ok());
}

TEST(HttpUtilTest, PercentDecodingAndQueries) {
  EXPECT_EQ(PercentDecode("%E4%B8%AD+a", true), std::optional<std::string>("中 a"));
  EXPECT_EQ(PercentDecode("a+b", false), std::optional<std::string>("a+b"));
  EXPECT_FALSE(PercentDecode("%zz", false).has_value());
  EXPECT_FALSE(PercentDecode("%4", false).has_value());
  EXPECT_FALSE(PercentDecode("a%00b", false).has_value());
  auto query = ParseQuery("keyword=%E5%BC%A0&page=2&&=x&flag");
  EXPECT_EQ(query.find("keyword")->second, "张");
  EXPECT_EQ(query.find("page")->second, "2");
  EXPECT_EQ(query.find("flag")->second, "");
  EXPECT_EQ(query.count(""), 0u);
}

TEST(HttpUtilTest, CookiesAndSecrets) {
  EXPECT_EQ(CookieValue("a=1; zx_session=abc; b=2", "zx_session"), std::optional<std::string>("abc"));
  EXPECT_EQ(CookieValue("zx_session=\"q\"", "zx_session"), std::optional<std::string>("q"));
  EXPECT_FALSE(CookieValue("xzx_session=abc", "zx_session").has_value());
  EXPECT_FALSE(CookieValue("", "zx_session").has_value());
  EXPECT_TRUE(SecretsEqual("abc", "abc"));
  EXPECT_FALSE(SecretsEqual("abc", "abd"));
  EXPECT_FALSE(SecretsEqual("abc", "ab"));
  EXPECT_FALSE(SecretsEqual("", "a"));
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("zx_static_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "assets");
    Write(root_ / "index.html", "<html>" + std::string(2000, 'x') + "</html>");
    Write(root_ / "assets" / "app.1234.js", "console.log(1);");
    Write(root_ / "favicon.ico", "ico");
    Write(root_.parent_path() / ("zx_static_secret_" + std::to_string(::getpid())), "secret");
  }
  void TearDown() override {
    fs::remove_all(root_);
    fs::remove(root_.parent_path() / ("zx_static_secret_" + std::to_string(::getpid())));
  }
  static void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

  fs::path root_;
};

TEST_F(StaticFilesTest, ResolvesFilesFallsBackAndRefusesTraversal) {
  EXPECT_EQ(ResolveStaticPath(root_, "/")->relative, "index.html");
  EXPECT_EQ(ResolveStaticPath(root_, "/assets/app.1234.js")->relative, "assets/app.1234.js");
  EXPECT_EQ(ResolveStaticPath(root_, "/households/H1")->relative, "index.html");  // SPA route
  EXPECT_FALSE(ResolveStaticPath(root_, "/assets/missing.js").has_value());
  const std::string secret = "zx_static_secret_" + std::to_string(::getpid());
  for (const std::string& bad :
       std::vector<std::string>{"/../" + secret, "/assets/../../" + secret, "/a/./b", "/..", "/x\\..\\y"}) {
    EXPECT_FALSE(ResolveStaticPath(root_, bad).has_value()) << bad;
  }
  // A symlink leading outside the root is refused.
  fs::create_symlink(root_.parent_path() / secret, root_ / "link.txt");
  auto linked = ResolveStaticPath(root_, "/link.txt");
  ASSERT_TRUE(linked.has_value());
  EXPECT_EQ(linked->relative, "index.html");
}

TEST_F(StaticFilesTest, CacheHeadersEtagAndGzip) {
  StaticFiles files(root_);
  Request request;
  request.method = "GET";
  request.path = "/";
  request.headers["accept-encoding"] = "gzip, deflate, br";
  Response index = files.Serve(request);
  ASSERT_EQ(index.status, 200);
  auto header = [](const Response& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return std::string();
  };
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  EXPECT_EQ(header(index, "Content-Encoding"), "gzip");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  // The gzip body inflates back to the file.
  std::string inflated(5000, '\0');
  z_stream stream{};
  ASSERT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(index.body.data());
  stream.avail_in = static_cast<uInt>(index.body.size());
  stream.next_out = reinterpret_cast<Bytef*>(inflated.data());
  stream.avail_out = static_cast<uInt>(inflated.size());
  ASSERT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  inflated.resize(stream.total_out);
  inflateEnd(&stream);
  EXPECT_EQ(inflated, "<html>" + std::string(2000, 'x') + "</html>");

  request.headers["if-none-match"] = header(index, "ETag");
  EXPECT_EQ(files.Serve(request).status, 304);

  request.headers.clear();
  request.path = "/assets/app.1234.js";
  Response asset = files.Serve(request);
  EXPECT_EQ(asset.body, "console.log(1);");
  EXPECT_EQ(header(asset, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(asset, "Content-Encoding"), "");
  request.path = "/assets/nothing.js";
  EXPECT_EQ(files.Serve(request).status, 404);
}

TEST(AuthTest, PasswordHashRoundTripAndCost) {
  const auto start = std::chrono::steady_clock::now();
  auto hash = HashPassword("Correct horse 1");
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_TRUE(VerifyPassword("Correct horse 1", *hash));
  EXPECT_FALSE(VerifyPassword("Correct horse 2", *hash));
  EXPECT_FALSE(VerifyPassword("Correct horse 1", "$2b$plain-bcrypt"));
  auto again = HashPassword("Correct horse 1");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);  // random salt
  RecordProperty("argon2id_hash_ms", std::to_string(ms));
  std::printf("argon2id hash: %.1f ms\n", ms);
}

TEST(AuthTest, PasswordRuleAndGeneratedPasswords) {
  EXPECT_FALSE(CheckPasswordRule("short1").ok());
  EXPECT_FALSE(CheckPasswordRule("lettersonly").ok());
  EXPECT_FALSE(CheckPasswordRule("1234567890").ok());
  EXPECT_TRUE(CheckPasswordRule("abcdefg1").ok());
  for (int attempt = 0; attempt < 20; ++attempt) {
    auto password = GeneratePassword();
    ASSERT_TRUE(password.ok());
    EXPECT_EQ(password->size(), 12u);
    EXPECT_TRUE(CheckPasswordRule(*password).ok()) << *password;
  }
}

TEST(AuthTest, TokensAndDigests) {
  auto token = RandomHex(32);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 64u);
  EXPECT_NE(*token, *RandomHex(32));
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(SessionCookie("t"), "zx_session=t; Path=/; HttpOnly; SameSite=Strict");
}

TEST(AuthTest, Masking) {
  EXPECT_EQ(MaskIdNumber("63012119800101123X"), "630121********123X");
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone(""), "");
  EXPECT_EQ(MaskIdNumber("123"), "***");
  EXPECT_TRUE(CanUnmask(Role::kCounty));
  EXPECT_TRUE(CanUnmask(Role::kTownship));
  for (Role role : {Role::kProvince, Role::kPrefecture, Role::kVillage, Role::kDepartment, Role::kAuditor}) {
    EXPECT_FALSE(CanUnmask(role)) << RoleCode(role);
  }
}

TEST(AuthTest, NobodyGrantsMorePowerThanItHas) {
  User county;
  county.role = Role::kCounty;
  county.division_level = DivisionLevel::kCounty;
  EXPECT_TRUE(CheckCanGrant(county, Role::kTownship, DivisionLevel::kTownship).ok());
  EXPECT_TRUE(CheckCanGrant(county, Role::kCounty, DivisionLevel::kCounty).ok());
  EXPECT_TRUE(CheckCanGrant(county, Role::kAuditor, DivisionLevel::kCounty).ok());
  EXPECT_EQ(CheckCanGrant(county, Role::kPrefecture, DivisionLevel::kPrefecture).code(),
            StatusCode::kPermissionDenied);
  User department;
  department.role = Role::kDepartment;
  department.division_level = DivisionLevel::kProvince;
  EXPECT_EQ(CheckCanGrant(department, Role::kAuditor, DivisionLevel::kVillage).code(),
            StatusCode::kPermissionDenied);
  User auditor;
  auditor.role = Role::kAuditor;
  auditor.division_level = DivisionLevel::kProvince;
  EXPECT_EQ(CheckCanGrant(auditor, Role::kVillage, DivisionLevel::kVillage).code(),
            StatusCode::kPermissionDenied);
  EXPECT_FALSE(HasPermission(Role::kAuditor, "registry:household:import"));
  EXPECT_TRUE(HasPermission(Role::kDepartment, "registry:household:import"));
  EXPECT_FALSE(HasPermission(Role::kDepartment, "registry:household:list"));
}

TEST(DispatcherTest, BodyLimitsPerRoute) {
  std::unique_ptr<Router> router = BuildRouter();
  Dispatcher dispatcher(*router, nullptr);
  EXPECT_EQ(dispatcher.BodyLimit("POST", "/api/v1/users"), kDefaultMaxBodyBytes);
  EXPECT_EQ(dispatcher.BodyLimit("POST", "/api/v1/imports/households"), kImportMaxBodyBytes);
  EXPECT_EQ(BodyTooLargeMessage(kDefaultMaxBodyBytes), "请求体过大：上限为 1 MiB");
}

}  // namespace
}  // namespace zx::http
