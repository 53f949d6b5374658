// sirtkit randomise init | allocate | list [--replay]: argument parsing and printing only;
// the work is in pipelines/trial/randomisation_jobs.
#include <cstdio>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "core/error.h"
#include "core/os_user.h"
#include "pipelines/trial/randomisation_jobs.h"
#include "report/trial/randomisation.h"

namespace sirtkit::cli {
namespace {

// "name=value" pairs of --level / --value; bad input naming the option otherwise.
std::map<std::string, std::string> pairs(const std::vector<std::string>& items, const std::string& option) {
  std::map<std::string, std::string> out;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
      fail_input("sirtkit randomise allocate", option, "(not shown)", "NAME=VALUE");
    if (!out.emplace(item.substr(0, eq), item.substr(eq + 1)).second)
      fail_input("sirtkit randomise allocate", option, item.substr(0, eq), "each name once");
  }
  return out;
}

void print(const std::string& text, const nlohmann::json& json, bool as_json, bool ok) {
  if (as_json) std::fputs((json.dump(2) + "\n").c_str(), stdout);
  else std::fputs(text.c_str(), ok ? stdout : stderr);
  // A refusal (not eligible, already randomised, a replay that differs) is a failed constraint.
  set_exit_code(ok ? 0 : exit_code(ErrorCategory::infeasible));
}

}  // namespace

void add_randomise_command(CLI::App& app) {
  CLI::App* rnd = app.add_subcommand("randomise", "Randomise patients of a registry: permuted blocks or minimisation, concealed and reproducible from a seed");
  rnd->require_subcommand(1);
  const char* db_help = "registry: an SQLite file, or a PostgreSQL database as postgresql://user@host/db";
  {
    struct Args {
      std::string db, scheme, actor;
      bool json = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* init = rnd->add_subcommand("init", "Create a randomisation scheme from a TOML file (docs/randomisation.md); the seed is drawn and concealed");
    init->add_option("DB", a->db, db_help)->required();
    init->add_option("SCHEME", a->scheme, "scheme file (TOML)")->required();
    init->add_option("--actor", a->actor, "name recorded in the audit trail (default: the OS user)");
    init->add_flag("--json", a->json, "print the result as JSON");
    init->callback([a] {
      auto store = registry::open_store(a->db, false);
      const auto s = pipelines::create_randomisation_scheme(*store, a->scheme, a->actor.empty() ? os_user_name() : a->actor);
      const auto summary = pipelines::scheme_summary(s);
      print(report::scheme_text(summary), report::scheme_json(summary), a->json, true);
    });
  }
  {
    struct Args {
      std::string db, scheme, patient, actor;
      std::vector<std::string> levels, values;
      bool json = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* al = rnd->add_subcommand("allocate", "Check a patient's eligibility and allocate an arm (final; recorded in the audit trail)");
    al->add_option("DB", a->db, db_help)->required();
    al->add_option("--patient", a->patient, "the patient's pseudonym")->required();
    al->add_option("--scheme", a->scheme, "scheme code (default: the only scheme of the patient's study)");
    al->add_option("--level", a->levels, "FACTOR=LEVEL, over the registry's value (repeatable)");
    al->add_option("--value", a->values, "FIELD=VALUE for the eligibility rules, e.g. lung_dose=12Gy (repeatable)");
    al->add_option("--actor", a->actor, "name recorded with the allocation and in the audit trail (default: the OS user)");
    al->add_flag("--json", a->json, "print the result as JSON");
    al->callback([a] {
      pipelines::RandomiseRequest rq;
      rq.scheme = a->scheme;
      rq.pseudonym = a->patient;
      rq.levels = pairs(a->levels, "--level");
      rq.values = pairs(a->values, "--value");
      rq.actor = a->actor.empty() ? os_user_name() : a->actor;
      auto store = registry::open_store(a->db, false);
      const auto o = pipelines::randomise_patient(*store, rq);
      // The command line reads the registry file itself: it may be told the existing allocation.
      print(report::outcome_text(o, true), report::outcome_json(o, true), a->json,
            o.status == pipelines::RandomiseOutcome::Status::allocated);
    });
  }
  {
    struct Args {
      std::string db, scheme;
      bool replay = false, json = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* ls = rnd->add_subcommand("list", "List a scheme's allocations; --replay re-derives them all from the seed and checks they match");
    ls->add_option("DB", a->db, db_help)->required();
    ls->add_option("--scheme", a->scheme, "scheme code")->required();
    ls->add_flag("--replay", a->replay, "audit: re-derive every allocation from the seed and the sequence of patients (exit 3 if any differs)");
    ls->add_flag("--json", a->json, "print the result as JSON");
    ls->callback([a] {
      auto store = registry::open_store(a->db, false);
      const auto list = pipelines::randomisation_list(*store, a->scheme, a->replay);
      print(report::allocation_list_text(list), report::allocation_list_json(list), a->json, list.ok());
    });
  }
}

}  // namespace sirtkit::cli
