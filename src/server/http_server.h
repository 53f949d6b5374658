#pragma once
// `sirtkit serve`: the HTTP(S) server (cpp-httplib) over the route table
// (server/routes/route_table.h), a pool of registry connections, the authenticator,
// and the static assets of web/ (docs/server.md).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/auth/authenticator.h"
#include "server/compute_gate.h"
#include "server/dicom_intake.h"
#include "server/store_pool.h"

namespace httplib {
class Server;
}

namespace sirtkit::pipelines {
class PlanWorkspace;
}

namespace sirtkit::server {

class ScriptCache;  // server/static_scripts.h

struct ServerConfig {
  std::string db;                  // registry: SQLite file or PostgreSQL conninfo
  std::string bind = "127.0.0.1";
  int port = 8080;                 // 0: any free port (tests)
  std::string tls_cert, tls_key;   // both: HTTPS (httplib::SSLServer)
  std::string web_root;            // folder of static assets ("" = none)
  std::string data_root;           // folder of planning studies ("" = none; pipelines/planning/plan_workspace.h)
  PasswordCost password_cost = PasswordCost::interactive;
  SessionPolicy session;
  LockoutPolicy lockout;
  std::size_t store_connections = 4;
  // Worker threads of the HTTP server. cpp-httplib keeps a keep-alive
  // connection on one worker until it closes, so fewer workers than open
  // connections leave the others waiting (its default is 8 here: 100 wrk
  // connections timed out). The registry's own concurrency is store_connections.
  std::size_t http_threads = 160;
  // What-ifs computed at once (server/compute_gate.h); 0: one per core.
  std::size_t what_if_slots = 0;
  Authenticator::Clock clock;      // empty: the system clock
  // DICOM C-STORE receiver (io/dicom_network/dicom_store_receiver.h; needs data_root): 0 = none.
  int dicom_port = 0;
  std::string dicom_ae = "SIRTKIT";
  std::vector<std::string> dicom_allow;  // calling AE titles ("AE" or "AE@IPv4"); empty: refuse all
  // STOW-RS (POST /dicomweb/studies): the largest request body accepted.
  std::size_t stow_max_bytes = std::size_t{1} << 30;
};

// Shared by the handlers of one server.
class ServerState {
 public:
  explicit ServerState(const ServerConfig& config);
  ~ServerState();
  const ServerConfig& config() const { return config_; }
  StorePool& pool() { return pool_; }
  Authenticator& auth() { return auth_; }
  // The planning studies of --data (nullptr when the server has no data root).
  pipelines::PlanWorkspace* plans() { return plans_.get(); }
  // The what-ifs' turn (ServerConfig::what_if_slots at once).
  ComputeGate& what_if_gate() { return what_if_gate_; }
  // Prepares the studies of `folder` under --data and their volumes on a
  // thread of its own (PlanWorkspace::prepare_folder), stopped and joined
  // when the server ends; nothing without a data root.
  void prepare_in_background(const std::string& folder);

 private:
  ServerConfig config_;
  StorePool pool_;
  Authenticator auth_;
  std::unique_ptr<pipelines::PlanWorkspace> plans_;
  ComputeGate what_if_gate_;
  std::jthread preparing_;  // last: stopped and joined before the workspace goes
};

class HttpServer {
 public:
  // Opens the registry connections (refusing a registry not at the current
  // schema version) and loads the TLS certificate: sirtkit::Error when either fails.
  explicit HttpServer(const ServerConfig& config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the address; returns the port (the chosen one when config.port = 0).
  // With config.dicom_port, also starts the C-STORE receiver (Error when it cannot listen).
  // With a web root, starts compressing its scripts on a thread of its own
  // (ScriptCache::warm), so the first visit does not wait for them.
  int bind();
  int dicom_port() const;  // 0 when no receiver runs
  // Serves until stop() (from another thread or a signal-handling thread).
  void run();
  void stop();
  bool tls() const { return tls_; }
  // e.g. http://127.0.0.1:8080/
  std::string address() const;
  ServerState& state() { return *state_; }
  // The web root's scripts, compressed once (server/static_scripts.h).
  const ScriptCache& scripts() const { return *scripts_; }

 private:
  void install_routes();
  void configure_connections();  // keep-alive, Nagle, threads, body limit, listening socket
  void install_api_routes();     // the route table
  std::unique_ptr<ServerState> state_;
  std::unique_ptr<httplib::Server> http_;
  DicomReceiverHandle dicom_;
  bool tls_ = false;
  int port_ = 0;
  int listen_socket_ = -1;  // captured when httplib creates it (its backlog is raised in bind())
  std::shared_ptr<ScriptCache> scripts_;
  std::optional<std::filesystem::path> web_root_;  // canonical; none without config.web_root
  std::jthread warming_;  // last: stopped and joined first
};

// The session cookie's name and attributes (HttpOnly; SameSite=Strict; Secure under TLS).
constexpr const char* session_cookie = "sirtkit_session";
std::string session_cookie_header(const std::string& token, bool tls);
std::string clear_session_cookie_header(bool tls);

}  // namespace sirtkit::server
