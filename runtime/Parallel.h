// The thread pool that runs compiled parallel loops.
//
// Compiled kernels split their outermost loop across threads by calling nncc_rt_parallel_for
// (emitted by nncc-dispatch-parallel). Each call splits [0, count) into one contiguous range per
// thread; the calling thread runs the first range itself. Splits run over output elements only,
// never over a reduction, so results do not depend on the thread count.
// - Default: $NNCC_NUM_THREADS if set, else the machine's hardware threads.
// - Workers spin briefly after each loop (kernels come back to back within one call), then sleep.
// - A second caller arriving while the pool is busy runs its loop on its own thread, so distinct
//   Models may run at once from different threads.
// - Steady state: a parallel loop allocates nothing.
#pragma once

#include <cstdint>

namespace nncc::rt {

/// Threads used by compiled parallel loops, the calling thread included (at least 1).
void set_num_threads(int threads);
int get_num_threads();

} // namespace nncc::rt

extern "C" {
/// Runs task(ctx, begin, end) over contiguous ranges covering [0, count), one per thread.
void nncc_rt_parallel_for(void (*task)(void *ctx, int64_t begin, int64_t end), void *ctx,
                          int64_t count);
}
