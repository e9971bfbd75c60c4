#include "http/server.h"

#include <fmt/format.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "http/dispatcher.h"
#include "http/envelope.h"
#include "http/http_util.h"
#include "http/static_files.h"

namespace zx::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::uint32_t kHeaderLimit = 16 * 1024;
// Bytes read and discarded after a refused body before giving up on the client.
constexpr std::size_t kDrainLimit = std::size_t{8} << 20;

thread_local ThreadResources* t_resources = nullptr;

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class AccessLog {
 public:
  explicit AccessLog(std::FILE* file, bool owned) : file_(file), owned_(owned) {}
  ~AccessLog() {
    if (owned_) std::fclose(file_);
  }
  void Write(const std::string& line) {
    std::lock_guard lock(mutex_);
    std::fputs(line.c_str(), file_);
    std::fflush(file_);
  }

 private:
  std::mutex mutex_;
  std::FILE* file_;
  bool owned_;
};

}  // namespace

class Connection;

struct Server::Impl {
  ServerEnv env;
  ServerOptions options;
  std::unique_ptr<Router> router;
  std::unique_ptr<StaticFiles> static_files;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<AccessLog> access_log;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::signal_set signals{ioc};
  net::steady_timer force_stop{ioc};
  std::atomic<bool> stopping{false};
  int thread_count = 1;

  std::mutex connections_mutex;
  std::uint64_t next_connection_id = 0;
  std::map<std::uint64_t, std::weak_ptr<Connection>> connections;

  void Accept();
  void BeginShutdown();
  void Forget(std::uint64_t id);
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket&& socket, Server::Impl& server, std::uint64_t id)
      : stream_(std::move(socket)), server_(server), id_(id) {
    beast::error_code error;
    auto endpoint = stream_.socket().remote_endpoint(error);
    if (!error) remote_ = endpoint.address().to_string();
  }
  ~Connection() { server_.Forget(id_); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(true); });
  }

  /// Called on shutdown: closes the connection if it waits for a request.
  void CloseIfIdle() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.socket().close(ignored);
      }
    });
  }

 private:
  void ReadHeader(bool first) {
    if (server_.stopping) return Close();
    idle_ = true;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // Beast checks Content-Length against the body limit while parsing the
    // header; the real, per-route limit is set in OnHeader.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(std::chrono::seconds(first ? server_.options.header_timeout_seconds
                                                     : server_.options.idle_timeout_seconds));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnHeader(error); });
  }

  void OnHeader(beast::error_code error) {
    idle_ = false;
    if (error) {
      if (error == bhttp::error::header_limit) {
        return Reply(ErrorResponse(431, "请求头过大"), false, "-", "-", "-");
      }
      return Close();
    }
    started_ = std::chrono::steady_clock::now();
    auto& header = parser_->get();
    const std::string target(header.target());
    const std::string raw_path = target.substr(0, target.find('?'));
    const std::string method(header.method_string());
    std::optional<std::string> path = PercentDecode(raw_path, false);
    const std::size_t limit = server_.dispatcher->BodyLimit(method, path ? *path : raw_path);
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return Reply(ErrorResponse(413, BodyTooLargeMessage(limit)), false, method, raw_path, "-");
    }
    parser_->body_limit(limit);
    stream_.expires_after(std::chrono::seconds(server_.options.body_timeout_seconds));
    if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
      auto cont =
          std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, header.version());
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code write_error, std::size_t) {
                           if (write_error) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, std::size_t) { self->OnBody(error); });
  }

  void OnBody(beast::error_code error) {
    auto& message = parser_->get();
    const std::string method(message.method_string());
    const std::string target(message.target());
    const std::string raw_path = target.substr(0, target.find('?'));
    if (error == bhttp::error::body_limit) {
      const std::size_t limit = server_.dispatcher->BodyLimit(method, raw_path);
      return Reply(ErrorResponse(413, BodyTooLargeMessage(limit)), false, method, raw_path, "-");
    }
    if (error) return Close();

    Request request;
    request.method = method;
    request.target = target;
    const size_t question = target.find('?');
    std::optional<std::string> path = PercentDecode(raw_path, false);
    request.remote_address = remote_;
    if (!path) return Reply(ErrorResponse(400, "请求路径含有错误的百分号编码"), false, method, raw_path, "-");
    request.path = std::move(*path);
    if (question != std::string::npos)
      request.query = ParseQuery(std::string_view(target).substr(question + 1));
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace(std::move(name), std::string(field.value()));
    }
    request.body = std::move(message.body());
    const bool keep_alive = message.keep_alive();

    std::string log_user;
    Response response = server_.dispatcher->Handle(request, *t_resources, &log_user);
    if (method == "HEAD") head_only_ = true;
    Reply(std::move(response), keep_alive, method, raw_path, log_user);
  }

  void Reply(Response response, bool keep_alive, const std::string& method, const std::string& path,
             const std::string& user) {
    if (server_.stopping) keep_alive = false;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->set(bhttp::field::server, "zhenxing");
    if (!response.content_type.empty()) res->set(bhttp::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) res->insert(name, value);
    if (response.status != 304) {
      res->set("X-Content-Type-Options", "nosniff");
    }
    const std::size_t bytes = response.body.size();
    if (head_only_) {
      res->content_length(bytes);
    } else {
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    res->keep_alive(keep_alive);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
    server_.access_log->Write(fmt::format("{} {} {} {} {} {}B {:.1f}ms {}\n", UtcNow(),
                                          remote_.empty() ? "-" : remote_, method, path, response.status,
                                          bytes, ms, user));
    stream_.expires_after(std::chrono::seconds(server_.options.body_timeout_seconds));
    auto serializer = std::make_shared<bhttp::response_serializer<bhttp::string_body>>(*res);
    if (head_only_) serializer->split(true);
    const bool unread_body = parser_ && !parser_->is_done();
    auto done = [self = shared_from_this(), res, serializer, keep_alive, unread_body](beast::error_code error,
                                                                                      std::size_t) {
      self->head_only_ = false;
      if (!error && unread_body) return self->LingeringClose();
      if (error || !keep_alive) return self->Close();
      self->ReadHeader(false);
    };
    if (head_only_) {
      bhttp::async_write_header(stream_, *serializer, std::move(done));
    } else {
      bhttp::async_write(stream_, *serializer, std::move(done));
    }
  }

  // After refusing a request whose body was not read (413), closing at once
  // would reset the connection while the client is still sending, and it
  // would never see the answer. Stop sending, then read and discard what
  // the client still sends (bounded in bytes and time) before closing.
  void LingeringClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(5));
    Drain();
  }

  void Drain() {
    drain_buffer_.resize(64 * 1024);
    stream_.async_read_some(net::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code error, std::size_t bytes) {
                              self->drained_ += bytes;
                              if (error || self->drained_ > kDrainLimit) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  std::uint64_t id_;
  std::string remote_;
  bool idle_ = false;
  bool head_only_ = false;
  std::vector<char> drain_buffer_;
  std::size_t drained_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

void Server::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code error, tcp::socket socket) {
    if (stopping) return;
    if (!error) {
      std::shared_ptr<Connection> connection;
      {
        std::lock_guard lock(connections_mutex);
        const std::uint64_t id = next_connection_id++;
        connection = std::make_shared<Connection>(std::move(socket), *this, id);
        connections[id] = connection;
      }
      connection->Start();
    }
    Accept();
  });
}

