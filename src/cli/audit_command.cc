// `zhenxing audit verify --db FILE` and `zhenxing audit head --db FILE`.
//
// verify recomputes the whole hash chain of case events
// (docs/formats/audit-chain.md) and prints the events checked, the hash of
// the newest event and every problem in Chinese. Exit codes: 0 the chain is
// intact, 1 problems found (or bad arguments), 2 other errors.
//
// head prints the newest seq and hash from the head record: the anchor to
// write down or publish, so that a later rewrite of the whole chain (which
// verify alone cannot notice) shows as a different hash at that seq.
// `--expect SEQ:HASH` on verify checks such an anchor: the event at SEQ must
// still carry HASH (the chain after it is verified by the walk).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/command.h"
#include "common/progress.h"
#include "storage/case_store.h"

namespace zx::cli {
namespace {

struct AuditArgs {
  std::string db;
  std::string expect;  // "SEQ:HASH"
};

std::string_view KindLabel(ChainProblemKind kind) {
  switch (kind) {
    case ChainProblemKind::kEdited:
      return "内容被修改";
    case ChainProblemKind::kInserted:
      return "插入伪造事件";
    case ChainProblemKind::kDeleted:
      return "事件被删除";
    case ChainProblemKind::kTruncated:
      return "末尾事件被删除";
    case ChainProblemKind::kHeadEdited:
      return "头记录被修改";
  }
  return "未知问题";
}

Result<std::unique_ptr<CaseStore>> OpenExisting(const std::string& db) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(db, error)) {
    return NotFound(fmt::format("数据库文件 {} 不存在（audit 不会创建数据库）", db));
  }
  return OpenCaseStore(db);
}

// Parses "SEQ:HASH".
Result<ChainHead> ParseAnchor(const std::string& text) {
  const size_t colon = text.find(':');
  ChainHead anchor;
  if (colon == std::string::npos || colon == 0 || text.find_first_not_of("0123456789") != colon) {
    return InvalidArgument(fmt::format("--expect 应为“序号:哈希值”（如 1024:3fa2…），而不是“{}”", text));
  }
  anchor.seq = std::stoll(text.substr(0, colon));
  anchor.hash = text.substr(colon + 1);
  if (anchor.hash.size() != 64 || anchor.hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return InvalidArgument(
        fmt::format("--expect 中的哈希值应为 64 位小写十六进制数，而不是“{}”", anchor.hash));
  }
  return anchor;
}

// Returns whether the chain is intact.
Result<bool> RunVerify(const AuditArgs& args) {
  std::optional<ChainHead> anchor;
  if (!args.expect.empty()) {
    ASSIGN_OR_RETURN(anchor, ParseAnchor(args.expect));
  }
  ASSIGN_OR_RETURN(auto store, OpenExisting(args.db));
  std::unique_ptr<ProgressBar> bar;
  ASSIGN_OR_RETURN(ChainReport report,
                   store->VerifyEventChainWithProgress([&](std::int64_t done, std::int64_t total) {
                     if (bar == nullptr) bar = std::make_unique<ProgressBar>("校验审计日志", total);
                     bar->Set(done);
                   }));
  if (bar != nullptr) bar->Finish();

  std::cout << fmt::format("数据库：{}\n已校验事件：{} 条\n最新事件哈希：{}\n", args.db, report.events,
                           report.head_hash.empty() ? "（无事件）" : report.head_hash);
  std::size_t problems = report.problems.size();
  for (const ChainProblem& problem : report.problems) {
    std::cout << fmt::format("问题［{}］第 {} 号：{}\n", KindLabel(problem.kind), problem.seq,
                             problem.message);
  }
  if (anchor.has_value()) {
    // The chain from the anchor to the head was just verified; the anchored
    // event itself must still carry the anchored hash.
    ASSIGN_OR_RETURN(std::optional<CaseEvent> anchored, store->EventAt(anchor->seq));
    if (!anchored.has_value()) {
      ++problems;
      std::cout << fmt::format("问题［锚点不符］第 {} 号：日志中已没有锚点所记录的事件：日志被截断或改写\n",
                               anchor->seq);
    } else if (anchored->hash != anchor->hash) {
      ++problems;
      std::cout << fmt::format(
          "问题［锚点不符］第 {} 号：该事件（案件 #{}）的哈希 {} 与记录的锚点 {} "
          "不同：日志在锚点之前（含）被改写\n",
          anchor->seq, anchored->case_id, anchored->hash, anchor->hash);
    } else {
      std::cout << fmt::format("锚点核对：第 {} 号事件的哈希与记录的锚点一致\n", anchor->seq);
    }
  }
  std::cout << (problems == 0 ? std::string("结论：审计日志完整，未发现篡改\n")
                              : fmt::format("结论：发现 {} 处问题\n", problems));
  return problems == 0;
}

Status RunHead(const AuditArgs& args) {
  ASSIGN_OR_RETURN(auto store, OpenExisting(args.db));
  ASSIGN_OR_RETURN(ChainHead head, store->EventHead());
  std::cout << fmt::format("数据库：{}\n最新事件序号：{}\n最新事件哈希：{}\n锚点（可记录或公布）：{}:{}\n",
                           args.db, head.seq, head.hash.empty() ? "（无事件）" : head.hash, head.seq,
                           head.hash);
  return Status::Ok();
}

void RegisterAuditCommand(CLI::App& app) {
  auto args = std::make_shared<AuditArgs>();
  CLI::App* audit = app.add_subcommand("audit", "案件审计日志（哈希链）：校验完整性、查看头记录");
  audit->require_subcommand(1);

  CLI::App* verify = audit->add_subcommand("verify", "重新计算整条哈希链，报告被修改、插入、删除的事件");
  verify->add_option("--db", args->db, "数据库文件（必须已存在）")->required();
  verify->add_option("--expect", args->expect,
                     "核对此前记录的锚点“序号:哈希值”（zhenxing audit head 的输出）");
  verify->footer("说明见 docs/formats/audit-chain.md。退出码：完整 0，发现问题或参数错误 1，其他错误 2。");
  verify->callback([args] {
    Result<bool> ok = RunVerify(*args);
    if (!ok.ok()) {
      ReportError(ok.status());
    } else if (!*ok) {
      SetExitCode(1);
    }
  });

  CLI::App* head = audit->add_subcommand("head", "显示最新事件的序号和哈希值（作为锚点记录或公布）");
  head->add_option("--db", args->db, "数据库文件（必须已存在）")->required();
  head->callback([args] {
    Status status = RunHead(*args);
    if (!status.ok()) ReportError(status);
  });
}

}  // namespace

ZX_REGISTER_COMMAND(RegisterAuditCommand);

}  // namespace zx::cli
