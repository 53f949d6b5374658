#include "report/clinical/clinical_scores.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/format.h"

namespace sirtkit::report {
using namespace sirtkit::clinical;

namespace {
nlohmann::ordered_json rule_value(const RuleResult& r) {
  nlohmann::ordered_json j;
  j["rule"] = r.rule;
  j["value"] = r.value;
  j["category"] = r.category;
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (const InputUsed& i : r.inputs) {
    nlohmann::ordered_json e;
    e["name"] = i.name;
    if (!(i.unit.empty() && i.value == 0 && !i.text.empty())) e["value"] = i.value;
    if (!i.unit.empty()) e["unit"] = i.unit;
    if (!i.text.empty()) e["text"] = i.text;
    if (i.points) e["points"] = *i.points;
    inputs.push_back(e);
  }
  if (!r.details.empty()) {
    nlohmann::ordered_json d = nlohmann::ordered_json::object();
    for (const auto& [k, v] : r.details) d[k] = v;
    j["details"] = d;
  }
  j["inputs"] = inputs;
  j["notes"] = r.notes;
  j["source"] = r.source;
  return j;
}

// "MELD 20" → "20": the category without the rule's name in front.
std::string category_without_rule(const RuleResult& r) {
  if (r.category.rfind(r.rule + " ", 0) == 0) return r.category.substr(r.rule.size() + 1);
  return r.category;
}

bool integral(double value) { return value == static_cast<double>(static_cast<long long>(value)); }

}  // namespace

std::string rule_text(const RuleResult& r) {
  std::string out = fmt::format("{}: {}", r.rule, category_without_rule(r));
  if (!integral(r.value)) out += fmt::format(" (score {:.3f})", r.value);
  out += "\n  inputs used:\n";
  for (const InputUsed& i : r.inputs) {
    std::string v = i.unit.empty() && i.value == 0 && !i.text.empty() ? i.text : num(i.value);
    if (!i.unit.empty()) v += " " + i.unit;
    if (!(i.unit.empty() && i.value == 0) && !i.text.empty()) v += " (" + i.text + ")";
    out += fmt::format("    {:<24} {}", i.name, v);
    if (i.points) out += fmt::format("  -> {} point{}", *i.points, *i.points == 1 ? "" : "s");
    out += "\n";
  }
  for (const std::string& n : r.notes) out += "  note: " + n + "\n";
  out += "  source: " + r.source + "\n";
  return out;
}

std::string score_rows_text(const std::vector<ScoreRow>& rows) {
  std::string out;
  if (rows.empty()) return "no patients\n";
  out += fmt::format("{} ({})\n", rows.front().result.rule, rows.front().result.source);
  for (const ScoreRow& r : rows) {
    out += fmt::format("  {:<12} {:<12} {}\n", r.patient_id, category_without_rule(r.result),
                       integral(r.result.value) ? num(r.result.value) : fmt::format("{:.3f}", r.result.value));
  }
  return out;
}

std::string score_rows_json(const std::vector<ScoreRow>& rows) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const ScoreRow& r : rows) {
    nlohmann::ordered_json j;
    j["patient_id"] = r.patient_id;
    const nlohmann::ordered_json one = rule_value(r.result);  // keep alive while iterating
    for (const auto& [k, v] : one.items()) j[k] = v;
    a.push_back(j);
  }
  return a.dump(2) + "\n";
}

std::string rule_json(const RuleResult& r) { return rule_value(r).dump(2) + "\n"; }

}  // namespace sirtkit::report
