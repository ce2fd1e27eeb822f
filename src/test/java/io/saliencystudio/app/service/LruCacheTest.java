package io.saliencystudio.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LruCacheTest {

    @Test
    void evictsLeastRecentlyUsedByWeight() {
        LruCache<String, int[]> cache = new LruCache<>(10, v -> v.length);
        cache.put("a", new int[4]);
        cache.put("b", new int[4]);
        assertThat(cache.get("a")).isPresent(); // a is now the most recent
        cache.put("c", new int[4]);
        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.get("c")).isPresent();
        assertThat(cache.weight()).isEqualTo(8);
    }

    @Test
    void keepsAnEntryLargerThanTheBudgetUntilTheNextPut() {
        LruCache<String, int[]> cache = new LruCache<>(10, v -> v.length);
        cache.put("a", new int[3]);
        cache.put("big", new int[20]);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.get("big")).isPresent();
        cache.put("big", new int[2]);
        assertThat(cache.weight()).isEqualTo(2);
    }
}
