"""Reference values for the privacy module's accountant tests, computed with Opacus' own RDP analysis.

Run with Debian's python3 and its python3-numpy, python3-scipy and python3-mpmath (Opacus checked out anywhere;
torch is not needed):

    git clone https://github.com/pytorch/opacus /tmp/opacus    # values in the tests: commit 4d0ebc84
    python3 privacy/src/test/python/reference_values.py /tmp/opacus

It loads opacus/accountants/analysis/rdp.py on its own (the opacus package imports torch) and prints Java array rows
that the tests paste as constants:
  1. scipy.special.log_ndtr at fixed points, and ln Phi at 50 digits by mpmath (LogNdtrTest);
  2. single-step RDP of the sampled Gaussian mechanism from Opacus' _compute_rdp (SampledGaussianRdpTest);
  3. epsilons over a grid of (q, sigma, steps, delta) from Opacus' compute_rdp, converted with dp_accounting's
     compute_epsilon rules (both the classic and the improved bound, orders > 1.01, eps = 0 when
     delta^2 + expm1(-rdp) >= 0, max(0, eps)) for Opacus' and dp_accounting's order lists (RdpAccountantGridTest).
"""
import importlib.util
import math
import sys

import mpmath
import numpy as np
from scipy import special

OPACUS_ORDERS = [1 + x / 10.0 for x in range(1, 100)] + list(range(12, 64))
DP_ACCOUNTING_ORDERS = [1.25, 1.5, 1.75, 2., 2.25, 2.5, 3., 3.5, 4., 4.5] + list(range(5, 64)) + [128, 256, 512]


def load_rdp(opacus_root):
    spec = importlib.util.spec_from_file_location("opacus_rdp", opacus_root + "/opacus/accountants/analysis/rdp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def epsilon(orders, rdp, delta, classic):
    """dp_accounting's compute_epsilon edge rules, with either bound."""
    eps_vec = []
    for a, r in zip(orders, rdp):
        if delta ** 2 + math.expm1(-r) >= 0:
            eps = 0.0
        elif a > 1.01:
            if classic:
                eps = r + math.log(1 / delta) / (a - 1)
            else:
                eps = r + math.log1p(-1 / a) - math.log(delta * a) / (a - 1)
        else:
            eps = math.inf
        eps_vec.append(eps)
    i = int(np.argmin(eps_vec))
    return max(0.0, eps_vec[i]), orders[i]


def j(x):
    if isinstance(x, float) and math.isinf(x):
        return "Double.POSITIVE_INFINITY"
    return repr(float(x))


def main():
    mpmath.mp.dps = 50
    rdp = load_rdp(sys.argv[1] if len(sys.argv) > 1 else "/tmp/opacus")

    print("// log_ndtr: {x, scipy.special.log_ndtr(x), ln Phi(x) by mpmath at 50 digits}")
    for x in [-1e5, -1000.0, -100.0, -38.5, -20.5, -20.0, -19.5, -12.0, -8.0, -5.0, -3.0, -2.0, -1.2, -1.0, -0.8,
              -0.3, 0.0, 0.4, 1.0, 1.7, 3.0, 6.0, 9.0, 12.0, 30.0]:
        exact = mpmath.log1p(-mpmath.ncdf(-x)) if x > 0 else mpmath.log(mpmath.ncdf(x))
        print("{%s, %s, %s}," % (j(x), j(special.log_ndtr(x)), j(float(exact))))

    print("// single-step RDP: {q, sigma, alpha, Opacus _compute_rdp}")
    for q, sigma in [(0.01, 1.0), (1e-6, 1.0), (0.001, 0.6), (0.1, 2.5), (0.5, 1.3), (0.01, 100.0), (0.2, 0.8)]:
        for alpha in [1.1, 1.5, 2.0, 3.0, 4.5, 7.3, 10.0, 10.9, 32.0, 63.0, 256.0]:
            print("{%s, %s, %s, %s}," % (j(q), j(sigma), j(alpha), j(rdp._compute_rdp(q, sigma, alpha))))

    print("// epsilon grid: {q, sigma, steps, delta, improved eps, order, classic eps, order} (Opacus orders),")
    print("//               then {improved eps, order} (dp_accounting orders)")
    grid = [
        (1.0, 1.0, 1, 1e-5), (1.0, 5.0, 100, 1e-5), (1.0, 100.0, 1000000, 1e-6),
        (1e-6, 1.0, 1000, 1e-5), (1e-6, 0.7, 1000000, 1e-5), (1e-6, 2.0, 1, 1e-5),
        (0.001, 1.0, 1000000, 1e-5), (0.001, 0.8, 10000, 1e-6), (0.004, 1.1, 14062, 1e-5),
        (0.01, 1.1, 10000, 1e-5), (0.01, 1.0, 1000, 1e-6), (0.01, 3.0, 1000000, 1e-5), (0.01, 100.0, 1000000, 1e-5),
        (0.05, 0.9, 500, 1e-5), (0.1, 1.0, 100, 1e-5), (0.1, 100.0, 1000, 1e-5), (0.3, 2.0, 50, 1e-3),
        (0.5, 1.5, 20, 1e-5), (0.02, 1.2, 0, 1e-5), (0.02, 60.0, 3, 0.1),
    ]
    for q, sigma, steps, delta in grid:
        r1 = rdp.compute_rdp(q=q, noise_multiplier=sigma, steps=steps, orders=OPACUS_ORDERS)
        r2 = rdp.compute_rdp(q=q, noise_multiplier=sigma, steps=steps, orders=DP_ACCOUNTING_ORDERS)
        imp = epsilon(OPACUS_ORDERS, r1, delta, False)
        cla = epsilon(OPACUS_ORDERS, r1, delta, True)
        acc = epsilon(DP_ACCOUNTING_ORDERS, r2, delta, False)
        print("{%s}," % ", ".join(j(v) for v in (q, sigma, steps, delta) + imp + cla + acc))


if __name__ == "__main__":
    main()
