/*
 * Prints the core clock in GHz while it runs: a chain of dependent integer adds retires one add per cycle, so
 * adds / second = cycles / second. Timed in this thread's CPU time, so that the time the scheduler gives to other
 * processes on a busy machine does not count (a wall-clock probe reads a low clock there, and every "% of peak"
 * computed from it comes out too high); best of several runs. Used by bin/bench for the theoretical peak, because
 * /proc/cpuinfo in a VM reports the nominal (TSC) clock, not the boost clock.
 */
#include <stdio.h>
#include <time.h>

int main(void) {
    const long iterations = 100000000;
    double best = 1e30;
    for (int rep = 0; rep < 9; rep++) {
        struct timespec t0, t1;
        long n = iterations;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        __asm__ volatile(
            "1:\n\t"
            "add $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\t"
            "add $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\tadd $1, %%rax\n\t"
            "sub $1, %0\n\tjnz 1b\n\t"
            : "+r"(n) : : "rax", "cc");
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
        double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
        if (seconds < best) {
            best = seconds;
        }
    }
    printf("%.3f\n", iterations * 8.0 / best / 1e9);
    return 0;
}
