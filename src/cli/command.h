// Subcommand registry for the `zhenxing` binary. Each subcommand lives in its
// own file in src/cli and registers itself:
//
//   ZX_REGISTER_COMMAND(RegisterIdCommand);
//
// where RegisterIdCommand(CLI::App&) adds a CLI11 subcommand whose callback
// sets the process exit code through SetExitCode.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace zx::cli {

using Registrar = void (*)(CLI::App&);

std::vector<Registrar>& Registrars();
void SetExitCode(int code);
int ExitCode();

/// Prints a failed Status to stderr in Chinese ("错误：...") and sets exit code 1.
void ReportError(const Status& status);

struct RegisterCommand {
  explicit RegisterCommand(Registrar registrar) { Registrars().push_back(registrar); }
};

}  // namespace zx::cli

#define ZX_REGISTER_COMMAND(fn) \
  static ::zx::cli::RegisterCommand ZX_CONCAT(zx_register_command_, __LINE__)(fn)
