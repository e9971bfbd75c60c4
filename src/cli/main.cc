// `zhenxing`: the command-line entry point. Wires subcommands together; each
// subcommand is in its own file (see command.h).
#include <cstdio>
#include <iostream>

#include "cli/command.h"

namespace zx::cli {

std::vector<Registrar>& Registrars() {
  static std::vector<Registrar> registrars;
  return registrars;
}

namespace {
int g_exit_code = 0;
}

void SetExitCode(int code) { g_exit_code = code; }
int ExitCode() { return g_exit_code; }

void ReportError(const Status& status) {
  std::cerr << "错误：" << status.message() << "\n";
  SetExitCode(status.code() == StatusCode::kInvalidArgument ? 1 : 2);
}

}  // namespace zx::cli

int main(int argc, char** argv) {
  CLI::App app{"振兴：防止返贫动态监测和帮扶平台", "zhenxing"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "显示全部子命令的帮助");
  for (auto registrar : zx::cli::Registrars()) registrar(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return zx::cli::ExitCode();
}
