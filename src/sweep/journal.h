/* Sweep journals: the durable record of a running sweep's finished points,
 * kept beside its output as OUT.journal (docs/cluster.md, "Checkpoints").
 *
 * Why a journal and not the HDF5 file: rewriting an HDF5 file in place is
 * not atomic (a kill inside H5Fflush leaves it unreadable), and rewriting it
 * whole after every point costs O(points) per point. An append-only file of
 * checksummed records costs O(one point) per point and a kill at any
 * instant leaves every earlier record intact: the last one is either whole
 * or detectably torn.
 *
 * Format (native byte order, checked by the magic; a journal is resume
 * state for the machine type that wrote it, not an archive):
 *   header   "BZSWJNL1", u32 version (1), u32 header bytes (96), char id[24]
 *            (the sweep id), u64 points, u64 outcome columns, u64 arms,
 *            u32 replicates, u32 series length (0 without series), u32 shard,
 *            u32 shards, u64 zero, u64 FNV-1a of the bytes before it
 *   record   u32 "PNT1", u32 zero, u64 point, u64 n (doubles), n doubles
 *            (the point's R x n_out outcomes, then its n_arms x T series),
 *            u64 FNV-1a of point, n and the doubles
 * The header is written to OUT.journal.tmp, synced and renamed, so a journal
 * exists whole or not at all; each record is appended with one write and
 * fdatasync'd before its point counts as done. On open, a torn or corrupt
 * record ends the journal: it and anything after it are cut off (after a
 * kill only the last record can be torn, so only the point in flight is
 * lost).
 */
#ifndef BZ_SWEEP_JOURNAL_H
#define BZ_SWEEP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "sweep/data.h"

typedef struct bz_sweep_journal bz_sweep_journal;

/* Open `path` for appending the points of d, creating it when missing, after
 * replaying every valid record into d (done flag, outcomes, series);
 * *replayed counts them and seen[p] is set to 1 for every point with a
 * record (both may be NULL; seen has d->P entries). A point already done in d must
 * equal its record bit for bit. Errors: BZ_EINVAL "PATH: ..." if the file
 * is not a journal, belongs to another sweep or shard, or disagrees with d;
 * BZ_EIO for write failures. */
int bz_sweep_journal_open(bz_sweep_journal **j, const char *path, bz_sweep_data *d,
                          size_t *replayed, uint8_t *seen, bz_error *err);

/* Replay `path` into d without changing the file. BZ_ENOENT if it does
 * not exist; otherwise as bz_sweep_journal_open. */
int bz_sweep_journal_read(const char *path, bz_sweep_data *d, size_t *replayed, uint8_t *seen,
                          bz_error *err);

/* Append point p of d and fdatasync: when this returns BZ_OK the point is
 * on disk. */
int bz_sweep_journal_append(bz_sweep_journal *j, const bz_sweep_data *d, size_t p, bz_error *err);

/* Close (no sync needed: every append was synced). NULL is a no-op. */
void bz_sweep_journal_free(bz_sweep_journal *j);

#endif
