// `zhenxing serve --db FILE [--port 8080] [--bind 127.0.0.1] [--threads N]
//                 [--web-root DIR] [--access-log FILE] [--notice-contact TEXT]
//                 [--chromium PATH] [--test-clock-file PATH]`
// Starts the HTTP server (src/http) on an existing database and prints its
// URL; stops gracefully on SIGTERM/SIGINT. --port 0 picks a free port (the
// printed URL says which), which the end-to-end tests use.
// --test-clock-file is FOR TESTS ONLY: the server's time becomes real time
// plus the seconds written in that file (re-read per request; see
// http/clock.h), so tests can let notice periods and months pass. The
// server prints a warning while it is on.
#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "domain/policy.h"
#include "http/clock.h"
#include "http/router.h"
#include "http/server.h"
#include "storage/account_store.h"
#include "storage/store.h"

namespace zx::cli {
namespace {

struct ServeArgs {
  std::string db;
  int port = 8080;
  std::string bind = "127.0.0.1";
  int threads = 0;
  std::string web_root;
  std::string access_log;
  std::string notice_contact;
  std::string chromium;
  std::string test_clock_file;
};

std::string DefaultWebRoot() {
  std::error_code error;
  const std::filesystem::path dist = std::filesystem::path(ZX_SOURCE_DIR) / "web" / "dist";
  return std::filesystem::is_regular_file(dist / "index.html", error) ? dist.string() : std::string();
}

// A private temporary directory for import reports, removed at exit.
class TempDir {
 public:
  static Result<TempDir> Create() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zhenxing-serve-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return Unavailable("无法创建临时目录 " + pattern);
    return TempDir(pattern);
  }
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Status RunServe(const ServeArgs& args) {
  ASSIGN_OR_RETURN(StoreLocation location, ParseStoreLocation(args.db));
  std::error_code error;
  if (location.backend == StoreLocation::Backend::kSqlite &&
      !std::filesystem::exists(location.target, error)) {
    return NotFound("数据库文件 " + location.target +
                    " 不存在：请先用 zhenxing demo 或 zhenxing import 创建");
  }
  ASSIGN_OR_RETURN(DivisionTable defaults, DivisionTable::LoadDefault());
  ASSIGN_OR_RETURN(auto store, OpenStore(args.db, defaults));
  ASSIGN_OR_RETURN(std::vector<Division> rows, store->ListDivisions(DivisionScope::All()));
  ASSIGN_OR_RETURN(DivisionTable divisions, DivisionTable::FromDivisions(std::move(rows)));
  store.reset();
  ASSIGN_OR_RETURN(auto accounts, OpenAccountStore(args.db));
  ASSIGN_OR_RETURN(std::int64_t users, accounts->CountUsers(DivisionScope::All()));
  accounts.reset();
  ASSIGN_OR_RETURN(Policy policy, LoadDefaultPolicy());
  ASSIGN_OR_RETURN(TempDir temp, TempDir::Create());

  http::ServerEnv env;
  env.db_location = args.db;
  env.divisions = &divisions;
  env.policy = std::make_shared<const Policy>(std::move(policy));
  env.temp_dir = temp.path();
  env.notice_contact = args.notice_contact;
  env.chromium = args.chromium;
  if (!args.test_clock_file.empty()) env.clock = http::OffsetClockFromFile(args.test_clock_file);
  http::ServerOptions options;
  options.bind = args.bind;
  options.port = args.port;
  options.threads = args.threads;
  options.web_root = args.web_root.empty() ? DefaultWebRoot() : args.web_root;
  env.web_root = options.web_root;
  options.access_log = args.access_log;
  ASSIGN_OR_RETURN(auto server, http::Server::Create(env, options, http::BuildRouter()));

  const std::string host = args.bind == "0.0.0.0" ? "127.0.0.1" : args.bind;
  std::cout << fmt::format("振兴服务已启动：http://{}:{}/ （{} 个工作线程，数据库 {}）\n", host,
                           server->port(), server->threads(), args.db);
  if (options.web_root.empty()) {
    std::cout << "  未找到网页程序（web/dist）：只提供 /api/v1 接口；可用 --web-root 指定\n";
  } else {
    std::cout << "  网页程序目录：" << options.web_root << "\n";
  }
  if (!args.test_clock_file.empty()) {
    std::cout << "  警告：测试时钟已开启（--test-clock-file " << args.test_clock_file
              << "）：服务器时间 = 实际时间 + 该文件中的秒数。仅用于测试，切勿在生产环境使用！\n";
    std::cerr << "WARNING test clock on: now = real time + seconds in " << args.test_clock_file << "\n";
  }
  if (users == 0) std::cout << "  数据库中还没有账号：请先用 zhenxing user add 创建管理员\n";
  std::cout << "  按 Ctrl+C 停止" << std::endl;
  RETURN_IF_ERROR(server->Run());
  std::cout << "振兴服务已停止" << std::endl;
  return Status::Ok();
}

void RegisterServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* serve = app.add_subcommand("serve", "启动网页服务（HTTP API 与网页程序）");
  serve->add_option("--db", args->db, "数据库文件（SQLite）")->required();
  serve->add_option("--port", args->port, "端口（默认 8080；0 表示自动选择空闲端口）")
      ->check(CLI::Range(0, 65535));
  serve->add_option("--bind", args->bind, "监听地址（默认 127.0.0.1，仅本机可访问）");
  serve->add_option("--threads", args->threads, "工作线程数（默认 CPU 核数的 2 倍）")
      ->check(CLI::NonNegativeNumber);
  serve->add_option("--web-root", args->web_root, "网页程序目录（默认源码中的 web/dist，如果存在）");
  serve->add_option("--access-log", args->access_log, "访问日志文件（默认输出到标准错误）");
  serve->add_option("--notice-contact", args->notice_contact,
                    "公示文件上的异议受理联系方式（如“某某乡人民政府 0971-xxxxxxx”）");
  serve->add_option("--chromium", args->chromium,
                    "用于把公示打印为 PDF 的 Chromium（默认 /usr/bin/chromium）");
  serve->add_option("--test-clock-file", args->test_clock_file,
                    "仅供测试：服务器时间 = 实际时间 + 该文件中的秒数（每次请求重新读取）");
  serve->callback([args]() {
    Status status = RunServe(*args);
    if (!status.ok()) ReportError(status);
  });
}

ZX_REGISTER_COMMAND(RegisterServeCommand);

}  // namespace
}  // namespace zx::cli
