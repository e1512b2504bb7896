/* Edge-list text files: parsing (for the edge_list generator) and writing
 * (for `buzzsim graph --save-edges`).
 *
 * Format read: one edge per line, two non-negative integer node ids (up to
 * 2^63 - 1) separated by spaces, tabs and/or one comma. Blank lines and lines
 * whose first non-blank character is the comment character are skipped, and
 * a comment may also end a data line. An optional third column is accepted
 * only if it is a number (a weight: parsed for validity, ignored for now;
 * BZ_EDGELIST_REJECT_WEIGHTS makes it an error); anything else is an error
 * naming FILE:LINE and the offending text (cut at 40 characters, bytes
 * that are not printable escaped as \xNN). CRLF line ends are accepted.
 * bz_edgelist_read() also reads gzip files, recognised by their first two
 * bytes (1f 8b) whatever their name.
 *
 * Ids are remapped to agents 0..n-1 in ascending id order (not in order of
 * first appearance): the mapping then does not depend on the order of the
 * lines, a file whose ids are already 0..n-1 keeps them, and a file written
 * by bz_edgelist_write() reads back as the identical layer when no agent is
 * isolated (isolated agents are not in the file; trailing ones are restored
 * by a larger population, see docs/networks.md).
 */
#ifndef BZ_EDGELIST_H
#define BZ_EDGELIST_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "graph/graph.h"

typedef struct bz_edgelist {
    uint32_t n;        /* distinct node ids = agents defined by the file */
    uint64_t n_edges;  /* data lines (self-loops and repeats included) */
    uint32_t *pairs;   /* [2 * n_edges] agent indices u0 v0 u1 v1 ..., owned */
    uint64_t *ids;     /* [n] file id of each agent, ascending, owned */
    uint64_t lines;    /* lines read, for messages */
    uint64_t weighted; /* data lines that had a third (weight) column */
} bz_edgelist;

/* Flags of bz_edgelist_parse() / bz_edgelist_read(). */
enum { BZ_EDGELIST_REJECT_WEIGHTS = 1u }; /* a third column is an error */

/* Parse `len` bytes of edge-list text. `name` is used in messages
 * ("NAME:LINE: ..."). On success *el owns its arrays; on failure *el is left
 * empty (destroyed). Errors: BZ_EINVAL for malformed lines, ids out of range,
 * more than 2^32 - 2 distinct ids, or no edge at all; BZ_ENOMEM.
 * Cost: O(bytes + n log n), one pass with a hand-written scanner and an
 * open-addressing hash map from ids to agents. */
int bz_edgelist_parse(bz_edgelist *el, const char *buf, size_t len, const char *name, char comment,
                      unsigned flags, bz_error *err);

/* The default limit of bz_edgelist_read() on the text it parses: 4 GiB, the
 * file's own size or, for gzip, what it inflates to (about 270 million edges
 * of 7-digit ids; the edge_list key max_bytes raises it). A gzip bomb (8 MB
 * inflating to 8 GiB) is stopped at the limit instead of filling memory. */
#define BZ_EDGELIST_MAX_BYTES ((uint64_t)4 << 30)

/* Read a whole regular file (mapped; inflated with libdeflate when it starts
 * with the gzip magic bytes 1f 8b) and parse it. At most max_bytes of text
 * (0: BZ_EDGELIST_MAX_BYTES) are accepted, before and after inflating.
 * Errors: BZ_ENOENT ("cannot open 'PATH': No such file or directory"),
 * BZ_EINVAL for a path that is not a regular file ("PATH: is a character
 * device, expected a regular file": /dev/zero, a FIFO, a directory), for a
 * file over the limit ("PATH: more than N bytes decompressed (limit: the
 * edge_list key max_bytes, N)") and "PATH: truncated or corrupt gzip data"
 * for a damaged gzip file; BZ_EIO for read failures; otherwise as
 * bz_edgelist_parse(). */
int bz_edgelist_read(bz_edgelist *el, const char *path, char comment, unsigned flags,
                     uint64_t max_bytes, bz_error *err);

/* Write the agent -> file id mapping of el: a "# agent original_id" header
 * then one "AGENT ID" line per agent, 0 to n - 1. Written to PATH.partial and
 * renamed to PATH, so readers never see half a file; an existing PATH is
 * replaced (the mapping is derived data). BZ_EIO with the OS reason. O(n).
 * An existing device or FIFO is written directly (no .partial file). */
int bz_edgelist_write_mapping(const bz_edgelist *el, const char *path, bz_error *err);

/* Free the arrays of an edge list; safe twice and on a zeroed struct. */
void bz_edgelist_destroy(bz_edgelist *el);

/* Write layer l as an edge list: a "# buzzsim edge list" header (layer,
 * generator, direction, agents, edges) then one "u v" line per edge, agents
 * as ids (undirected layers: only u < v). The text goes to PATH.partial,
 * renamed to PATH when complete; an existing PATH is replaced (callers decide
 * about overwriting); an existing device or FIFO (/dev/stdout) is written
 * directly. Implicit complete layers are refused (BZ_EINVAL). Every write
 * and the close are checked: BZ_EIO "no space left on device writing
 * 'PATH'" (the OS reason), and the partial file is removed. Cost O(m). */
int bz_edgelist_write(const bz_layer *l, const char *path, bz_error *err);

#endif
