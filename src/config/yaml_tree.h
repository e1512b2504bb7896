/* A small YAML document tree (maps, sequences, scalars) built with libyaml's
 * event API, with source positions, for the config layer.
 *
 * Every node remembers where it came from (1-based line and column of its
 * value, and of its key for map entries) or which --set override created it,
 * so errors can say "FILE:LINE:COL: KEY.PATH: ..." or "--set KEY.PATH: ...".
 * Consumers mark the nodes they read as `used`; whatever is left unused was a
 * key nobody asked for.
 *
 * Accepted: one document; block and flow style; plain and quoted scalars.
 * Rejected with a positioned message: malformed YAML, duplicate keys in a
 * map, non-scalar keys, anchors and aliases, nesting deeper than
 * BZ_YAML_MAX_DEPTH, scalars containing NUL, several documents.
 */
#ifndef BZ_YAML_TREE_H
#define BZ_YAML_TREE_H

#include <stddef.h>

#include "base/error.h"

#define BZ_YAML_MAX_DEPTH 64

typedef enum bz_ynode_kind { BZ_YNODE_SCALAR, BZ_YNODE_MAP, BZ_YNODE_SEQ } bz_ynode_kind;

typedef struct bz_ynode {
    bz_ynode_kind kind;
    char *key;             /* map entry: its key (owned); NULL otherwise */
    char *text;            /* scalar: its text (owned, never NULL); NULL for collections */
    int plain;             /* scalar written without quotes (so "~" or "" can mean null) */
    int line, col;         /* position of the value, 1-based (0 when from --set) */
    int key_line, key_col; /* position of the key of a map entry */
    int used;              /* set by consumers (bz_ynode_use) */
    int from_set;          /* 1-based index of the --set that created it; 0 = from the file */
    struct bz_ynode *parent;
    size_t n, cap;
    struct bz_ynode **items; /* children: map entries in file order, or sequence items */
} bz_ynode;

/* Parse YAML text (len bytes, need not be NUL-terminated) into a tree. `fname`
 * is used in messages: "FILE:LINE:COL: malformed YAML: <problem>". An empty
 * document gives a null scalar. On failure *out is NULL and err is filled
 * (BZ_EINVAL, or BZ_ENOMEM). Cost O(len). */
int bz_yaml_parse(const char *text, size_t len, const char *fname, bz_ynode **out, bz_error *err);

/* Free a node and its subtree; NULL is a no-op. Does not unlink from parent. */
void bz_ynode_free(bz_ynode *n);

/* 1 for a plain scalar "", "~", "null", "Null" or "NULL". */
int bz_ynode_is_null(const bz_ynode *n);

/* Entry `key` of a map, NULL if absent or if map is not a map. */
bz_ynode *bz_ynode_child(const bz_ynode *map, const char *key);

/* Node at a dotted path ("a.b.0.c", numeric components index sequences);
 * NULL if any component is absent. "" is the root itself. */
bz_ynode *bz_ynode_lookup(const bz_ynode *root, const char *path);

/* Entry `key` of `map` as a mapping, for optional sections: an absent entry
 * is created empty (positioned at the map, inheriting its from_set), a null
 * scalar becomes an empty map. *out is the entry. Returns BZ_OK; BZ_EINVAL if
 * the entry exists and is not a mapping (*out is that entry; err untouched,
 * the caller words the message); BZ_ENOMEM. */
int bz_ynode_ensure_map(bz_ynode *map, const char *key, bz_ynode **out);

/* Dotted path of a node from the root ("network.layers.0.name") into buf;
 * "" for the root. Returns buf. */
char *bz_ynode_path(const bz_ynode *n, char *buf, size_t size);

/* Mark n (and, if deep, its whole subtree) as used. NULL is a no-op. */
void bz_ynode_use(bz_ynode *n, int deep);

/* First node of the tree, in document order, that is not marked used; NULL
 * if all are. A node under an unused node is not visited. */
const bz_ynode *bz_ynode_first_unused(const bz_ynode *root);

/* Apply one override "key.path=value" to the tree rooted at the map `root`.
 * The value is a YAML scalar, taken literally unless it is quoted, or a flow
 * collection if it starts with '[' or '{'. Missing map entries on the way
 * are created (as maps); sequence components must be indices of existing
 * items (or equal to the length, which appends). Every created node carries
 * from_set = set_index. Errors: "--set KEY.PATH: ..." (BZ_EINVAL). */
int bz_yaml_apply_set(bz_ynode *root, const char *assignment, int set_index, bz_error *err);

/* Default name of an experiment or sweep read from `path`: its basename
 * without the extension, cut to BZ_NAME_MAX - 1 bytes; `fallback` when that
 * is empty. out has BZ_NAME_MAX bytes. */
void bz_cfg_default_name(const char *path, const char *fallback, char *out);

#endif
