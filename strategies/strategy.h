/* The copy-strategy interface: one table entry per strategy (strategies/registry.c).
 * A strategy moves bytes from a source to one or two sinks until the source
 * reports end of stream. Everything it keeps between transfers (pools, pipes,
 * rings) lives in its own state block, one per stream, so two instances never
 * share anything. */
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
	ZC_EP_MEM = 1u << 4,  /* source: bytes already in the subject's memory; sink: bytes
			       * consumed there (discarded, or checksummed/redacted with --inspect) */
	ZC_EP_UDP = 1u << 5,  /* a connected UDP socket: datagrams, which may be lost */
	ZC_EP_ANY = 0xffu,
};

enum zc_alloc {
	ZC_ALLOC_MALLOC, /* malloc/free per transfer: glibc recycles warm memory */
	ZC_ALLOC_FRESH,	 /* mmap/munmap per transfer: a churning allocator */
};

/* UDP sinks: every datagram carries ZC_UDP_DATAGRAM bytes of the stream (the
 * last of a transfer fewer), cut at the same offsets by every UDP strategy,
 * so the receiver can place each datagram that arrived (workloads/udp_recv.c)
 * and count the ones lost. 1472: one IPv4 datagram in a 1500-byte MTU; a
 * multiple of 8, so every datagram starts on a pattern word. */
#define ZC_UDP_DATAGRAM 1472u

/* What a strategy that sees the data does to it on the way. */
enum zc_inspect {
	ZC_INSPECT_NONE,
	ZC_INSPECT_CHECKSUM, /* CRC32C of every byte, reported per run */
	ZC_INSPECT_REDACT,   /* every ASCII digit replaced by 'X' (masking numbers) */
	ZC_INSPECT_ENCRYPT,  /* sealed in TLS 1.3 records, AES-128-GCM (workloads/tls_record.h) */
};

struct zc_tls_tx; /* io_util.h */

/* Optional parameters a strategy reads, so results record them only where
 * they mean something. */
enum zc_uses {
	ZC_USES_PIPE = 1u << 0,	  /* --pipe-size */
	ZC_USES_ALLOC = 1u << 1,  /* --alloc */
	ZC_USES_QD = 1u << 2,	  /* --qd */
	ZC_USES_IOVECS = 1u << 3, /* --iovecs */
	ZC_USES_MMAP = 1u << 4,	  /* --populate, --madvise */
};

/* The cache-pollution probe (--victim): a working set the subject walks
 * each time its stream has delivered another `every` bytes, one read per
 * cache line, timed; then walks it again at once (the baseline: the same
 * walk with no copy in between, in the same window). A pair during which the
 * thread was switched out (or, without the eBPF switch count, a walk longer
 * than threshold_ns) is dropped and counted. One per stream. */
struct zc_victim {
	volatile unsigned char *buf;
	size_t size;
	uint64_t every;			   /* bytes delivered between walks */
	const volatile uint64_t *moved;	   /* the stream's delivered bytes */
	const volatile uint64_t *switches; /* the thread's switch-outs (eBPF), or NULL */
	uint64_t threshold_ns;		   /* without switches: longer walks count as interrupted */
	uint64_t next_at;		   /* walk once *moved reaches this */
	uint32_t *walk_ns, *base_ns;	   /* per kept pair; cap entries each */
	uint64_t cap, kept, walks, excluded;
	uint64_t merged; /* multiples of `every` a single call crossed beyond the first: no walk of their own */
	unsigned sink;	 /* what the reads summed to, so they are not optimised away */
};

/* What a strategy is told about a transfer. */
struct zc_copy_params {
	size_t chunk;	      /* bytes asked for per syscall */
	size_t pipe_size;     /* F_SETPIPE_SZ for pipe-based strategies */
	enum zc_alloc alloc;  /* buffer allocation for user-space strategies */
	unsigned qd;	      /* io_uring queue depth */
	unsigned iovecs;      /* readv/writev: buffers per call */
	bool populate;	      /* mmap: MAP_POPULATE */
	bool madv_sequential; /* mmap: madvise(MADV_SEQUENTIAL) */
	enum zc_inspect inspect;
	unsigned checkpoint_ms; /* loops look at the stop flag at least this often */
	unsigned src_kind;	/* one zc_endpoint bit */
	unsigned dst_kind;	/* one zc_endpoint bit */
	/* Set asynchronously (a signal handler) to ask the loop to stop at its next
	 * checkpoint; may be NULL. */
	const volatile sig_atomic_t *stop;
	/* When the stop was requested (CLOCK_MONOTONIC ns), written before
	 * *stop is set: a sink that takes nothing gets one checkpoint from
	 * then, not from whenever the loop next waits. May be NULL. */
	const volatile uint64_t *stop_at_ns;
	/* --victim: one per stream, indexed by zc_thread_index; NULL when off. */
	struct zc_victim *victims;
	/* --inspect encrypt: one sealer per stream, indexed by zc_thread_index;
	 * NULL otherwise. zc_write_sinks seals what it is given. */
	struct zc_tls_tx *tls_tx;
	/* Memory sinks: check every consumed byte against the pattern (a stream
	 * of verify_period-byte segments), as a file or peer sink would. */
	bool verify;
	uint64_t verify_period;
};

