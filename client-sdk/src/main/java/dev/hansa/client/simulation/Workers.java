package dev.hansa.client.simulation;

import dev.hansa.aggregation.round.LocalFederation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A bounded pool that runs a batch of independent tasks and returns their results in submission order, so callers
 * combine them in a fixed order whatever the scheduling. One worker means the caller's thread runs every task.
 * Owned by one simulation run and closed with it: no thread outlives {@link #close()}.
 */
final class Workers implements LocalFederation.Executor, AutoCloseable {

    private final ExecutorService pool;

    Workers(int threads) {
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("hansa-sim-", 0)
                .daemon().factory()) : null;
    }

    /** Runs every task and returns the results in task order; rethrows the first failure (in task order). */
    @Override
    public <T> List<T> all(List<Callable<T>> tasks) {
        List<T> results = new ArrayList<>(tasks.size());
        try {
            if (pool == null) {
                for (Callable<T> task : tasks) {
                    results.add(task.call());
                }
                return results;
            }
            for (Future<T> f : pool.invokeAll(tasks)) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw unchecked(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        } catch (Exception e) {
            throw unchecked(e);
        }
    }

    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
