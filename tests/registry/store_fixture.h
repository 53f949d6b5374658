#pragma once
// Shared by the registry tests: every store test runs against SQLite and a REAL
// throw-away PostgreSQL 15 server (no mocks). The server is started lazily,
// once per test process, by initdb into a temp folder and pg_ctl on a free
// loopback port (as the `postgres` OS user via runuser when running as root,
// since initdb refuses root). If it cannot start, PostgreSQL tests FAIL with
// the reason; they never pass silently.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "registry/store/postgres_store.h"
#include "registry/store/schema.h"
#include "registry/store/sqlite_store.h"
#include "registry/store/store.h"

namespace sirtkit::registry::testing {

namespace fs = std::filesystem;

// A folder for this test process, removed at exit.
inline const fs::path& scratch_dir() {
  struct Dir {
    fs::path path;
    pid_t owner;
    Dir() : owner(getpid()) {
      path = fs::temp_directory_path() / ("sirtkit-registry-test-" + std::to_string(getpid()));
      fs::remove_all(path);
      fs::create_directories(path);
    }
    ~Dir() {
      if (getpid() == owner) {
        std::error_code ec;
        fs::remove_all(path, ec);
      }
    }
  };
  static Dir dir;
  return dir.path;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class PostgresServer {
 public:
  static constexpr const char* bin = "/usr/lib/postgresql/15/bin";

  static PostgresServer& instance() {
    static PostgresServer server;
    return server;
  }
  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  std::string conninfo(const std::string& dbname, const std::string& user = "postgres") const {
    return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + user + " dbname=" + dbname + " connect_timeout=10";
  }
  // A new empty database on the server; its conninfo.
  std::string new_database() {
    static std::atomic<int> n{0};
    const std::string name = "t" + std::to_string(getpid()) + "_" + std::to_string(++n);
    PostgresStore admin(conninfo("postgres"));
    admin.execute_script("CREATE DATABASE " + name);
    return conninfo(name);
  }

  ~PostgresServer() {
    if (getpid() != owner_) return;  // a forked child must not stop the parent's server
    if (started_) run(std::string(bin) + "/pg_ctl -D " + (dir_ / "data").string() + " -m immediate -w stop");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

 private:
  // Servers left behind by test processes that died without their destructor
  // (crash, timeout kill): stopped and removed before starting a new one.
  void stop_orphans() {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/tmp", ec)) {
      if (e.path().filename().string().rfind("sirtkit-pg-", 0) != 0) continue;
      const std::string pid_text = slurp(e.path() / "owner.pid");
      if (pid_text.empty()) continue;
      const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
      if (kill(pid, 0) == 0 || errno != ESRCH) continue;  // owner alive
      const std::string user = getuid() == 0 ? "runuser -u postgres -- " : "";
      const std::string cmd = user + bin + "/pg_ctl -D " + (e.path() / "data").string() + " -m immediate -w stop > /dev/null 2>&1";
      (void)std::system(cmd.c_str());
      fs::remove_all(e.path(), ec);
    }
  }

  PostgresServer() : owner_(getpid()) {
    stop_orphans();
    char tmpl[] = "/tmp/sirtkit-pg-XXXXXX";
    if (!mkdtemp(tmpl)) {
      error_ = "mkdtemp failed";
      return;
    }
    dir_ = tmpl;
    std::ofstream(dir_ / "owner.pid") << getpid();
    if (getuid() == 0) {
      const passwd* pw = getpwnam("postgres");
      if (!pw) {
        error_ = "running as root but there is no 'postgres' OS user to run initdb (install the Debian package postgresql)";
        return;
      }
      as_user_ = "runuser -u postgres -- ";
      if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error_ = "cannot chown " + dir_.string() + " to postgres";
        return;
      }
    }
    if (!fs::exists(std::string(bin) + "/initdb")) {
      error_ = std::string("no ") + bin + "/initdb (install the Debian package postgresql, see scripts/install-deps.sh)";
      return;
    }
    const std::string data = (dir_ / "data").string();
    if (run(std::string(bin) + "/initdb --no-sync -A trust -U postgres -E UTF8 --locale=C -D " + data) != 0) {
      error_ = "initdb failed: " + slurp(dir_ / "cmd.log");
      return;
    }
    for (int attempt = 0; attempt < 3 && !ok_; ++attempt) {
      port_ = free_port();
      // Throw-away server: durability settings off for speed (the kill tests kill
      // the client, never the server).
      const std::string opts = "-p " + std::to_string(port_) + " -c listen_addresses=127.0.0.1 -k " + dir_.string() +
                               " -c fsync=off -c full_page_writes=off -c synchronous_commit=off";
      if (run(std::string(bin) + "/pg_ctl -D " + data + " -l " + (dir_ / "server.log").string() + " -w -t 60 -o '" + opts + "' start") == 0) {
        ok_ = started_ = true;
      } else {
        error_ = "pg_ctl start failed on port " + std::to_string(port_) + ": " + slurp(dir_ / "cmd.log") + slurp(dir_ / "server.log");
      }
    }
    if (ok_) error_.clear();
  }

  int run(const std::string& cmd) {
    const std::string full = "cd " + dir_.string() + " && " + as_user_ + cmd + " > " + (dir_ / "cmd.log").string() + " 2>&1";
    return std::system(full.c_str());
  }

  static int free_port() {
    const int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    int port = 0;
    if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port = ntohs(a.sin_port);
    close(s);
    return port;
  }

  pid_t owner_;
  fs::path dir_;
  std::string as_user_;
  bool ok_ = false, started_ = false;
  int port_ = 0;
  std::string error_ = "not started";
};

inline std::string store_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::sqlite ? "SQLite" : "PostgreSQL";
}

// Base fixture: fresh_location() gives a new empty registry location of the
// parameter's kind (SQLite file path or PostgreSQL conninfo).
class StoreTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == Dialect::postgres) {
      auto& server = PostgresServer::instance();
      ASSERT_TRUE(server.ok()) << "PostgreSQL test server could not be started: " << server.error();
    }
  }
  std::string fresh_location() {
    static int n = 0;
    if (GetParam() == Dialect::postgres) return PostgresServer::instance().new_database();
    return (scratch_dir() / ("db" + std::to_string(++n) + ".sqlite")).string();
  }
  std::unique_ptr<Store> open(const std::string& location, bool create = true) { return open_store(location, create); }
  // A new, empty registry at the current schema version.
  std::unique_ptr<Store> migrated_store() {
    auto s = open(fresh_location());
    migrate(*s, "test");
    return s;
  }
};

// Every text in every table (audit log and migrations included): equal
// before and after an operation that must write nothing.
inline std::string dump(Store& s) {
  std::string all;
  std::vector<std::string> tables{"audit_log", "registry_meta", "schema_migrations"};
  for (const auto& t : data_tables()) tables.push_back(t.name);
  for (const auto& t : tables)
    for (const auto& row : s.query("SELECT * FROM " + t).rows)
      for (const auto& v : row) all += (v ? *v : "NULL") + "|";
  return all;
}

// Rows in the data tables plus the audit log.
inline long long data_and_audit_rows(Store& s) {
  long long n = s.count("audit_log");
  for (const auto& t : data_tables()) n += s.count(t.name);
  return n;
}

#define SIRTKIT_BOTH_STORES(Suite) \
  INSTANTIATE_TEST_SUITE_P(Stores, Suite, ::testing::Values(::sirtkit::registry::Dialect::sqlite, ::sirtkit::registry::Dialect::postgres), ::sirtkit::registry::testing::store_name)

}  // namespace sirtkit::registry::testing
