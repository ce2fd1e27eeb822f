package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.Method;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Latest request wins. Every request takes a new generation number; at most one is running (with the engine) and
 * at most one waits: a request arriving while another runs replaces the one waiting, so only the newest reaches the
 * engine next. A request is current while its generation is the newest; the front drops results of requests that
 * are not. Thread-safe: requests arrive on the UI thread, runs finish on the inference thread.
 *
 * @param <T> what a request carries (the query and its callbacks)
 */
final class RequestScheduler<T> {

    /** One request: its generation, what it carries, and the methods told to stop (filled by cancels). */
    static final class Ticket<T> {
        private final long generation;
        private final T request;
        private final Set<Method> cancelled = ConcurrentHashMap.newKeySet();

        private Ticket(long generation, T request) {
            this.generation = generation;
            this.request = request;
        }

        long generation() {
            return generation;
        }

        T request() {
            return request;
        }

        boolean cancelled(Set<Method> methods) {
            return methods.stream().anyMatch(cancelled::contains);
        }
    }

    private final AtomicLong generation = new AtomicLong();
    private Ticket<T> running; // guarded by this: the request whose engine call is in flight
    private Ticket<T> pending; // guarded by this: the newest request waiting for it

    /** A new request, which makes every earlier one stale. */
    Ticket<T> issue(T request) {
        return new Ticket<>(generation.incrementAndGet(), request);
    }

    /** A request answered without running (from the cache): whatever waited is stale now and is dropped. */
    synchronized void answered() {
        pending = null;
    }

    /**
     * Offers a request to run. Returns {@code true} when nothing runs, so the caller starts it now; otherwise it
     * waits, replacing (dropping) any request already waiting.
     */
    synchronized boolean offer(Ticket<T> ticket) {
        if (running == null) {
            running = ticket;
            return true;
        }
        pending = ticket;
        return false;
    }

    /** The running request finished: returns the waiting one, now running, or {@code null} when none waits. */
    synchronized Ticket<T> finished() {
        Ticket<T> next = pending;
        pending = null;
        running = next;
        return next;
    }

    /**
     * Makes every request stale, drops the one waiting and tells the running one to stop all its methods. An
     * explicit cancel stops single-pass work too, where being superseded does not (see {@link InferenceService}).
     */
    synchronized void cancel() {
        generation.incrementAndGet();
        pending = null;
        if (running != null) {
            running.cancelled.addAll(EnumSet.allOf(Method.class));
        }
    }

    /** Tells the current request (running or waiting) to stop one method; nothing happens to stale requests. */
    synchronized void cancelMethod(Method method) {
        for (Ticket<T> t : java.util.Arrays.asList(running, pending)) {
            if (t != null && isCurrent(t)) {
                t.cancelled.add(method);
            }
        }
    }

    boolean isCurrent(Ticket<T> ticket) {
        return ticket.generation == generation.get();
    }

    /** The generation of the newest request. */
    long current() {
        return generation.get();
    }
}
