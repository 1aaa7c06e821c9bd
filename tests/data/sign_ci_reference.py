#!/usr/bin/env python3
"""Reference for tests/test_verdicts.c: the sign-exact interval of the median
of paired ratios, computed independently with exact integer binomials
(math.comb, no scipy). For n ratios sorted ascending, [r(j+1), r(n-j)]
(1-based) covers the population median with probability
1 - 2 * sum_{i<=j} C(n,i) / 2^n; j is the largest with coverage >= 0.95,
else 0. Prints C initialisers for the test."""
import math
from fractions import Fraction

def sign_ci(r, level=Fraction(95, 100)):
    s = sorted(r)
    n = len(s)
    def cov(j):
        return 1 - 2 * Fraction(sum(math.comb(n, i) for i in range(j + 1)), 2 ** n)
    j = 0
    while j + 1 < n // 2 and cov(j + 1) >= level:
        j += 1
    med = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return med, s[j], s[n - 1 - j], float(cov(j)) if n > 1 else 0.0

base = [4.10, 3.95, 4.42, 2.20, 4.31, 4.05, 3.10, 4.25, 4.18, 3.99, 4.40, 4.02, 2.95, 4.33, 4.12]
test = [6.20, 6.01, 6.75, 3.60, 6.30, 6.11, 4.60, 6.52, 6.00, 6.05, 6.90, 5.99, 4.70, 6.41, 6.33]
for n in (4, 6, 9, 12, 15):
    ratios = [t / b for t, b in zip(test[:n], base[:n])]
    med, lo, hi, c = sign_ci(ratios)
    print("{%d, %.17g, %.17g, %.17g, %.17g}," % (n, med, lo, hi, c))
