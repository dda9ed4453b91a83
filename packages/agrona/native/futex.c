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

/* futexWait(buffer, byteOffset, expected, timeoutNs) -> 0 woken | 1 timed out | 2 not equal. */
napi_value mm_futex_wait(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int32_t expected = 0;
  int64_t timeout_ns = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4) { napi_throw_type_error(env, "EINVAL", "futexWait(buffer, byteOffset, expected, timeoutNs)"); return NULL; }
  int32_t *word = word_at(env, argv[0], argv[1]);
  if (word == NULL) return NULL;
  if (napi_get_value_int32(env, argv[2], &expected) != napi_ok ||
      napi_get_value_int64(env, argv[3], &timeout_ns) != napi_ok || timeout_ns < 0) {
    napi_throw_range_error(env, "EINVAL", "futexWait: expected must be an int32 and timeoutNs a number >= 0");
    return NULL;
  }
  if (timeout_ns == 0) return number(env, __atomic_load_n(word, __ATOMIC_SEQ_CST) == expected ? FUTEX_TIMED_OUT : FUTEX_NOT_EQUAL);
  struct timespec ts = { (time_t)(timeout_ns / 1000000000LL), (long)(timeout_ns % 1000000000LL) };
  long r = syscall(SYS_futex, word, FUTEX_WAIT, expected, &ts, NULL, 0);
  if (r == 0) return number(env, FUTEX_WOKEN);
  if (errno == ETIMEDOUT) return number(env, FUTEX_TIMED_OUT);
  if (errno == EAGAIN) return number(env, FUTEX_NOT_EQUAL);
  return number(env, FUTEX_WOKEN); /* EINTR: a spurious wake-up, the caller re-checks */
}

/* futexWake(buffer, byteOffset, count) -> number of waiters woken. */
napi_value mm_futex_wake(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t count = 0;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) { napi_throw_type_error(env, "EINVAL", "futexWake(buffer, byteOffset, count)"); return NULL; }
  int32_t *word = word_at(env, argv[0], argv[1]);
  if (word == NULL) return NULL;
  if (napi_get_value_int32(env, argv[2], &count) != napi_ok || count < 1) {
    napi_throw_range_error(env, "EINVAL", "futexWake: count must be an int32 >= 1");
    return NULL;
  }
  long r = syscall(SYS_futex, word, FUTEX_WAKE, count, NULL, NULL, 0);
  return number(env, r < 0 ? 0 : r);
}
