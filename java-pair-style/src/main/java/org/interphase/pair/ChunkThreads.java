package org.interphase.pair;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that run {@code task(w)} for w = 1..n-1 while the calling
 * thread runs {@code task(0)}; {@link #run} returns when all are done. It allocates nothing per
 * call (park/unpark on a generation counter), so the MD steady state stays free of garbage.
 */
final class ChunkThreads implements AutoCloseable {
    /** The work of one thread index. */
    interface Task {
        void run(int worker);
    }

    private final Thread[] threads;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closing;
    private volatile Task task;
    private volatile Thread caller;

    ChunkThreads(int n) {
        threads = new Thread[Math.max(0, n - 1)];
        for (int w = 1; w < n; w++) {
            final int id = w;
            Thread t = new Thread(() -> loop(id), "interphase-chunk-" + w);
            t.setDaemon(true);
            threads[w - 1] = t;
            t.start();
        }
    }

    /** Threads including the caller. */
    int size() {
        return threads.length + 1;
    }

    /** Runs task on every thread index, index 0 on the calling thread; returns when all ended. */
    void run(Task t) {
        if (threads.length == 0) {
            t.run(0);
            return;
        }
        task = t;
        caller = Thread.currentThread();
        pending.set(threads.length);
        generation++;
        for (Thread th : threads) {
            LockSupport.unpark(th);
        }
        try {
            t.run(0);
        } finally {
            while (pending.get() != 0) {
                LockSupport.park(this);
            }
            task = null;
        }
    }

    /** Allocated heap bytes of the helper threads so far (for the allocation statistic). */
    long allocatedBytes(com.sun.management.ThreadMXBean mx) {
        long sum = 0;
        for (Thread th : threads) {
            sum += mx.getThreadAllocatedBytes(th.threadId());
        }
        return sum;
    }

    private void loop(int id) {
        long seen = 0;
        while (true) {
            while (generation == seen && !closing) {
                LockSupport.park(this);
            }
            if (closing) {
                return;
            }
            seen = generation;
            try {
                task.run(id); // tasks catch their own failures
            } finally {
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /** Stops the threads (idempotent). */
    @Override
    public void close() {
        closing = true;
        for (Thread th : threads) {
            LockSupport.unpark(th);
        }
        for (Thread th : threads) {
            try {
                th.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
