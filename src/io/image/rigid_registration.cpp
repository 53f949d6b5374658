#include "io/image/rigid_registration.h"

#include <itkCenteredTransformInitializer.h>
#include <itkEuler3DTransform.h>
#include <itkImage.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkMattesMutualInformationImageToImageMetricv4.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>

#include "core/error.h"
#include "io/image/itk_image.h"

namespace sirtkit::io {
namespace {

using Image = itk::Image<float, 3>;

}  // namespace

std::array<double, 3> RigidTransform::apply(const std::array<double, 3>& p) const {
  std::array<double, 3> out{};
  for (int r = 0; r < 3; ++r) {
    double s = 0;
    for (int c = 0; c < 3; ++c) s += rotation[3 * r + c] * (p[c] - centre_mm[c]);
    out[r] = s + centre_mm[r] + translation_mm[r];
  }
  return out;
}

RigidTransform register_rigid(const image::Volume<float>& fixed_volume, const image::Volume<float>& moving_volume) {
  using Transform = itk::Euler3DTransform<double>;
  using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
  using Metric = itk::MattesMutualInformationImageToImageMetricv4<Image, Image>;
  using Registration = itk::ImageRegistrationMethodv4<Image, Image, Transform>;

  const Image::Pointer fixed = to_itk<float>(fixed_volume);
  const Image::Pointer moving = to_itk<float>(moving_volume);
  auto transform = Transform::New();
  auto initializer = itk::CenteredTransformInitializer<Transform, Image, Image>::New();
  initializer->SetTransform(transform);
  initializer->SetFixedImage(fixed);
  initializer->SetMovingImage(moving);
  initializer->MomentsOn();  // centres of mass: robust for emission images
  initializer->InitializeTransform();

  auto metric = Metric::New();
  metric->SetNumberOfHistogramBins(32);
  auto optimizer = Optimizer::New();
  // Scales: one radian weighs like ~100 mm, so rotations and shifts move alike.
  Optimizer::ScalesType scales(transform->GetNumberOfParameters());
  for (unsigned i = 0; i < 3; ++i) scales[i] = 1e4;
  for (unsigned i = 3; i < 6; ++i) scales[i] = 1.0;
  optimizer->SetScales(scales);
  optimizer->SetLearningRate(4.0);
  optimizer->SetMinimumStepLength(1e-3);
  optimizer->SetRelaxationFactor(0.6);
  optimizer->SetNumberOfIterations(300);
  optimizer->SetGradientMagnitudeTolerance(1e-6);

  auto registration = Registration::New();
  registration->SetFixedImage(fixed);
  registration->SetMovingImage(moving);
  registration->SetMetric(metric);
  registration->SetOptimizer(optimizer);
  registration->SetInitialTransform(transform);
  registration->InPlaceOn();
  Registration::ShrinkFactorsArrayType shrink(3);
  Registration::SmoothingSigmasArrayType sigmas(3);
  shrink[0] = 4, shrink[1] = 2, shrink[2] = 1;
  sigmas[0] = 2, sigmas[1] = 1, sigmas[2] = 0;
  registration->SetNumberOfLevels(3);
  registration->SetShrinkFactorsPerLevel(shrink);
  registration->SetSmoothingSigmasPerLevel(sigmas);
  registration->SetMetricSamplingStrategy(Registration::MetricSamplingStrategyType::REGULAR);
  registration->SetMetricSamplingPercentage(0.5);
  // Regular sampling jitters each sample point at random: a fixed seed makes the
  // same images give the same transform on every run.
  registration->MetricSamplingReinitializeSeed(20130101);
  try {
    registration->Update();
  } catch (const itk::ExceptionObject& e) {
    throw Error(ErrorCategory::bad_input, std::string("rigid registration failed: ") + e.GetDescription());
  }

  RigidTransform out;
  const auto matrix = transform->GetMatrix();
  const auto centre = transform->GetCenter();
  const auto translation = transform->GetTranslation();
  for (int r = 0; r < 3; ++r) {
    out.centre_mm[r] = centre[r];
    out.translation_mm[r] = translation[r];
    for (int c = 0; c < 3; ++c) out.rotation[3 * r + c] = matrix[r][c];
  }
  out.angles_rad = {transform->GetAngleX(), transform->GetAngleY(), transform->GetAngleZ()};
  out.final_metric = optimizer->GetValue();
  out.iterations = static_cast<int>(optimizer->GetCurrentIteration());
  return out;
}

}  // namespace sirtkit::io
