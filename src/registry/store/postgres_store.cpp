#include "registry/store/postgres_store.h"

#include <libpq-fe.h>

#include <regex>

#include "core/error.h"

namespace sirtkit::registry {
namespace {

struct Result {
  PGresult* res = nullptr;
  ~Result() { PQclear(res); }
};

// Hides a password in a URI or keyword string before it appears in messages.
std::string mask_password(std::string s) {
  s = std::regex_replace(s, std::regex(R"((://[^:/@]+:)[^@]*@)"), "$1***@");
  s = std::regex_replace(s, std::regex(R"(password\s*=\s*\S+)"), "password=***");
  return s;
}

[[noreturn]] void fail_result(PGresult* res, pg_conn* conn, const std::string& where, const std::string& sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state ? state : "";
  std::string msg = PQerrorMessage(conn);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  msg = where + ": " + msg + " (in: " + sql.substr(0, 120) + ")";
  // SQLSTATE classes (PostgreSQL 15 manual, Appendix A): 22 data exception, 23 integrity
  // constraint, 42501 insufficient privilege, 08 connection, 53 resources,
  // 57 operator intervention, 58 system error.
  const std::string cls = sqlstate.substr(0, 2);
  if (cls == "23" || sqlstate == "42501" || cls == "22" || cls == "P0")
    throw Error(ErrorCategory::bad_input, msg);
  // 40: serialization failure / deadlock between concurrent writers; the
  // transaction was rolled back and can be retried (the server retries such a request: message ends in [SQLSTATE 40...]).
  if (cls == "40") throw Error(ErrorCategory::io, msg + " [SQLSTATE " + sqlstate + "]");
  if (cls == "08" || cls == "40" || cls == "53" || cls == "57" || cls == "58" || sqlstate.empty())
    throw Error(ErrorCategory::io, msg);
  throw Error(ErrorCategory::internal, msg + " [SQLSTATE " + sqlstate + "]");
}

}  // namespace

std::string number_placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool in_literal = false;
  for (char c : sql) {
    if (c == '\'') in_literal = !in_literal;
    if (c == '?' && !in_literal) {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

PostgresStore::PostgresStore(const std::string& conninfo) : shown_(mask_password(conninfo)) {
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn_);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(conn_);
    conn_ = nullptr;
    fail_io(shown_, "cannot connect to PostgreSQL: " + msg);
  }
  // Terse errors: PostgreSQL's DETAIL lines quote the values of the failing
  // row or key ("Failing row contains (...)"), which may be patient data.
  PQsetErrorVerbosity(conn_, PQERRORS_TERSE);
  execute_script("SET client_min_messages = warning");
}

PostgresStore::~PostgresStore() { PQfinish(conn_); }

ResultSet PostgresStore::query(const std::string& sql, const Params& params) {
  const std::string text = number_placeholders(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  Result r{PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr, nullptr, 0)};
  const auto status = PQresultStatus(r.res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) fail_result(r.res, conn_, shown_, sql);
  ResultSet out;
  const int nf = PQnfields(r.res), nt = PQntuples(r.res);
  for (int c = 0; c < nf; ++c) out.columns.emplace_back(PQfname(r.res, c));
  out.rows.reserve(static_cast<std::size_t>(nt));
  for (int i = 0; i < nt; ++i) {
    std::vector<Value> row(static_cast<std::size_t>(nf));
    for (int c = 0; c < nf; ++c)
      if (!PQgetisnull(r.res, i, c)) row[c] = std::string(PQgetvalue(r.res, i, c), static_cast<std::size_t>(PQgetlength(r.res, i, c)));
    out.rows.push_back(std::move(row));
  }
  return out;
}

void PostgresStore::execute(const std::string& sql, const Params& params) { (void)query(sql, params); }

void PostgresStore::execute_script(const std::string& sql) {
  Result r{PQexec(conn_, sql.c_str())};
  const auto status = PQresultStatus(r.res);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail_result(r.res, conn_, shown_, sql);
}

long long PostgresStore::insert_returning_id(const std::string& sql, const Params& params) {
  const ResultSet r = query(sql + " RETURNING id", params);
  if (r.rows.size() != 1 || !r.rows[0][0]) throw Error(ErrorCategory::internal, "insert returned no id: " + sql);
  return std::stoll(*r.rows[0][0]);
}

void PostgresStore::begin() {
  // SERIALIZABLE: concurrent imports from two sites behave as if one ran after the other.
  execute_script("BEGIN ISOLATION LEVEL SERIALIZABLE");
  in_tx_ = true;
}

void PostgresStore::commit() {
  execute_script("COMMIT");
  in_tx_ = false;
}

void PostgresStore::rollback() {
  in_tx_ = false;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) execute_script("ROLLBACK");
}

void PostgresStore::set_actor(const std::string& actor) {
  // Transaction-local setting read by the audit trigger function.
  execute("SELECT set_config('sirtkit.actor', ?, true)", {actor});
}

void PostgresStore::set_reason(const std::string& reason) {
  // Transaction-local like the actor: gone at COMMIT or ROLLBACK.
  execute("SELECT set_config('sirtkit.reason', ?, true)", {reason});
}

}  // namespace sirtkit::registry
