"""Reference values for the PLD accountant's tests, computed with Google's dp_accounting.

Run with Debian's python3 and its python3-numpy, python3-scipy, python3-attr and python3-mpmath (absl is not
packaged; its logging is replaced by the standard library's):

    git clone https://github.com/google/differential-privacy /tmp/dp    # values in the tests: commit b5b0286e
    python3 privacy/src/test/python/pld_reference_values.py /tmp/dp/python/dp_accounting

dp_accounting's PLDAccountant with its defaults (add-or-remove adjacency, pessimistic connect-the-dots,
value_discretization_interval 1e-4) composes PoissonSampledDpEvent(q, GaussianDpEvent(sigma)) `steps` times, phase
after phase, and prints Java array rows that PldAccountantGridTest pastes as constants:
  1. {q, sigma, steps, delta, epsilon} over a grid with q = 1, q = 1e-4, large sigma and 10^4 steps;
  2. {q, sigma, steps, epsilon, delta} for delta at a given epsilon;
  3. heterogeneous phases: {q1, sigma1, steps1, q2, sigma2, steps2, delta, epsilon}.
"""
import logging
import sys
import types


def load(root):
    absl = types.ModuleType("absl")
    absl.logging = logging
    sys.modules["absl"] = absl
    sys.modules["absl.logging"] = logging
    sys.path.insert(0, root)
    from dp_accounting import dp_event
    from dp_accounting.pld import pld_privacy_accountant
    return dp_event, pld_privacy_accountant


def accountant(dp_event, pld, phases):
    acc = pld.PLDAccountant()
    for q, sigma, steps in phases:
        acc.compose(dp_event.PoissonSampledDpEvent(q, dp_event.GaussianDpEvent(sigma)), steps)
    return acc


GRID = [
    (1.0, 1.0, 1, 1e-5), (1.0, 5.0, 100, 1e-5), (1.0, 100.0, 10000, 1e-6),
    (1e-4, 1.0, 10000, 1e-5), (1e-4, 0.6, 1000, 1e-5),
    (0.001, 1.0, 10000, 1e-5), (0.004, 1.1, 10000, 1e-5),
    (0.01, 1.1, 10000, 1e-5), (0.01, 1.0, 1000, 1e-6), (0.01, 20.0, 10000, 1e-5),
    (0.05, 0.9, 500, 1e-5), (0.1, 1.0, 100, 1e-5), (0.3, 2.0, 50, 1e-3), (0.5, 1.5, 20, 1e-5),
]
DELTA_AT = [(0.01, 1.0, 1000, 1.0), (0.1, 2.0, 100, 0.5), (1.0, 3.0, 10, 2.0)]
HETEROGENEOUS = [((0.01, 1.0, 500), (0.02, 1.5, 300), 1e-5), ((1.0, 4.0, 5), (0.001, 0.8, 2000), 1e-6)]


def main():
    dp_event, pld = load(sys.argv[1] if len(sys.argv) > 1 else "/tmp/dp/python/dp_accounting")
    print("// {q, sigma, steps, delta, epsilon}")
    for q, sigma, steps, delta in GRID:
        eps = accountant(dp_event, pld, [(q, sigma, steps)]).get_epsilon(delta)
        print("{%r, %r, %r, %r, %r}," % (q, sigma, float(steps), delta, eps))
    print("// {q, sigma, steps, epsilon, delta}")
    for q, sigma, steps, eps in DELTA_AT:
        delta = accountant(dp_event, pld, [(q, sigma, steps)]).get_delta(eps)
        print("{%r, %r, %r, %r, %r}," % (q, sigma, float(steps), eps, float(delta)))
    print("// {q1, sigma1, steps1, q2, sigma2, steps2, delta, epsilon}")
    for first, second, delta in HETEROGENEOUS:
        eps = accountant(dp_event, pld, [first, second]).get_epsilon(delta)
        print("{%r, %r, %r, %r, %r, %r, %r, %r}," % (first[0], first[1], float(first[2]), second[0], second[1],
                                                     float(second[2]), delta, eps))


if __name__ == "__main__":
    main()
