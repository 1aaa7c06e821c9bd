/* The copy-strategy interface: one table entry per strategy (strategies/registry.c).
 * A strategy moves bytes from a source descriptor to a sink descriptor until the
 * source reports end of stream. Everything it keeps between transfers (pools,
 * pipes) lives in its own state block, so two instances never share anything. */
#ifndef ZC_STRATEGY_H
#define ZC_STRATEGY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinds of endpoint, as bits, so a strategy can say which it accepts. */
enum zc_endpoint {
	ZC_EP_FILE = 1u << 0, /* a regular file */
	ZC_EP_TCP = 1u << 1,  /* a connected TCP stream socket */
	ZC_EP_UNIX = 1u << 2, /* a connected unix stream socket */
	ZC_EP_PIPE = 1u << 3, /* a pipe */
	ZC_EP_ANY = 0xffu,
};

enum zc_alloc {
	ZC_ALLOC_MALLOC, /* malloc/free per transfer: glibc recycles warm memory */
	ZC_ALLOC_FRESH,	 /* mmap/munmap per transfer: a churning allocator */
};

/* Optional parameters a strategy reads, so results record them only where
 * they mean something. */
enum zc_uses {
	ZC_USES_PIPE = 1u << 0,	 /* --pipe-size */
	ZC_USES_ALLOC = 1u << 1, /* --alloc */
};

/* What a strategy is told about a transfer. */
struct zc_copy_params {
	size_t chunk;	     /* bytes asked for per syscall */
	size_t pipe_size;    /* F_SETPIPE_SZ for pipe-based strategies; 0 = leave as is */
	enum zc_alloc alloc; /* buffer allocation for user-space strategies */
	unsigned src_kind;   /* one zc_endpoint bit */
	unsigned dst_kind;   /* one zc_endpoint bit */
	/* Set asynchronously (a signal handler) to ask the loop to stop at its next
	 * checkpoint; may be NULL. */
	const volatile sig_atomic_t *stop;
};

/* What a transfer reports back. */
struct zc_transfer_result {
	uint64_t moved;	  /* bytes delivered to the sink */
	int err;	  /* 0, or the errno that ended the transfer */
	const char *what; /* the call that failed, for the reason text */
	const char *path; /* the path that really ran, e.g. "splice" or a fallback */
};

struct zc_strategy {
	const char *name;
	const char *description;
	unsigned sources;     /* zc_endpoint bits accepted as source */
	unsigned sinks;	      /* zc_endpoint bits accepted as sink */
	bool sees_data;	      /* true when payload passes through user memory */
	size_t default_chunk; /* used when --chunk is not given */
	unsigned uses;	      /* zc_uses bits: which optional parameters apply */
	size_t state_size;    /* bytes of per-instance state, zeroed before prepare */
	/* Before the measured window: allocate and pre-fault what is kept across
	 * transfers. Returns 0, or an errno (the cell is then skipped with it). */
	int (*prepare)(void *state, const struct zc_copy_params *p, const char **what);
	/* Inside the window: copy src to dst until src reports end of stream. */
	void (*transfer)(void *state, const struct zc_copy_params *p, int src, int dst, struct zc_transfer_result *r);
	/* After the window. */
	void (*release)(void *state);
};

/* The registry. */
extern const struct zc_strategy *const zc_strategies[];
extern const size_t zc_strategy_count;
const struct zc_strategy *zc_strategy_find(const char *name);

#endif
