package dev.hansa.compute.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed set of {@code threads - 1} daemon workers plus the calling thread, for splitting one kernel call into
 * parts. The caller runs part 0 and then any part no worker has started yet, so a call never waits behind another
 * caller's queued work and a pool of size 1 needs no threads at all. Parts must not call back into the pool.
 *
 * <p>Trade-off: parts are handed out statically (no stealing), which suits the equal-sized blocks the kernels
 * split into; one slow core delays the whole call.
 */
public final class WorkerPool implements AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ExecutorService workers;

    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, task -> {
            Thread t = new Thread(task, "hansa-cpu-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Threads a call may use, the caller included. */
    public int parallelism() {
        return threads;
    }

    /** Runs {@code body} for 0..parts-1 and returns when all are done; then rethrows the first failure. */
    public void run(int parts, IntConsumer body) {
        if (parts <= 1 || workers == null) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        List<FutureTask<Void>> tasks = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int part = p;
            tasks.add(new FutureTask<>(() -> body.accept(part), null));
        }
        try {
            for (int p = 1; p < parts; p++) {
                workers.execute(tasks.get(p));
            }
        } catch (RejectedExecutionException closed) {
            // After close() the caller runs the remaining parts itself below.
        }
        for (FutureTask<Void> task : tasks) {
            task.run(); // no-op for a part a worker has already started
        }
        Throwable failure = null;
        for (FutureTask<Void> task : tasks) {
            Throwable t = await(task);
            if (failure == null) {
                failure = t;
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Waits for the task even if interrupted (a worker may still be writing the caller's output); returns its failure. */
    private static Throwable await(FutureTask<Void> task) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the workers; later calls run every part on the calling thread. Idempotent. */
    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
