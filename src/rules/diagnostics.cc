#include "rules/diagnostics.h"

#include <fmt/format.h>

namespace zx::rules {

std::string FormatDiagnostic(const Diagnostic& diagnostic) {
  return fmt::format("第 {} 行第 {} 列：{}", diagnostic.line, diagnostic.column, diagnostic.message);
}

Status ToStatus(const std::vector<Diagnostic>& diagnostics) {
  if (diagnostics.empty()) return Status::Ok();
  std::string message;
  bool limit = false;
  for (const Diagnostic& diagnostic : diagnostics) {
    if (!message.empty()) message += '\n';
    message += FormatDiagnostic(diagnostic);
    limit = limit || diagnostic.kind == DiagnosticKind::kLimit;
  }
  return limit ? ResourceExhausted(std::move(message)) : InvalidArgument(std::move(message));
}

}  // namespace zx::rules
