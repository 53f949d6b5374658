// Downloads by role (issue 13 item 3): the de-identified registry CSV is the
// bytes of `sirtkit registry export` (registry::export_redcap) for a user who
// sees every site, a site user's holds only that site's patients, ADTTE and
// ADRS are the derive command's sets; a statistician's carry no calendar date;
// investigators, physicists and monitors are refused (403).

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "registry/redcap/redcap_export.h"
#include "registry/derived/time_to_event.h"
#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using testing::TestServer;

const std::string pw = "a password for tests";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Distinct values of the first column (the record id / STUDYID...) after the header.
std::set<std::string> first_cells(const std::string& csv, std::size_t column = 0) {
  std::set<std::string> s;
  const auto ls = lines(csv);
  for (std::size_t i = 1; i < ls.size(); ++i) {
    std::istringstream row(ls[i]);
    std::string cell;
    for (std::size_t c = 0; c <= column; ++c) std::getline(row, cell, ',');
    s.insert(cell);
  }
  return s;
}

TEST(ExportRoutes, DownloadsAreTheCliSetsScopedToTheUsersSites) {
  TestServer s;
  std::string lyon;
  {
    auto lease = s.http().state().pool().acquire();
    registry::Transaction tx(*lease, "test");
    lease->execute("INSERT INTO sites (study_id, code) VALUES ((SELECT id FROM studies WHERE code = 'DOSISPHERE'), 'Lyon')");
    lyon = *lease->scalar("SELECT id FROM sites WHERE code = 'Lyon'");
    for (const auto& row : lease->query("SELECT id FROM patients ORDER BY pseudonym LIMIT 6").rows)
      lease->execute("UPDATE patients SET site_id = ? WHERE id = ?", {lyon, *row[0]});
    tx.commit();
  }
  s.add_user("stat_lyon", Role::statistician, {"Lyon"}, pw);
  s.add_user("dm_rennes", Role::data_manager, {"Rennes"}, pw);
  const auto admin = s.login(s.admin().username, s.admin().password);
  auto all = s.request("GET", "/api/export/registry.csv", admin);
  ASSERT_EQ(all->status, 200) << all->body;
  EXPECT_EQ(all->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(all->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
  {
    auto lease = s.http().state().pool().acquire();
    EXPECT_EQ(all->body, registry::export_redcap(*lease).data_csv);  // the CLI export, byte for byte
  }
  EXPECT_EQ(first_cells(all->body).size(), 56u);
  const auto stat = s.login("stat_lyon", pw), dm = s.login("dm_rennes", pw);
  auto lyon_csv = s.request("GET", "/api/export/registry.csv", stat);
  ASSERT_EQ(lyon_csv->status, 200);
  EXPECT_EQ(first_cells(lyon_csv->body).size(), 6u);
  auto rennes_csv = s.request("GET", "/api/export/registry.csv", dm);
  EXPECT_EQ(first_cells(rennes_csv->body).size(), 50u);
  // ADTTE: one OS row per patient of the user's sites (USUBJID is column 2).
  auto adtte = s.request("GET", "/api/export/adtte.csv?endpoint=os&months=1", stat);
  ASSERT_EQ(adtte->status, 200) << adtte->body;
  EXPECT_EQ(lines(adtte->body).size(), 7u);
  EXPECT_EQ(first_cells(adtte->body, 1).size(), 6u);
  // No calendar date for the statistician; the data manager's set has them.
  const std::string stat_header = lines(adtte->body)[0];
  EXPECT_EQ(stat_header.find("STARTDT"), std::string::npos) << stat_header;
  EXPECT_EQ(stat_header.find(",ADT,"), std::string::npos) << stat_header;
  EXPECT_NE(stat_header.find("AVAL"), std::string::npos) << stat_header;
  const auto columns = [](const std::string& header) {
    std::set<std::string> c;
    std::istringstream in(header);
    for (std::string cell; std::getline(in, cell, ',');) c.insert(cell);
    return c;
  };
  auto dm_adtte = s.request("GET", "/api/export/adtte.csv?endpoint=os&months=1", dm);
  EXPECT_NE(lines(dm_adtte->body)[0].find("STARTDT"), std::string::npos) << lines(dm_adtte->body)[0];
  // The registry CSV: the data manager's has the index date, the statistician's every other column only.
  const auto dm_columns = columns(lines(rennes_csv->body)[0]), stat_columns = columns(lines(lyon_csv->body)[0]);
  EXPECT_TRUE(dm_columns.count("index_date")) << lines(rennes_csv->body)[0];
  EXPECT_FALSE(stat_columns.count("index_date"));
  for (const auto& c : stat_columns) EXPECT_TRUE(dm_columns.count(c)) << c;
  EXPECT_LT(stat_columns.size(), dm_columns.size());
  auto adrs = s.request("GET", "/api/export/adrs.csv?criteria=mrecist", stat);
  ASSERT_EQ(adrs->status, 200);
  EXPECT_LE(first_cells(adrs->body, 1).size(), 6u);
  EXPECT_GE(first_cells(adrs->body, 1).size(), 1u);
  auto bad = s.request("GET", "/api/export/adtte.csv?endpoint=dfs", stat);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(testing::body_of(bad)["field"], "endpoint");
  auto dict = s.request("GET", "/api/export/dictionary.csv", stat);
  EXPECT_EQ(dict->status, 200);
  EXPECT_EQ(dict->body.rfind("Variable / Field Name", 0), 0u) << dict->body.substr(0, 80);
  for (Role r : {Role::investigator, Role::physicist, Role::monitor}) {
    const std::string name = std::string("no_") + role_name(r);
    s.add_user(name, r, r == Role::monitor ? std::vector<std::string>{} : std::vector<std::string>{"Rennes"}, pw);
    auto refused = s.request("GET", "/api/export/registry.csv", s.login(name, pw));
    EXPECT_EQ(refused->status, 403) << name;
  }
}

}  // namespace
}  // namespace sirtkit::server
