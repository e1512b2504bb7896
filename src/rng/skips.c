/* Geometric skips in bulk (contract in rng.h).
 *
 * The skip floor(ln U / ln(1 - p)) of geometric skipping (Batagelj & Brandes
 * 2005) is a generator's inner loop, so ln is table driven instead of
 * libm's: u = 2^e m with m in [1, 2); interval k = [1 + k/256, 1 + (k+1)/256)
 * holds the reciprocal and the logarithm of its midpoint c_k, and
 * ln m = ln c_k + ln(1 + r) with r = m / c_k - 1, |r| < 2^-9, by the series to
 * r^4 (truncation below |r|^5 / 5 < 2e-15). The absolute error is at most
 * 1.2e-14 on (0, 1] (tests/unit/test_rng.c checks it against logl); values
 * above 0 (at u = 1 the table gives +5.6e-15) are clamped to 0, so that a
 * skip is never negative. So a
 * skip can differ from the exactly rounded geometric draw only when
 * ln U / ln(1 - p) lies within about 2e-14 / p of an integer: per draw the
 * skip law is geometric to within a total variation of about 2e-14 / p.
 *
 * The scalar path and the AVX2 path (four lanes, the table read by gathers)
 * do the same IEEE operations in the same order, with no fused multiply-add
 * (the AVX2 target does not include FMA and C11 mode does not contract), and
 * floor is exact: the skips, hence the networks, are the same bits on every
 * machine.
 */
#include <math.h>
#include <string.h>

#include "rng/rng.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define SKIPS_AVX2 1
#include <immintrin.h>
#endif

#define LN2 0.69314718055994530942

#ifdef SKIPS_AVX2
/* g[i] = floor(bz_ln01(g[i]) * scale) for i < n, n a multiple of 4,
 * operation for operation as the scalar code. */
__attribute__((target("avx2"))) static void skips_avx2(double scale, double *g, size_t n)
{
    const __m256i mant = _mm256_set1_epi64x(0x000FFFFFFFFFFFFFll);
    const __m256i one = _mm256_set1_epi64x(0x3FF0000000000000ll);
    const __m256i kmask = _mm256_set1_epi64x(BZ_LOGTAB_SIZE - 1);
    const __m128i bias = _mm_set1_epi32(1023);
    const __m256i lows = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const __m256d c1 = _mm256_set1_pd(1.0), ch = _mm256_set1_pd(-0.5);
    const __m256d c3 = _mm256_set1_pd(1.0 / 3.0), cq = _mm256_set1_pd(0.25);
    const __m256d ln2 = _mm256_set1_pd(LN2), sc = _mm256_set1_pd(scale);
    for (size_t i = 0; i < n; i += 4) {
        __m256i bits = _mm256_castpd_si256(_mm256_loadu_pd(g + i));
        /* e = (bits >> 52) - 1023 as doubles: the four low words, packed. */
        __m256i ex = _mm256_permutevar8x32_epi32(_mm256_srli_epi64(bits, 52), lows);
        __m256d e = _mm256_cvtepi32_pd(_mm_sub_epi32(_mm256_castsi256_si128(ex), bias));
        __m256i k = _mm256_and_si256(_mm256_srli_epi64(bits, 52 - BZ_LOGTAB_BITS), kmask);
        __m256d inv = _mm256_i64gather_pd(bz_lntab.inv, k, 8);
        __m256d lnk = _mm256_i64gather_pd(bz_lntab.ln, k, 8);
        __m256d m = _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(bits, mant), one));
        __m256d r = _mm256_sub_pd(_mm256_mul_pd(m, inv), c1);
        __m256d p = _mm256_sub_pd(c3, _mm256_mul_pd(r, cq));
        p = _mm256_add_pd(ch, _mm256_mul_pd(r, p));
        p = _mm256_add_pd(c1, _mm256_mul_pd(r, p));
        p = _mm256_mul_pd(r, p);
        __m256d l = _mm256_add_pd(_mm256_mul_pd(e, ln2), _mm256_add_pd(lnk, p));
        l = _mm256_min_pd(l, _mm256_setzero_pd()); /* l < 0 ? l : 0, as the scalar code */
        _mm256_storeu_pd(g + i, _mm256_floor_pd(_mm256_mul_pd(l, sc)));
    }
}
#endif

void bz_skips_fill(bz_stream *s, double inv_log_q, double *g, size_t n)
{
    bz_stream_fill_uniform_pos(s, g, n);
    size_t i = 0;
#ifdef SKIPS_AVX2
    if (n >= 4 && __builtin_cpu_supports("avx2")) {
        i = n / 4 * 4;
        skips_avx2(inv_log_q, g, i);
    }
#endif
    for (; i < n; i++)
        g[i] = floor(bz_ln01(g[i]) * inv_log_q);
}
