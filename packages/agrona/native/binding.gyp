{
  "targets": [
    {
      "target_name": "mm_mmap",
      "sources": ["mmap.c", "futex.c", "sched.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
