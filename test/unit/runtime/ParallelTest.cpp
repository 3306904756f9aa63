// The runtime's thread pool: every iteration runs exactly once, in contiguous ranges, at any
// thread count, and callers on two threads at once both complete.
#include "runtime/Parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace nncc::rt {
namespace {

struct Counts {
  std::vector<std::atomic<int>> hits;
  std::atomic<int> ranges{0};
  explicit Counts(int64_t n) : hits(n) {}
};

void countRange(void *ctx, int64_t begin, int64_t end) {
  auto *counts = static_cast<Counts *>(ctx);
  EXPECT_LT(begin, end);
  counts->ranges.fetch_add(1);
  for (int64_t i = begin; i < end; ++i)
    counts->hits[i].fetch_add(1);
}

/// Restores the thread count a test changed.
struct ThreadsGuard {
  int saved = get_num_threads();
  ~ThreadsGuard() { set_num_threads(saved); }
};

TEST(Parallel, EveryIterationRunsOnceInOneRangePerThread) {
  ThreadsGuard guard;
  for (int threads : {1, 2, 3, 8}) {
    set_num_threads(threads);
    EXPECT_EQ(get_num_threads(), threads);
    for (int64_t count : {1, 2, 3, 7, 64, 1000}) {
      Counts counts(count);
      for (int repeat = 0; repeat < 20; ++repeat)
        nncc_rt_parallel_for(countRange, &counts, count);
      for (int64_t i = 0; i < count; ++i)
        ASSERT_EQ(counts.hits[i].load(), 20) << "threads " << threads << " count " << count << " i " << i;
      EXPECT_EQ(counts.ranges.load(), 20 * std::min<int64_t>(threads, count));
    }
  }
}

TEST(Parallel, ThreadCountIsAtLeastOne) {
  ThreadsGuard guard;
  set_num_threads(0);
  EXPECT_EQ(get_num_threads(), 1);
}

TEST(Parallel, TwoCallersAtOnceBothFinish) {
  ThreadsGuard guard;
  set_num_threads(2);
  Counts a(500), b(500);
  std::thread other([&] {
    for (int i = 0; i < 200; ++i)
      nncc_rt_parallel_for(countRange, &a, 500);
  });
  for (int i = 0; i < 200; ++i)
    nncc_rt_parallel_for(countRange, &b, 500);
  other.join();
  for (int64_t i = 0; i < 500; ++i) {
    ASSERT_EQ(a.hits[i].load(), 200);
    ASSERT_EQ(b.hits[i].load(), 200);
  }
}

} // namespace
} // namespace nncc::rt
