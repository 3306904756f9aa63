// The runtime's thread pool (see Parallel.h).
#include "runtime/Parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NNCC_PAUSE() _mm_pause()
#else
#define NNCC_PAUSE() std::this_thread::yield()
#endif

namespace nncc::rt {
namespace {

using Task = void (*)(void *, int64_t, int64_t);

/// Pause iterations a worker spins for the next loop before it sleeps (about 0.5 ms).
constexpr int kSpins = 1 << 14;

int defaultThreads() {
  if (const char *env = std::getenv("NNCC_NUM_THREADS")) {
    int n = std::atoi(env);
    if (n > 0)
      return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

class Pool {
public:
  static Pool &instance() {
    static Pool pool;
    return pool;
  }

  ~Pool() { stopWorkers(); }

  int threads() const { return threads_.load(std::memory_order_relaxed); }

  void setThreads(int n) {
    std::lock_guard<std::mutex> busy(runMutex_);
    stopWorkers();
    threads_.store(std::max(1, n), std::memory_order_relaxed);
  }

  void run(Task task, void *ctx, int64_t count) {
    int parts = static_cast<int>(std::min<int64_t>(threads(), count));
    std::unique_lock<std::mutex> busy(runMutex_, std::try_to_lock);
    if (parts <= 1 || !busy.owns_lock()) {
      task(ctx, 0, count);
      return;
    }
    if (workers_.size() + 1 < static_cast<size_t>(threads()))
      startWorkers();
    pending_.store(parts - 1, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = {task, ctx, count, parts};
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    task(ctx, 0, count / parts);
    // Spin while the other parts are likely still running, then yield: on a loaded machine the
    // worker may be waiting for this very core.
    for (int spin = 0; pending_.load(std::memory_order_acquire) != 0; ++spin) {
      if (spin < kSpins)
        NNCC_PAUSE();
      else
        std::this_thread::yield();
    }
  }

private:
  Pool() : threads_(defaultThreads()) {}

  void startWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = false;
    }
    // A new worker waits for the generation after the current one, even if it starts late.
    uint64_t current = generation_.load(std::memory_order_relaxed);
    for (size_t i = workers_.size(); i + 1 < static_cast<size_t>(threads()); ++i)
      workers_.emplace_back([this, i, current] { work(static_cast<int>(i) + 1, current); });
  }

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    for (std::thread &t : workers_)
      t.join();
    workers_.clear();
  }

  /// Worker `part` runs range `part` of every loop that has that many parts.
  void work(int part, uint64_t seen) {
    for (;;) {
      uint64_t now = seen;
      for (int spin = 0; now == seen && spin < kSpins; ++spin) {
        NNCC_PAUSE();
        now = generation_.load(std::memory_order_acquire);
      }
      if (now == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      }
      // The job and its generation are read together: a worker that missed a loop it had no
      // part in takes the current one, never a mix of two.
      Job job;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stop_)
          return;
        seen = generation_.load(std::memory_order_relaxed);
        job = job_;
      }
      if (part < job.parts) {
        job.task(job.ctx, job.count * part / job.parts, job.count * (part + 1) / job.parts);
        pending_.fetch_sub(1, std::memory_order_release);
      }
    }
  }

  std::atomic<int> threads_;
  std::vector<std::thread> workers_;
  /// Held by the caller for the whole of run(), and by setThreads.
  std::mutex runMutex_;
  /// Guards stop_ and the sleep/wake of workers.
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  /// The loop in flight.
  struct Job {
    Task task = nullptr;
    void *ctx = nullptr;
    int64_t count = 0;
    int parts = 0;
  };
  // Both guarded by mutex_, and written together with a new generation.
  bool stop_ = false;
  Job job_;
};

} // namespace

void set_num_threads(int threads) { Pool::instance().setThreads(threads); }

int get_num_threads() { return Pool::instance().threads(); }

} // namespace nncc::rt

extern "C" void nncc_rt_parallel_for(void (*task)(void *, int64_t, int64_t), void *ctx,
                                     int64_t count) {
  nncc::rt::Pool::instance().run(task, ctx, count);
}
