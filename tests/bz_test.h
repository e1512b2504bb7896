/* Minimal harness shared by the CUnit test executables.
 *
 *   static CU_TestInfo tests[] = { {"name", fn}, ..., CU_TEST_INFO_NULL };
 *   int main(void) { return bz_test_main("rng", tests); }
 *
 * The exit status is the number of failed assertions (capped at 1), read
 * before the registry is cleaned up (CUnit's basic runner returns 0 even when
 * tests fail). */
#ifndef BZ_TEST_H
#define BZ_TEST_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static inline int bz_test_main(const char *suite, CU_TestInfo *tests)
{
    if (CU_initialize_registry() != CUE_SUCCESS) return 1;
    CU_SuiteInfo suites[] = {{(char *)suite, NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};
    if (CU_register_suites(suites) != CUE_SUCCESS) {
        fprintf(stderr, "cannot register suite %s\n", suite);
        CU_cleanup_registry();
        return 1;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned failed_tests = CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return (failures || failed_tests) ? 1 : 0;
}

/* Path of a file in the source tree (BZ_SOURCE_DIR is set by CMake). */
static inline const char *bz_test_source_dir(void)
{
    const char *d = getenv("BZ_SOURCE_DIR");
    return d ? d : BZ_SOURCE_DIR;
}

/* Path of a data file shipped in tests/data (see tests/data/README.md), in a
 * static buffer overwritten by the next call. The suite never looks outside
 * the repository: a fresh clone has everything it needs. */
static inline const char *bz_test_data_path(const char *name)
{
    static char path[4400];
    snprintf(path, sizeof path, "%.4096s/tests/data/%.200s", bz_test_source_dir(), name);
    return path;
}

/* Cap the address space 64 MiB above its current size, so that requests of
 * gigabytes fail for certain; *old gets the limit to put back with
 * setrlimit(RLIMIT_AS, old). Returns setrlimit's 0 or -1. */
static inline int bz_test_cap_memory(struct rlimit *old)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0;
    if (f) {
        if (fscanf(f, "%ld", &pages) != 1) pages = 0;
        fclose(f);
    }
    if (getrlimit(RLIMIT_AS, old) != 0) return -1;
    struct rlimit cap = *old;
    cap.rlim_cur = (rlim_t)pages * 4096 + (64 << 20);
    if (old->rlim_cur != RLIM_INFINITY && cap.rlim_cur > old->rlim_cur)
        cap.rlim_cur = old->rlim_cur;
    return setrlimit(RLIMIT_AS, &cap);
}

#endif
