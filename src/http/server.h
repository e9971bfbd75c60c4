// The HTTP server: Boost.Beast over Asio on a fixed pool of worker threads.
//
// Each worker thread runs the io_context and owns one ThreadResources (its
// own Store and AccountStore connections, opened lazily); a request is read,
// handled (blocking) and written on one worker. Connections are kept alive.
// Limits: 16 KiB of headers; the body limit is chosen per route before the
// body is read (Dispatcher::BodyLimit) and an oversized body gets 413 with a
// Chinese message. Timeouts: headers 30 s, body 300 s, idle keep-alive 60 s.
// Graceful shutdown on SIGTERM/SIGINT or Stop(): stop accepting, close idle
// connections, let in-flight requests finish (at most 30 s), return.
// One access-log line per request: time, client, method, path (no query),
// status, bytes, milliseconds, user.
//
// Thread-safety: Run blocks the calling thread; Stop may be called from any
// thread (and from a signal via the signal_set).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/router.h"

namespace zx::http {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;         // 0: an ephemeral port (see Server::port)
  int threads = 0;         // 0: 2 × hardware threads
  std::string web_root;    // "" or missing: no static files
  std::string access_log;  // "" : stderr
  int header_timeout_seconds = 30;
  int body_timeout_seconds = 300;
  int idle_timeout_seconds = 60;
  int shutdown_grace_seconds = 30;
  bool handle_signals = true;  // SIGTERM/SIGINT start a graceful shutdown
};

class Server {
 public:
  /// Binds the listening socket (so port() is known) without serving yet.
  static Result<std::unique_ptr<Server>> Create(ServerEnv env, ServerOptions options,
                                                std::unique_ptr<Router> router);
  ~Server();

  /// The bound port (useful with port 0).
  int port() const;
  int threads() const;
  /// Serves until a signal or Stop(); returns OK after a graceful shutdown.
  Status Run();
  /// Starts a graceful shutdown.
  void Stop();

  /// Implementation detail (server.cc).
  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace zx::http