/* The endpoints of one transfer. */
struct zc_io {
	int src;	     /* source descriptor; -1 for memory sources */
	const char *src_mem; /* memory sources: the bytes (never written to) */
	uint64_t src_len;    /* memory sources: how many */
	int dst[2];	     /* sinks; dst[1] is -1 unless the workload has two */
	unsigned ndst;
};

#define ZC_MAX_STATS 4

/* What a transfer reports back (accumulated over a stream's transfers). */
struct zc_transfer_result {
	uint64_t moved;		      /* bytes delivered to each sink */
	int err;		      /* 0, or the errno that ended the transfer */
	const char *what;	      /* the call that failed, for the reason text */
	const char *path;	      /* the path that really ran, e.g. "splice" or a fallback */
	bool stopped;		      /* a stop request ended it early */
	uint64_t stranded;	      /* bytes taken from the source but never delivered (a stalled sink) */
	uint32_t crc;		      /* --inspect checksum: CRC32C so far */
	uint64_t stats[ZC_MAX_STATS]; /* strategy-specific counts, named in stat_names */
	/* Zero-copy sends (MSG_ZEROCOPY, SEND_ZC), by their completion reports:
	 * bytes of sends the kernel copied after all, and of sends whose pages
	 * it only pinned. */
	uint64_t zc_copied_bytes, zc_pinned_bytes;
	bool mismatch;	      /* memory sinks, verifying: a consumed byte was wrong */
	uint64_t mismatch_at; /* its offset in the stream */
};

struct zc_strategy {
	const char *name;
	const char *description;
	unsigned sources;   /* zc_endpoint bits accepted as source */
	unsigned sinks;	    /* zc_endpoint bits accepted as sink */
	unsigned min_sinks; /* sinks it needs (0 means 1) */
	unsigned max_sinks; /* 1, or 2 for strategies that can duplicate a stream */
	bool sees_data;	    /* true when payload passes through user memory */
	/* --inspect encrypt is implemented: its writes go through zc_write_sinks
	 * or zc_write_sealed (strategies whose buffers stay in flight after a
	 * send would need a sealed copy of their own per buffer). */
	bool encrypts;
	size_t default_chunk; /* used when --chunk is not given */
	unsigned uses;	      /* zc_uses bits: which optional parameters apply */
	size_t state_size;    /* bytes of per-stream state, zeroed before prepare */
	/* Names of the entries of zc_transfer_result.stats it fills, NULL-ended. */
	const char *const *stat_names;
	/* Before the measured window: allocate and pre-fault what is kept across
	 * transfers. Returns 0, or an errno (the cell is then skipped with it,
	 * what naming the call that failed). */
	int (*prepare)(void *state, const struct zc_copy_params *p, const struct zc_io *io, const char **what);
	/* Inside the window: copy until the source reports end of stream. */
	void (*transfer)(void *state, const struct zc_copy_params *p, const struct zc_io *io,
			 struct zc_transfer_result *r);
	/* After the window, before release: may look at the result (e.g. tell
	 * whether a filesystem cloned or copied) and refine r->path. */
	void (*after_window)(void *state, const struct zc_io *io, struct zc_transfer_result *r);
	/* The read ends of the pipes it keeps (for counting bytes in flight with
	 * FIONREAD when a stop arrives). Returns how many it wrote; may be NULL. */
	unsigned (*pipe_fds)(void *state, int *fds, unsigned max);
	/* After the window. */
	void (*release)(void *state);
};

/* The registry. */
extern const struct zc_strategy *const zc_strategies[];
extern const size_t zc_strategy_count;
const struct zc_strategy *zc_strategy_find(const char *name);

#endif
