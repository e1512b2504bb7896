/* Optimize journals: every plan a search has simulated, kept beside its
 * output as OUT.journal, so that `buzzsim optimize --resume` (and
 * calibrate) continues a killed search without simulating anything twice.
 *
 * Why replaying is enough: the search is deterministic (DIRECT-L, BOBYQA,
 * Levenberg-Marquardt and the plan's seed), so given the same objective
 * values it visits the same plans in the same order; on resume the
 * journal's plans answer from memory, the search retraces its path at no
 * cost and goes on from where it was killed, and the result is the one an
 * uninterrupted search gives (tests/fault/test_crash.sh).
 *
 * Format: text, one line per record, each ending in '\n':
 *   header   "# buzzsim optimize journal 1 PLAN-ID N-VARS N-CONS N-SERIES\n"
 *   record   "FNV\tphase\tfeasible\tR\tobjective\tspend_max\tcons...\tu...\tvalue...
 *            \tseries...\ttext...\n"
 * FNV: 16 hex digits, FNV-1a of the rest of the line after its tab; numbers
 * in shortest round-trip form ("%.17g"), texts as written (they hold no
 * tab or newline: --set values of a plan). The header is written to
 * OUT.journal.tmp, synced and renamed; each record is appended with one
 * write and fdatasync'd. On open a line that is torn (no newline) or whose
 * checksum fails ends the journal: it is cut there.
 */
#ifndef BZ_OPT_JOURNAL_H
#define BZ_OPT_JOURNAL_H

#include "optimize/optimize.h"

typedef struct bz_opt_journal bz_opt_journal;

/* Open the journal at `path` for plan pl. With resume, an existing journal
 * is read into *evals (n of them, malloc'd, owned by the caller: free with
 * bz_opt_evals_free) and kept; without it an existing journal is
 * BZ_EEXIST ("PATH: the journal of an interrupted search: --resume goes on
 * with it, --force starts again") unless force, which starts a new one.
 * BZ_EINVAL when the file is not a journal or is another plan's. */
int bz_opt_journal_open(bz_opt_journal **j, const char *path, const bz_opt_plan *pl, int resume,
                        int force, bz_opt_eval **evals, size_t *n, bz_error *err);

/* Append e and fdatasync. */
int bz_opt_journal_append(bz_opt_journal *j, const bz_opt_plan *pl, const bz_opt_eval *e,
                          bz_error *err);

/* Close; with remove, delete the file (the search's result is written). */
int bz_opt_journal_close(bz_opt_journal *j, int remove, bz_error *err);

void bz_opt_evals_free(bz_opt_eval *evals, size_t n);

#endif
