/*
 * The calling thread's scheduling policy (see packages/agrona/src/ThreadScheduling.ts): a latency-critical service
 * asks for SCHED_FIFO so that, woken by the doorbell, it runs at once instead of waiting behind whatever ordinary
 * task holds the CPU.
 *
 * Invariants and limits:
 * - Linux only; the calling thread only (sched_setscheduler(0, ...) is per thread), i.e. the JavaScript thread.
 * - policy 0 = SCHED_OTHER (priority 0), 1 = SCHED_FIFO, 2 = SCHED_RR (priority 1..99); anything else is a thrown
 *   RangeError. A refusal by the kernel (EPERM without CAP_SYS_NICE or an RLIMIT_RTPRIO allowance) is returned as
 *   the errno, not thrown, so the caller can word the error.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <errno.h>
#include <sched.h>

static napi_value int_value(napi_env env, int32_t v) {
  napi_value r;
  napi_create_int32(env, v, &r);
  return r;
}

napi_value mm_set_thread_scheduler(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t policy = -1, priority = -1;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 2 || napi_get_value_int32(env, argv[0], &policy) != napi_ok ||
      napi_get_value_int32(env, argv[1], &priority) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "setThreadScheduler(policy, priority)");
    return NULL;
  }
  int native;
  if (policy == 0 && priority == 0) native = SCHED_OTHER;
  else if (policy == 1 && priority >= 1 && priority <= 99) native = SCHED_FIFO;
  else if (policy == 2 && priority >= 1 && priority <= 99) native = SCHED_RR;
  else {
    napi_throw_range_error(env, "EINVAL", "setThreadScheduler: policy 0 needs priority 0; 1 (fifo) and 2 (rr) need 1..99");
    return NULL;
  }
  struct sched_param param = { .sched_priority = priority };
  return int_value(env, sched_setscheduler(0, native, &param) == 0 ? 0 : errno);
}

/* policy * 1000 + priority of the calling thread (policy as above; -1 for any other policy). */
napi_value mm_thread_scheduler(napi_env env, napi_callback_info info) {
  (void)info;
  int native = sched_getscheduler(0);
  struct sched_param param = { 0 };
  sched_getparam(0, &param);
  int policy = native == SCHED_OTHER ? 0 : native == SCHED_FIFO ? 1 : native == SCHED_RR ? 2 : -1;
  return int_value(env, policy < 0 ? -1 : policy * 1000 + param.sched_priority);
}
