/*
 * Minimal N-API addon: maps and unmaps files (and, in futex.c, waits/wakes on a mapped word; in sched.c, sets the calling thread's scheduling policy), nothing else. All protocol logic lives in TypeScript.
 *
 * Invariants:
 * - A mapping is exposed as an external (non-shared) ArrayBuffer; `Atomics` work on typed arrays over it, and on
 *   x86-64 they are sequentially consistent across processes because they compile to plain/locked instructions
 *   on the same physical pages. A real SharedArrayBuffer would need V8's C++ API (not ABI-stable), so N-API it is.
 * - `unmap` munmaps and then detaches the ArrayBuffer, so every typed array over it reads as length 0 and a
 *   stale view can never touch unmapped memory. The GC finalizer unmaps only mappings that were never unmapped
 *   explicitly (the `mapped` flag), so an address reused by a later mmap is never unmapped twice.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
  void *addr;
  size_t length;
  int mapped;
} mapping_t;

static napi_status throw_errno(napi_env env, const char *what, const char *path) {
  char msg[4400];
  snprintf(msg, sizeof msg, "%s '%s': %s", what, path, strerror(errno));
  napi_throw_error(env, "EMMAP", msg);
  return napi_pending_exception;
}

static void finalize_mapping(napi_env env, void *data, void *hint) {
  (void)env; (void)data;
  mapping_t *m = (mapping_t *)hint;
  if (m->mapped && m->length > 0) munmap(m->addr, m->length);
  free(m);
}

/* The empty file case: mmap of length 0 is invalid, so a zero-length buffer is returned instead. */
static napi_value wrap_mapping(napi_env env, void *addr, size_t length) {
  napi_value ab;
  mapping_t *m = (mapping_t *)calloc(1, sizeof(mapping_t));
  if (m == NULL) { napi_throw_error(env, "ENOMEM", "out of memory"); return NULL; }
  m->addr = addr; m->length = length; m->mapped = 1;
  if (napi_create_external_arraybuffer(env, addr, length, finalize_mapping, m, &ab) != napi_ok) {
    munmap(addr, length); free(m);
    napi_throw_error(env, "EMMAP", "napi_create_external_arraybuffer failed");
    return NULL;
  }
  if (napi_wrap(env, ab, m, NULL, NULL, NULL) != napi_ok) {
    napi_throw_error(env, "EMMAP", "napi_wrap failed");
    return NULL;
  }
  return ab;
}

static int get_path(napi_env env, napi_value v, char *buf, size_t cap) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, buf, cap, &len) != napi_ok || len == 0 || len >= cap - 1) {
    napi_throw_type_error(env, "EINVAL", "path must be a non-empty string shorter than 4096 bytes");
    return 0;
  }
  return 1;
}

/* map(path: string, readOnly: boolean) -> ArrayBuffer over the whole existing file. */
static napi_value map_existing(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; char path[4096]; bool ro = false;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 1 || !get_path(env, argv[0], path, sizeof path)) return NULL;
  if (argc > 1) napi_get_value_bool(env, argv[1], &ro);
  int fd = open(path, ro ? O_RDONLY : O_RDWR);
  if (fd < 0) { throw_errno(env, "cannot open", path); return NULL; }
  struct stat st;
  if (fstat(fd, &st) != 0) { close(fd); throw_errno(env, "cannot stat", path); return NULL; }
  size_t length = (size_t)st.st_size;
  if (length == 0) { close(fd); errno = EINVAL; throw_errno(env, "cannot map empty file", path); return NULL; }
  void *addr = mmap(NULL, length, ro ? PROT_READ : (PROT_READ | PROT_WRITE), MAP_SHARED, fd, 0);
  close(fd);
  if (addr == MAP_FAILED) { throw_errno(env, "cannot mmap", path); return NULL; }
  return wrap_mapping(env, addr, length);
}

/* create(path: string, length: number) -> ArrayBuffer; creates (or truncates) and sizes the file, zero-filled. */
static napi_value map_new(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2]; char path[4096]; int64_t len64 = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || !get_path(env, argv[0], path, sizeof path)) return NULL;
  if (napi_get_value_int64(env, argv[1], &len64) != napi_ok || len64 <= 0) {
    napi_throw_range_error(env, "EINVAL", "length must be a positive integer");
    return NULL;
  }
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0666);
  if (fd < 0) { throw_errno(env, "cannot create", path); return NULL; }
  if (ftruncate(fd, (off_t)len64) != 0) { close(fd); throw_errno(env, "cannot size", path); return NULL; }
  void *addr = mmap(NULL, (size_t)len64, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (addr == MAP_FAILED) { throw_errno(env, "cannot mmap", path); return NULL; }
  return wrap_mapping(env, addr, (size_t)len64);
}

/* unmap(buffer: ArrayBuffer) -> boolean (false when it was already unmapped). */
static napi_value unmap(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; napi_value result; void *ptr = NULL;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  bool is_ab = false;
  if (argc < 1 || napi_is_arraybuffer(env, argv[0], &is_ab) != napi_ok || !is_ab) {
    napi_throw_type_error(env, "EINVAL", "unmap expects an ArrayBuffer returned by map/create");
    return NULL;
  }
  bool detached = false;
  napi_is_detached_arraybuffer(env, argv[0], &detached);
  if (detached || napi_remove_wrap(env, argv[0], &ptr) != napi_ok || ptr == NULL) {
    napi_get_boolean(env, false, &result);
    return result;
  }
  mapping_t *m = (mapping_t *)ptr;
  if (m->mapped) { munmap(m->addr, m->length); m->mapped = 0; }
  napi_detach_arraybuffer(env, argv[0]);
  napi_get_boolean(env, true, &result);
  return result;
}

/* sync(buffer: ArrayBuffer) -> void; msync so a crash of this host leaves the file consistent (used rarely). */
static napi_value sync_mapping(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1]; void *data = NULL; size_t len = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc >= 1 && napi_get_arraybuffer_info(env, argv[0], &data, &len) == napi_ok && len > 0) {
    msync(data, len, MS_SYNC);
  }
  return NULL;
}

/* futex.c: wait/wake on a word of a mapping (the doorbell's system calls). */
napi_value mm_futex_wait(napi_env env, napi_callback_info info);
napi_value mm_futex_wake(napi_env env, napi_callback_info info);
/* sched.c: the calling thread's scheduling policy. */
napi_value mm_set_thread_scheduler(napi_env env, napi_callback_info info);
napi_value mm_thread_scheduler(napi_env env, napi_callback_info info);

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    {"map", NULL, map_existing, NULL, NULL, NULL, napi_default, NULL},
    {"create", NULL, map_new, NULL, NULL, NULL, napi_default, NULL},
    {"unmap", NULL, unmap, NULL, NULL, NULL, napi_default, NULL},
    {"sync", NULL, sync_mapping, NULL, NULL, NULL, napi_default, NULL},
    {"futexWait", NULL, mm_futex_wait, NULL, NULL, NULL, napi_default, NULL},
    {"futexWake", NULL, mm_futex_wake, NULL, NULL, NULL, napi_default, NULL},
    {"setThreadScheduler", NULL, mm_set_thread_scheduler, NULL, NULL, NULL, napi_default, NULL},
    {"threadScheduler", NULL, mm_thread_scheduler, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
