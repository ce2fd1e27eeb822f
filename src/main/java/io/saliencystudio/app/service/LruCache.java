package io.saliencystudio.app.service;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * A least-recently-used map bounded by the total weight of its values (bytes, for float maps), so a few large
 * 224x224 results cannot push memory as far as many small 28x28 ones. Thread-safe: filled from worker threads and
 * read on the UI thread.
 */
public final class LruCache<K, V> {

    private final long maxWeight;
    private final ToLongFunction<V> weigher;
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>(64, 0.75f, true);
    private long weight;

    public LruCache(long maxWeight, ToLongFunction<V> weigher) {
        this.maxWeight = maxWeight;
        this.weigher = weigher;
    }

    public synchronized Optional<V> get(K key) {
        return Optional.ofNullable(map.get(key));
    }

    public synchronized void put(K key, V value) {
        V old = map.put(key, value);
        if (old != null) {
            weight -= weigher.applyAsLong(old);
        }
        weight += weigher.applyAsLong(value);
        Iterator<Map.Entry<K, V>> it = map.entrySet().iterator();
        // Evict eldest first, but never the entry just added.
        while (weight > maxWeight && map.size() > 1 && it.hasNext()) {
            Map.Entry<K, V> eldest = it.next();
            if (eldest.getKey().equals(key)) {
                continue;
            }
            weight -= weigher.applyAsLong(eldest.getValue());
            it.remove();
        }
    }

    public synchronized int size() {
        return map.size();
    }

    public synchronized long weight() {
        return weight;
    }

    public synchronized void clear() {
        map.clear();
        weight = 0;
    }
}
