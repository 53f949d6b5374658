#include "clinical/eligibility.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "clinical/date.h"
#include "clinical/units.h"
#include "core/error.h"
#include "core/format.h"
#include "core/text.h"

namespace sirtkit::clinical {
namespace {

bool numeric_op(CompareOp op) { return op != CompareOp::in && op != CompareOp::not_in; }

std::optional<bool> as_bool(const std::string& s) {
  const std::string t = ascii_lower(trim(s));
  if (t == "yes" || t == "y" || t == "true" || t == "1") return true;
  if (t == "no" || t == "n" || t == "false" || t == "0") return false;
  return std::nullopt;
}

bool all_boolean(const std::vector<std::string>& values) {
  if (values.empty()) return false;
  for (const std::string& v : values)
    if (!as_bool(v)) return false;
  return true;
}

bool is_leaf(const Condition& c) { return c.group == Condition::Group::none; }
bool is_date(const Condition& c) { return is_leaf(c) && !c.date_from.empty(); }

// A short code with only letters, digits or '+' ("D", "A6", "2", "ja"): when it is not an
// allowed answer it is an impossible one, not a non-answer.
bool code_like(const std::string& t) {
  if (t.empty() || t.size() > 8) return false;
  for (char c : t)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+') return false;
  return true;
}

struct Context {
  const RuleSet& rules;
  const std::map<std::string, std::string>& record;
  const std::string& where;
};

struct ConditionResult {
  Verdict verdict;
  std::string reason;
};

std::string cell(const Context& ctx, const std::string& field) {
  auto it = ctx.record.find(field);
  return it == ctx.record.end() ? std::string() : trim(it->second);
}

// The value as a message may show it: never the value of a text (identifier, free text) field.
std::string shown(const std::optional<FieldDomain>& d, const std::string& text) {
  return d && d->text ? "(value not shown: text field)" : "'" + text + "'";
}

std::string non_answer_reason(const std::optional<FieldDomain>& d, const std::string& field, const std::string& text) {
  if (text.empty() || text == "NA") return field + " missing";
  return field + " = " + (d && d->text ? std::string("(text)") : "'" + text + "'") + ": not an answer";
}

bool holds_numeric(CompareOp op, double v, double t) {
  switch (op) {
    case CompareOp::lt: return less(v, t);
    case CompareOp::le: return less_equal(v, t);
    case CompareOp::gt: return greater(v, t);
    case CompareOp::ge: return greater_equal(v, t);
    case CompareOp::eq: return approx_equal(v, t);
    case CompareOp::ne: return !approx_equal(v, t);
    default: return false;
  }
}

// Date cells: a non-answer is unknown; anything else must be a calendar date. Dates are
// patient data: messages name the line and column only.
std::optional<Date> date_cell(const Context& ctx, const std::string& field) {
  const std::string t = cell(ctx, field);
  if (is_non_answer(t)) return std::nullopt;
  try {
    return parse_date(t, field);
  } catch (const Error&) {
    fail_input(ctx.where, "column " + field, "(value not shown: a date)", "a calendar date YYYY-MM-DD");
  }
}

ConditionResult eval_date(const Condition& c, const Context& ctx) {
  const std::optional<Date> from = date_cell(ctx, c.date_from), to = date_cell(ctx, c.field);
  const double t_days = convert_quantity(Quantity{*c.threshold, c.unit, num(*c.threshold) + " " + c.unit}, "days", "",
                                         "threshold");
  const std::string what = "days from " + c.date_from + " to " + c.field;
  if (!from || !to)
    return {Verdict::unknown, what + ": " + (!from ? c.date_from : c.field) + " missing or not an answer"};
  const int days = days_between(*from, *to);
  const bool holds = holds_numeric(c.op, days, t_days);
  return {holds ? Verdict::pass : Verdict::fail, what + " = " + std::to_string(days) + " " + compare_op_name(c.op) +
                                                     " " + num(t_days) + ": " + (holds ? "true" : "false")};
}

ConditionResult eval_numeric(const Condition& c, const Context& ctx) {
  const std::string text = cell(ctx, c.field);
  const std::optional<FieldDomain> dom = field_domain(ctx.rules, c.field);
  const std::string col = "column " + c.field;
  // Not a number at all ("unknown", "pending", "< 5 Gy"): not an answer.
  const bool starts_numeric = !text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) ||
                                                ((text[0] == '-' || text[0] == '+' || text[0] == '.') &&
                                                 text.size() > 1));
  if (is_non_answer(text) || !starts_numeric) return {Verdict::unknown, non_answer_reason(dom, c.field, text)};
  Quantity q;
  double v;
  try {
    q = parse_quantity(text, c.field);
    v = convert_quantity(q, c.unit, c.analyte, c.field);
  } catch (const Error& e) {
    if (dom && dom->text) fail_input(ctx.where, col, shown(dom, text), "a number with a unit convertible to " + c.unit);
    throw Error(e.category(), ctx.where + ": " + col + ": " + e.what());
  }
  // Impossible values are refused: the field's declared or built-in range, else the
  // analyte's or the dimension's plausible range (units.h).
  if (dom && (dom->min || dom->max)) {
    double dv = q.value;
    if (!dom->unit.empty() || !q.unit.empty()) dv = convert_quantity(q, dom->unit, c.analyte, c.field);
    const bool bad = (dom->min && less(dv, *dom->min)) || (dom->max && greater(dv, *dom->max)) ||
                     (dom->integer && dv != std::floor(dv));
    if (bad)
      fail_input(ctx.where, col, shown(dom, text),
                 std::string("impossible for ") + c.field + ": expected " + (dom->integer ? "an integer " : "") +
                     (dom->min ? "from " + num(*dom->min) : std::string("up")) +
                     (dom->max ? " to " + num(*dom->max) : std::string()) + (dom->unit.empty() ? "" : " " + dom->unit));
  } else {
    require_plausible_quantity(q, c.analyte.empty() ? c.field : c.analyte, ctx.where, col);
  }
  const double t = *c.threshold;
  const bool holds = holds_numeric(c.op, v, t);
  const std::string value_text = fmt::format("{:.6g}", v) + (c.unit.empty() ? "" : " " + c.unit);
  return {holds ? Verdict::pass : Verdict::fail,
          c.field + " = " + value_text + (q.unit != c.unit && !q.unit.empty() ? " (given " + text + ")" : "") + " " +
              compare_op_name(c.op) + " " + num(t) + (c.unit.empty() ? "" : " " + c.unit) + ": " +
              (holds ? "true" : "false")};
}

