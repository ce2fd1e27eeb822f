package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuThreadsTest {

    @Test
    void djlPropertyWinsThenOurPropertyThenTheEnvironmentThenTheDefault() {
        Map<String, String> env = Map.of(CpuThreads.ENV, "3");
        assertThat(CpuThreads.resolve(Map.of(CpuThreads.DJL_PROPERTY, "5", CpuThreads.PROPERTY, "4"), env, 2))
                .isEqualTo(5);
        assertThat(CpuThreads.resolve(Map.of(CpuThreads.PROPERTY, "4"), env, 2)).isEqualTo(4);
        assertThat(CpuThreads.resolve(Map.of(), env, 2)).isEqualTo(3);
        assertThat(CpuThreads.resolve(Map.of(), Map.of(), 2)).isEqualTo(2);
        // Blank means "not set" (an exported but empty variable).
        assertThat(CpuThreads.resolve(Map.of(CpuThreads.PROPERTY, " "), Map.of(CpuThreads.ENV, ""), 2)).isEqualTo(2);
    }

    @Test
    void badValuesAreRejectedNamingWhereTheyCameFrom() {
        assertThatThrownBy(() -> CpuThreads.resolve(Map.of(), Map.of(CpuThreads.ENV, "four"), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SALIENCY_STUDIO_THREADS is 'four': give a whole number of threads from 1 to 1024");
        assertThatThrownBy(() -> CpuThreads.parse("0", "--threads")).hasMessageStartingWith("--threads is '0'");
        assertThatThrownBy(() -> CpuThreads.parse("2000", "-Dsaliency.threads"))
                .hasMessageStartingWith("-Dsaliency.threads is '2000'");
        assertThat(CpuThreads.parse(" 12 ", "x")).isEqualTo(12);
    }

    @Test
    void physicalCoresCountSiblingGroupsAndRespectTheUsableCpus() {
        // 4 cores with 2 hyper-threads each: cpu0 and cpu4 share core 0, and so on.
        List<String> ht = List.of("0,4", "1,5", "2,6", "3,7", "0,4", "1,5", "2,6", "3,7");
        assertThat(CpuThreads.physicalCores(8, ht)).isEqualTo(4);
        // A container allowed 4 of those 8 logical CPUs: about 2 cores' worth.
        assertThat(CpuThreads.physicalCores(4, ht)).isEqualTo(2);
        assertThat(CpuThreads.physicalCores(1, ht)).isEqualTo(1);
        // No hyper-threading (the ranges format of the kernel too).
        assertThat(CpuThreads.physicalCores(2, List.of("0", "1"))).isEqualTo(2);
        assertThat(CpuThreads.physicalCores(4, List.of("0-1", "0-1", "2-3", "2-3"))).isEqualTo(2);
        // No topology (other OS): the logical count.
        assertThat(CpuThreads.physicalCores(6, Collections.emptyList())).isEqualTo(6);
    }

    @Test
    void defaultsStayWithinTheMachineAndTheCap() {
        int logical = Runtime.getRuntime().availableProcessors();
        assertThat(CpuThreads.forBatch()).isBetween(1, Math.min(logical, CpuThreads.MAX_DEFAULT));
        assertThat(CpuThreads.forDesktop()).isBetween(1, CpuThreads.forBatch());
        if (logical > 1) {
            assertThat(CpuThreads.forDesktop()).isLessThan(logical);
        }
    }
}
