#include "report/trial/randomisation.h"

#include <fmt/format.h>

namespace sirtkit::report {

nlohmann::json allocation_json(const Allocation& a) {
  return {{"scheme", a.scheme},     {"sequence", a.sequence},         {"patient_id", a.patient_id},
          {"pseudonym", a.pseudonym}, {"site", a.site},               {"arm", a.arm},
          {"levels", a.levels},     {"allocated_at", a.allocated_at}, {"allocated_by", a.allocated_by}};
}

const char* randomise_status_name(RandomiseOutcome::Status s) {
  switch (s) {
    case RandomiseOutcome::Status::allocated: return "allocated";
    case RandomiseOutcome::Status::not_eligible: return "not_eligible";
    case RandomiseOutcome::Status::undetermined: return "undetermined";
    case RandomiseOutcome::Status::already_randomised: return "already_randomised";
  }
  return "?";
}

nlohmann::json outcome_json(const RandomiseOutcome& o, bool show_existing) {
  nlohmann::json j = {{"status", randomise_status_name(o.status)}};
  if (o.status == RandomiseOutcome::Status::allocated || (o.status == RandomiseOutcome::Status::already_randomised && show_existing))
    j["allocation"] = allocation_json(o.allocation);
  if (!o.criteria.empty()) {
    j["rules"] = o.rules;
    nlohmann::json cs = nlohmann::json::array();
    for (const auto& c : o.criteria) cs.push_back({{"id", c.id}, {"verdict", clinical::verdict_name(c.verdict)}, {"reason", c.reason}});
    j["criteria"] = cs;
  }
  return j;
}

std::string outcome_text(const RandomiseOutcome& o, bool show_existing) {
  const Allocation& a = o.allocation;
  switch (o.status) {
    case RandomiseOutcome::Status::allocated:
      return fmt::format("Patient {} randomised to arm {} (scheme {}, allocation {}, levels {}, {} by {})\n", a.pseudonym, a.arm,
                         a.scheme, a.sequence, a.levels, a.allocated_at, a.allocated_by);
    case RandomiseOutcome::Status::already_randomised:
      return show_existing ? fmt::format("Not randomised: the patient was already randomised to arm {} (scheme {}, allocation {}, {} by {}); an allocation is final\n",
                                         a.arm, a.scheme, a.sequence, a.allocated_at, a.allocated_by)
                           : "Not randomised: the patient was already randomised; an allocation is final\n";
    case RandomiseOutcome::Status::not_eligible:
    case RandomiseOutcome::Status::undetermined: {
      std::string s = o.status == RandomiseOutcome::Status::not_eligible
                          ? "Not randomised: the patient is not eligible (" + o.rules + "):\n"
                          : "Not randomised: eligibility undetermined (" + o.rules + "), missing or non-answer values:\n";
      for (const auto& c : o.criteria) s += fmt::format("  {:<8} {:<32} {}\n", clinical::verdict_name(c.verdict), c.id, c.reason);
      return s;
    }
  }
  return "";
}

nlohmann::json eligibility_json(const std::vector<SchemeEligibility>& e) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : e) {
    nlohmann::json criteria = nlohmann::json::array();
    for (const auto& c : s.result.criteria)
      criteria.push_back({{"id", c.id}, {"verdict", clinical::verdict_name(c.verdict)}, {"required", c.required}, {"reason", c.reason}});
    list.push_back({{"scheme", s.scheme}, {"rules", s.rules}, {"verdict", s.result.verdict}, {"criteria", criteria}});
  }
  return {{"schemes", list}};
}

nlohmann::json scheme_json(const SchemeSummary& s) {
  return {{"scheme", s.code},   {"study", s.study},       {"method", stats::randomisation_method_name(s.method)},
          {"arms", s.arms},     {"ratio", s.ratio},       {"seed_sha256", s.seed_sha256},
          {"created_at", s.created_at}};
}

std::string scheme_text(const SchemeSummary& s) {
  std::string text = "Scheme " + s.code + " (study " + s.study + "): " + stats::randomisation_method_name(s.method) + ", arms";
  for (std::size_t k = 0; k < s.arms.size(); ++k) text += (k ? ":" : " ") + s.arms[k];
  text += ", ratio";
  for (std::size_t k = 0; k < s.ratio.size(); ++k) text += (k ? ":" : " ") + std::to_string(s.ratio[k]);
  text += "\nfactors:";
  for (const auto& [name, levels] : s.factors) text += " " + name + " (" + std::to_string(levels) + " levels)";
  text += "\nseed: concealed in the registry; SHA-256 " + s.seed_sha256 + "\n";
  return text;
}

nlohmann::json allocation_list_json(const AllocationList& l) {
  nlohmann::json j = {{"scheme", l.scheme}, {"allocations", nlohmann::json::array()}};
  for (const auto& x : l.allocations) j["allocations"].push_back(allocation_json(x));
  if (l.replay) {
    const auto& rr = *l.replay;
    j["replay"] = {{"allocations", rr.allocations}, {"mismatches", rr.mismatches}, {"seed_sha256", rr.seed_sha256}, {"ok", rr.ok()}};
  }
  return j;
}

std::string allocation_list_text(const AllocationList& l) {
  std::string text = "Scheme " + l.scheme + ": " + std::to_string(l.allocations.size()) + " allocations\n";
  if (!l.allocations.empty()) text += fmt::format("{:>5}  {:<20} {:<8} {:<8} {:<40} {:<25} {}\n", "#", "patient", "site", "arm", "levels", "at", "by");
  for (const auto& x : l.allocations)
    text += fmt::format("{:>5}  {:<20} {:<8} {:<8} {:<40} {:<25} {}\n", x.sequence, x.pseudonym, x.site, x.arm, x.levels, x.allocated_at, x.allocated_by);
  if (!l.replay) return text;
  const auto& rr = *l.replay;
  text += "Replay from the seed (SHA-256 " + rr.seed_sha256 + "): ";
  if (rr.ok()) return text + "all " + std::to_string(rr.allocations) + " allocations reproduced\n";
  text += std::to_string(rr.mismatches.size()) + " of " + std::to_string(rr.allocations) + " allocations differ: #";
  for (std::size_t i = 0; i < rr.mismatches.size(); ++i) text += (i ? ", #" : "") + std::to_string(rr.mismatches[i]);
  return text + "\n";
}

}  // namespace sirtkit::report
