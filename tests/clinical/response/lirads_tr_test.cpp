#include "clinical/response/lirads_tr.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
LrTrObservation obs(const std::string& id, LrTr c, std::optional<double> mm = std::nullopt) {
  return {id, c, mm, "obs " + id};
}
LrTr patient(std::vector<LrTrObservation> o) {
  return aggregate_lr_tr({{parse_date("2020-03-01", "d"), std::move(o)}})[0].patient_category;
}
}  // namespace

TEST(LiradsTr, PatientCategory) {
  EXPECT_EQ(patient({obs("A", LrTr::nonviable), obs("B", LrTr::nonviable)}), LrTr::nonviable);
  EXPECT_EQ(patient({obs("A", LrTr::nonviable), obs("B", LrTr::equivocal)}), LrTr::equivocal);
  EXPECT_EQ(patient({obs("A", LrTr::equivocal), obs("B", LrTr::nonevaluable)}), LrTr::nonevaluable);
  EXPECT_EQ(patient({obs("A", LrTr::nonevaluable), obs("B", LrTr::viable, 12)}), LrTr::viable);
}

TEST(LiradsTr, CountsAndLargestViable) {
  const auto r = aggregate_lr_tr({{parse_date("2020-03-01", "d"),
                                   {obs("A", LrTr::viable, 12), obs("B", LrTr::viable, 21), obs("C", LrTr::nonviable)}}});
  EXPECT_EQ(r[0].viable, 2);
  EXPECT_EQ(r[0].nonviable, 1);
  EXPECT_DOUBLE_EQ(r[0].largest_viable_mm, 21);
}

TEST(LiradsTr, ParsingAndBadInput) {
  EXPECT_EQ(parse_lr_tr("LR-TR Nonviable", "w"), LrTr::nonviable);
  EXPECT_EQ(parse_lr_tr("lr_tr_viable", "w"), LrTr::viable);
  EXPECT_EQ(parse_lr_tr("Non-evaluable", "w"), LrTr::nonevaluable);
  EXPECT_BAD_INPUT(parse_lr_tr("LR-5", "w"), "category", "not shown");
  EXPECT_BAD_INPUT(patient({obs("A", LrTr::nonviable, 10)}), "viable_mm", "10");
  EXPECT_BAD_INPUT(patient({obs("A", LrTr::viable), obs("A", LrTr::viable)}), "observation_id", "not shown");
  EXPECT_BAD_INPUT(aggregate_lr_tr({{parse_date("2020-03-01", "d"), {obs("A", LrTr::viable)}},
                                    {parse_date("2020-02-01", "d"), {obs("A", LrTr::viable)}}}),
                   "out of order");
}

}  // namespace sirtkit::clinical
