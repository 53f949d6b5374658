#include "server/http_server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <sodium.h>
#include <sys/socket.h>
#include <thread>

#include "core/error.h"
#include "core/input_file.h"
#include "pipelines/planning/plan_workspace.h"
#include "registry/store/schema.h"
#include "server/routes/route_table.h"
#include "server/static_path.h"
#include "server/static_scripts.h"
#include "server/auth/secret_token.h"

namespace sirtkit::server {
namespace {

std::int64_t system_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

ServerConfig with_clock(ServerConfig c) {
  if (!c.clock) c.clock = system_now;
  return c;
}

// Security headers on every response (OWASP HTTP Headers Cheat Sheet; OWASP
// Clickjacking Defense: frame-ancestors 'none' and the legacy X-Frame-Options).
// img-src allows data: images: niivue (web/vendor) embeds its font atlas and
// matcaps as data: PNG/JPEG; an image cannot run script.
httplib::Headers security_headers(bool tls) {
  httplib::Headers h = {
      {"Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
  };
  if (tls) h.emplace("Strict-Transport-Security", "max-age=31536000");
  return h;
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  const std::string all = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(pos, end - pos);
    const auto first = part.find_first_not_of(' ');
    part = first == std::string::npos ? "" : part.substr(first);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return {};
}

bool state_changing(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");  // OWASP: no caching of authenticated responses
  res.set_content(body.dump(), "application/json; charset=utf-8");
}

// "/api/patients/{id}" -> "/api/patients/([^/]+)" (httplib matches the whole path).
std::string pattern_regex(const std::string& path, std::vector<std::string>& names) {
  std::string rx;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      const std::size_t close = path.find('}', i);
      names.push_back(path.substr(i + 1, close - i - 1));
      rx += "([^/]+)";
      i = close;
    } else {
      rx += path[i];
    }
  }
  return rx;
}

// One request through the checks of route_table.h, then the handler.
// PostgreSQL serialization failure or deadlock (SQLSTATE class 40, which
// registry/store/postgres_store.cpp names in the message): rolled back, may be run again.
bool is_retryable(const Error& e) {
  return e.category() == ErrorCategory::io && std::string(e.what()).find("[SQLSTATE 40") != std::string::npos;
}

// A PostgreSQL serialization failure (concurrent SERIALIZABLE transactions,
// rolled back) is rethrown for dispatch() to run the request again, unless
// this is the last attempt.
void dispatch_once(ServerState& state, const Route& route, const std::vector<std::string>& names, bool tls, const httplib::Request& req,
                   httplib::Response& res, bool last_attempt, const httplib::ContentReader* reader = nullptr) {
  try {
    ApiRequest rq;
    rq.method = route.method;
    rq.state = &state;
    rq.tls = tls;
    rq.address = req.remote_addr;
    rq.accepts_gzip = !req.has_header("Accept-Encoding") || accepts_gzip(req.get_header_value("Accept-Encoding"));
    for (std::size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i) rq.path_params[names[i]] = req.matches[i + 1];
    for (const auto& [k, v] : req.params) rq.query.emplace(k, v);
    std::optional<StorePool::Lease> lease(state.pool().acquire());
    rq.store = &**lease;
    rq.release_store = [&] {
      rq.store = nullptr;
      lease.reset();
    };
    if (!route.is_public) {
      rq.session = state.auth().authenticate(**lease, cookie_value(req, session_cookie));
      if (!rq.session) throw ApiError(401, "unauthenticated", "sign in first (POST /api/login)");
      if (!route.allows(rq.session->user.role))
        throw ApiError(403, "role_not_allowed", std::string("the role ") + role_name(rq.session->user.role) + " may not call " + route.method + " " + route.path,
                       "role", role_name(rq.session->user.role));
      if (state_changing(route.method) && !equal_constant_time(req.get_header_value("X-CSRF-Token"), rq.session->csrf_token))
        throw ApiError(403, "csrf", "missing or wrong X-CSRF-Token header (GET /api/me gives the session's token)", "X-CSRF-Token");
    }
    if (route.streams_body) {
      rq.content_type = req.get_header_value("Content-Type");
      if (req.has_header("Content-Length")) {
        try {
          rq.content_length = std::stoull(req.get_header_value("Content-Length"));
        } catch (const std::exception&) {
          throw ApiError(400, "bad_request", "Content-Length is not a number", "Content-Length");
        }
      }
      if (reader)
        rq.read_body = [reader](const std::function<bool(const char*, std::size_t)>& sink) {
          return (*reader)([&sink](const char* data, std::size_t n) { return sink(data, n); });
        };
    } else if (state_changing(route.method)) {
      // JSON only: a cross-site HTML form cannot send application/json without a CORS preflight.
      const std::string type = req.get_header_value("Content-Type");
      if (type.rfind("application/json", 0) != 0)
        throw ApiError(415, "content_type", "the request body must be JSON (Content-Type: application/json)", "Content-Type");
      rq.body = nlohmann::json::parse(req.body, nullptr, false);
      if (rq.body.is_discarded() || !rq.body.is_object()) throw ApiError(400, "bad_json", "the request body must be one JSON object", "body");
    }
    ApiResponse out = route.handler(rq);
    if (route.streams_body && !out.raw_body && out.status >= 400) res.set_header("Connection", "close");  // the body may be unread
    for (const auto& [k, v] : out.headers) res.set_header(k, v);
    if (out.raw_body) {
      res.status = out.status;
      res.set_header("Cache-Control", "no-store");
      res.set_content(*out.raw_body, out.content_type);
    } else {
      send_json(res, out.status, out.body);
    }
  } catch (const ApiError& e) {
    if (route.streams_body) res.set_header("Connection", "close");  // the body may be unread
    send_json(res, e.status(), e.body());
  } catch (const Error& e) {
    if (!last_attempt && is_retryable(e)) throw;
    // Registry messages never hold patient data (docs/registry.md); SQL text is not sent.
    if (e.category() == ErrorCategory::bad_input) {
      send_json(res, 400, {{"error", "bad_input"}, {"message", "the registry refused the request"}});
    } else {
      std::fprintf(stderr, "sirtkit serve: %s %s: %s: %s\n", route.method.c_str(), route.path.c_str(), category_name(e.category()), e.what());
      send_json(res, e.category() == ErrorCategory::io ? 503 : 500, {{"error", "server"}, {"message", "the server could not answer; see its log"}});
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sirtkit serve: %s %s: internal error: %s\n", route.method.c_str(), route.path.c_str(), e.what());
    send_json(res, 500, {{"error", "server"}, {"message", "the server could not answer; see its log"}});
  }
}

// 32 attempts with the back-off below wait up to about 4-8 s in all: enough
// for 100 concurrent writers of one row (bench/server_load.py) to get through
// without a 503; 8 attempts were not (a few 503 under 20 writers).
constexpr int max_attempts = 32;

void dispatch(ServerState& state, const Route& route, const std::vector<std::string>& names, bool tls, const httplib::Request& req,
              httplib::Response& res) {
  for (int attempt = 1;; ++attempt) {
    try {
      dispatch_once(state, route, names, tls, req, res, attempt == max_attempts);
      return;
    } catch (const Error&) {
      // Back off 4-8 ms, 8-16 ms, ... up to 128-256 ms, so the conflicting transactions spread out.
      const int base_ms = 2 << std::min(attempt, 6);
      std::this_thread::sleep_for(std::chrono::milliseconds(base_ms + static_cast<int>(randombytes_uniform(static_cast<uint32_t>(base_ms)))));
    }
  }
}

}  // namespace

ServerState::ServerState(const ServerConfig& config)
    : config_(with_clock(config)),
      pool_(config.db, config.store_connections),
      auth_(config_.password_cost, config_.session, config_.lockout, config_.clock),
      what_if_gate_(config.what_if_slots > 0 ? config.what_if_slots : std::max(1u, std::thread::hardware_concurrency())) {
  auto lease = pool_.acquire();
  registry::require_current_schema(*lease);
#if SIRTKIT_IMAGING  // the statistics-only build has no planning engine (its planning routes say so)
  if (!config_.data_root.empty()) plans_ = std::make_unique<pipelines::PlanWorkspace>(config_.data_root);
#endif
}

ServerState::~ServerState() = default;

void ServerState::prepare_in_background(const std::string& folder) {
#if SIRTKIT_IMAGING
  if (!plans_) return;
  preparing_ = std::jthread([this, folder](std::stop_token stop) { plans_->prepare_folder(folder, stop); });
#else
  (void)folder;
#endif
}

std::string session_cookie_header(const std::string& token, bool tls) {
  // No Max-Age: the browser forgets it when closed; the server enforces idle and absolute expiry.
  return std::string(session_cookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
}

std::string clear_session_cookie_header(bool tls) {
  return std::string(session_cookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "");
}

HttpServer::HttpServer(const ServerConfig& config) {
  if (config.tls_cert.empty() != config.tls_key.empty())
    fail_input("serve", config.tls_cert.empty() ? "--tls-cert" : "--tls-key", "(missing)", "both --tls-cert and --tls-key, or neither");
  state_ = std::make_unique<ServerState>(config);
  if (!config.tls_cert.empty()) {
    for (const auto& f : {config.tls_cert, config.tls_key})
      require_input_file(f, "TLS certificate or key");
    auto ssl = std::make_unique<httplib::SSLServer>(config.tls_cert.c_str(), config.tls_key.c_str());
    if (!ssl->is_valid()) fail_input("serve", "--tls-cert/--tls-key", config.tls_cert, "a PEM certificate and its matching private key");
    http_ = std::move(ssl);
    tls_ = true;
  } else {
    http_ = std::make_unique<httplib::Server>();
  }
  install_routes();
}

HttpServer::~HttpServer() { stop(); }

// Bodies of the JSON API: 1 MiB (no API body comes near it). Streaming routes
// (STOW-RS) check their own limit (ServerConfig::stow_max_bytes) while reading.
namespace {
constexpr std::size_t kJsonBodyMaxBytes = 1 << 20;

bool streaming_path(const std::string& path) { return path.rfind("/dicomweb/", 0) == 0; }

// An oversized or chunked body of a JSON route is refused unread (Connection:
// close), so no client makes the server hold more than 1 MiB for it.
bool refused_body(const httplib::Request& req, httplib::Response& res) {
  if (streaming_path(req.path)) return false;
  std::uint64_t length = 0;
  try {
    length = req.has_header("Content-Length") ? std::stoull(req.get_header_value("Content-Length")) : 0;
  } catch (const std::exception&) {
    length = UINT64_MAX;
  }
  const bool chunked = req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
  if (length <= kJsonBodyMaxBytes && !chunked) return false;
  res.set_header("Connection", "close");
  send_json(res, chunked ? 411 : 413, {{"error", chunked ? "length_required" : "too_large"},
                                       {"message", "request bodies are at most 1 MiB with a Content-Length (STOW-RS uploads: /dicomweb/studies)"}});
  return true;
}

// Scripts: gzip computed once (server/static_scripts.h). The type has a
// charset parameter, which httplib's can_compress_content_type does not
// match, so httplib neither compresses the gzip again nor brotlis the raw
// bytes (tests/server/static_scripts_test.cpp checks both). False when the
// path is not a script of the web folder.
bool served_script(const std::filesystem::path& web_root, ScriptCache& scripts, const httplib::Request& req, httplib::Response& res) {
  if (req.method != "GET" || req.path.rfind("/api/", 0) == 0) return false;
  const auto script = scripts.get(web_root, req.path);
  if (!script) return false;
  const bool gzip = accepts_gzip(req.get_header_value("Accept-Encoding"));
  const std::string& etag = gzip ? script->etag_gzip : script->etag_raw;
  res.set_header("Vary", "Accept-Encoding");
  // Kept by the browser, checked on every use (RFC 9111 5.2.2.4): a script
  // changes only with the server's web folder, and a current copy costs a 304
  // without a body.
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", etag);
  if (none_match_hits(req.get_header_value("If-None-Match"), etag)) {
    res.status = 304;
    return true;
  }
  res.status = 200;
  if (gzip) res.set_header("Content-Encoding", "gzip");
  res.set_content(gzip ? script->gzip : script->raw, "application/javascript; charset=utf-8");
  return true;
}

// Runs before httplib reads a body: refuses oversized JSON bodies, serves the
// scripts, refuses a static path that leaves the web folder through a link
// (404); everything else goes on to the routes and httplib's mount point.
httplib::Server::HandlerResponse pre_route(const std::optional<std::filesystem::path>& web_root, ScriptCache& scripts,
                                           const httplib::Request& req, httplib::Response& res) {
  using R = httplib::Server::HandlerResponse;
  if (refused_body(req, res)) return R::Handled;
  if (!web_root || (req.method != "GET" && req.method != "HEAD") || req.path.rfind("/api/", 0) == 0 ||
      static_path_inside(*web_root, req.path))
    return web_root && served_script(*web_root, scripts, req, res) ? R::Handled : R::Unhandled;
  res.status = 404;
  res.set_content("404\n", "text/plain; charset=utf-8");
  return R::Handled;
}

}  // namespace

void HttpServer::install_routes() {
  httplib::Server& s = *http_;
  configure_connections();
  install_api_routes();
  if (!state_->config().web_root.empty()) {
    const std::string root = state_->config().web_root;
    if (!std::filesystem::is_directory(root)) fail_io(root, "no such folder (the web assets)");
    // httplib refuses paths that leave the folder (detail::is_valid_path: "..", "\");
    // a symbolic link out of the folder is refused by pre_route, before httplib opens it.
    s.set_mount_point("/", root);
    web_root_ = std::filesystem::canonical(root);
  }
  scripts_ = std::make_shared<ScriptCache>();
  s.set_pre_routing_handler([web_root = web_root_, scripts = scripts_](const httplib::Request& req, httplib::Response& res) {
    return pre_route(web_root, *scripts, req, res);
  });
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // an answer of the API already carries its JSON error
    if (req.path.rfind("/api/", 0) == 0 || req.path == "/api" || streaming_path(req.path)) {
      send_json(res, res.status, {{"error", res.status == 404 ? "not_found" : "http"}, {"message", res.status == 404 ? "no such route" : "request refused"}});
    } else {
      res.set_content(std::to_string(res.status) + "\n", "text/plain; charset=utf-8");
    }
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    send_json(res, 500, {{"error", "server"}, {"message", "the server could not answer; see its log"}});
  });
}

