// Tests for host Tensors: factories, shape queries and their errors, shared storage, copies.
#include "frontend/Tensor.h"
#include "frontend/Error.h"

#include <gtest/gtest.h>

using nncc::Error;
using nncc::Shape;
using nncc::Tensor;

namespace {

/// The message of the nncc::Error that `fn` throws, or "" when it throws none.
template <typename Fn> std::string errorOf(Fn fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

std::vector<float> values(const Tensor &t) { return {t.data(), t.data() + t.numel()}; }

} // namespace

TEST(Tensor, ShapeToStringMatchesTorchSize) {
  EXPECT_EQ(nncc::shapeToString({512, 784}), "[512, 784]");
  EXPECT_EQ(nncc::shapeToString({3}), "[3]");
  EXPECT_EQ(nncc::shapeToString({}), "[]");
}

TEST(Tensor, FactoriesFillAndCount) {
  Tensor z = Tensor::zeros({2, 3});
  EXPECT_TRUE(z.defined());
  EXPECT_EQ(z.shape(), (Shape{2, 3}));
  EXPECT_EQ(z.dim(), 2);
  EXPECT_EQ(z.numel(), 6);
  EXPECT_EQ(values(z), std::vector<float>(6, 0.0f));
  EXPECT_EQ(values(Tensor::ones({4})), std::vector<float>(4, 1.0f));
  EXPECT_EQ(values(Tensor::full({2, 2}, -1.5f)), std::vector<float>(4, -1.5f));
  EXPECT_EQ(Tensor::empty({0, 5}).numel(), 0);
  Tensor scalar = Tensor::full({}, 2.0f);
  EXPECT_EQ(scalar.dim(), 0);
  EXPECT_EQ(scalar.numel(), 1);
  EXPECT_EQ(scalar.data()[0], 2.0f);
}

TEST(Tensor, FromVectorChecksTheCount) {
  Tensor t = Tensor::fromVector({2, 2}, {1, 2, 3, 4});
  EXPECT_EQ(values(t), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(errorOf([] {
              Tensor::fromVector({2, 3}, {1, 2});
            }),
            "fromVector: 2 values do not fill shape [2, 3] of 6 elements");
  EXPECT_EQ(errorOf([] {
              Tensor::zeros({2, -1});
            }),
            "Trying to create tensor with negative dimension -1: [2, -1]");
}

TEST(Tensor, SizeTakesNegativeDimsAndReportsPyTorchsRange) {
  Tensor t = Tensor::zeros({3, 4});
  EXPECT_EQ(t.size(0), 3);
  EXPECT_EQ(t.size(1), 4);
  EXPECT_EQ(t.size(-1), 4);
  EXPECT_EQ(t.size(-2), 3);
  EXPECT_EQ(errorOf([&] { t.size(5); }),
            "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
  EXPECT_EQ(errorOf([] { Tensor::zeros({3}).size(-3); }),
            "Dimension out of range (expected to be in range of [-1, 0], but got -3)");
  EXPECT_EQ(errorOf([] { Tensor::zeros({}).size(0); }),
            "Dimension specified as 0 but tensor has no dimensions");
}

TEST(Tensor, CopiesShareStorageAndCloneDoesNot) {
  Tensor a = Tensor::zeros({2});
  Tensor alias = a;
  alias.data()[0] = 5.0f;
  EXPECT_EQ(a.data()[0], 5.0f);
  EXPECT_EQ(a.id(), alias.id());
  Tensor copy = a.clone();
  copy.data()[1] = 7.0f;
  EXPECT_EQ(a.data()[1], 0.0f);
  EXPECT_NE(copy.id(), a.id());
  EXPECT_EQ(values(copy), (std::vector<float>{5.0f, 7.0f}));
}

TEST(Tensor, CopyWritesInPlaceAndChecksShape) {
  Tensor dst = Tensor::zeros({2, 2});
  const float *storage = dst.data();
  Tensor alias = dst;
  dst.copy_(Tensor::fromVector({2, 2}, {1, 2, 3, 4}));
  EXPECT_EQ(dst.data(), storage);
  EXPECT_EQ(values(alias), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(errorOf([&] { dst.copy_(Tensor::zeros({4})); }),
            "copy_: shape [4] does not match [2, 2]");
}

TEST(Tensor, RequiresGradIsAFlagOnTheStorage) {
  Tensor t = Tensor::zeros({1});
  EXPECT_FALSE(t.requires_grad());
  Tensor &self = t.requires_grad_();
  EXPECT_EQ(&self, &t);
  EXPECT_TRUE(t.requires_grad());
  Tensor alias = t;
  alias.requires_grad_(false);
  EXPECT_FALSE(t.requires_grad());
}

TEST(Tensor, UndefinedTensorsSayNoneInsteadOfCrashing) {
  Tensor none;
  EXPECT_FALSE(none.defined());
  EXPECT_EQ(none.id(), nullptr);
  EXPECT_EQ(errorOf([&] { none.numel(); }), "numel: tensor is undefined");
  EXPECT_EQ(errorOf([&] { none.clone(); }), "clone: tensor is undefined");
  EXPECT_EQ(errorOf([&] { Tensor::zeros({1}).copy_(none); }), "copy_: tensor is undefined");
}