ConditionResult eval_categorical(const Condition& c, const Context& ctx) {
  const std::string text = cell(ctx, c.field);
  const std::optional<FieldDomain> dom = field_domain(ctx.rules, c.field);
  if (is_non_answer(text)) return {Verdict::unknown, non_answer_reason(dom, c.field, text)};
  const bool boolean = dom ? all_boolean(dom->allowed) : all_boolean(c.values);
  auto same = [&](const std::string& a, const std::string& b) {
    if (ascii_lower(trim(a)) == ascii_lower(trim(b))) return true;
    return boolean && as_bool(a) && as_bool(a) == as_bool(b);
  };
  // Is it an answer at all? (validate_rules guarantees a domain: declared, built in or yes/no.)
  bool valid = false;
  if (dom && !dom->allowed.empty()) {
    for (const std::string& a : dom->allowed) valid = valid || same(a, text);
  } else {
    valid = as_bool(text).has_value();
  }
  if (!valid) {
    // A code-like answer outside the domain ("D" for Child-Pugh, "2" for yes/no) is impossible;
    // free text ("awaiting MRI", "see notes") is not an answer.
    if (code_like(text) && !(dom && dom->text)) {
      std::string list;
      if (dom && !dom->allowed.empty())
        for (const std::string& a : dom->allowed) list += (list.empty() ? "" : ", ") + a;
      else
        list = "yes, no";
      fail_input(ctx.where, "column " + c.field, shown(dom, text),
                 "impossible for " + c.field + ": expected one of " + list + " (or a non-answer such as unknown)");
    }
    return {Verdict::unknown, non_answer_reason(dom, c.field, text)};
  }
  bool found = false;
  for (const std::string& a : c.values) found = found || same(a, text);
  const bool holds = (c.op == CompareOp::in || c.op == CompareOp::eq) ? found : !found;
  std::string list;
  for (const std::string& a : c.values) list += (list.empty() ? "" : ", ") + a;
  return {holds ? Verdict::pass : Verdict::fail, c.field + " = " + (dom && dom->text ? "(text)" : text) + " " +
                                                     compare_op_name(c.op) + " {" + list + "}: " +
                                                     (holds ? "true" : "false")};
}

