/*
 * Prints the core clock in GHz while it runs: a chain of dependent integer adds retires one add per cycle, so
 * adds / second = cycles / second. Best of several runs (a descheduled run only looks slower). Used by bin/bench
 * for the theoretical peak, because /proc/cpuinfo in a VM reports the nominal (TSC) clock, not the boost clock.
 */
#include <stdio.h>
#include <time.h>

int main(void) {
    const long iterations = 100000000;
    double best = 1e30;
    for (int rep = 0; rep < 9; rep++) {
        struct timespec t0, t1;
        long n = iterations;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        __asm__ volatile(
            "1:\n\t"
            "add $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\t"
            "add $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\t"
            "sub $1, %0\n\tjnz 1b\n\t"
            : "+r"(n) : : "rax", "cc");
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
        if (seconds < best) {
            best = seconds;
        }
    }
    printf("%.3f\n", iterations * 8.0 / best / 1e9);
    return 0;
}
