// sirtkit serve: argument parsing, printing the address and the one-time
// admin password, and stopping on SIGINT/SIGTERM. The server is server/http_server.
#include <filesystem>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "core/error.h"
#include "pipelines/planning/plan_workspace.h"
#include "pipelines/registry/registry_jobs.h"
#include "registry/store/store.h"
#include "server/bootstrap.h"
#include "server/http_server.h"

namespace sirtkit::cli {
namespace {

struct ServeArgs {
  server::ServerConfig config;
  bool demo = false;
};


std::string default_web_root() {
  // build/web beside build/sirtkit (the build copies web/ there); an installed
  // program (PREFIX/bin/sirtkit) has them in PREFIX/share/sirtkit/web (CMake install rules).
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "web";
  buf[n] = '\0';
  std::string exe(buf);
  const std::string dir = exe.substr(0, exe.rfind('/'));
  if (std::filesystem::is_directory(dir + "/web")) return dir + "/web";
  return dir + "/../share/sirtkit/web";
}

void serve(ServeArgs& a) {
  if (a.config.web_root.empty()) a.config.web_root = default_web_root();
  if (a.demo) std::fputs(report::registry_demo_load_output(pipelines::registry_load_demo(a.config.db)).text.c_str(), stdout);
#if SIRTKIT_IMAGING  // the statistics-only build has no phantom to write
  if (a.demo && !a.config.data_root.empty() && pipelines::write_demo_study(a.config.data_root))
    std::printf("demo planning patient written to %s/demo-patient (3 plans)\n", a.config.data_root.c_str());
#endif
  // Signals are taken by one thread with sigwait, so they stop the server
  // cleanly (in-flight requests finish, transactions commit or roll back).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  server::HttpServer http(a.config);
  {
    auto lease = http.state().pool().acquire();
    if (const auto admin = server::create_first_admin(*lease, a.config.password_cost))
      std::printf("first administrator (shown once, change it or keep it safe):\n  user      %s\n  password  %s\n",
                  admin->username.c_str(), admin->password.c_str());
  }
  http.bind();
  // The demo patient's studies and volumes prepared while the server answers:
  // the first visit finds them ready instead of computing them.
  if (a.demo) http.state().prepare_in_background(pipelines::kDemoStudyFolder);
  if (http.dicom_port() != 0) {
    std::string allowed;
    for (const auto& e : a.config.dicom_allow)
      allowed += (allowed.empty() ? "" : ", ") + e + (e.find('=') == std::string::npos ? " (no site: every site sees its studies)" : "");
    std::printf("sirtkit serve: DICOM C-STORE receiver, AE title %s, port %d (all interfaces); calling AE titles allowed: %s\n",
                a.config.dicom_ae.c_str(), http.dicom_port(),
                allowed.empty() ? "NONE (--dicom-allow is empty: every association is refused)" : allowed.c_str());
  }
  std::printf("sirtkit serve: listening on %s (registry %s); stop with Ctrl-C\n", http.address().c_str(),
              http.state().pool().location().c_str());
  std::fflush(stdout);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    std::fprintf(stderr, "sirtkit serve: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http.stop();
  });
  http.run();
  // run() also returns when the listener fails; wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::fputs("sirtkit serve: stopped\n", stderr);
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* s = app.add_subcommand("serve", "Serve the registry to browsers: users, roles, sessions, JSON API (docs/server.md)");
  s->add_option("--db", a->config.db, "registry: an SQLite file, or a PostgreSQL database as postgresql://user@host/db")->required();
  s->add_option("--port", a->config.port, "TCP port (0: any free port, printed)")->capture_default_str()->check(CLI::Range(0, 65535));
  s->add_option("--bind", a->config.bind, "address to listen on (127.0.0.1: this machine only)")->capture_default_str();
  s->add_option("--tls-cert", a->config.tls_cert, "PEM certificate: serve HTTPS (with --tls-key)");
  s->add_option("--tls-key", a->config.tls_key, "PEM private key of --tls-cert");
  s->add_option("--web", a->config.web_root, "folder of the browser assets (default: web/ beside the program)");
  s->add_option("--data", a->config.data_root, "folder of planning studies: each plan file (*.toml) in a folder under it (docs/server.md)");
  s->add_flag("--demo", a->demo,
              "create the registry if needed and import the synthetic demo cohort (56 patients) into it; with --data, "
              "also write the demo planning patient into DATA/demo-patient");
#if SIRTKIT_IMAGING
  s->add_option("--dicom-port", a->config.dicom_port, "receive studies by DICOM C-STORE on this TCP port (needs --data; docs/server.md)")
      ->check(CLI::Range(1, 65535));
  s->add_option("--dicom-ae", a->config.dicom_ae, "the receiver's AE title (called AE title the senders must use)")->capture_default_str();
  s->add_option("--dicom-allow", a->config.dicom_allow, "calling AE titles allowed to send, comma-separated; AE@IPv4 also checks the address; AE=SITE files its studies under that registry site (seen by its users only); none: refuse all")
      ->delimiter(',');
#endif
  s->callback([a] { serve(*a); });
}

}  // namespace sirtkit::cli
