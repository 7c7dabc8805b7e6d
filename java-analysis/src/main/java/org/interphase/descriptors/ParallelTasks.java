package org.interphase.descriptors;

import java.util.concurrent.ExecutionException;

/** Waiting for a pool's work with the descriptors' one way of reporting interruption and task failures. */
final class ParallelTasks {
    /** Work that waits for a pool (e.g. {@code pool.submit(task).get()}). */
    @FunctionalInterface
    interface Wait {
        void run() throws InterruptedException, ExecutionException;
    }

    private ParallelTasks() {
    }

    /**
     * Runs {@code wait}: a task's RuntimeException is rethrown as is, any other failure wrapped in an
     * IllegalStateException; interruption restores the thread's flag and throws IllegalStateException(interrupted).
     */
    static void await(Wait wait, String interrupted) {
        try {
            wait.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