ConditionResult eval_condition(const Condition& c, const Context& ctx) {
  if (c.group != Condition::Group::none) {
    const bool any = c.group == Condition::Group::any;
    // Kleene logic: AND false if any false; OR true if any true; else unknown if any unknown.
    Verdict out = any ? Verdict::fail : Verdict::pass;
    bool unknown = false;
    std::string reasons;
    for (const Condition& k : c.children) {
      const ConditionResult r = eval_condition(k, ctx);
      reasons += (reasons.empty() ? "" : any ? " OR " : " AND ") + r.reason;
      if (r.verdict == Verdict::unknown) unknown = true;
      if (any && r.verdict == Verdict::pass) out = Verdict::pass;
      if (!any && r.verdict == Verdict::fail) out = Verdict::fail;
    }
    const bool decided = any ? out == Verdict::pass : out == Verdict::fail;
    return {decided || !unknown ? out : Verdict::unknown, "(" + reasons + ")"};
  }
  if (is_date(c)) return eval_date(c, ctx);
  if (c.threshold) return eval_numeric(c, ctx);
  return eval_categorical(c, ctx);
}

std::string normalise_non_answer(const std::string& cell) {
  std::string t;
  bool space = false;
  for (char ch : ascii_lower(trim(cell))) {
    if (ch == ' ' || ch == '\t' || ch == '_') {
      space = true;
      continue;
    }
    if (space && !t.empty()) t += ' ';
    space = false;
    t += ch;
  }
  while (!t.empty() && t.back() == '.') t.pop_back();
  return t;
}

void validate_condition(const Condition& k, const RuleSet& rules, const std::string& where) {
  if (k.group != Condition::Group::none) {
    if (k.children.empty()) fail_input(where, "conditions", "0", "at least one condition in each all/any group");
    for (const Condition& c : k.children) validate_condition(c, rules, where);
    return;
  }
  if (k.field.empty()) fail_input(where, "field", "''", "the field of the patient record to test");
  if (is_date(k)) {
    if (!k.threshold || !numeric_op(k.op))
      fail_input(where, "threshold", "(missing)", "a number of days (unit days or weeks) for a date condition");
    convert_quantity(Quantity{*k.threshold, k.unit, num(*k.threshold) + " " + k.unit}, "days", "", where + " unit");
    return;
  }
  if (numeric_op(k.op) && !k.threshold && k.values.size() != 1)
    fail_input(where, "threshold", "(missing)",
               std::string("a threshold (or one value) for operator ") + compare_op_name(k.op));
  if (!numeric_op(k.op) && k.values.empty())
    fail_input(where, "values", "(missing)", std::string("a list of values for operator ") + compare_op_name(k.op));
  if (k.threshold && !k.values.empty()) fail_input(where, "values", "(given)", "either a threshold or values, not both");
  if (k.threshold) return;
  // Categorical: the answers of the field must be known, to tell an impossible or missing
  // answer from a valid one.
  const std::optional<FieldDomain> dom = field_domain(rules, k.field);
  if (!dom || dom->allowed.empty()) {
    if (all_boolean(k.values)) return;
    fail_input(where, "field", k.field,
               "a categorical field needs its allowed answers: add [fields." + k.field + "] allowed = [...]");
  }
  for (const std::string& v : k.values) {
    bool ok = false;
    for (const std::string& a : dom->allowed)
      ok = ok || ascii_lower(trim(a)) == ascii_lower(trim(v)) || (as_bool(a) && as_bool(a) == as_bool(v));
    if (!ok) fail_input(where, "values", v, "one of the allowed answers of " + k.field);
  }
}

void collect_fields(const Condition& c, std::vector<std::string>& out) {
  if (c.group != Condition::Group::none) {
    for (const Condition& k : c.children) collect_fields(k, out);
    return;
  }
  out.push_back(c.field);
  if (!c.date_from.empty()) out.push_back(c.date_from);
}

}  // namespace

bool is_non_answer(const std::string& cell) {
  const std::string t = normalise_non_answer(cell);
  if (t.empty() || t == "na" || t == "nan" || t == "null") return true;
  if (t.find('?') != std::string::npos) return true;
  // Every character punctuation ("-", "--", ".", "/", "*"): a placeholder, not an answer.
  bool punct = true;
  for (char ch : t) punct = punct && std::ispunct(static_cast<unsigned char>(ch)) != 0;
  if (punct) return true;
  // Spellings of "not known / not done / not available" used in case report forms
  // (CDISC null flavours UNK, NA, NASK, NAV, ASKU, NI, NP, NINF, PINF, MSK, OTH excluded).
  static const char* kWords[] = {
      "n/a", "n.a", "n/k", "n.k", "n/d", "n.d", "nk", "nd", "ne", "nr", "unk", "unkn", "unknown", "unknow",
      "nask", "nav", "asku", "ni", "np", "msk", "missing", "pending", "awaiting", "tbd", "tba", "to be determined",
      "to follow", "maybe", "possible", "possibly", "probable", "probably", "suspected", "unclear", "uncertain",
      "indeterminate", "undetermined", "equivocal", "inconclusive", "unavailable", "no data", "none recorded",
      "unable to assess", "cannot assess", "can't assess", "cannot be assessed", "declined", "refused",
  };
  for (const char* w : kWords)
    if (t == w) return true;
  // "not assessed", "not done", "not known", "not available", "not evaluable", ...
  if (t.rfind("not ", 0) == 0 || t.rfind("unknown", 0) == 0 || t.rfind("pending", 0) == 0 ||
      t.rfind("awaiting", 0) == 0 || t.rfind("unable", 0) == 0)
    return true;
  return false;
}

