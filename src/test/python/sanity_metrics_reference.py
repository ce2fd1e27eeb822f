"""Reference values for SpearmanTest and SsimTest (engine/sanity), computed with scipy and scikit-image.

Run with Debian's Python (scipy 1.10, scikit-image 0.19: `apt-get install python3-scipy python3-skimage`):

    /usr/bin/python3 src/test/python/sanity_metrics_reference.py

The inputs are built from integer arithmetic only, so the Java tests rebuild exactly the same float32 arrays
(see SanityFixtures.java). SSIM follows Wang et al. 2004 as skimage does with gaussian_weights=True: Gaussian window
sigma 1.5 truncated at 3.5 sigma (11 x 11), population covariances (use_sample_covariance=False), K1 = 0.01,
K2 = 0.03, data_range = 1, mean over the pixels at least 5 from the border.
"""
import numpy as np
from scipy.stats import spearmanr
from skimage.metrics import structural_similarity


def ramp(n, mul, add, mod, div):
    """a[i] = ((i * mul + add) % mod) / div as float32 (many ties when n > mod)."""
    i = np.arange(n, dtype=np.int64)
    return (((i * mul + add) % mod) / div).astype(np.float32)


def grid(w, h, mul_r, mul_c, add, mod, div):
    """a[r, c] = ((r * mul_r + c * mul_c + (r * c) % 7 + add) % mod) / div as float32."""
    r, c = np.mgrid[0:h, 0:w].astype(np.int64)
    return (((r * mul_r + c * mul_c + (r * c) % 7 + add) % mod) / div).astype(np.float32)


def ssim(x, y):
    return structural_similarity(x.astype(np.float64), y.astype(np.float64), data_range=1.0,
                                 gaussian_weights=True, sigma=1.5, use_sample_covariance=False)


def main():
    a = ramp(500, 37, 11, 101, 100.0)
    b = ramp(500, 53, 7, 97, 96.0)
    print("spearman ramps(500)         %.15f" % spearmanr(a, b).correlation)
    print("spearman a vs a^2           %.15f" % spearmanr(a, a * a).correlation)
    print("spearman a vs -a            %.15f" % spearmanr(a, -a).correlation)
    c = np.array([1, 2, 2, 3, 5, 5, 5, 0], dtype=np.float32)
    d = np.array([2, 1, 4, 3, 3, 6, 0, 1], dtype=np.float32)
    print("spearman small ties         %.15f" % spearmanr(c, d).correlation)

    x = grid(28, 28, 3, 5, 1, 17, 16.0)
    y = (0.6 * x + 0.4 * grid(28, 28, 7, 2, 3, 13, 12.0)).astype(np.float32)
    print("ssim 28x28                  %.15f" % ssim(x, y))
    u = grid(96, 80, 1, 1, 0, 50, 49.0)
    v = np.roll(u, 2, axis=1)
    print("ssim 96x80 shifted          %.15f" % ssim(u, v))
    print("ssim 96x80 vs 1-u           %.15f" % ssim(u, (1 - u).astype(np.float32)))
    print("ssim identical              %.15f" % ssim(x, x))


if __name__ == "__main__":
    main()
