/*
 * Futex wait/wake on a 32-bit word of a mapped file, for a wake-up that costs nothing while idle (see
 * packages/agrona/src/Futex.ts). Only the two system calls live here; the doorbell protocol is TypeScript.
 *
 * Invariants and limits:
 * - Shared (non-PRIVATE) futex operations: the kernel keys them on the backing file page, so a waiter in one
 *   process is woken by a wake on the same file offset in another process, whatever the virtual addresses.
 * - The word must be 4-byte aligned and inside the buffer (checked: a bad offset is a thrown RangeError, never a
 *   fault). The buffer must be an ArrayBuffer from map/create (a heap ArrayBuffer "works" but only within the
 *   process, and V8 may move nothing here: external buffers are never relocated).
 * - wait returns 0 (woken, or interrupted by a signal: callers re-check their condition anyway), 1 (timed out)
 *   or 2 (the word did not hold `expected`: nothing to wait for). A timeout of 0 returns at once.
 * - An optional 32-bit `bitset` (FUTEX_WAIT_BITSET / FUTEX_WAKE_BITSET) lets a wake reach only the waiters whose
 *   bitset intersects it (a doorbell rings for one stream and wakes only who reads it); default: all bits.
 * - Linux only. Numbers, not strings, so a wait or wake allocates nothing.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/syscall.h>

#define FUTEX_WOKEN 0
#define FUTEX_TIMED_OUT 1
#define FUTEX_NOT_EQUAL 2

/* Resolves (ArrayBuffer, byteOffset) to an aligned int32 inside it, or throws and returns NULL. */
static int32_t *word_at(napi_env env, napi_value buffer, napi_value offset) {
  bool is_ab = false;
  void *data = NULL;
  size_t length = 0;
  int64_t off = -1;
  if (napi_is_arraybuffer(env, buffer, &is_ab) != napi_ok || !is_ab ||
      napi_get_arraybuffer_info(env, buffer, &data, &length) != napi_ok || data == NULL) {
    napi_throw_type_error(env, "EINVAL", "futex: expected a mapped ArrayBuffer");
    return NULL;
  }
  if (napi_get_value_int64(env, offset, &off) != napi_ok || off < 0 || (off & 3) != 0 || (size_t)off + 4 > length) {
    napi_throw_range_error(env, "EINVAL", "futex: byteOffset must be a multiple of 4 inside the buffer");
    return NULL;
  }
  return (int32_t *)((char *)data + off);
}

static napi_value number(napi_env env, int64_t v) {
  napi_value r;
  napi_create_int64(env, v, &r);
  return r;
}

/* An optional int32 argument read as the 32 bits of a bitset; absent or undefined: all bits. 0 is refused. */
static int get_bitset(napi_env env, size_t argc, napi_value *argv, size_t index, uint32_t *bitset) {
  napi_valuetype t = napi_undefined;
  int32_t v = -1;
  if (argc > index) napi_typeof(env, argv[index], &t);
  if (t == napi_undefined) { *bitset = FUTEX_BITSET_MATCH_ANY; return 1; }
  if (napi_get_value_int32(env, argv[index], &v) != napi_ok || v == 0) {
    napi_throw_range_error(env, "EINVAL", "futex: bitset must be a non-zero int32");
    return 0;
  }
  *bitset = (uint32_t)v;
  return 1;
}

/* futexWait(buffer, byteOffset, expected, timeoutNs, bitset?) -> 0 woken | 1 timed out | 2 not equal. */
napi_value mm_futex_wait(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int32_t expected = 0;
  int64_t timeout_ns = 0;
  uint32_t bitset = FUTEX_BITSET_MATCH_ANY;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4) { napi_throw_type_error(env, "EINVAL", "futexWait(buffer, byteOffset, expected, timeoutNs, bitset?)"); return NULL; }
  int32_t *word = word_at(env, argv[0], argv[1]);
  if (word == NULL) return NULL;
  if (napi_get_value_int32(env, argv[2], &expected) != napi_ok ||
      napi_get_value_int64(env, argv[3], &timeout_ns) != napi_ok || timeout_ns < 0) {
    napi_throw_range_error(env, "EINVAL", "futexWait: expected must be an int32 and timeoutNs a number >= 0");
    return NULL;
  }
  if (!get_bitset(env, argc, argv, 4, &bitset)) return NULL;
  if (timeout_ns == 0) return number(env, __atomic_load_n(word, __ATOMIC_SEQ_CST) == expected ? FUTEX_TIMED_OUT : FUTEX_NOT_EQUAL);
  /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline. */
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  int64_t deadline = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec + timeout_ns;
  ts.tv_sec = (time_t)(deadline / 1000000000LL);
  ts.tv_nsec = (long)(deadline % 1000000000LL);
  long r = syscall(SYS_futex, word, FUTEX_WAIT_BITSET, expected, &ts, NULL, bitset);
  if (r == 0) return number(env, FUTEX_WOKEN);
  if (errno == ETIMEDOUT) return number(env, FUTEX_TIMED_OUT);
  if (errno == EAGAIN) return number(env, FUTEX_NOT_EQUAL);
  return number(env, FUTEX_WOKEN); /* EINTR: a spurious wake-up, the caller re-checks */
}

/* futexWake(buffer, byteOffset, count, bitset?) -> number of waiters woken. */
napi_value mm_futex_wake(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int32_t count = 0;
  uint32_t bitset = FUTEX_BITSET_MATCH_ANY;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) { napi_throw_type_error(env, "EINVAL", "futexWake(buffer, byteOffset, count, bitset?)"); return NULL; }
  int32_t *word = word_at(env, argv[0], argv[1]);
  if (word == NULL) return NULL;
  if (napi_get_value_int32(env, argv[2], &count) != napi_ok || count < 1) {
    napi_throw_range_error(env, "EINVAL", "futexWake: count must be an int32 >= 1");
    return NULL;
  }
  if (!get_bitset(env, argc, argv, 3, &bitset)) return NULL;
  long r = syscall(SYS_futex, word, FUTEX_WAKE_BITSET, count, NULL, NULL, bitset);
  return number(env, r < 0 ? 0 : r);
}