std::optional<FieldDomain> field_domain(const RuleSet& rules, const std::string& field) {
  const std::string f = ascii_lower(field);
  if (auto it = rules.fields.find(f); it != rules.fields.end()) return it->second;
  FieldDomain d;
  // ECOG performance status 0-5 (Oken et al., Am J Clin Oncol 1982;5:649-655)
  if (f == "ecog" || f == "ecog_ps" || f == "performance_status" || f == "ps" || f == "who_ps") {
    d.min = 0;
    d.max = 5;
    d.integer = true;
    return d;
  }
  // Age: 0 to 130 years (beyond the oldest person documented, 122 years)
  if (f == "age" || f == "age_years") {
    d.min = 0;
    d.max = 130;
    d.unit = "years";
    return d;
  }
  // Child-Pugh class A/B/C (Pugh RN et al., Br J Surg 1973;60:646-649)
  if (f == "child_pugh_class" || f == "child_pugh") {
    d.allowed = {"A", "B", "C"};
    return d;
  }
  // BCLC stage 0/A/B/C/D (Reig M et al., J Hepatol 2022;76:681-693)
  if (f == "bclc" || f == "bclc_stage") {
    d.allowed = {"0", "A", "B", "C", "D"};
    return d;
  }
  return std::nullopt;
}

CompareOp parse_compare_op(const std::string& text, const std::string& where) {
  const std::string t = ascii_lower(trim(text));
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
  for (const auto& [name, d] : rules.fields) {
    if (d.min && d.max && *d.min > *d.max)
      fail_input("fields." + name, "min", num(*d.min), "at most max " + num(*d.max));
    if (!d.allowed.empty() && (d.min || d.max))
      fail_input("fields." + name, "allowed", "(given)", "either allowed answers or a min/max range, not both");
  }
  std::map<std::string, int> ids;
  for (const Criterion& c : rules.criteria) {
    if (c.id.empty()) fail_input(c.where, "id", "''", "an identifier for the criterion");
    if (++ids[c.id] > 1) fail_input(c.where, "id", c.id, "a unique identifier");
    if (c.conditions.empty()) fail_input(c.where, "conditions", "0", "at least one condition");
    for (const Condition& k : c.conditions) validate_condition(k, rules, c.where);
  }
}

std::vector<std::string> condition_fields(const Criterion& c) {
  std::vector<std::string> out;
  for (const Condition& k : c.conditions) collect_fields(k, out);
  return out;
}

EligibilityResult evaluate_eligibility(const RuleSet& rules, const std::string& patient_id,
                                       const std::map<std::string, std::string>& record, const std::string& where) {
  EligibilityResult out;
  out.patient_id = patient_id;
  const Context ctx{rules, record, where};
  bool failed = false, unknown = false;
  for (const Criterion& c : rules.criteria) {
    CriterionResult cr;
    cr.id = c.id;
    cr.required = c.required;
    // The criterion's conditions are joined by AND.
    Condition all;
    all.group = Condition::Group::all;
    all.children = c.conditions;
    ConditionResult r = eval_condition(all, ctx);
    if (c.conditions.size() == 1) r.reason = r.reason.substr(1, r.reason.size() - 2);  // no outer parentheses
    if (r.verdict == Verdict::unknown) cr.verdict = Verdict::unknown;
    else if (c.exclusion) cr.verdict = r.verdict == Verdict::pass ? Verdict::fail : Verdict::pass;
    else cr.verdict = r.verdict;
    cr.reason = (c.exclusion ? "exclusion: " : "inclusion: ") + r.reason;
    if (cr.verdict == Verdict::fail) failed = true;
    if (cr.verdict == Verdict::unknown && c.required) unknown = true;
    out.criteria.push_back(std::move(cr));
  }
  out.verdict = failed ? "not eligible" : unknown ? "undetermined" : "eligible";
  return out;
}

}  // namespace sirtkit::clinical
