#include "clinical/eligibility.h"

#include <fmt/format.h>

#include <cctype>

#include "clinical/units.h"
#include "core/error.h"
#include "core/format.h"
#include "core/text.h"

namespace sirtkit::clinical {
namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
bool numeric_op(CompareOp op) { return op != CompareOp::in && op != CompareOp::not_in; }

struct ConditionResult {
  Verdict verdict;
  std::string reason;
};

ConditionResult eval_condition(const Condition& c, const std::map<std::string, std::string>& record,
                               const std::string& where) {
  auto it = record.find(c.field);
  const std::string text = it == record.end() ? "" : trim(it->second);
  if (text.empty() || text == "NA") return {Verdict::unknown, c.field + " missing"};
  if (c.threshold) {
    const Quantity q = parse_quantity(text, c.field);
    double v;
    try {
      v = convert_quantity(q, c.unit, c.analyte, c.field);
    } catch (const Error& e) {
      throw Error(e.category(), where + ": " + e.what());
    }
    const double t = *c.threshold;
    bool holds = false;
    switch (c.op) {
      case CompareOp::lt: holds = less(v, t); break;
      case CompareOp::le: holds = less_equal(v, t); break;
      case CompareOp::gt: holds = greater(v, t); break;
      case CompareOp::ge: holds = greater_equal(v, t); break;
      case CompareOp::eq: holds = approx_equal(v, t); break;
      case CompareOp::ne: holds = !approx_equal(v, t); break;
      default: break;
    }
    const std::string shown = fmt::format("{:.6g}", v) + (c.unit.empty() ? "" : " " + c.unit);
    return {holds ? Verdict::pass : Verdict::fail,
            c.field + " = " + shown + (q.unit != c.unit && !q.unit.empty() ? " (given " + text + ")" : "") + " " +
                compare_op_name(c.op) + " " + num(t) + (c.unit.empty() ? "" : " " + c.unit) + ": " +
                (holds ? "true" : "false")};
  }
  const std::string v = lower(text);
  bool found = false;
  for (const std::string& a : c.values) found = found || lower(a) == v;
  // yes/no spellings compare as booleans
  auto as_bool = [](const std::string& s) -> std::optional<bool> {
    const std::string t = lower(s);
    if (t == "yes" || t == "y" || t == "true" || t == "1") return true;
    if (t == "no" || t == "n" || t == "false" || t == "0") return false;
    return std::nullopt;
  };
  if (!found && as_bool(text)) {
    for (const std::string& a : c.values) found = found || as_bool(a) == as_bool(text);
  }
  const bool holds = (c.op == CompareOp::in || c.op == CompareOp::eq) ? found : !found;
  std::string list;
  for (const std::string& a : c.values) list += (list.empty() ? "" : ", ") + a;
  return {holds ? Verdict::pass : Verdict::fail,
          c.field + " = " + text + " " + compare_op_name(c.op) + " {" + list + "}: " + (holds ? "true" : "false")};
}

}  // namespace

CompareOp parse_compare_op(const std::string& text, const std::string& where) {
  const std::string t = lower(trim(text));
  if (t == "<" || t == "lt") return CompareOp::lt;
  if (t == "<=" || t == "le") return CompareOp::le;
  if (t == ">" || t == "gt") return CompareOp::gt;
  if (t == ">=" || t == "ge") return CompareOp::ge;
  if (t == "==" || t == "=" || t == "eq") return CompareOp::eq;
  if (t == "!=" || t == "ne") return CompareOp::ne;
  if (t == "in") return CompareOp::in;
  if (t == "not_in" || t == "not in") return CompareOp::not_in;
  fail_input(where, "operator", "'" + text + "'", "one of <, <=, >, >=, ==, !=, in, not_in");
}

const char* compare_op_name(CompareOp op) {
  switch (op) {
    case CompareOp::lt: return "<";
    case CompareOp::le: return "<=";
    case CompareOp::gt: return ">";
    case CompareOp::ge: return ">=";
    case CompareOp::eq: return "==";
    case CompareOp::ne: return "!=";
    case CompareOp::in: return "in";
    case CompareOp::not_in: return "not in";
  }
  return "?";
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::unknown: return "unknown";
  }
  return "?";
}

void validate_rules(const RuleSet& rules) {
  if (rules.criteria.empty()) fail_input(rules.name, "criteria", "0", "at least one criterion");
  std::map<std::string, int> ids;
  for (const Criterion& c : rules.criteria) {
    if (c.id.empty()) fail_input(c.where, "id", "''", "an identifier for the criterion");
    if (++ids[c.id] > 1) fail_input(c.where, "id", c.id, "a unique identifier");
    if (c.conditions.empty()) fail_input(c.where, "conditions", "0", "at least one condition");
    for (const Condition& k : c.conditions) {
      if (k.field.empty()) fail_input(c.where, "field", "''", "the field of the patient record to test");
      if (numeric_op(k.op) && !k.threshold && k.values.size() != 1)
        fail_input(c.where, "threshold", "(missing)",
                   std::string("a threshold (or one value) for operator ") + compare_op_name(k.op));
      if (!numeric_op(k.op) && k.values.empty())
        fail_input(c.where, "values", "(missing)", std::string("a list of values for operator ") + compare_op_name(k.op));
      if (k.threshold && !k.values.empty())
        fail_input(c.where, "values", "(given)", "either a threshold or values, not both");
    }
  }
}

EligibilityResult evaluate_eligibility(const RuleSet& rules, const std::string& patient_id,
                                       const std::map<std::string, std::string>& record, const std::string& where) {
  EligibilityResult out;
  out.patient_id = patient_id;
  bool failed = false, unknown = false;
  for (const Criterion& c : rules.criteria) {
    CriterionResult cr;
    cr.id = c.id;
    cr.required = c.required;
    // Conditions joined by AND: any false → false; else any unknown → unknown; else true.
    Verdict cond = Verdict::pass;
    std::string reasons;
    for (const Condition& k : c.conditions) {
      const ConditionResult r = eval_condition(k, record, where);
      reasons += (reasons.empty() ? "" : "; ") + r.reason;
      if (r.verdict == Verdict::fail) cond = Verdict::fail;
      else if (r.verdict == Verdict::unknown && cond == Verdict::pass) cond = Verdict::unknown;
    }
    if (cond == Verdict::unknown) cr.verdict = Verdict::unknown;
    else if (c.exclusion) cr.verdict = cond == Verdict::pass ? Verdict::fail : Verdict::pass;
    else cr.verdict = cond;
    cr.reason = (c.exclusion ? "exclusion: " : "inclusion: ") + reasons;
    if (cr.verdict == Verdict::fail) failed = true;
    if (cr.verdict == Verdict::unknown && c.required) unknown = true;
    out.criteria.push_back(std::move(cr));
  }
  out.verdict = failed ? "not eligible" : unknown ? "undetermined" : "eligible";
  return out;
}

}  // namespace sirtkit::clinical
