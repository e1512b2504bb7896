/* Bulk draws from a stream (contract in rng.h): whole Philox4x32-10 blocks
 * computed eight at a time.
 *
 * A stream's blocks are Philox(key, ctr + j) for j = 0, 1, ... on counter
 * word 3, independent of each other, so eight of them are one pass of
 * 256-bit integer arithmetic: the two 32x32 -> 64-bit products of a round
 * are _mm256_mul_epu32 on the even and the odd lanes, recombined by
 * blends. The result is bit for bit Random123's philox4x32_R(10, ...), which
 * computes the remaining blocks and is the whole path on CPUs without
 * AVX2 (checked by tests/unit/test_rng.c against single draws).
 */
#include <string.h>

#include "rng/rng.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define BULK_AVX2 1
#include <immintrin.h>
#endif

enum { BULK_LANES = 8 };

#ifdef BULK_AVX2
/* Blocks for counters (c0, c1, c2, c3 + j), j < 8, into out[32] in stream
 * order (block j's words at out[4j .. 4j + 3]). */
__attribute__((target("avx2"))) static void philox8_avx2(const philox4x32_key_t *key,
                                                         const philox4x32_ctr_t *ctr, uint32_t *out)
{
    const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M4x32_0);
    const __m256i m1 = _mm256_set1_epi32((int)PHILOX_M4x32_1);
    const __m256i w0 = _mm256_set1_epi32((int)PHILOX_W32_0);
    const __m256i w1 = _mm256_set1_epi32((int)PHILOX_W32_1);
    __m256i x0 = _mm256_set1_epi32((int)ctr->v[0]);
    __m256i x1 = _mm256_set1_epi32((int)ctr->v[1]);
    __m256i x2 = _mm256_set1_epi32((int)ctr->v[2]);
    __m256i x3 = _mm256_add_epi32(_mm256_set1_epi32((int)ctr->v[3]),
                                  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i k0 = _mm256_set1_epi32((int)key->v[0]);
    __m256i k1 = _mm256_set1_epi32((int)key->v[1]);
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 = _mm256_add_epi32(k0, w0);
            k1 = _mm256_add_epi32(k1, w1);
        }
        __m256i e0 = _mm256_mul_epu32(x0, m0);
        __m256i o0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
        __m256i e1 = _mm256_mul_epu32(x2, m1);
        __m256i o1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
        __m256i lo0 = _mm256_blend_epi32(e0, _mm256_slli_epi64(o0, 32), 0xAA);
        __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(e0, 32), o0, 0xAA);
        __m256i lo1 = _mm256_blend_epi32(e1, _mm256_slli_epi64(o1, 32), 0xAA);
        __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(e1, 32), o1, 0xAA);
        x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), k0);
        x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), k1);
        x1 = lo1;
        x3 = lo0;
    }
    /* Lanes are blocks and registers are words: transpose. */
    __m256i t0 = _mm256_unpacklo_epi32(x0, x1), t1 = _mm256_unpackhi_epi32(x0, x1);
    __m256i t2 = _mm256_unpacklo_epi32(x2, x3), t3 = _mm256_unpackhi_epi32(x2, x3);
    __m256i b04 = _mm256_unpacklo_epi64(t0, t2), b15 = _mm256_unpackhi_epi64(t0, t2);
    __m256i b26 = _mm256_unpacklo_epi64(t1, t3), b37 = _mm256_unpackhi_epi64(t1, t3);
    __m256i *o = (__m256i *)(void *)out;
    _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(b04, b15, 0x20));
    _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(b26, b37, 0x20));
    _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(b04, b15, 0x31));
    _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(b26, b37, 0x31));
}
#endif

/* nblocks whole blocks from s's counter into out (stream order), advancing
 * the counter past them. */
static void fill_blocks(bz_stream *s, uint32_t *out, size_t nblocks)
{
    size_t j = 0;
#ifdef BULK_AVX2
    if (nblocks >= BULK_LANES && __builtin_cpu_supports("avx2"))
        for (; j + BULK_LANES <= nblocks; j += BULK_LANES) {
            philox8_avx2(&s->key, &s->ctr, out + 4 * j);
            s->ctr.v[3] += BULK_LANES;
        }
#endif
    for (; j < nblocks; j++) {
        philox4x32_ctr_t b = philox4x32_R(10, s->ctr, s->key);
        memcpy(out + 4 * j, b.v, sizeof b.v);
        s->ctr.v[3]++;
    }
}

void bz_stream_fill_u32(bz_stream *s, uint32_t *out, size_t n)
{
    size_t i = 0;
    while (i < n && s->idx < 4) /* the rest of the current block */
        out[i++] = s->out.v[s->idx++];
    size_t whole = (n - i) / 4;
    fill_blocks(s, out + i, whole);
    i += 4 * whole;
    if (i < n) { /* a last block, partly used: keep it as the current one */
        s->out = philox4x32_R(10, s->ctr, s->key);
        s->ctr.v[3]++;
        s->idx = 0;
        while (i < n)
            out[i++] = s->out.v[s->idx++];
    }
}

void bz_stream_fill_uniform_pos(bz_stream *s, double *out, size_t n)
{
    uint32_t w[2 * 64]; /* two words per value, high word first (bz_stream_u64) */
    while (n > 0) {
        size_t k = n < 64 ? n : 64;
        bz_stream_fill_u32(s, w, 2 * k);
        for (size_t i = 0; i < k; i++) {
            uint64_t x = (uint64_t)w[2 * i] << 32 | w[2 * i + 1];
            out[i] = ((double)(x >> 11) + 1.0) * 0x1.0p-53;
        }
        out += k;
        n -= k;
    }
}
