#include "common/bulk_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <new>
#include <utility>

namespace zx {
namespace {

struct Pair {
  std::int64_t a;
  std::int32_t b;
};

TEST(BulkArrayTest, ZeroedIsAllZeroAndWritable) {
  BulkArray<Pair> array = BulkArray<Pair>::Zeroed(100000);
  ASSERT_EQ(array.size(), 100000u);
  EXPECT_FALSE(array.empty());
  for (const Pair& pair : array) {
    ASSERT_EQ(pair.a, 0);
    ASSERT_EQ(pair.b, 0);
  }
  array[99999].a = 7;
  EXPECT_EQ(array[99999].a, 7);
  array.Release();
  EXPECT_TRUE(array.empty());
  EXPECT_EQ(array.capacity(), 0u);
}

TEST(BulkArrayTest, PushBackGrowsWithoutLosingElements) {
  BulkArray<Pair> array;
  EXPECT_TRUE(array.empty());
  for (std::int32_t idx = 0; idx < 300000; ++idx) array.push_back({idx * 3LL, -idx});
  ASSERT_EQ(array.size(), 300000u);
  EXPECT_GE(array.capacity(), 300000u);
  for (std::int32_t idx = 0; idx < 300000; ++idx) {
    ASSERT_EQ(array[static_cast<std::size_t>(idx)].a, idx * 3LL);
    ASSERT_EQ(array[static_cast<std::size_t>(idx)].b, -idx);
  }
  BulkArray<Pair> moved = std::move(array);
  EXPECT_TRUE(array.empty());
  EXPECT_EQ(moved.size(), 300000u);
  EXPECT_EQ(moved[123].b, -123);
}

TEST(BulkArrayTest, ConstructInPlaceThenResize) {
  BulkArray<Pair> array;
  array.Reserve(10);
  for (std::size_t idx = 0; idx < 4; ++idx) new (array.data() + idx) Pair{static_cast<std::int64_t>(idx), 1};
  array.Resize(4);
  EXPECT_EQ(array.size(), 4u);
  EXPECT_EQ(array[3].a, 3);
  array.Resize(1000);  // never past the capacity
  EXPECT_EQ(array.size(), array.capacity());
}

}  // namespace
}  // namespace zx