void HttpServer::configure_connections() {
  httplib::Server& s = *http_;
  s.set_default_headers(security_headers(tls_));
  // httplib's limit applies to every route; pre_route holds the others to
  // kJsonBodyMaxBytes before their bodies are read.
  s.set_payload_max_length(std::max(kJsonBodyMaxBytes, state_->config().stow_max_bytes));
  s.set_keep_alive_timeout(5);
  // An answer's header and body go out in separate writes: with Nagle's
  // algorithm the body of a small answer (a what-if's few kB) waited for the
  // client's delayed ACK of the header, 40 ms on Linux (RFC 1122 4.2.3.2).
  s.set_tcp_nodelay(true);
  // httplib closes a keep-alive connection after 5 requests by default: a
  // page moving the activity (or wrk) reconnected every 5 what-ifs.
  s.set_keep_alive_max_count(1000);
  const std::size_t threads = state_->config().http_threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // httplib's own options of the listening socket (SO_REUSEADDR; not
  // SO_REUSEPORT, which would let a second server share the port), and its
  // descriptor kept for bind() to raise the backlog.
  s.set_socket_options([this](int sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_socket_ = sock;
  });
}

void HttpServer::install_api_routes() {
  httplib::Server& s = *http_;
  for (const Route& route : route_table()) {
    auto names = std::make_shared<std::vector<std::string>>();
    const std::string rx = pattern_regex(route.path, *names);
    httplib::Server::Handler h = [this, &route, names](const httplib::Request& req, httplib::Response& res) {
      dispatch(*state_, route, *names, tls_, req, res);
    };
    if (route.streams_body) {
      if (route.method != "POST") throw Error(ErrorCategory::internal, "route table: only POST routes may stream their body");
      s.Post(rx, [this, &route, names](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
        // One attempt: the body cannot be read twice.
        try {
          dispatch_once(*state_, route, *names, tls_, req, res, true, &reader);
        } catch (const Error&) {
          send_json(res, 503, {{"error", "server"}, {"message", "the server could not answer; see its log"}});
        }
      });
      continue;
    }
    if (route.method == "GET") s.Get(rx, h);
    else if (route.method == "POST") s.Post(rx, h);
    else if (route.method == "PATCH") s.Patch(rx, h);
    else if (route.method == "PUT") s.Put(rx, h);
    else if (route.method == "DELETE") s.Delete(rx, h);
    else throw Error(ErrorCategory::internal, "route table: unknown method " + route.method);
  }
}