void Server::Impl::Forget(std::uint64_t id) {
  std::lock_guard lock(connections_mutex);
  connections.erase(id);
  if (stopping && connections.empty()) {
    net::post(ioc, [this] { force_stop.cancel(); });
  }
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(connections_mutex);
    for (auto& [id, weak] : connections) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) connection->CloseIfIdle();
  if (live.empty()) return;
  force_stop.expires_after(std::chrono::seconds(options.shutdown_grace_seconds));
  force_stop.async_wait([this](beast::error_code error) {
    if (!error) ioc.stop();  // in-flight requests took too long
  });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(ServerEnv env, ServerOptions options,
                                               std::unique_ptr<Router> router) {
  auto impl = std::make_unique<Impl>();
  impl->env = std::move(env);
  impl->options = std::move(options);
  impl->router = std::move(router);
  if (!impl->options.web_root.empty()) {
    impl->static_files = std::make_unique<StaticFiles>(impl->options.web_root);
  }
  impl->dispatcher = std::make_unique<Dispatcher>(*impl->router, impl->static_files.get(), impl->env.clock);
  if (impl->options.access_log.empty()) {
    impl->access_log = std::make_unique<AccessLog>(stderr, false);
  } else {
    std::FILE* file = std::fopen(impl->options.access_log.c_str(), "a");
    if (file == nullptr) return Unavailable("无法打开访问日志文件 " + impl->options.access_log);
    impl->access_log = std::make_unique<AccessLog>(file, true);
  }
  int threads = impl->options.threads;
  if (threads <= 0) threads = 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  impl->thread_count = threads;

  beast::error_code error;
  auto address = net::ip::make_address(impl->options.bind, error);
  if (error) return InvalidArgument("--bind 地址无效：" + impl->options.bind);
  if (impl->options.port < 0 || impl->options.port > 65535)
    return InvalidArgument("--port 须在 0 至 65535 之间");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(impl->options.port));
  impl->acceptor.open(endpoint.protocol(), error);
  if (!error) impl->acceptor.set_option(net::socket_base::reuse_address(true), error);
  if (!error) impl->acceptor.bind(endpoint, error);
  if (!error) impl->acceptor.listen(net::socket_base::max_listen_connections, error);
  if (error) {
    return Unavailable(
        fmt::format("无法在 {}:{} 上监听：{}", impl->options.bind, impl->options.port, error.message()));
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->acceptor.local_endpoint().port(); }
int Server::threads() const { return impl_->thread_count; }

Status Server::Run() {
  Impl& impl = *impl_;
  if (impl.options.handle_signals) {
    impl.signals.add(SIGINT);
    impl.signals.add(SIGTERM);
    impl.signals.async_wait([&impl](beast::error_code error, int) {
      if (!error) impl.BeginShutdown();
    });
  }
  impl.Accept();
  auto work = [&impl] {
    ThreadResources resources(impl.env);
    t_resources = &resources;
    impl.ioc.run();
    t_resources = nullptr;
  };
  std::vector<std::thread> pool;
  pool.reserve(static_cast<size_t>(impl.thread_count - 1));
  for (int thread_idx = 1; thread_idx < impl.thread_count; ++thread_idx) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  return Status::Ok();
}

void Server::Stop() {
  net::post(impl_->ioc, [impl = impl_.get()] { impl->BeginShutdown(); });
}

}  // namespace zx::http
