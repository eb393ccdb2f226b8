/* The table of module API entry points GetApi serves (api_table.c is generated). */
#ifndef TRELLIS_API_TABLE_H
#define TRELLIS_API_TABLE_H

typedef struct trellis_api_entry {
    const char *name; /* without the RedisModule_ prefix; the table is sorted by it */
    const char *sig;  /* "N" for shim functions, else "<ret>:<args>" (see gen_api_table.py) */
    void *fn;         /* the entry point modules get */
} trellis_api_entry;

extern const trellis_api_entry trellis_api_table[];
extern const int trellis_api_count;

/* Binds the server's Java dispatcher for a signature code. */
int trellis_bind_dispatcher(const char *sig, void *fn);

#endif