int HttpServer::bind() {
  const auto& c = state_->config();
  if (c.port == 0) {
    port_ = http_->bind_to_any_port(c.bind);
    if (port_ < 0) fail_io(c.bind, "cannot bind any port");
  } else {
    if (!http_->bind_to_port(c.bind, c.port)) fail_io(c.bind + ":" + std::to_string(c.port), "cannot listen (port in use or address not local?)");
    port_ = c.port;
  }
  // httplib listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled
  // into Debian's library): 50 users connecting at once overflowed it, the
  // kernel dropped their handshakes (nstat TcpExtListenOverflows), and each
  // waited for a SYN retransmission (1 s) or its request's (0.2 s, then 0.4 s).
  // listen() again on the bound socket sets the backlog (capped by net.core.somaxconn).
  if (listen_socket_ < 0 || ::listen(listen_socket_, SOMAXCONN) != 0) fail_io(c.bind + ":" + std::to_string(port_), "cannot raise the listen backlog");
  if (web_root_ && !warming_.joinable())
    warming_ = std::jthread([scripts = scripts_, root = *web_root_](std::stop_token stop) { scripts->warm(root, stop); });
  clean_incoming(*state_);
  if (c.dicom_port != 0 && !dicom_) dicom_ = start_dicom_receiver(*state_);
  return port_;
}

int HttpServer::dicom_port() const { return dicom_ ? state_->config().dicom_port : 0; }

void HttpServer::run() { http_->listen_after_bind(); }

void HttpServer::stop() {
  if (http_) http_->stop();
  dicom_.reset();  // stops the receiver (after its running association)
}

std::string HttpServer::address() const {
  const std::string host = state_->config().bind.find(':') != std::string::npos ? "[" + state_->config().bind + "]" : state_->config().bind;
  return std::string(tls_ ? "https" : "http") + "://" + host + ":" + std::to_string(port_) + "/";
}

}  // namespace sirtkit::server
