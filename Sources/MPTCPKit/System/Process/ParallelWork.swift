import Glibc

/// Runs independent pieces of work on a few threads of their own and gathers the
/// results in order. Plain pthreads, not a shared pool: each piece may move its thread
/// into another network namespace (setns), which must never happen to a thread that
/// other work shares; every thread is started from, and ends in, the caller's namespace.
enum ParallelWork {
    /// `body(0)`, …, `body(count - 1)`, on up to `threads` threads; in order.
    static func map<T>(_ count: Int, threads: Int, _ body: @escaping (Int) -> T) -> [T] {
        let workers = max(1, min(threads, count))
        guard workers > 1 else { return (0..<count).map(body) }
        let job = Job(count: count, workers: workers, body: body)
        var ids: [pthread_t] = []
        for worker in 1..<workers {
            var id = pthread_t()
            let box = Unmanaged.passRetained(ThreadEntry { job.run(worker: worker) })
            if pthread_create(&id, nil, { raw in
                Unmanaged<ThreadEntry>.fromOpaque(raw!).takeRetainedValue().body()
                return nil
            }, box.toOpaque()) == 0 {
                ids.append(id)
            } else {
                box.release()
                job.run(worker: worker) // no thread to be had: do its share here
            }
        }
        job.run(worker: 0)
        for id in ids { pthread_join(id, nil) }
        return job.take()
    }

    /// The shared state of one `map`: each worker fills the slots of its own indexes
    /// (worker, worker + workers, …), so no two threads write the same slot.
    private final class Job<T>: @unchecked Sendable {
        let count: Int, workers: Int
        let body: (Int) -> T
        /// Raw slots rather than an array: threads write disjoint slots at once.
        let slots: UnsafeMutablePointer<T>

        init(count: Int, workers: Int, body: @escaping (Int) -> T) {
            self.count = count
            self.workers = workers
            self.body = body
            slots = .allocate(capacity: count)
        }

        func run(worker: Int) {
            for index in stride(from: worker, to: count, by: workers) { (slots + index).initialize(to: body(index)) }
        }

        /// The results, once every worker is done.
        func take() -> [T] {
            let results = Array(UnsafeBufferPointer(start: slots, count: count))
            slots.deinitialize(count: count)
            slots.deallocate()
            return results
        }
    }

    /// What a new thread runs (not generic: a C entry point cannot be).
    private final class ThreadEntry: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
